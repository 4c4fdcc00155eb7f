"""Running SQL on the DBAPI driver inside a SQLAlchemy transaction: the write path's
prebuilt statements, PostgreSQL's BEGIN sent with the first statement, and writes deferred
to the COMMIT's round trip.

This module and sentencias.py are the seam where prometeo touches SQLAlchemy's and the
drivers' private attributes (`Connection._has_events`, `Connection.dispatch`,
`Connection._handle_dbapi_exception`, the deferred queue in `Connection.info`); no other
module may. SQLAlchemy is pinned, and tests/unit/infrastructure/test_costura_sql.py fails
loudly when an upgrade changes what is used here."""

from __future__ import annotations

import select as selectores
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

from psycopg.pq import TransactionStatus
from sqlalchemy import Connection, Engine, event
from sqlalchemy.exc import DisconnectionError

# -- SQLAlchemy's private surface, used only here ------------------------------------------
#
# A statement run on the DBAPI cursor keeps what matters of SQLAlchemy's own path: its
# cursor events (statement counters, tracing) and its error handling (IntegrityError &
# co., invalidation of a connection that dropped). These four functions are all of
# SQLAlchemy's private Connection API prometeo uses.


def _con_eventos(conexion: Connection) -> bool:
    """Whether anyone listens to this connection's cursor events (an engine with other
    listeners only, such as SQLite's "begin", skips the dispatch)."""
    if not (conexion._has_events or conexion.engine._has_events):
        return False
    despacho = conexion.dispatch
    return bool(despacho.before_cursor_execute or despacho.after_cursor_execute)


def _antes(conexion: Connection, cursor: Any, sql: str, parametros: Any, *resto: Any) -> None:
    conexion.dispatch.before_cursor_execute(conexion, cursor, sql, parametros, *resto)


def _despues(conexion: Connection, cursor: Any, sql: str, parametros: Any, *resto: Any) -> None:
    conexion.dispatch.after_cursor_execute(conexion, cursor, sql, parametros, *resto)


def _fallo(
    conexion: Connection, error: BaseException, sql: Any, parametros: Any, cursor: Any, _: None
) -> NoReturn:
    """Raise `error` the way SQLAlchemy would (wrapped, the connection invalidated if the
    driver says it dropped)."""
    conexion._handle_dbapi_exception(error, sql, parametros, cursor, None)


def preparar_postgres(engine: Engine) -> None:
    """Hook this module's PostgreSQL plumbing into an engine: the zero-round-trip check
    of pooled connections, the end of `comenzar_con`'s transactions, and the deferred
    writes sent before any statement that needs its answer."""
    event.listen(engine, "checkout", _comprobar_postgres)
    event.listen(engine, "checkin", _devolver_postgres)
    event.listen(engine, "before_cursor_execute", _vaciar_antes_de_ejecutar)
    event.listen(engine, "commit", _terminar_confirmando)
    event.listen(engine, "rollback", _terminar_deshaciendo)


def _comprobar_postgres(dbapi_connection: Any, _registro: Any, _proxy: Any) -> None:
    """A pooled connection is idle: the server has nothing to say to it unless it closed
    it (EOF) or is about to (a FATAL notice). Either makes its socket readable, which a
    zero-timeout poll sees without a round trip; the pool then connects afresh."""
    if dbapi_connection.closed or dbapi_connection.broken:
        raise DisconnectionError("conexión cerrada")
    if dbapi_connection.autocommit:
        # Never hand out a connection left in `comenzar_con`'s autocommit (the check-in
        # hook ends it; this is the belt to its braces): a command on it would not be
        # atomic. A transaction still open on it is rolled back.
        _terminar(dbapi_connection, confirmar=False)
        if dbapi_connection.autocommit:
            raise DisconnectionError("conexión en autocommit")
    try:
        legible, _, _ = selectores.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError) as error:
        raise DisconnectionError("conexión inutilizable") from error
    if legible:
        raise DisconnectionError("el servidor cerró o avisó a una conexión inactiva")


