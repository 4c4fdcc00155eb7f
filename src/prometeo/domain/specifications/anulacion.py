"""When an emitted factura may still be annulled (SRI, Res. NAC-DGERCGC25-00000014 and
-00000017): an electronic factura only until day N of the month after its emission (7 by
the resolution, configurable), and never one to consumidor final. Afterwards only a nota
de crédito corrects it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from prometeo.domain.aggregates.factura import Factura
from prometeo.domain.specifications.base import Specification, todas

DIA_LIMITE_ANULACION = 7
# Every month has a day 28: a larger day would not exist in February.
DIA_LIMITE_MAXIMO = 28


def limite_anulacion(fecha_emision: date, dia_limite: int) -> date:
    """The last day an electronic factura of `fecha_emision` may be annulled: day
    `dia_limite` of the following month."""
    if fecha_emision.month == 12:
        return date(fecha_emision.year + 1, 1, dia_limite)
    return date(fecha_emision.year, fecha_emision.month + 1, dia_limite)


@dataclass(frozen=True, slots=True)
class ContextoAnulacion:
    """An emitted factura someone asks to annul today, with the configured day."""

    factura: Factura
    hoy: date
    dia_limite: int = DIA_LIMITE_ANULACION

    @property
    def limite(self) -> date | None:
        """The last day of the window (None: the factura's month is the last one a date
        can have, so the window never closes)."""
        try:
            return limite_anulacion(self.factura.fecha_emision, self.dia_limite)
        except ValueError:
            return None


class FacturaSinNotasCredito(Specification[ContextoAnulacion]):
    """A factura a nota de crédito has touched is corrected by another nota."""

    def is_satisfied_by(self, candidate: ContextoAnulacion) -> bool:
        return not candidate.factura.notas_credito

    def mensaje(self, candidate: ContextoAnulacion) -> str:
        return (
            f"La factura {candidate.factura.numero} tiene notas de crédito; corríjala con otra "
            "nota de crédito en lugar de anularla"
        )


class AnulacionNoConsumidorFinal(Specification[ContextoAnulacion]):
    """The SRI does not allow annulling a factura to consumidor final."""

    def is_satisfied_by(self, candidate: ContextoAnulacion) -> bool:
        return not candidate.factura.comprador.es_consumidor_final

    def mensaje(self, candidate: ContextoAnulacion) -> str:
        return (
            f"La factura {candidate.factura.numero} es a consumidor final: el SRI no permite "
            "anularla"
        )


class AnulacionDentroDelPlazo(Specification[ContextoAnulacion]):
    """Annulled no later than day N of the month after the factura's emission."""

    def is_satisfied_by(self, candidate: ContextoAnulacion) -> bool:
        limite = candidate.limite
        return limite is None or candidate.hoy <= limite

    def mensaje(self, candidate: ContextoAnulacion) -> str:
        f = candidate.factura
        limite = candidate.limite
        assert limite is not None
        return (
            f"El plazo para anular la factura {f.numero}, emitida el "
            f"{f.fecha_emision.isoformat()}, venció el {limite.isoformat()} (día "
            f"{candidate.dia_limite} del mes siguiente); hoy es {candidate.hoy.isoformat()}. "
            "Corríjala con una nota de crédito"
        )


def reglas_anulacion() -> Specification[ContextoAnulacion]:
    """Every rule checked before an emitted factura is annulled."""
    return todas(FacturaSinNotasCredito(), AnulacionNoConsumidorFinal(), AnulacionDentroDelPlazo())
