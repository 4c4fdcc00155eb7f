"""The event store on PostgreSQL: the position reservation and the INSERT in one statement,
in one round trip (with the BEGIN when it is the transaction's first statement)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from prometeo.infrastructure.db.almacen_eventos.base import (
    CAMPOS,
    AlmacenEventosSql,
    EventoNuevo,
    fila,
)
from prometeo.infrastructure.sql.ejecucion import leer_comenzando

# The write path's SQL, run on the driver (see sql/ejecucion.py). PostgreSQL: the
# position reservation and the INSERT in one statement (a data-modifying CTE runs once and
# to completion; the INSERT reads the reserved range from it), the rows numbered `orden` in
# the order given. With `checkpoints`, it also moves the embedded projections' checkpoints
# that sit right before the batch to its end (what `Proyector.observador` would do in a
# second round trip): the checkpoint rows are locked right after the position row.
#
# Under READ COMMITTED the statement's snapshot is taken when it begins, before it waits
# for another writer's position lock: in that snapshot the checkpoints may still be a
# batch behind. A plain `WHERE posicion = ultima - n` would filter them out on that stale
# value (only rows that pass on the snapshot are re-checked against their latest version),
# so they would never move again. `k` reads them FOR UPDATE, which returns their latest
# committed values, and the test on those values decides; joining `p` makes the locks come
# after the position lock (the rows are locked as the join yields them).


def _sql_agregar(cuantos: str, filas: str, checkpoints: str | None) -> str:
    """The append statement: `cuantos` and `checkpoints` are SQL (a placeholder or a
    literal), `filas` the row source, whose columns are named by `AS n(...)`."""
    sql = f"""\
WITH p AS (
    UPDATE posicion_global SET ultima = ultima + {cuantos} WHERE id = 1 RETURNING ultima
), e AS (
    INSERT INTO eventos (posicion, evento_id, stream_id, tipo_stream, version, tipo,
                         version_esquema, datos, metadatos, ocurrido_en)
    SELECT p.ultima - {cuantos} + n.orden, n.evento_id, n.stream_id, n.tipo_stream,
           n.version, n.tipo, n.version_esquema, n.datos, n.metadatos, n.ocurrido_en
    FROM p, {filas} AS n(evento_id, stream_id, tipo_stream, version, tipo,
                         version_esquema, datos, metadatos, ocurrido_en, orden)
)"""
    if checkpoints is None:
        return sql + "\nSELECT ultima FROM p"
    return (
        sql
        + f""", k AS (
    SELECT cp.nombre, cp.posicion FROM checkpoints_proyeccion cp, p
    WHERE cp.nombre = ANY({checkpoints}::text[])
    FOR UPDATE OF cp
), c AS (
    UPDATE checkpoints_proyeccion cp SET posicion = p.ultima FROM p, k
    WHERE cp.nombre = k.nombre AND k.posicion = p.ultima - {cuantos}
    RETURNING 1
)
SELECT ultima, (SELECT count(*) FROM c) FROM p"""
    )


# Large appends: one array per column (named parameters).
_UNNEST = """unnest(%(evento_id)s::text[], %(stream_id)s::text[], %(tipo_stream)s::text[],
                   %(version)s::integer[], %(tipo)s::text[], %(version_esquema)s::integer[],
                   %(datos)s::text[], %(metadatos)s::text[], %(ocurrido_en)s::timestamptz[])
         WITH ORDINALITY"""
_AGREGAR_PG = _sql_agregar("%(cuantos)s", _UNNEST, None)
_AGREGAR_PG_CON_CHECKPOINTS = _sql_agregar("%(cuantos)s", _UNNEST, "%(checkpoints)s")
# Up to this many events the rows go as a VALUES list (one statement text per size, kept):
# parsing unnest's text[]/timestamptz[] arrays dominates a small append. Larger appends use
# unnest (PostgreSQL admits 65,535 parameters a statement).
MAXIMO_VALUES = 1000


@lru_cache(maxsize=64)
def _sql_agregar_pg(cuantos: int, con_checkpoints: bool) -> str:
    """The append statement for `cuantos` events as a VALUES list (positional parameters:
    nine per event, in column order, then the checkpoints' names)."""
    filas = ", ".join(
        f"(%s, %s, %s, %s, %s, %s, %s, %s, %s::timestamptz, {orden})"
        for orden in range(1, cuantos + 1)
    )
    return _sql_agregar(str(cuantos), f"(VALUES {filas})", "%s" if con_checkpoints else None)


class AlmacenEventosPostgres(AlmacenEventosSql):
    def _reservar_e_insertar(
        self, nuevos: Sequence[EventoNuevo], checkpoints: Sequence[str]
    ) -> tuple[int, int | None]:
        # The reservation takes the row lock (held until COMMIT) and the INSERT numbers the
        # rows from it, in the order given.
        cuantos = len(nuevos)
        parametros: Any
        if cuantos <= MAXIMO_VALUES:
            sql = _sql_agregar_pg(cuantos, bool(checkpoints))
            parametros = [valor for e in nuevos for valor in fila(e)]
            if checkpoints:
                parametros.append(list(checkpoints))
        else:
            sql = _AGREGAR_PG_CON_CHECKPOINTS if checkpoints else _AGREGAR_PG
            columnas = zip(*map(fila, nuevos), strict=True)
            parametros = dict(zip(CAMPOS, map(list, columnas), strict=True))
            parametros.update(cuantos=cuantos, checkpoints=list(checkpoints))
        # Usually the command's first statement (its aggregates came from the cache): the
        # BEGIN then goes in the same round trip.
        filas = leer_comenzando(self.conexion, sql, parametros)
        ultima = int(filas[0][0])
        return ultima - cuantos, int(filas[0][1]) if checkpoints else None
