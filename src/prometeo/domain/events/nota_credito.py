"""Events of the NotaCredito aggregate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from prometeo.domain.events.base import EventoDominio
from prometeo.domain.events.factura import DatosComprador, ImportePorTarifa


@dataclass(frozen=True, slots=True)
class LineaNotaCredito:
    """What the nota credits on one factura line: units (cantidad > 0, valued at the
    factura's net unit price) or only value (cantidad 0). `costo_unitario` is the sale
    line's average FIFO cost, at which returned goods re-enter stock."""

    numero_linea_factura: int
    producto_id: str
    cantidad: Decimal
    valor: Decimal
    tarifa_iva: str
    costo_unitario: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class NotaCreditoCreada(EventoDominio):
    nota_credito_id: str
    factura_id: str
    numero_factura: str
    fecha_emision_factura: date
    punto_emision_id: str
    sucursal_id: str
    bodega_id: str
    comprador: DatosComprador
    motivo: str
    fecha_emision: date
    devolucion_inventario: bool
    lineas: tuple[LineaNotaCredito, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class NotaCreditoEmitida(EventoDominio):
    nota_credito_id: str
    factura_id: str
    numero: str
    secuencial: int
    fecha_emision: date
    importes_por_tarifa: tuple[ImportePorTarifa, ...]
    subtotal_sin_impuestos: Decimal
    iva: Decimal
    valor_modificacion: Decimal
