"""What a factura and a nota de crédito share as electronic documents for the SRI: the
state of their comprobante, recorded as events on the document's own stream."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from prometeo.domain.aggregates.base import Agregado
from prometeo.domain.errores import OperacionNoPermitida
from prometeo.domain.events.base import EventoDominio
from prometeo.domain.events.comprobante import (
    ComprobanteAutorizado,
    ComprobanteDevuelto,
    ComprobanteEnProceso,
    ComprobanteEnviado,
    ComprobanteFirmado,
    ComprobanteNoAutorizado,
    ComprobanteNoValido,
    ComprobanteRecibido,
    CorreoEnviado,
    MensajeSriDatos,
)


class EstadoSri(StrEnum):
    """PENDIENTE (not signed yet), FIRMADO (signed, not yet received), then the SRI's own
    words for its answers."""

    PENDIENTE = "PENDIENTE"
    FIRMADO = "FIRMADO"
    RECIBIDA = "RECIBIDA"
    DEVUELTA = "DEVUELTA"
    EN_PROCESO = "EN PROCESO"
    AUTORIZADO = "AUTORIZADO"
    NO_AUTORIZADO = "NO AUTORIZADO"


class ComprobanteElectronico(Agregado):
    """The base of Factura and NotaCredito. An emitted document is PENDIENTE until it is
    signed, once; its signed XML never changes afterwards."""

    TIPO_COMPROBANTE: ClassVar[str]

    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.numero: str | None = None
        self.clave_acceso: str | None = None
        self.estado_sri = EstadoSri.PENDIENTE
        self.errores_xml: tuple[str, ...] = ()
        # Sent to Recepción with no answer recorded yet (a crash may leave it so).
        self.en_vuelo = False
        self.enviado_en: datetime | None = None
        self.envios = 0
        self.mensajes_sri: tuple[MensajeSriDatos, ...] = ()
        self.numero_autorizacion: str | None = None
        self.correo_enviado = False

    def _exigir_pendiente(self, accion: str) -> str:
        if self.numero is None or self.clave_acceso is None:
            raise OperacionNoPermitida(
                "ComprobanteEmitido",
                f"El documento {self.id} no está emitido: no se puede {accion}",
            )
        if self.estado_sri is not EstadoSri.PENDIENTE:
            raise OperacionNoPermitida(
                "ComprobantePendienteDeFirma",
                f"El comprobante {self.numero} ya está {self.estado_sri.value}: su XML firmado "
                "no cambia",
            )
        return self.clave_acceso

    def registrar_firma(self, xml: str, firmado_en: datetime) -> ComprobanteFirmado:
        """Record the signed XML (once: a signed document is never signed again)."""
        clave = self._exigir_pendiente("firmar")
        evento = ComprobanteFirmado(
            documento_id=self.id,
            tipo_comprobante=self.TIPO_COMPROBANTE,
            clave_acceso=clave,
            xml=xml,
            firmado_en=firmado_en,
        )
        self._registrar(evento)
        return evento

    def registrar_xml_no_valido(self, errores: tuple[str, ...], detectado_en: datetime) -> None:
        """Record that the document's XML broke the schema (it stays PENDIENTE)."""
        self._exigir_pendiente("validar")
        self._registrar(
            ComprobanteNoValido(
                documento_id=self.id,
                tipo_comprobante=self.TIPO_COMPROBANTE,
                errores=errores,
                detectado_en=detectado_en,
            )
        )

    # -- the SRI's process (SRI-ELECTRONICO.md §5) ------------------------------------------

    @property
    def debe_enviarse(self) -> bool:
        """Signed and never handed to Recepción (or sent with no answer, and the SRI then
        said it has nothing for this clave: see `registrar_autorizacion`)."""
        return self.estado_sri is EstadoSri.FIRMADO and not self.en_vuelo

    @property
    def debe_consultarse(self) -> bool:
        """Waiting for Autorización: received or in process; sent with no answer recorded
        (asked about before anything is sent again); or returned with 70 (clave in
        processing) or 43/45 (clave or secuencial already registered: perhaps by an earlier
        send of ours), which are never resent blindly."""
        if self.estado_sri in (EstadoSri.RECIBIDA, EstadoSri.EN_PROCESO) or self.en_vuelo:
            return True
        return self.estado_sri is EstadoSri.DEVUELTA and any(
            m.identificador in _DEVUELTA_CONSULTABLE for m in self.mensajes_sri
        )

    def correo_del_comprador(self) -> str | None:
        """Where the authorized document goes: the buyer's email, never a consumidor
        final's (the document's own copy of the buyer)."""
        raise NotImplementedError

    @property
    def debe_enviarse_correo(self) -> bool:
        return (
            self.estado_sri is EstadoSri.AUTORIZADO
            and not self.correo_enviado
            and self.correo_del_comprador() is not None
        )

    def registrar_correo(self, para: str, ahora: datetime) -> None:
        """The authorized document was mailed to the buyer (at least once)."""
        if not self.debe_enviarse_correo:
            raise OperacionNoPermitida(
                "CorreoPendiente", f"El comprobante {self.numero} no espera correo"
            )
        self._registrar(
            CorreoEnviado(
                documento_id=self.id,
                tipo_comprobante=self.TIPO_COMPROBANTE,
                para=para,
                enviado_en=ahora,
            )
        )

    def registrar_envio(self, ahora: datetime) -> ComprobanteEnviado:
        """Record that the signed document is being handed to Recepción now."""
        if not self.debe_enviarse:
            raise OperacionNoPermitida(
                "ComprobantePorEnviar",
                f"El comprobante {self.numero} está {self.estado_sri.value}: no se envía",
            )
        assert self.clave_acceso is not None
        evento = ComprobanteEnviado(
            documento_id=self.id,
            tipo_comprobante=self.TIPO_COMPROBANTE,
            clave_acceso=self.clave_acceso,
            intento=self.envios + 1,
            enviado_en=ahora,
        )
        self._registrar(evento)
        return evento

    def registrar_recepcion(
        self, recibida: bool, mensajes: tuple[MensajeSriDatos, ...], ahora: datetime
    ) -> None:
        """Recepción's answer to the send in flight."""
        if not self.en_vuelo:
            raise OperacionNoPermitida(
                "ComprobanteEnviado",
                f"El comprobante {self.numero} no espera respuesta de Recepción",
            )
        if recibida:
            self._registrar(
                ComprobanteRecibido(
                    documento_id=self.id,
                    tipo_comprobante=self.TIPO_COMPROBANTE,
                    recibido_en=ahora,
                    mensajes=mensajes,
                )
            )
        else:
            self._registrar(
                ComprobanteDevuelto(
                    documento_id=self.id,
                    tipo_comprobante=self.TIPO_COMPROBANTE,
                    devuelto_en=ahora,
                    mensajes=mensajes,
                )
            )

    def registrar_autorizacion(
        self,
        estado: str | None,
        ahora: datetime,
        *,
        mensajes: tuple[MensajeSriDatos, ...] = (),
        numero_autorizacion: str | None = None,
        fecha_autorizacion: datetime | None = None,
        ambiente: str | None = None,
        autorizacion: str | None = None,
    ) -> None:
        """Autorización's answer: AUTORIZADO, NO AUTORIZADO, EN PROCESO, or None when the
        SRI has nothing for the clave. Nothing for a clave sent with no answer recorded
        means it never arrived: it may be sent again (`debe_enviarse`)."""
        if not self.debe_consultarse:
            raise OperacionNoPermitida(
                "ComprobantePorAutorizar",
                f"El comprobante {self.numero} está {self.estado_sri.value}: no se consulta",
            )
        comunes = {"documento_id": self.id, "tipo_comprobante": self.TIPO_COMPROBANTE}
        if estado == EstadoSri.AUTORIZADO.value:
            if numero_autorizacion is None or fecha_autorizacion is None:
                raise ValueError("Una autorización trae su número y su fecha")
            self._registrar(
                ComprobanteAutorizado(
                    **comunes,
                    numero_autorizacion=numero_autorizacion,
                    fecha_autorizacion=fecha_autorizacion,
                    ambiente=ambiente or "",
                    autorizacion=autorizacion or "",
                    mensajes=mensajes,
                )
            )
        elif estado == EstadoSri.NO_AUTORIZADO.value:
            self._registrar(
                ComprobanteNoAutorizado(**comunes, consultado_en=ahora, mensajes=mensajes)
            )
        elif estado == EstadoSri.EN_PROCESO.value:
            if self.estado_sri is not EstadoSri.EN_PROCESO:
                self._registrar(ComprobanteEnProceso(**comunes, consultado_en=ahora))
        elif self.en_vuelo:
            # Sent, yet unknown to the SRI: the send never arrived. Sending again is safe
            # (a reception the SRI did get answers 43, which leads back here).
            self._registrar(
                ComprobanteDevuelto(
                    **comunes,
                    devuelto_en=ahora,
                    mensajes=(
                        MensajeSriDatos(
                            "0",
                            "El SRI no tiene este comprobante: se vuelve a enviar",
                            None,
                            "INFORMATIVO",
                        ),
                    ),
                )
            )

    def _aplicar_sri(self, evento: EventoDominio) -> bool:
        """Apply an event of the comprobante's life; False for any other event."""
        match evento:
            case ComprobanteFirmado():
                self.estado_sri = EstadoSri.FIRMADO
                self.errores_xml = ()
            case ComprobanteNoValido():
                self.errores_xml = evento.errores
            case ComprobanteEnviado():
                self.en_vuelo = True
                self.enviado_en = evento.enviado_en
                self.envios = evento.intento
            case ComprobanteRecibido():
                self.en_vuelo = False
                self.estado_sri = EstadoSri.RECIBIDA
                self.mensajes_sri = evento.mensajes
            case ComprobanteDevuelto():
                # "0" is ours: the SRI had nothing for a send in flight, so it goes again.
                volver = any(m.identificador == "0" for m in evento.mensajes) and self.en_vuelo
                self.en_vuelo = False
                self.estado_sri = EstadoSri.FIRMADO if volver else EstadoSri.DEVUELTA
                self.mensajes_sri = evento.mensajes
            case ComprobanteEnProceso():
                self.en_vuelo = False
                self.estado_sri = EstadoSri.EN_PROCESO
            case ComprobanteAutorizado():
                self.en_vuelo = False
                self.estado_sri = EstadoSri.AUTORIZADO
                self.mensajes_sri = evento.mensajes
                self.numero_autorizacion = evento.numero_autorizacion
            case ComprobanteNoAutorizado():
                self.en_vuelo = False
                self.estado_sri = EstadoSri.NO_AUTORIZADO
                self.mensajes_sri = evento.mensajes
            case CorreoEnviado():
                self.correo_enviado = True
            case _:
                return False
        return True


# DEVUELTA answers that mean "ask Autorización, do not resend": 70 clave en procesamiento,
# 43 clave registrada, 45 secuencial registrado (perhaps by an earlier send of ours).
_DEVUELTA_CONSULTABLE = frozenset({"70", "43", "45"})
