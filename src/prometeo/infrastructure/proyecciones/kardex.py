"""The kardex (MovimientoInventario): every movement of every lot, with running balances."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    CompoundSelect,
    Connection,
    Insert,
    Integer,
    and_,
    bindparam,
    cast,
    func,
    insert,
    literal_column,
    select,
    true,
    union_all,
)

from prometeo.domain.events.inventario import (
    ConsumoLote,
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
    texto,
)
from prometeo.infrastructure.proyecciones.escritura import desplegadas, insertar, por_columnas
from prometeo.infrastructure.proyecciones.tablas import vista_kardex
from prometeo.infrastructure.sql.sentencias import ejecutar, leer

Par = tuple[str, str]
_POR_CONSULTA = 100
# SQLite: up to this many rows (a command's) go in one INSERT ... SELECT; more (a rebuild's
# batch) are computed here after one read of the pairs' last rows.
_EN_SQL = 64


class ProyeccionKardex(Proyeccion):
    """The inventory card of each producto × bodega: one row per lot an entry or exit
    touched (an exit that takes three lots shows three rows), with its quantity, unit
    cost and total cost, and the balance of units and value right after it. The last
    balance always equals the stock and its value.

    `tipo` is ENTRADA or SALIDA for purchases, sales, transfers, anulaciones and returns;
    AJUSTE for what a physical count posted (motivo FALTANTE: units left; SOBRANTE: they
    entered), with the count's referencia as documento; BAJA for an expired lot written
    off (motivo VENCIDO), with the baja's reason as documento."""

    nombre = "kardex"
    tablas = (vista_kardex,)
    tipos = frozenset(
        {LoteIngresado, StockReducido, StockIncrementado, StockAjustado, LoteDadoDeBaja}
    )

    def aplicar(self, conexion: Connection, eventos: Sequence[EventoProyectado]) -> None:
        movimientos = [m for e in eventos for m in _movimientos(e)]
        if not movimientos:
            return
        # The balances continue from each pair's last row, read by the INSERT itself where
        # the database can (not from vista_stock: it holds no secuencia, and the kardex is
        # rebuilt on its own).
        dialecto = conexion.dialect.name
        if dialecto == "sqlite" and len(movimientos) <= _EN_SQL:
            # One statement: each row continues from the last row of its pair, read by the
            # INSERT itself (the executemany runs row by row, so a row sees the ones before).
            ejecutar(conexion, _SIGUIENTE, movimientos)
            return
        if dialecto == "postgresql":
            # One statement for all the rows: each pair continues from its last row, with
            # running numbers and sums over the batch's rows in their order.
            valores = por_columnas(movimientos, _PARAMETROS)
            valores["orden"] = list(range(len(movimientos)))
            ejecutar(conexion, _SIGUIENTES, [valores])
            return
        # MariaDB (no LATERAL, and its driver sends an executemany of INSERT ... SELECT row
        # by row), and SQLite for a long batch (a rebuild: one read of the pairs' last rows
        # instead of two index seeks a row): the balances computed here, from the last
        # rows read first. The same rows as the statements above.
        saldos = _ultimos_saldos(
            conexion, {(m["producto_id"], m["bodega_id"]) for m in movimientos}
        )
        for fila in movimientos:
            par = (fila["producto_id"], fila["bodega_id"])
            secuencia, cantidad, valor = saldos.get(par, (0, 0, 0))
            saldo = saldos[par] = (
                secuencia + 1,
                cantidad + fila.pop("delta_cantidad"),
                valor + fila.pop("delta_valor"),
            )
            fila["secuencia"], fila["saldo_cantidad"], fila["saldo_valor"] = saldo
        insertar(conexion, vista_kardex, movimientos)


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
    if isinstance(evento, StockAjustado):
        entra = evento.sentido == "SOBRANTE"
        return [
            _fila(proyectado, evento.fecha, "AJUSTE", evento.sentido, evento.documento, lote, entra)
            for lote in evento.lotes
        ]
    if isinstance(evento, LoteDadoDeBaja):
        return [_fila(proyectado, evento.fecha, "BAJA", "VENCIDO", evento.motivo, evento.lote)]
    return []


def _fila(
    proyectado: EventoProyectado,
    fecha: date,
    tipo: str,
    motivo: str,
    documento: str,
    lote: ConsumoLote,
    entra: bool | None = None,
) -> dict[str, Any]:
    """One row; `entra` says whether the units came in (by default: an ENTRADA)."""
    evento = proyectado.evento
    assert isinstance(
        evento,
        LoteIngresado | StockReducido | StockIncrementado | StockAjustado | LoteDadoDeBaja,
    )
    cantidad, costo = a_micro(lote.cantidad), a_centavos(lote.costo)
    if entra is None:
        entra = tipo == "ENTRADA"
    return {
        "producto_id": evento.producto_id,
        "bodega_id": evento.bodega_id,
        "posicion": proyectado.posicion,
        "fecha": fecha,
        "tipo": tipo,
        "motivo": motivo,
        "documento": documento,
        "lote_id": lote.lote_id,
        "cantidad": cantidad,
        "costo_unitario": texto(lote.costo_unitario),
        "costo_total": costo,
        "delta_cantidad": cantidad if entra else -cantidad,
        "delta_valor": costo if entra else -costo,
    }


