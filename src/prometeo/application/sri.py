"""Ports of the electronic documents (implemented in infrastructure/sri/): what the
application needs from an XML writer, a signer and the SRI, in its own words. A
comprobante, to the SRI, is the signed XML document itself."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from prometeo.domain.aggregates.factura import Factura
from prometeo.domain.aggregates.nota_credito import NotaCredito


@dataclass(frozen=True, slots=True)
class ComprobantePendiente:
    """A document waiting for its signature: its type ("01", "04") and id."""

    tipo: str
    documento_id: str


class ComprobanteSinFirmar(Exception):
    """The signed XML of a document that is not signed yet was asked for."""

    regla = "ComprobanteFirmado"

    def __init__(self, numero: str | None) -> None:
        self.mensaje = (
            "El documento está en borrador: tendrá comprobante electrónico al emitirse"
            if numero is None
            else f"El comprobante {numero} todavía no está firmado: su XML existe cuando se firma"
        )
        super().__init__(self.mensaje)


class NoAutorizado(Exception):
    """The SRI's authorization of a document that the SRI has not authorized (yet)."""

    regla = "ComprobanteAutorizado"

    def __init__(self, clave_acceso: str, estado: str) -> None:
        self.mensaje = (
            f"El comprobante con clave {clave_acceso} está {estado}: su autorización existe "
            "cuando el SRI lo autoriza"
        )
        super().__init__(self.mensaje)


class XmlNoValido(Exception):
    """A document's XML breaks the SRI's schema: a bug in prometeo; it is never sent."""

    def __init__(self, mensaje: str, errores: Sequence[str]) -> None:
        self.errores = tuple(errores)
        super().__init__(mensaje)


class ErrorFirma(Exception):
    """The signature cannot be made: no usable certificate (wrong password, expired, not
    a signing certificate, another RUC...). `regla` names the broken rule; the message
    never holds the password or any key material."""

    def __init__(self, regla: str, mensaje: str) -> None:
        self.regla = regla
        self.mensaje = mensaje
        super().__init__(mensaje)


class GeneradorXml(Protocol):
    """Writes the SRI XML of an emitted document, checked against the schema."""

    def xml(self, documento: Factura | NotaCredito) -> bytes:
        """The unsigned comprobante; XmlNoValido when it breaks the schema."""
        ...


class FirmaComprobantes(Protocol):
    """Signs a comprobante's XML with the issuer's certificate (XAdES-BES, enveloped)."""

    def firmar(self, xml: bytes) -> bytes:
        """The signed document's bytes, to be stored once and always served as stored;
        ErrorFirma when no valid signature can be made."""
        ...


class GeneradorRide(Protocol):
    """Prints a comprobante (its XML, signed or not yet) as the RIDE, a PDF."""

    def ride(
        self,
        xml: bytes,
        *,
        estado: str,
        numero_autorizacion: str | None,
        fecha_autorizacion: datetime | None,
    ) -> bytes: ...


class ComprobantesPendientes(Protocol):
    """The signer's queue: emitted documents not signed yet, oldest first."""

    def pendientes(self, limite: int) -> list[ComprobantePendiente]: ...


@dataclass(frozen=True, slots=True)
class MensajeSri:
    """A message of the SRI's answer (identificador "43", mensaje "CLAVE ACCESO
    REGISTRADA", informacionAdicional, tipo ERROR / ADVERTENCIA / INFORMATIVO)."""

    identificador: str
    mensaje: str
    informacion_adicional: str | None = None
    tipo: str = "ERROR"


@dataclass(frozen=True, slots=True)
class RespuestaRecepcion:
    """Recepción's answer: RECIBIDA or DEVUELTA with its messages. An answer with no
    `estado` element (error 35, "ConversionArchivoXMLException") is DEVUELTA."""

    estado: str  # "RECIBIDA" | "DEVUELTA"
    mensajes: tuple[MensajeSri, ...] = ()


@dataclass(frozen=True, slots=True)
class Autorizacion:
    """One `autorizacion` entry: AUTORIZADO, NO AUTORIZADO or EN PROCESO, with the SRI's
    own copy of the comprobante (`comprobante`, the CDATA's text) and `xml`, the whole
    `<autorizacion>` element as the SRI sent it (served as /autorizacion.xml)."""

    estado: str
    numero_autorizacion: str | None = None
    fecha_autorizacion: datetime | None = None
    ambiente: str | None = None  # "PRUEBAS" | "PRODUCCIÓN"
    comprobante: str | None = None
    mensajes: tuple[MensajeSri, ...] = ()
    xml: str | None = None


@dataclass(frozen=True, slots=True)
class RespuestaAutorizacion:
    """Autorización's answer for a clave: its entries (none while the SRI has nothing
    for it), or RECHAZADA with messages for a query it refused (80: a malformed clave)."""

    autorizaciones: tuple[Autorizacion, ...] = ()
    rechazada: bool = False
    mensajes: tuple[MensajeSri, ...] = ()

    def vigente(self) -> Autorizacion | None:
        """The entry that counts: the AUTORIZADO one when there is one (earlier NO
        AUTORIZADO attempts may come with it), else the last; None when there are none."""
        for autorizacion in self.autorizaciones:
            if autorizacion.estado == "AUTORIZADO":
                return autorizacion
        return self.autorizaciones[-1] if self.autorizaciones else None


class ErrorTransitorioSri(Exception):
    """The SRI did not answer usefully this time (timeout, refused connection, HTTP 5xx or
    an HTML page, soap:Fault, unreadable body): try again later. Never a verdict on the
    document. `quizas_recibido` is False only when nothing reached the SRI (no connection
    was made), so a send that failed so is surely lost."""

    def __init__(self, mensaje: str, *, quizas_recibido: bool = True) -> None:
        super().__init__(mensaje)
        self.quizas_recibido = quizas_recibido


class ServicioSri(Protocol):
    """The SRI's offline reception and authorization web services."""

    def enviar(self, firmado: bytes) -> RespuestaRecepcion:
        """Hand a signed comprobante to Recepción; ErrorTransitorioSri when there is no
        usable answer."""
        ...

    def autorizacion(self, clave_acceso: str) -> RespuestaAutorizacion:
        """Ask Autorización about a clave de acceso; ErrorTransitorioSri when there is
        no usable answer."""
        ...


class ErrorCorreo(Exception):
    """A mail could not be handed to the SMTP server (it is tried again later)."""


class EnvioCorreo(Protocol):
    """Mails a document to its buyer."""

    def enviar(
        self,
        para: str,
        asunto: str,
        cuerpo: str,
        adjuntos: Sequence[tuple[str, str, bytes]],
    ) -> None:
        """Send one mail with (file name, MIME type, content) attachments; ErrorCorreo
        when the server refuses it or cannot be reached."""
        ...
