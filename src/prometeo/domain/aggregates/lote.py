"""A lot (lote): goods that entered a bodega together, at one unit cost."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from prometeo.domain.events.inventario import ConsumoLote
from prometeo.domain.value_objects.dinero import redondear2


@dataclass(frozen=True, slots=True)
class Lote:
    """A batch of goods that entered the bodega together, at one unit cost. Its remaining
    value is kept to the cent, so the cost of what leaves plus what stays always equals
    what came in."""

    lote_id: str
    fecha_ingreso: date
    cantidad_inicial: Decimal
    cantidad_disponible: Decimal
    costo_unitario: Decimal
    valor_disponible: Decimal
    fecha_caducidad: date | None = None

    @property
    def agotado(self) -> bool:
        return self.cantidad_disponible <= 0

    def vencido_en(self, fecha: date) -> bool:
        """Whether the lot may no longer leave the bodega on `fecha` (sold, transferred,
        taken by a count). Its fecha de caducidad is the last day it may be sold, as the
        rule on entries already reads it (a lot may enter on its expiry date)."""
        return self.fecha_caducidad is not None and self.fecha_caducidad < fecha

    def consumo(self, cantidad: Decimal) -> ConsumoLote:
        """Taking `cantidad` units, at their cost: the last units take all the value left."""
        costo = self.valor_disponible
        if cantidad < self.cantidad_disponible:
            costo = min(redondear2(cantidad * self.costo_unitario), costo)
        return ConsumoLote(
            self.lote_id,
            cantidad,
            self.costo_unitario,
            costo,
            self.fecha_caducidad,
            self.fecha_ingreso,
            self.cantidad_inicial,
        )

    def mover(self, cantidad: Decimal, valor: Decimal) -> Lote:
        """The lot after `cantidad` units worth `valor` entered (positive) or left it."""
        # Built directly, not with dataclasses.replace (which goes through the fields by
        # name on each call): this runs on every movement of every replay.
        return Lote(
            self.lote_id,
            self.fecha_ingreso,
            self.cantidad_inicial,
            self.cantidad_disponible + cantidad,
            self.costo_unitario,
            self.valor_disponible + valor,
            self.fecha_caducidad,
        )
