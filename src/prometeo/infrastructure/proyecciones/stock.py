"""Stock per producto × bodega: units on hand and what they cost."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from prometeo.domain.events.inventario import (
    LoteDadoDeBaja,
    LoteIngresado,
    StockAjustado,
    StockIncrementado,
    StockReducido,
)
from prometeo.infrastructure.proyecciones.base import (
    EventoProyectado,
    Proyeccion,
    a_centavos,
    a_micro,
)
from prometeo.infrastructure.proyecciones.escritura import sumar_por_clave
from prometeo.infrastructure.proyecciones.tablas import vista_stock


class ProyeccionStock(Proyeccion):
    """How many units of each product each bodega holds and their FIFO value (the sum of
    its lots). The minimum and the below-minimum flag come from the product catalog when
    read, so a new minimum applies at once and a rebuild never depends on it."""

    nombre = "stock"
    tablas = (vista_stock,)
    tipos = frozenset(
        {LoteIngresado, StockReducido, StockIncrementado, StockAjustado, LoteDadoDeBaja}
    )

    def aplicar(self, conexion: Connection, eventos: Sequence[EventoProyectado]) -> None:
        # One net change per producto × bodega, then one upsert for the whole batch.
        cambios: dict[tuple[str, str], list[int]] = {}
        for proyectado in eventos:
            evento = proyectado.evento
            if isinstance(evento, LoteIngresado):
                cantidad, valor = evento.cantidad, evento.valor
            elif isinstance(evento, StockReducido):
                cantidad, valor = -evento.cantidad, -evento.costo
            elif isinstance(evento, StockIncrementado):
                cantidad, valor = evento.cantidad, evento.costo
            elif isinstance(evento, StockAjustado):
                signo = 1 if evento.sentido == "SOBRANTE" else -1
                cantidad, valor = signo * evento.cantidad, signo * evento.costo
            elif isinstance(evento, LoteDadoDeBaja):
                cantidad, valor = -evento.lote.cantidad, -evento.lote.costo
            else:
                continue
            cambio = cambios.setdefault((evento.producto_id, evento.bodega_id), [0, 0])
            cambio[0] += a_micro(cantidad)
            cambio[1] += a_centavos(valor)
        sumar_por_clave(
            conexion,
            vista_stock,
            ("producto_id", "bodega_id"),
            ("cantidad", "valor"),
            [
                {"producto_id": p, "bodega_id": b, "cantidad": c, "valor": v}
                for (p, b), (c, v) in cambios.items()
            ],
        )
