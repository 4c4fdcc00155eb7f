"""The one cache of compiled statements, and running them on the driver.

A statement is built once (by its caller, at import or in an lru cache) and compiled once
per dialect and columns given; it then runs as SQL text with the driver's own parameters,
bound by the processors SQLAlchemy would use, through ejecucion.ejecutar_sql (cursor
events and error handling kept). Compiling reads SQLAlchemy's compiler: `positiontup`,
`bind_names`, `binds`, `escaped_bind_names`, `construct_params(_check=False)` and
`_bind_processors`; only this module does, and tests/unit/infrastructure/
test_costura_sql.py pins them."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import wraps
from operator import itemgetter
from typing import Any, NamedTuple, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Date, DateTime, Dialect, Executable, Select
from sqlalchemy.types import TypeEngine

from prometeo.infrastructure.sql.ejecucion import diferir, ejecutar_sql, leer_comenzando

RECORDADOS = 4096
T = TypeVar("T")


def recordando(convertir: Callable[[Any], T]) -> Callable[[Any], T]:
    """`convertir`, a pure function of a hashable value, remembering what it gave."""
    recordados: dict[Any, T] = {}

    @wraps(convertir)
    def recordado(valor: Any) -> T:
        try:
            return recordados[valor]
        except (KeyError, TypeError):  # TypeError: unhashable (convertir says what is wrong)
            resultado = convertir(valor)
            if len(recordados) < RECORDADOS:
                recordados[valor] = resultado
            return resultado

    return recordado


# -- writes ------------------------------------------------------------------------------
#
# A write is compiled once per dialect and columns given, then run as SQL text with the
# driver's own parameters (`ejecutar`): SQLAlchemy's per-row parameter processing costs
# more than a small executemany itself (benchmarks/PERFIL.md).


class _Compilada(NamedTuple):
    sql: str
    nombres: tuple[str, ...]  # in the driver's order when positional (repeats included)
    tomar: Callable[[Mapping[str, Any]], tuple[Any, ...]]  # a row's values in that order
    procesos: tuple[tuple[int, Callable[[Any], Any]], ...]  # the types' bind processors
    fijos: dict[str, Any]  # values bound in the statement itself
    posicional: bool


# The one cache of compiled statements, per dialect: keyed (statement, columns) for writes,
# the statement for binds, ("consulta", statement) for selects read into named rows and
# ("bind", type) for a type's bind processor.
_CACHE: WeakKeyDictionary[Dialect, dict[Any, Any]] = WeakKeyDictionary()


def _del_dialecto(dialecto: Dialect) -> dict[Any, Any]:
    por_dialecto = _CACHE.get(dialecto)
    if por_dialecto is None:
        por_dialecto = _CACHE.setdefault(dialecto, {})
    return por_dialecto


_CAPTURA = "prometeo.sql.captura"
Escritura = tuple[Executable, Sequence[Mapping[str, Any]]]


class Preparada(NamedTuple):
    """A captured write bound for the driver: its SQL and the rows' values in the driver's
    form (`sql` None: a statement only SQLAlchemy's own path binds, run with `sentencia`
    and the rows as they were given)."""

    sql: str | None
    valores: Sequence[Any]
    sentencia: Executable


@contextmanager
def escrituras_capturadas(conexion: Connection) -> Iterator[list[Escritura]]:
    """Inside the block the projections' writes on this connection are collected, in
    order, instead of run (their reads still run): a rebuild on SQLite computes a batch in
    a read transaction, binds the writes with `preparar` and runs them with `repetir`
    under the write lock."""
    capturadas: list[Escritura] = []
    conexion.info[_CAPTURA] = capturadas
    try:
        yield capturadas
    finally:
        conexion.info.pop(_CAPTURA, None)


def preparar(dialecto: Dialect, escrituras: Iterable[Escritura]) -> list[Preparada]:
    """Writes collected by `escrituras_capturadas`, in their order, bound for a connection
    of this dialect (binding reads nothing from the database: no transaction needed)."""
    return [_preparar(dialecto, sentencia, filas) for sentencia, filas in escrituras]


def repetir(conexion: Connection, preparadas: Iterable[Preparada]) -> None:
    """Run writes bound by `preparar`, in their order."""
    for preparada in preparadas:
        _correr(conexion, preparada)


def ejecutar(
    conexion: Connection, sentencia: Executable, filas: Sequence[Mapping[str, Any]]
) -> None:
    """Run a prebuilt write once per row (an executemany when there are several), as
    SQLAlchemy would: the same SQL, the same bind processors, its errors and cursor
    events; every row must name the same parameters. The SQL goes straight to the driver,
    and on PostgreSQL inside `escrituras_diferidas` it waits to go with the COMMIT (or
    with the next statement that reads): nothing is returned."""
    capturadas: list[Escritura] | None = conexion.info.get(_CAPTURA)
    if capturadas is not None:
        capturadas.append((sentencia, filas))
        return
    _correr(conexion, _preparar(conexion.dialect, sentencia, filas))


def _preparar(
    dialecto: Dialect, sentencia: Executable, filas: Sequence[Mapping[str, Any]]
) -> Preparada:
    por_dialecto = _del_dialecto(dialecto)
    clave = (sentencia, tuple(filas[0]))
    try:
        compilada = por_dialecto[clave]
    except KeyError:
        compilada = por_dialecto[clave] = _compilar(sentencia, dialecto, clave[1])
    if compilada is None:  # something only SQLAlchemy's own path knows how to bind
        return Preparada(None, filas, sentencia)
    if compilada.fijos:
        filas = [{**compilada.fijos, **fila} for fila in filas]
    tomar, procesos = compilada.tomar, compilada.procesos
    valores: list[Any] = [tomar(fila) for fila in filas]
    if procesos:
        for i, fila in enumerate(valores):
            procesada = list(fila)
            for posicion, proceso in procesos:
                procesada[posicion] = proceso(procesada[posicion])
            valores[i] = tuple(procesada)
    if not compilada.posicional:
        nombres = compilada.nombres
        valores = [dict(zip(nombres, v, strict=True)) for v in valores]
    return Preparada(compilada.sql, valores, sentencia)


def _correr(conexion: Connection, preparada: Preparada) -> None:
    if preparada.sql is None:
        conexion.execute(preparada.sentencia, list(preparada.valores))
    elif conexion.dialect.name in ("postgresql", "sqlite"):
        diferir(conexion, preparada.sql, preparada.valores)
    else:  # MariaDB: pymysql rewrites an executemany of INSERT ... VALUES as one statement
        conexion.exec_driver_sql(preparada.sql, preparada.valores)


def leer(conexion: Connection, sentencia: Executable, parametros: Mapping[str, Any]) -> list[Any]:
    """The rows (plain tuples, in the select's column order) of a prebuilt SELECT, run on
    the driver: compiled once per dialect, its parameters bound as SQLAlchemy would
    (LIMIT/OFFSET included); no result processing, so only for columns the driver already
    returns as Python wants them (text, integers)."""
    sql, enlazados = _enlazar(conexion, sentencia, parametros)
    filas: list[Any] = ejecutar_sql(conexion, sql, [enlazados], filas=True)
    return filas


def contar(conexion: Connection, sentencia: Executable, parametros: Mapping[str, Any]) -> int:
    """Run a prebuilt UPDATE or DELETE on the driver at once (never deferred: its caller
    needs the answer) and return how many rows it touched."""
    sql, enlazados = _enlazar(conexion, sentencia, parametros)
    return int(ejecutar_sql(conexion, sql, [enlazados]).rowcount)


def _enlazar(
    conexion: Connection, sentencia: Executable, parametros: Mapping[str, Any]
) -> tuple[str, Any]:
    """A prebuilt statement's SQL for this dialect (compiled once) and its parameters
    bound as SQLAlchemy would, in the driver's form."""
    por_dialecto = _del_dialecto(conexion.dialect)
    compilada = por_dialecto.get(sentencia)
    if compilada is None:
        # An SQLCompiler (its bind processors and positional names are used below).
        compilable: Any = sentencia
        compilada = por_dialecto[sentencia] = compilable.compile(dialect=conexion.dialect)
    valores = compilada.construct_params(dict(parametros))
    procesos = compilada._bind_processors
    if procesos:
        valores = {n: procesos[n](v) if n in procesos else v for n, v in valores.items()}
    if compilada.positional:
        return compilada.string, tuple(valores[n] for n in compilada.positiontup)
    return compilada.string, valores


def _compilar(sentencia: Any, dialecto: Dialect, columnas: tuple[str, ...]) -> _Compilada | None:
    compilada: Any = sentencia.compile(dialect=dialecto, column_keys=list(columnas))
    if compilada.escaped_bind_names or any(
        b.expanding or b.literal_execute or b.callable is not None for b in compilada.binds.values()
    ):
        return None
    nombres = tuple(
        compilada.positiontup
        if compilada.positional
        else dict.fromkeys(compilada.bind_names.values())
    )
    procesadores = compilada._bind_processors
    fijos = {n: v for n, v in compilada.construct_params(_check=False).items() if v is not None}
    tomar: Any = (
        itemgetter(*nombres) if len(nombres) > 1 else lambda f: tuple(f[n] for n in nombres)
    )
    # A date's bind processor (SQLite formats each one as text) is remembered: a rebuild
    # binds the same few dates thousands of times (and dates equal only dates of one class).
    fechas = {n for n, b in compilada.binds.items() if isinstance(b.type, Date | DateTime)}
    return _Compilada(
        compilada.string,
        nombres,
        tomar,
        tuple(
            (i, recordando(procesadores[n]) if n in fechas else procesadores[n])
            for i, n in enumerate(nombres)
            if n in procesadores
        ),
        fijos,
        compilada.positional,
    )


# -- selects read into named rows -------------------------------------------------------------


class _Consulta(NamedTuple):
    sql: str
    nombres: tuple[str, ...]  # the parameters, in the driver's order when positional
    posicional: bool
    procesos: tuple[tuple[int, Callable[[Any], Any]], ...]  # the columns' result processors
    fila: Callable[[Sequence[Any]], Any]  # a result row as a named tuple


# A row type per statement, with the columns' names (named at run time, hence Any).
_tupla_con_nombres: Any = namedtuple


def _compilar_consulta(sentencia: Select[Any], dialecto: Dialect) -> _Consulta:
    compilada: Any = sentencia.compile(dialect=dialecto)
    columnas = list(sentencia.selected_columns)
    procesos = []
    for i, columna in enumerate(columnas):
        proceso = columna.type.dialect_impl(dialecto).result_processor(dialecto, None)
        if proceso is not None:
            procesos.append((i, proceso))
    nombres = tuple(
        compilada.positiontup
        if compilada.positional
        else dict.fromkeys(compilada.bind_names.values())
    )
    tipo_fila = _tupla_con_nombres("Fila", [str(c.key) for c in columnas])
    return _Consulta(
        compilada.string, nombres, compilada.positional, tuple(procesos), tipo_fila._make
    )


def consultar(
    conexion: Connection,
    sentencia: Select[Any],
    parametros: Mapping[str, Any],
    *,
    comenzando: bool = False,
) -> list[Any]:
    """The rows of a prebuilt select without expanding parameters, as named tuples with
    the values SQLAlchemy would give (its columns' result processors applied), run on the
    driver in the connection's transaction (begun by the caller). With `comenzando`, when
    it is the transaction's first statement on PostgreSQL, it goes with the BEGIN in one
    round trip (`comenzar_con`)."""
    por_dialecto = _del_dialecto(conexion.dialect)
    clave = ("consulta", sentencia)
    compilada: _Consulta | None = por_dialecto.get(clave)
    if compilada is None:
        compilada = por_dialecto[clave] = _compilar_consulta(sentencia, conexion.dialect)
    valores: Any = (
        tuple(parametros[n] for n in compilada.nombres)
        if compilada.posicional
        else {n: parametros[n] for n in compilada.nombres}
    )
    crudas = (
        leer_comenzando(conexion, compilada.sql, valores)
        if comenzando
        else ejecutar_sql(conexion, compilada.sql, [valores], filas=True)
    )
    fila, procesos = compilada.fila, compilada.procesos
    if not procesos:
        return [fila(c) for c in crudas]
    filas = []
    for cruda in crudas:
        valores_fila = list(cruda)
        for i, proceso in procesos:
            valores_fila[i] = proceso(valores_fila[i])
        filas.append(fila(valores_fila))
    return filas


def procesador_bind(tipo: TypeEngine[Any], dialecto: Dialect) -> Callable[[Any], Any] | None:
    """How SQLAlchemy turns a value of `tipo` into the driver's (None: passed as it is),
    e.g. a timestamp into SQLite's text."""
    por_dialecto = _del_dialecto(dialecto)
    clave = ("bind", tipo)
    if clave not in por_dialecto:
        por_dialecto[clave] = tipo.dialect_impl(dialecto).bind_processor(dialecto)
    procesador: Callable[[Any], Any] | None = por_dialecto[clave]
    return procesador
