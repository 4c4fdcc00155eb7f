"""Transfer of goods between two bodegas: an exit in one, entries in the other."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from prometeo.domain.aggregates.inventario import Inventario
from prometeo.domain.events.inventario import ConsumoLote
from prometeo.domain.specifications.inventario import (
    SolicitudTransferencia,
    TransferenciaEntreBodegasDistintas,
)
from prometeo.domain.value_objects.dinero import Cantidad


def transferir(
    origen: Inventario,
    destino: Inventario,
    cantidad: Cantidad,
    fecha: date,
    *,
    documento: str,
    documento_id: str,
    stock_minimo_origen: Decimal = Decimal(0),
    codigo_producto: str | None = None,
    codigo_bodega_origen: str | None = None,
) -> tuple[ConsumoLote, ...]:
    """Move goods of one producto from the origin bodega to the destination one. The origin
    gives its oldest lots (FIFO); the destination receives them as new lots that keep each
    lot's unit cost, expiry and value, so the total value of the business is unchanged.
    Returns the lots consumed in the origin. The codes, when given, name the product and
    the origin bodega in a refusal."""
    TransferenciaEntreBodegasDistintas().exigir(
        SolicitudTransferencia(
            origen.producto_id,
            origen.bodega_id,
            destino.producto_id,
            destino.bodega_id,
            codigo_bodega_origen,
        )
    )
    consumos = origen.reducir(
        cantidad,
        fecha,
        documento=documento,
        documento_id=documento_id,
        motivo="TRANSFERENCIA",
        stock_minimo=stock_minimo_origen,
        codigo_producto=codigo_producto,
        codigo_bodega=codigo_bodega_origen,
    )
    destino.recibir_transferencia(consumos, fecha, documento=documento)
    return consumos
