"""Rules of the FIFO inventory: stock never goes negative, transfers move between bodegas."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from prometeo.domain.specifications.base import Specification


@dataclass(frozen=True, slots=True)
class SolicitudSalida:
    """Goods asked to leave one bodega: how many are asked for and how many there are."""

    producto_id: str
    bodega_id: str
    solicitada: Decimal
    disponible: Decimal
    # The product's and the bodega's codes, as people name them (unknown: their ids).
    codigo_producto: str | None = None
    codigo_bodega: str | None = None
    # Units in the bodega that expired before the exit's date: they count for nothing.
    vencidas: Decimal = Decimal(0)


def unidades_vencidas(vencidas: Decimal) -> str:
    """What a refusal adds when expired units would have covered (part of) the exit."""
    if vencidas <= 0:
        return ""
    return f"; {vencidas.normalize():f} unidades vencidas no se pueden vender ni sacar"


class StockSuficiente(Specification[SolicitudSalida]):
    """The bodega holds at least the quantity asked for: stock never goes negative."""

    def is_satisfied_by(self, candidate: SolicitudSalida) -> bool:
        return candidate.solicitada <= candidate.disponible

    def mensaje(self, candidate: SolicitudSalida) -> str:
        return (
            f"Stock insuficiente del producto {candidate.codigo_producto or candidate.producto_id}"
            f" en la bodega {candidate.codigo_bodega or candidate.bodega_id}: se solicitan "
            f"{candidate.solicitada}, "
            f"hay disponibles {candidate.disponible}" + unidades_vencidas(candidate.vencidas)
        )


@dataclass(frozen=True, slots=True)
class SolicitudTransferencia:
    """A transfer asked for: which producto × bodega it leaves and which it enters."""

    producto_origen: str
    bodega_origen: str
    producto_destino: str
    bodega_destino: str
    # The origin bodega's code, as people name it (unknown: its id).
    codigo_bodega_origen: str | None = None


class TransferenciaEntreBodegasDistintas(Specification[SolicitudTransferencia]):
    """A transfer moves one and the same producto from one bodega to another one."""

    def is_satisfied_by(self, candidate: SolicitudTransferencia) -> bool:
        return (
            candidate.producto_origen == candidate.producto_destino
            and candidate.bodega_origen != candidate.bodega_destino
        )

    def mensaje(self, candidate: SolicitudTransferencia) -> str:
        problemas = []
        if candidate.producto_origen != candidate.producto_destino:
            problemas.append(
                f"el producto de origen {candidate.producto_origen} no es el de destino "
                f"{candidate.producto_destino}"
            )
        if candidate.bodega_origen == candidate.bodega_destino:
            bodega = candidate.codigo_bodega_origen or candidate.bodega_origen
            problemas.append(f"origen y destino son la misma bodega {bodega}")
        return "Transferencia inválida: " + "; ".join(problemas)