# -- PostgreSQL: BEGIN in the first statement's round trip ---------------------------------
#
# psycopg opens a transaction with a BEGIN of its own, awaited before the first statement
# (in pipeline mode too). `comenzar_con` sends our BEGIN and the first statement in one
# pipeline instead; for that the driver connection is switched to autocommit (psycopg then
# sends no BEGIN of its own; the server is inside our transaction block all the same) until
# the transaction ends: SQLAlchemy's commit/rollback events end it on the driver and switch
# autocommit back off before SQLAlchemy's own commit/rollback (a no-op by then), and a
# connection checked in still in that state is rolled back and switched back.

_COMENZAR = "BEGIN ISOLATION LEVEL READ COMMITTED"
_INACTIVA = TransactionStatus.IDLE


def _terminar_confirmando(conexion: Connection) -> None:
    _terminar(conexion.connection.driver_connection, confirmar=True)


def _terminar_deshaciendo(conexion: Connection) -> None:
    _terminar(conexion.connection.driver_connection, confirmar=False)


def _terminar(driver: Any, *, confirmar: bool) -> None:
    if driver is None or not driver.autocommit:
        return
    try:
        if driver.pgconn.transaction_status != _INACTIVA:
            (driver.commit if confirmar else driver.rollback)()
    finally:
        if driver.pgconn.transaction_status == _INACTIVA:
            driver.autocommit = False


def _devolver_postgres(dbapi_connection: Any, _registro: Any) -> None:
    if dbapi_connection is not None and not dbapi_connection.closed:
        _terminar(dbapi_connection, confirmar=False)


def comenzar_con(conexion: Connection, sql: str, parametros: Any) -> list[Any] | None:
    """On PostgreSQL, when the transaction has sent nothing yet: BEGIN and `sql` in one
    round trip, returning its rows. None when it does not apply (run `sql` as usual)."""
    if conexion.dialect.name != "postgresql":
        return None
    driver = conexion.connection.driver_connection
    if driver is None or driver.pgconn.transaction_status != _INACTIVA or driver.autocommit:
        return None
    vaciar(conexion)
    eventos = _con_eventos(conexion)
    driver.autocommit = True
    cursor = driver.cursor()
    try:
        if eventos:
            _antes(conexion, cursor, sql, parametros, None, False)
        with driver.pipeline():
            driver.cursor().execute(_COMENZAR)
            cursor.execute(sql, parametros)
        filas: list[Any] = cursor.fetchall()
        if eventos:
            _despues(conexion, cursor, sql, parametros, None, False)
    except Exception as error:
        _fallo(conexion, error, sql, parametros, cursor, None)
    return filas


def leer_comenzando(conexion: Connection, sql: str, parametros: Any) -> list[Any]:
    """The rows of `sql`, with the BEGIN in the same round trip when it is the
    transaction's first statement on PostgreSQL (`comenzar_con`), run as usual otherwise."""
    filas = comenzar_con(conexion, sql, parametros)
    if filas is None:
        filas = ejecutar_sql(conexion, sql, [parametros], filas=True)
    return filas


# -- running prebuilt SQL on the driver ----------------------------------------------------
#
# `Connection.execute`/`exec_driver_sql` cost more SQLAlchemy plumbing per statement than
# SQLite takes to run it (figures in benchmarks/PERFIL.md). The write path runs its prebuilt
# SQL on the DBAPI cursor instead, through the four functions above.


def ejecutar_sql(
    conexion: Connection, sql: str, valores: Sequence[Any], *, filas: bool = False
) -> Any:
    """Run `sql` once per set of values (an executemany for several) on the connection's
    DBAPI cursor, in its transaction; returns the cursor (rows read with `filas`)."""
    vaciar(conexion)
    muchas = len(valores) > 1
    parametros: Any = valores if muchas else valores[0]
    cursor = conexion.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    eventos = _con_eventos(conexion)
    try:
        if eventos:
            _antes(conexion, cursor, sql, parametros, None, muchas)
        if muchas:
            cursor.executemany(sql, parametros)
        else:
            cursor.execute(sql, parametros)
        resultado = cursor.fetchall() if filas else cursor
        if eventos:
            _despues(conexion, cursor, sql, parametros, None, muchas)
    except Exception as error:
        _fallo(conexion, error, sql, parametros, cursor, None)
    return resultado


