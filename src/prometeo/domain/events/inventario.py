"""Events of the Inventario aggregate (one stream per producto × bodega)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from prometeo.domain.events.base import EventoDominio

MotivoIngreso = Literal["INGRESO", "TRANSFERENCIA"]
MotivoSalida = Literal["VENTA", "TRANSFERENCIA"]
MotivoReingreso = Literal["ANULACION", "DEVOLUCION"]
# Which way a physical count corrected the stock: fewer units than expected, or more.
SentidoAjuste = Literal["FALTANTE", "SOBRANTE"]


@dataclass(frozen=True, slots=True)
class ConsumoLote:
    """How much of one lot a movement took (or gave back), at the lot's unit cost.
    `costo` is exact to the cent: the cost of goods sold, or the value restored."""

    lote_id: str
    cantidad: Decimal
    costo_unitario: Decimal
    costo: Decimal
    fecha_caducidad: date | None = None
    # The lot's entry date and initial quantity, so that an anulación can re-create, exactly,
    # a lot that was emptied and dropped from the queue meanwhile.
    fecha_ingreso: date | None = None
    cantidad_inicial: Decimal | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LoteIngresado(EventoDominio):
    """A new lot joined the end of the FIFO queue (a purchase or a transfer in)."""

    producto_id: str
    bodega_id: str
    lote_id: str
    fecha: date
    cantidad: Decimal
    costo_unitario: Decimal
    valor: Decimal
    fecha_caducidad: date | None = None
    documento: str = ""
    motivo: MotivoIngreso = "INGRESO"


@dataclass(frozen=True, slots=True, kw_only=True)
class StockReducido(EventoDominio):
    """Goods left the bodega, oldest lots first; `consumos` is the cost of goods sold."""

    producto_id: str
    bodega_id: str
    fecha: date
    documento: str
    documento_id: str
    cantidad: Decimal
    costo: Decimal
    consumos: tuple[ConsumoLote, ...]
    motivo: MotivoSalida = "VENTA"


@dataclass(frozen=True, slots=True, kw_only=True)
class StockIncrementado(EventoDominio):
    """Goods came back. ANULACION restores the exact lots an exit took, at their cost;
    DEVOLUCION (nota de crédito) adds one new lot, described by the single entry of
    `lotes`, at the end of the queue."""

    producto_id: str
    bodega_id: str
    fecha: date
    documento: str
    documento_id: str
    cantidad: Decimal
    costo: Decimal
    lotes: tuple[ConsumoLote, ...]
    motivo: MotivoReingreso


@dataclass(frozen=True, slots=True, kw_only=True)
class StockBajo(EventoDominio):
    """The stock fell to or below the product's minimum in this bodega."""

    producto_id: str
    bodega_id: str
    cantidad: Decimal
    stock_minimo: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class StockAjustado(EventoDominio):
    """A physical count (conteo físico) found a difference with the stock it was compared
    with (`esperada`), and only that difference was posted. A FALTANTE took `cantidad`
    units from the lots FIFO takes (never an expired one), at their cost, as a sale does:
    `lotes` are those consumos. A SOBRANTE added one new lot, the single entry of
    `lotes`, at the end of the queue. Earlier lots and movements are never rewritten."""

    producto_id: str
    bodega_id: str
    fecha: date
    documento: str
    documento_id: str
    contada: Decimal
    esperada: Decimal
    cantidad: Decimal
    costo: Decimal
    lotes: tuple[ConsumoLote, ...]
    sentido: SentidoAjuste


@dataclass(frozen=True, slots=True, kw_only=True)
class LoteDadoDeBaja(EventoDominio):
    """The units left in an expired lot were written off (baja): they leave the stock at
    the lot's cost, and the lot leaves the queue. `lote` is what left."""

    producto_id: str
    bodega_id: str
    fecha: date
    documento_id: str
    motivo: str
    lote: ConsumoLote
