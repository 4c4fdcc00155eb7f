"""The projections' batched writes: insert, upsert-and-add, insert-if-missing and
update-by-key for many rows in one statement, built once per table, columns and dialect
(building an upsert with `Column.__add__` and `excluded` costs more than running it) and
run through the SQL seam (infrastructure/sql/sentencias.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import (
    Connection,
    Insert,
    Select,
    String,
    Table,
    Update,
    and_,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.types import TypeEngine

from prometeo.infrastructure.sql.sentencias import ejecutar

# -- PostgreSQL: one statement for all the rows ----------------------------------------------
#
# psycopg runs an executemany as one statement per row (pipelined, each with its own cost
# in the driver); one statement that unnests a column array per parameter costs about as
# much as a single row. Same rows written: a plain INSERT is order-free, and the upsert and
# the UPDATE by key are used this way only when every key in the batch is distinct.


def en_arreglos(conexion: Connection, filas: Sequence[Mapping[str, Any]]) -> bool:
    """Whether these rows go as column arrays in one statement (see `desplegadas`)."""
    return len(filas) > 1 and conexion.dialect.name == "postgresql"


def por_columnas(filas: Sequence[Mapping[str, Any]], nombres: Iterable[str]) -> dict[str, Any]:
    """The rows as one list per parameter: the values of `desplegadas`."""
    return {n: [fila[n] for fila in filas] for n in nombres}


def desplegadas(parametros: Iterable[tuple[str, TypeEngine[Any]]]) -> Select[Any]:
    """SELECT unnest(:a::T[]) AS a, unnest(:b::U[]) AS b ...: one row per array element
    (PostgreSQL unnests the arrays of a select list in lockstep). Text goes as VARCHAR[]
    without a length: a cast to VARCHAR(n) would cut a longer value where the column
    refuses it."""
    return select(
        *(
            func.unnest(
                bindparam(n, type_=postgresql.ARRAY(String() if isinstance(t, String) else t))
            ).label(n)
            for n, t in parametros
        )
    )


def _claves_distintas(filas: Sequence[Mapping[str, Any]], claves: Sequence[str]) -> bool:
    return len({tuple([fila[k] for k in claves]) for fila in filas}) == len(filas)


# -- the helpers -----------------------------------------------------------------------------


def insertar(conexion: Connection, tabla: Table, filas: Sequence[Mapping[str, Any]]) -> None:
    """Insert the rows (every row must name the same columns)."""
    if not filas:
        return
    if en_arreglos(conexion, filas):
        columnas = tuple(filas[0])
        ejecutar(conexion, _insert_arreglos(tabla, columnas), [por_columnas(filas, columnas)])
    else:
        ejecutar(conexion, _insert(tabla), filas)


@cache
def _insert(tabla: Table) -> Insert:
    return insert(tabla)


@cache
def _insert_arreglos(tabla: Table, columnas: tuple[str, ...]) -> Insert:
    return insert(tabla).from_select(columnas, desplegadas((c, tabla.c[c].type) for c in columnas))


def sumar_por_clave(
    conexion: Connection,
    tabla: Table,
    claves: Sequence[str],
    sumandos: Sequence[str],
    filas: Sequence[Mapping[str, Any]],
) -> None:
    """Insert each row, or add its `sumandos` to the row already there (one statement for
    every row: the keys must be distinct within `filas`)."""
    if not filas:
        return
    claves, sumandos = tuple(claves), tuple(sumandos)
    if en_arreglos(conexion, filas) and _claves_distintas(filas, claves):
        columnas = tuple(filas[0])
        sentencia = _sumar_arreglos(tabla, claves, sumandos, columnas)
        ejecutar(conexion, sentencia, [por_columnas(filas, columnas)])
    else:
        ejecutar(conexion, _sumar(tabla, claves, sumandos, conexion.dialect.name), filas)


@cache
def _sumar(tabla: Table, claves: tuple[str, ...], sumandos: tuple[str, ...], dialecto: str) -> Any:
    if dialecto in ("mysql", "mariadb"):
        insertar_my = mysql.insert(tabla)
        return insertar_my.on_duplicate_key_update(
            {c: tabla.c[c] + insertar_my.inserted[c] for c in sumandos}
        )
    modulo: Any = postgresql if dialecto == "postgresql" else sqlite
    insertar_ = modulo.insert(tabla)
    return insertar_.on_conflict_do_update(
        index_elements=list(claves),
        set_={c: tabla.c[c] + insertar_.excluded[c] for c in sumandos},
    )


@cache
def _sumar_arreglos(
    tabla: Table, claves: tuple[str, ...], sumandos: tuple[str, ...], columnas: tuple[str, ...]
) -> Any:
    insertar_ = postgresql.insert(tabla).from_select(
        columnas, desplegadas((c, tabla.c[c].type) for c in columnas)
    )
    return insertar_.on_conflict_do_update(
        index_elements=list(claves),
        set_={c: tabla.c[c] + insertar_.excluded[c] for c in sumandos},
    )


def insertar_si_falta(
    conexion: Connection, tabla: Table, claves: Sequence[str], filas: Sequence[Mapping[str, Any]]
) -> None:
    """Insert the rows whose key is not there yet; leave the others as they are."""
    if not filas:
        return
    ejecutar(conexion, _si_falta(tabla, tuple(claves), conexion.dialect.name), filas)


@cache
def _si_falta(tabla: Table, claves: tuple[str, ...], dialecto: str) -> Any:
    if dialecto in ("mysql", "mariadb"):
        return mysql.insert(tabla).prefix_with("IGNORE")
    modulo: Any = postgresql if dialecto == "postgresql" else sqlite
    return modulo.insert(tabla).on_conflict_do_nothing(index_elements=list(claves))


def actualizar_por_clave(
    conexion: Connection,
    tabla: Table,
    claves: Sequence[str],
    filas: Sequence[Mapping[str, Any]],
    *,
    sumar: Iterable[str] = (),
) -> None:
    """UPDATE every row by its key in one statement: the columns named in the rows are
    set to the row's value, except those in `sumar`, to which the value is added. Every
    row must name the same columns."""
    if not filas:
        return
    claves = tuple(claves)
    columnas = tuple(c for c in filas[0] if c not in claves)
    sumadas = frozenset(sumar).intersection(columnas)
    nombres = [(f"k_{k}", k) for k in claves] + [(f"v_{c}", c) for c in columnas]
    if en_arreglos(conexion, filas) and _claves_distintas(filas, claves):
        sentencia = _actualizar_arreglos(tabla, claves, columnas, sumadas)
        ejecutar(conexion, sentencia, [{n: [f[c] for f in filas] for n, c in nombres}])
    else:
        sentencia = _actualizar(tabla, claves, columnas, sumadas)
        ejecutar(conexion, sentencia, [{n: fila[c] for n, c in nombres} for fila in filas])


def _nuevo_valor(tabla: Table, columna: str, valor: Any, sumar: frozenset[str]) -> Any:
    return tabla.c[columna] + valor if columna in sumar else valor


@cache
def _actualizar(
    tabla: Table, claves: tuple[str, ...], columnas: tuple[str, ...], sumar: frozenset[str]
) -> Update:
    return (
        update(tabla)
        .where(and_(*(tabla.c[k] == bindparam(f"k_{k}") for k in claves)))
        .values({c: _nuevo_valor(tabla, c, bindparam(f"v_{c}"), sumar) for c in columnas})
    )


@cache
def _actualizar_arreglos(
    tabla: Table, claves: tuple[str, ...], columnas: tuple[str, ...], sumar: frozenset[str]
) -> Update:
    # UPDATE tabla SET c = v.v_c ... FROM (SELECT unnest(...) AS k_..., ...) AS v WHERE keys
    v = desplegadas(
        [(f"k_{k}", tabla.c[k].type) for k in claves]
        + [(f"v_{c}", tabla.c[c].type) for c in columnas]
    ).subquery("v")
    return (
        update(tabla)
        .where(and_(*(tabla.c[k] == v.c[f"k_{k}"] for k in claves)))
        .values({c: _nuevo_valor(tabla, c, v.c[f"v_{c}"], sumar) for c in columnas})
    )
