"""What a factura and a nota de crédito share as electronic documents for the SRI: the
state of their comprobante, recorded as events on the document's own stream."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from prometeo.domain.aggregates.base import Agregado
from prometeo.domain.errores import OperacionNoPermitida
from prometeo.domain.events.base import EventoDominio
from prometeo.domain.events.comprobante import ComprobanteFirmado, ComprobanteNoValido


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

    def _aplicar_sri(self, evento: EventoDominio) -> bool:
        """Apply an event of the comprobante's life; False for any other event."""
        match evento:
            case ComprobanteFirmado():
                self.estado_sri = EstadoSri.FIRMADO
                self.errores_xml = ()
            case ComprobanteNoValido():
                self.errores_xml = evento.errores
            case _:
                return False
        return True
