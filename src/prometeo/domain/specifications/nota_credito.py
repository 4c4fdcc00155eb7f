"""The rules a nota de crédito must satisfy against its factura."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from prometeo.domain.aggregates.factura import EstadoFactura, Factura
from prometeo.domain.services.acreditacion import Acreditacion, SolicitudLineaCredito, acreditar
from prometeo.domain.specifications.base import Specification, todas
from prometeo.domain.specifications.fechas import FechaEmisionNoFutura, FechaEmisionValida

PLAZO_NOTA_CREDITO_DIAS = 365


@dataclass(frozen=True)
class ContextoNotaCredito:
    """A nota de crédito being issued, with its factura (carrying every earlier credit),
    today's date, the allowed term, and which products have an inventario to return to."""

    factura: Factura
    solicitudes: Sequence[SolicitudLineaCredito]
    devolucion_inventario: bool
    fecha_emision: date
    hoy: date
    plazo_dias: int = PLAZO_NOTA_CREDITO_DIAS
    inventarios_existentes: frozenset[str] = frozenset()
    acreditacion: Acreditacion = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "acreditacion", acreditar(self.factura, self.solicitudes))


class NotaCreditoTieneLineas(Specification[ContextoNotaCredito]):
    def is_satisfied_by(self, candidate: ContextoNotaCredito) -> bool:
        return bool(candidate.solicitudes)

    def mensaje(self, candidate: ContextoNotaCredito) -> str:
        return "La nota de crédito debe tener al menos una línea"


class FacturaEmitidaParaNotaCredito(Specification[ContextoNotaCredito]):
    """Only an emitted (not draft, not annulled) factura is credited."""

    def is_satisfied_by(self, candidate: ContextoNotaCredito) -> bool:
        return candidate.factura.estado is EstadoFactura.EMITIDA

    def mensaje(self, candidate: ContextoNotaCredito) -> str:
        f = candidate.factura
        return f"La factura {f.numero or f.id} está {f.estado.value}; debe estar EMITIDA"


class FechaEmisionPosteriorFactura(Specification[ContextoNotaCredito]):
    def is_satisfied_by(self, candidate: ContextoNotaCredito) -> bool:
        return candidate.fecha_emision >= candidate.factura.fecha_emision

    def mensaje(self, candidate: ContextoNotaCredito) -> str:
        return (
            f"La nota de crédito ({candidate.fecha_emision.isoformat()}) no puede ser anterior "
            f"a su factura ({candidate.factura.fecha_emision.isoformat()})"
        )


class PlazoNotaCreditoValido(Specification[ContextoNotaCredito]):
    """Issued within the configured number of days after the factura."""

    def is_satisfied_by(self, candidate: ContextoNotaCredito) -> bool:
        # A difference, not a sum: a date near 9999-12-31 plus the term would overflow.
        transcurrido = candidate.fecha_emision - candidate.factura.fecha_emision
        return transcurrido <= timedelta(days=candidate.plazo_dias)

    def mensaje(self, candidate: ContextoNotaCredito) -> str:
        return (
            f"El plazo para emitir notas de crédito de esta factura es de "
            f"{candidate.plazo_dias} días desde {candidate.factura.fecha_emision.isoformat()}"
        )


class LineasValidasContraFactura(Specification[ContextoNotaCredito]):
    """Per factura line, all notas together never credit more units than invoiced nor more
    value than the line's; a credited product must appear on the factura."""

    def is_satisfied_by(self, candidate: ContextoNotaCredito) -> bool:
        return not candidate.acreditacion.problemas

    def mensaje(self, candidate: ContextoNotaCredito) -> str:
        return "; ".join(candidate.acreditacion.problemas)


class LineaValorSinDevolucion(Specification[ContextoNotaCredito]):
    """A value-only line adjusts price; it cannot bring goods back."""

    def is_satisfied_by(self, candidate: ContextoNotaCredito) -> bool:
        return not candidate.devolucion_inventario or all(
            s.cantidad is not None for s in candidate.solicitudes
        )

    def mensaje(self, candidate: ContextoNotaCredito) -> str:
        return "Una línea por valor no devuelve mercadería: use devolución de inventario = no"


class InventarioExisteParaNotaCredito(Specification[ContextoNotaCredito]):
    """Returned goods need the product's inventario in the factura's bodega."""

    def faltantes(self, candidate: ContextoNotaCredito) -> list[str]:
        if not candidate.devolucion_inventario:
            return []
        return sorted(
            {s.producto_id for s in candidate.solicitudes} - candidate.inventarios_existentes
        )

    def is_satisfied_by(self, candidate: ContextoNotaCredito) -> bool:
        return not self.faltantes(candidate)

    def mensaje(self, candidate: ContextoNotaCredito) -> str:
        # Named as people know them: the products by their codes on the factura's lines,
        # the bodega as the factura's.
        codigos = {ln.producto_id: ln.codigo for ln in candidate.factura.lineas}
        faltantes = [codigos.get(p, p) for p in self.faltantes(candidate)]
        f = candidate.factura
        return (
            f"No existe inventario en la bodega de la factura {f.numero or f.id} para: "
            f"{', '.join(faltantes)}"
        )


def reglas_nota_credito() -> Specification[ContextoNotaCredito]:
    return todas(
        NotaCreditoTieneLineas(),
        FacturaEmitidaParaNotaCredito(),
        FechaEmisionValida(),
        FechaEmisionNoFutura(),
        FechaEmisionPosteriorFactura(),
        PlazoNotaCreditoValido(),
        LineasValidasContraFactura(),
        LineaValorSinDevolucion(),
        InventarioExisteParaNotaCredito(),
    )