# -- PostgreSQL: writes deferred to one round trip -----------------------------------------
#
# Inside `escrituras_diferidas`, the writes whose result nobody reads (the projections') are
# queued instead of sent, and go in one pipeline (psycopg's pipeline mode: every statement
# sent, one Sync, one wait) together with the COMMIT (`confirmar`), or before the next
# statement that does need an answer: any statement run on the connection first sends the
# queue, so reads always see the writes before them, in order. A failed write aborts the
# pipeline and with it the COMMIT: the transaction rolls back whole.

_CLAVE = "prometeo.escrituras_diferidas"
Pendiente = tuple[str, Sequence[Any]]


@contextmanager
def escrituras_diferidas(conexion: Connection) -> Iterator[None]:
    """Defer `diferir`'s writes on this connection (PostgreSQL; elsewhere they run at
    once). Leaving the block normally sends what is still queued."""
    if conexion.dialect.name != "postgresql" or _CLAVE in conexion.info:
        yield
        return
    conexion.info[_CLAVE] = []
    try:
        yield
        vaciar(conexion)
    finally:
        conexion.info.pop(_CLAVE, None)


def diferir(conexion: Connection, sql: str, valores: Sequence[Any]) -> None:
    """Run a write whose result is not read: queued inside `escrituras_diferidas` on
    PostgreSQL, at once otherwise."""
    cola: list[Pendiente] | None = conexion.info.get(_CLAVE)
    if cola is None:
        ejecutar_sql(conexion, sql, valores)
    else:
        cola.append((sql, valores))


def vaciar(conexion: Connection, *, confirmando: bool = False) -> None:
    """Send the queued writes in one round trip, with a COMMIT after them when
    `confirmando` (the caller then ends its SQLAlchemy transaction: psycopg, finding the
    server idle, sends nothing more)."""
    cola: list[Pendiente] | None = conexion.info.get(_CLAVE)
    if not cola:
        return
    pendientes = list(cola)
    cola.clear()
    if confirmando:
        pendientes.append(("COMMIT", [None]))
    driver = conexion.connection.driver_connection
    assert driver is not None
    eventos = _con_eventos(conexion)
    enviados: list[tuple[Any, str, Any, bool]] = []
    sql: str | None = None
    parametros: Any = None
    cursor: Any = None
    try:
        with driver.pipeline():
            for sql, valores in pendientes:
                muchas = len(valores) > 1
                parametros = valores if muchas else valores[0]
                cursor = driver.cursor()
                if eventos and sql != "COMMIT":  # the end of a transaction, as SQLAlchemy's
                    _antes(conexion, cursor, sql, parametros, None, muchas)
                if muchas:
                    cursor.executemany(sql, parametros)
                else:
                    cursor.execute(sql, parametros)
                if sql != "COMMIT":
                    enviados.append((cursor, sql, parametros, muchas))
            sql = parametros = cursor = None
        # Leaving the pipeline sends one Sync and waits for every result: a write that
        # failed aborted the rest, the COMMIT included, and raises here.
    except Exception as error:
        _fallo(conexion, error, sql, parametros, cursor, None)
    if eventos:
        for cursor, sql, parametros, muchas in enviados:
            _despues(conexion, cursor, sql, parametros, None, muchas)


def confirmar(conexion: Connection, commit: Callable[[], None]) -> None:
    """COMMIT (`commit` ends the caller's SQLAlchemy transaction), with the queued writes in
    the same round trip on PostgreSQL."""
    if conexion.info.get(_CLAVE):
        vaciar(conexion, confirmando=True)
    commit()


def _vaciar_antes_de_ejecutar(
    conexion: Connection, _cursor: Any, _sql: str, _p: Any, _ctx: Any, _muchas: bool
) -> None:
    # A statement that needs its answer: the writes queued before it go first.
    if conexion.info.get(_CLAVE):
        vaciar(conexion)
