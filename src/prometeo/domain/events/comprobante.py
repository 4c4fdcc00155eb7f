"""What every emitted comprobante carries of its issuer: copies taken at emission, so an
edit of the catalog never changes a document already issued (a reprint or a resend shows
what was issued)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from prometeo.domain.events.base import EventoDominio


@dataclass(frozen=True, slots=True)
class DatosEmisor:
    """The emisor as printed on the document (infoTributaria and the issuer's fields of
    infoFactura / infoNotaCredito)."""

    ruc: str
    razon_social: str
    nombre_comercial: str
    direccion_matriz: str
    obligado_contabilidad: bool
    ambiente: str
    contribuyente_especial: str | None = None
    agente_retencion: str | None = None
    regimen: str = "GENERAL"


@dataclass(frozen=True, slots=True)
class DatosEstablecimiento:
    """Where the document was issued: the sucursal's code (estab) and address
    (dirEstablecimiento; None on documents stored before it was copied) and the punto's
    code (ptoEmi)."""

    codigo: str
    direccion: str | None
    punto_emision: str


@dataclass(frozen=True, slots=True)
class DatosComprador:
    """The buyer as printed on the document (a copy: later edits of the customer do not
    rewrite issued documents)."""

    tipo_identificacion: str
    identificacion: str
    razon_social: str
    direccion: str | None = None
    email: str | None = None
    telefono: str | None = None  # None in events stored before it was copied


# -- the electronic document's life (on the document's own stream) ---------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ComprobanteFirmado(EventoDominio):
    """The document's SRI XML, signed (XAdES-BES): `xml` is the signed file as UTF-8 text,
    exactly the bytes sent to the SRI and served to anyone who asks, never re-serialized.
    Part of the permanent record (the SRI requires keeping documents for 7 years)."""

    documento_id: str
    tipo_comprobante: str  # "01" factura, "04" nota de crédito
    clave_acceso: str
    xml: str
    firmado_en: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ComprobanteNoValido(EventoDominio):
    """The document's XML broke the SRI's schema: a bug in prometeo, never sent. The
    document stays PENDIENTE (with these errors shown) until a fixed version signs it."""

    documento_id: str
    tipo_comprobante: str
    errores: tuple[str, ...]
    detectado_en: datetime


@dataclass(frozen=True, slots=True)
class MensajeSriDatos:
    """A message of the SRI's answer, as recorded (identificador "43", its text, the
    informacionAdicional, tipo ERROR / ADVERTENCIA / INFORMATIVO)."""

    identificador: str
    mensaje: str
    informacion_adicional: str | None = None
    tipo: str = "ERROR"


@dataclass(frozen=True, slots=True, kw_only=True)
class ComprobanteEnviado(EventoDominio):
    """The signed document is about to be handed to the SRI's Recepción (recorded, and
    committed, before the call: a document found in this state after a crash is asked
    about before anything is sent again). `intento` counts the sends of this clave."""

    documento_id: str
    tipo_comprobante: str
    clave_acceso: str
    intento: int
    enviado_en: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ComprobanteNoEntregado(EventoDominio):
    """The send in flight never reached the SRI (no connection could be made): the
    document is sent again, with no need to ask about it first."""

    documento_id: str
    tipo_comprobante: str
    motivo: str
    detectado_en: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ComprobanteRecibido(EventoDominio):
    """Recepción answered RECIBIDA."""

    documento_id: str
    tipo_comprobante: str
    recibido_en: datetime
    mensajes: tuple[MensajeSriDatos, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ComprobanteDevuelto(EventoDominio):
    """Recepción answered DEVUELTA, with the SRI's reasons."""

    documento_id: str
    tipo_comprobante: str
    devuelto_en: datetime
    mensajes: tuple[MensajeSriDatos, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ComprobanteEnProceso(EventoDominio):
    """Autorización said the document is still being processed (recorded once, when
    first seen; later EN PROCESO answers change nothing)."""

    documento_id: str
    tipo_comprobante: str
    consultado_en: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ComprobanteAutorizado(EventoDominio):
    """The SRI authorized the document: its number and date, and its own copy of the
    comprobante (`comprobante`, the authoritative XML from now on) inside `autorizacion`,
    the whole `<autorizacion>` document as the SRI sent it."""

    documento_id: str
    tipo_comprobante: str
    numero_autorizacion: str
    fecha_autorizacion: datetime
    ambiente: str
    autorizacion: str
    mensajes: tuple[MensajeSriDatos, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ComprobanteNoAutorizado(EventoDominio):
    """The SRI refused to authorize the document, with its reasons."""

    documento_id: str
    tipo_comprobante: str
    consultado_en: datetime
    mensajes: tuple[MensajeSriDatos, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class CorreoEnviado(EventoDominio):
    """The authorized document (its XML and RIDE) was mailed to the buyer."""

    documento_id: str
    tipo_comprobante: str
    para: str
    enviado_en: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ComprobanteCorregido(EventoDominio):
    """A document the SRI returned or did not authorize goes back to be signed again and
    resent, with the same clave de acceso and secuencial (SRI-ELECTRONICO.md §5). A
    person's correction may bring the buyer as it should have been printed (`comprador`,
    copied from the cliente `cliente_id`); amounts and stock never change. `automatico`:
    prometeo's own single resend after an answer a new signature may fix (no buyer)."""

    documento_id: str
    tipo_comprobante: str
    motivo: str
    corregido_en: datetime
    automatico: bool = False
    cliente_id: str | None = None
    comprador: DatosComprador | None = None