def _ultimos_saldos(conexion: Connection, pares: set[Par]) -> dict[Par, tuple[int, int, int]]:
    """(last secuencia, saldo_cantidad, saldo_valor) of each pair that has movements: one
    query per _POR_CONSULTA pairs, each pair's last row found by an index seek."""
    ordenados = sorted(pares)
    saldos = {}
    for inicio in range(0, len(ordenados), _POR_CONSULTA):
        parte = ordenados[inicio : inicio + _POR_CONSULTA]
        parametros = {}
        for i, (producto, bodega) in enumerate(parte):
            parametros[f"p{i}"], parametros[f"b{i}"] = producto, bodega
        for producto, bodega, secuencia, cantidad, valor in leer(
            conexion, _ultimos(len(parte)), parametros
        ):
            saldos[(producto, bodega)] = (secuencia, cantidad, valor)
    return saldos


@cache
def _ultimos(pares: int) -> CompoundSelect[Any]:
    """SELECT * FROM (SELECT the last row of pair i ORDER BY secuencia DESC LIMIT 1) UNION
    ALL ... for i < pares (a GROUP BY over the pairs' rows would read all of them; SQLite
    takes a LIMIT inside a compound select only in a subquery)."""
    k = vista_kardex
    return union_all(
        *(
            select(
                select(
                    k.c.producto_id,
                    k.c.bodega_id,
                    k.c.secuencia,
                    k.c.saldo_cantidad,
                    k.c.saldo_valor,
                )
                .where(k.c.producto_id == bindparam(f"p{i}"), k.c.bodega_id == bindparam(f"b{i}"))
                .order_by(k.c.secuencia.desc())
                .limit(1)
                .subquery(f"u{i}")
            )
            for i in range(pares)
        )
    )


_CALCULADAS = ("secuencia", "saldo_cantidad", "saldo_valor")
_COPIADAS = tuple(c.name for c in vista_kardex.columns if c.name not in _CALCULADAS)
_PARAMETROS = (*_COPIADAS, "delta_cantidad", "delta_valor")


def _siguiente() -> Insert:
    """SQLite, run once per row: INSERT ... SELECT the row's values, with secuencia and
    balances one step past the pair's last row (0 before its first movement)."""
    k = vista_kardex
    parametros = {n: bindparam(n, type_=k.c[n].type) for n in _COPIADAS}
    # The last row of the pair (none before its first movement: NULLs, then 0).
    previo = k.alias("previo")
    es_del_par = and_(
        k.c.producto_id == parametros["producto_id"], k.c.bodega_id == parametros["bodega_id"]
    )
    ultima = select(func.max(previo.c.secuencia)).where(
        previo.c.producto_id == parametros["producto_id"],
        previo.c.bodega_id == parametros["bodega_id"],
    )
    ultimo = (
        select(k.c.secuencia, k.c.saldo_cantidad, k.c.saldo_valor)
        .where(es_del_par, k.c.secuencia == ultima.scalar_subquery())
        .subquery("ultimo")
    )

    def despues(columna: str, suma: Any) -> Any:
        return func.coalesce(func.max(ultimo.c[columna]), literal_column("0")) + suma

    calculadas = {
        "secuencia": despues("secuencia", literal_column("1")),
        "saldo_cantidad": despues("saldo_cantidad", bindparam("delta_cantidad", type_=BigInteger)),
        "saldo_valor": despues("saldo_valor", bindparam("delta_valor", type_=BigInteger)),
    }
    valores: dict[str, Any] = {**parametros, **calculadas}
    nombres = [c.name for c in k.columns]
    return insert(k).from_select(
        nombres,
        select(*(valores[n] for n in nombres)).select_from(ultimo),
    )


def _siguientes() -> Insert:
    """PostgreSQL: the batch's rows as column arrays (plus their order), each pair joined
    to its last stored row; secuencia and balances continue from it with a running count
    and running sums over the pair's rows in the batch, in their order."""
    k = vista_kardex
    m = desplegadas(
        [(n, k.c[n].type) for n in _COPIADAS]
        + [("delta_cantidad", BigInteger()), ("delta_valor", BigInteger()), ("orden", Integer())]
    ).subquery("m")
    ultimo = (
        select(k.c.secuencia, k.c.saldo_cantidad, k.c.saldo_valor)
        .where(k.c.producto_id == m.c.producto_id, k.c.bodega_id == m.c.bodega_id)
        .order_by(k.c.secuencia.desc())
        .limit(1)
        .lateral("ultimo")
    )
    ventana: dict[str, Any] = {
        "partition_by": (m.c.producto_id, m.c.bodega_id),
        "order_by": m.c.orden,
    }

    def despues(columna: str, suma: Any) -> Any:
        return func.coalesce(ultimo.c[columna], literal_column("0")) + suma

    valores: dict[str, Any] = {n: m.c[n] for n in _COPIADAS}
    valores["secuencia"] = despues("secuencia", func.row_number().over(**ventana))
    for saldo, delta in (("saldo_cantidad", "delta_cantidad"), ("saldo_valor", "delta_valor")):
        suma = cast(func.sum(m.c[delta]).over(**ventana), BigInteger)
        valores[saldo] = despues(saldo, suma)
    nombres = [c.name for c in k.columns]
    return insert(k).from_select(
        nombres,
        select(*(valores[n] for n in nombres)).select_from(m.outerjoin(ultimo, true())),
    )


_SIGUIENTE = _siguiente()
_SIGUIENTES = _siguientes()
