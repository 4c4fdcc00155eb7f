"""The kardex (MovimientoInventario): every movement of every lot, with running balances."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, func, insert, select, tuple_

from prometeo.domain.events.inventario import (
    ConsumoLote,
    LoteIngresado,
    StockIncrementado,
    StockReducido,
)
from prometeo.infrastructure.proyecciones.base import (
    EventoProyectado,
    Proyeccion,
    a_centavos,
    a_micro,
    texto,
)
from prometeo.infrastructure.proyecciones.tablas import vista_kardex

Par = tuple[str, str]


class ProyeccionKardex(Proyeccion):
    """The inventory card of each producto × bodega: one row per lot an entry or exit
    touched (an exit that takes three lots shows three rows), with its quantity, unit
    cost and total cost, and the balance of units and value right after it. The last
    balance always equals the stock and its value."""

    nombre = "kardex"
    tablas = (vista_kardex,)
    tipos = frozenset({LoteIngresado, StockReducido, StockIncrementado})

    def aplicar(self, conexion: Connection, eventos: Sequence[EventoProyectado]) -> None:
        movimientos = [m for e in eventos for m in _movimientos(e)]
        if not movimientos:
            return
        saldos = _ultimos_saldos(
            conexion, {(m["producto_id"], m["bodega_id"]) for m in movimientos}
        )
        for movimiento in movimientos:
            par = (movimiento["producto_id"], movimiento["bodega_id"])
            secuencia, cantidad, valor = saldos.get(par, (0, 0, 0))
            signo = 1 if movimiento["tipo"] == "ENTRADA" else -1
            saldo = (
                secuencia + 1,
                cantidad + signo * movimiento["cantidad"],
                valor + signo * movimiento["costo_total"],
            )
            saldos[par] = saldo
            movimiento["secuencia"], movimiento["saldo_cantidad"], movimiento["saldo_valor"] = saldo
        conexion.execute(insert(vista_kardex), movimientos)


def _movimientos(proyectado: EventoProyectado) -> list[dict[str, Any]]:
    evento = proyectado.evento
    if isinstance(evento, LoteIngresado):
        lote = ConsumoLote(evento.lote_id, evento.cantidad, evento.costo_unitario, evento.valor)
        documento = evento.documento or evento.motivo
        return [_fila(proyectado, evento.fecha, "ENTRADA", evento.motivo, documento, lote)]
    if isinstance(evento, StockReducido):
        return [
            _fila(proyectado, evento.fecha, "SALIDA", evento.motivo, evento.documento, consumo)
            for consumo in evento.consumos
        ]
    if isinstance(evento, StockIncrementado):
        return [
            _fila(proyectado, evento.fecha, "ENTRADA", evento.motivo, evento.documento, lote)
            for lote in evento.lotes
        ]
    return []


def _fila(
    proyectado: EventoProyectado,
    fecha: date,
    tipo: str,
    motivo: str,
    documento: str,
    lote: ConsumoLote,
) -> dict[str, Any]:
    evento = proyectado.evento
    assert isinstance(evento, LoteIngresado | StockReducido | StockIncrementado)
    return {
        "producto_id": evento.producto_id,
        "bodega_id": evento.bodega_id,
        "posicion": proyectado.posicion,
        "fecha": fecha,
        "tipo": tipo,
        "motivo": motivo,
        "documento": documento,
        "lote_id": lote.lote_id,
        "cantidad": a_micro(lote.cantidad),
        "costo_unitario": texto(lote.costo_unitario),
        "costo_total": a_centavos(lote.costo),
    }


def _ultimos_saldos(conexion: Connection, pares: set[Par]) -> dict[Par, tuple[int, int, int]]:
    """(last secuencia, saldo_cantidad, saldo_valor) of each pair that has movements, in
    one query."""
    k = vista_kardex
    ultimas = (
        select(k.c.producto_id, k.c.bodega_id, func.max(k.c.secuencia).label("secuencia"))
        .where(tuple_(k.c.producto_id, k.c.bodega_id).in_(sorted(pares)))
        .group_by(k.c.producto_id, k.c.bodega_id)
        .subquery()
    )
    filas = conexion.execute(
        select(k.c.producto_id, k.c.bodega_id, k.c.secuencia, k.c.saldo_cantidad, k.c.saldo_valor)
        .select_from(k)
        .join(
            ultimas,
            and_(
                k.c.producto_id == ultimas.c.producto_id,
                k.c.bodega_id == ultimas.c.bodega_id,
                k.c.secuencia == ultimas.c.secuencia,
            ),
        )
    )
    return {
        (f.producto_id, f.bodega_id): (f.secuencia, f.saldo_cantidad, f.saldo_valor) for f in filas
    }
