"""What every projection shares: the event as it is projected, the projection contract,
exact unit conversions and the batched writes that keep a command's cost low."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from functools import cache, wraps
from operator import itemgetter
from typing import Any, ClassVar, NamedTuple, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    Dialect,
    Executable,
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

from prometeo.domain.events.base import EventoDominio
from prometeo.infrastructure.db.engine import diferir, ejecutar_sql

# Read models keep some lists as JSON text, written like the events (one encoder, built once).
from prometeo.infrastructure.serializacion.conversores import a_json as a_json

_MICRO = 6
_CENTAVOS = 2


class EventoProyectado(NamedTuple):
    """A domain event with its place in the log: the global position (the checkpoint's
    unit) and its stream's id and version (a tuple: a rebuild makes one per event)."""

    posicion: int
    stream_id: str
    version: int
    evento: EventoDominio


class Proyeccion(ABC):
    """A read model kept from the event log. `aplicar` receives, in log order, only events
    of `tipos` it has never applied (the Proyector keeps its checkpoint), all in one
    transaction; it must write in batches and yield the same rows whether the events come
    one command at a time or thousands at once in a rebuild."""

    nombre: ClassVar[str]
    tablas: ClassVar[tuple[Table, ...]]
    tipos: ClassVar[frozenset[type[EventoDominio]]]

    @abstractmethod
    def aplicar(self, conexion: Connection, eventos: Sequence[EventoProyectado]) -> None: ...


# -- exact units ---------------------------------------------------------------------------


def _entero(valor: Decimal, decimales: int, que: str) -> int:
    escalado = valor.scaleb(decimales)
    entero = escalado.to_integral_value()
    if entero != escalado:
        raise ValueError(f"{que} {valor} tiene más de {decimales} decimales")
    return int(entero)


# The same few quantities, amounts and dates recur event after event (a line's 3 units, a
# lot's cost, the day's date): their conversions are remembered, keyed by value. Only
# successful conversions are kept, at most _RECORDADOS per conversion.
_RECORDADOS = 4096
T = TypeVar("T")


def _recordando(convertir: Callable[[Any], T]) -> Callable[[Any], T]:
    """`convertir`, a pure function of a hashable value, remembering what it gave."""
    recordados: dict[Any, T] = {}

    @wraps(convertir)
    def recordado(valor: Any) -> T:
        try:
            return recordados[valor]
        except (KeyError, TypeError):  # TypeError: unhashable (convertir says what is wrong)
            resultado = convertir(valor)
            if len(recordados) < _RECORDADOS:
                recordados[valor] = resultado
            return resultado

    return recordado


@_recordando
def a_micro(valor: Decimal) -> int:
    """A quantity as integer micro-units (exact: more than 6 decimals is an error).
    3 and 3.00 are equal, hash alike and convert alike."""
    return _entero(valor, _MICRO, "La cantidad")


@_recordando
def a_centavos(valor: Decimal) -> int:
    """An amount as integer cents (exact: more than 2 decimals is an error)."""
    return _entero(valor, _CENTAVOS, "El monto")


def de_micro(valor: int) -> Decimal:
    """Micro-units back to a quantity, without trailing zeros ("2.5", "10")."""
    cantidad = Decimal(valor).scaleb(-_MICRO).normalize()
    exponente = cantidad.as_tuple().exponent
    if isinstance(exponente, int) and exponente > 0:
        cantidad = cantidad.quantize(Decimal(1))
    return cantidad


def de_centavos(valor: int) -> Decimal:
    """Cents back to an amount with exactly 2 decimals."""
    return Decimal(valor).scaleb(-_CENTAVOS)


def texto(valor: Decimal) -> str:
    """A document figure as stored text: every digit as the event carries it."""
    return str(valor)


# -- batched writes ------------------------------------------------------------------------
#
# Each statement is built once per (table, key columns, value columns, dialect) and kept:
# building `insert().on_conflict_do_update(...)` with `Column.__add__` and `excluded` costs
# several times what running it does. And each is compiled once per dialect and columns
# given, then run as SQL text with the driver's own parameters (`ejecutar`): SQLAlchemy's
# per-row parameter processing is most of what a small executemany costs.


class _Compilada(NamedTuple):
    sql: str
    nombres: tuple[str, ...]  # in the driver's order when positional (repeats included)
    tomar: Callable[[Mapping[str, Any]], tuple[Any, ...]]  # a row's values in that order
    procesos: tuple[tuple[int, Callable[[Any], Any]], ...]  # the types' bind processors
    fijos: dict[str, Any]  # values bound in the statement itself
    posicional: bool


_COMPILADAS: WeakKeyDictionary[Dialect, dict[tuple[Any, ...], _Compilada | None]] = (
    WeakKeyDictionary()
)
_CAPTURA = "prometeo.proyecciones.captura"
Escritura = tuple[Executable, Sequence[Mapping[str, Any]]]


@contextmanager
def escrituras_capturadas(conexion: Connection) -> Iterator[list[Escritura]]:
    """Inside the block the projections' writes on this connection are collected, in
    order, instead of run (their reads still run): a rebuild on SQLite computes a batch in
    a read transaction and replays the writes with `repetir` under the write lock."""
    capturadas: list[Escritura] = []
    conexion.info[_CAPTURA] = capturadas
    try:
        yield capturadas
    finally:
        conexion.info.pop(_CAPTURA, None)


def repetir(conexion: Connection, escrituras: Iterable[Escritura]) -> None:
    """Run writes collected by `escrituras_capturadas`, in their order."""
    for sentencia, filas in escrituras:
        ejecutar(conexion, sentencia, filas)


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
    dialecto = conexion.dialect
    por_dialecto = _COMPILADAS.get(dialecto)
    if por_dialecto is None:
        por_dialecto = _COMPILADAS.setdefault(dialecto, {})
    clave = (sentencia, tuple(filas[0]))
    try:
        compilada = por_dialecto[clave]
    except KeyError:
        compilada = por_dialecto[clave] = _compilar(sentencia, dialecto, clave[1])
    if compilada is None:  # something only SQLAlchemy's own path knows how to bind
        conexion.execute(sentencia, list(filas))
        return
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
    if dialecto.name in ("postgresql", "sqlite"):
        diferir(conexion, compilada.sql, valores)
    else:  # MariaDB: pymysql rewrites an executemany of INSERT ... VALUES as one statement
        conexion.exec_driver_sql(compilada.sql, valores)


_LECTURAS: WeakKeyDictionary[Dialect, dict[Any, Any]] = WeakKeyDictionary()


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
    por_dialecto = _LECTURAS.get(conexion.dialect)
    if por_dialecto is None:
        por_dialecto = _LECTURAS.setdefault(conexion.dialect, {})
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
            (i, _recordando(procesadores[n]) if n in fechas else procesadores[n])
            for i, n in enumerate(nombres)
            if n in procesadores
        ),
        fijos,
        compilada.positional,
    )


# -- PostgreSQL: one statement for all the rows ----------------------------------------------
#
# psycopg runs an executemany as one statement per row (pipelined, ~50 µs each in the
# driver alone); one statement that unnests a column array per parameter costs about as
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
