"""SecuenciaComprobantes: the gapless secuencial of one punto de emisión and document type."""

from __future__ import annotations

from prometeo.domain.aggregates.base import Agregado
from prometeo.domain.errores import OperacionNoPermitida, ValorInvalido
from prometeo.domain.events.base import EventoDominio
from prometeo.domain.events.secuencia import SecuencialAsignado
from prometeo.domain.value_objects.numero_comprobante import (
    SECUENCIAL_MAXIMO,
    NumeroComprobante,
    TipoComprobante,
)


class SecuenciaComprobantes(Agregado):
    """Hands out document numbers n, n+1, n+2... with no gap and no repetition, n being
    the punto's initial secuencial (1 unless it came from another system). Concurrent
    emitters conflict on this stream's version, so two documents never share a number."""

    TIPO_STREAM = "secuencia"

    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.punto_emision_id = ""
        self.tipo_comprobante = ""
        self.ultimo_secuencial = 0

    @staticmethod
    def id_para(punto_emision_id: str, tipo: TipoComprobante) -> str:
        return f"{punto_emision_id}-{tipo.value}"

    @classmethod
    def para(cls, punto_emision_id: str, tipo: TipoComprobante) -> SecuenciaComprobantes:
        """The sequence of a punto and document type (empty until its first number)."""
        punto = cls(cls.id_para(punto_emision_id, tipo))
        punto.punto_emision_id = punto_emision_id
        punto.tipo_comprobante = tipo.value
        return punto

    def asignar_secuencial(
        self,
        establecimiento: str,
        punto_emision: str,
        documento_id: str,
        inicial: int = 1,
    ) -> NumeroComprobante:
        """The next number, given to `documento_id` for good: `inicial` for the first one,
        then always the last plus one (`inicial` no longer counts once a number exists)."""
        if self.ultimo_secuencial == 0:
            if isinstance(inicial, bool) or not isinstance(inicial, int):
                raise ValorInvalido("SecuencialInicialValido", "El secuencial debe ser entero")
            siguiente = inicial
        else:
            siguiente = self.ultimo_secuencial + 1
        if siguiente > SECUENCIAL_MAXIMO:
            raise OperacionNoPermitida(
                "SecuencialDisponible",
                "El punto de emisión agotó sus secuenciales; abra un nuevo punto de emisión",
            )
        numero = NumeroComprobante(establecimiento, punto_emision, siguiente)
        self._registrar(
            SecuencialAsignado(
                punto_emision_id=self.punto_emision_id,
                tipo_comprobante=self.tipo_comprobante,
                establecimiento=establecimiento,
                punto_emision=punto_emision,
                secuencial=numero.secuencial,
                numero=str(numero),
                documento_id=documento_id,
            )
        )
        return numero

    def _aplicar(self, evento: EventoDominio) -> None:
        match evento:
            case SecuencialAsignado():
                self.punto_emision_id = evento.punto_emision_id
                self.tipo_comprobante = evento.tipo_comprobante
                self.ultimo_secuencial = evento.secuencial
            case _:
                raise TypeError(f"SecuenciaComprobantes no aplica {evento.tipo}")
