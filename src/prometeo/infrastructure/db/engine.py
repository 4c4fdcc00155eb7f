"""Engines for SQLite, PostgreSQL and MariaDB/MySQL, configured for a ledger, and the
driver-level plumbing of the write path (prebuilt SQL run on the DBAPI cursor; on
PostgreSQL, writes deferred and sent in one round trip)."""

from __future__ import annotations

import select as selectores
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from psycopg.pq import TransactionStatus
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError

from prometeo.infrastructure.db.volcado_wal import AUTOCHECKPOINT_RED

SINCRONIZACION_SQLITE = ("FULL", "NORMAL", "EXTRA")
# Server connections are replaced after this long: a firewall or a server's idle timeout
# that drops an idle connection is met by a fresh one instead of a failed command.
RECICLAR_SEGUNDOS = 1800


def normalizar_url(url: str) -> str:
    """Pick the drivers prometeo ships with when the URL names only the database."""
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    elif u.drivername in ("mysql", "mariadb"):
        u = u.set(drivername=f"{u.drivername}+pymysql")
    return u.render_as_string(hide_password=False)


def crear_engine(
    url: str,
    *,
    sqlite_synchronous: str = "FULL",
    volcado_aparte: bool = False,
    **opciones: Any,
) -> Engine:
    """An engine for `url`. SQLite runs in WAL mode with synchronous=FULL by default (an
    acknowledged factura survives a power cut) and takes the write lock at BEGIN, so two
    writers queue instead of failing half-way; with `volcado_aparte` its commits leave
    WAL checkpoints to a VolcadoWal thread. Servers run READ COMMITTED.

    No pre-ping on servers (it cost a round trip per command): a pooled connection is
    recycled after RECICLAR_SEGUNDOS, and one the server has closed or written to while it
    sat idle (a restart, pg_terminate_backend) is replaced at checkout without a round
    trip. A connection that dies unnoticed fails its command before COMMIT, so nothing is
    half-written, and the pool drops it; commits are never retried."""
    url = normalizar_url(url)
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        sincronizacion = sqlite_synchronous.upper()
        if sincronizacion not in SINCRONIZACION_SQLITE:
            raise ValueError(f"PRAGMA synchronous inválido: {sqlite_synchronous}")
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **opciones
        )
        _configurar_sqlite(engine, sincronizacion, volcado_aparte)
        return engine
    opciones.setdefault("pool_recycle", RECICLAR_SEGUNDOS)
    engine = create_engine(url, isolation_level="READ COMMITTED", **opciones)
    if backend == "postgresql":
        event.listen(engine, "checkout", _comprobar_postgres)
        event.listen(engine, "checkin", _devolver_postgres)
        event.listen(engine, "before_cursor_execute", _vaciar_antes_de_ejecutar)
        event.listen(engine, "commit", _terminar_confirmando)
        event.listen(engine, "rollback", _terminar_deshaciendo)
    return engine


def ruta_sqlite(engine: Engine) -> str | None:
    """The file of a SQLite database (None for another backend or one in memory)."""
    url = engine.url
    if url.get_backend_name() != "sqlite":
        return None
    if url.database in (None, "", ":memory:") or url.query.get("mode") == "memory":
        return None
    return url.database


def _configurar_sqlite(engine: Engine, sincronizacion: str, volcado_aparte: bool) -> None:
    @event.listens_for(engine, "connect")
    def _al_conectar(dbapi_connection: Any, _registro: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={sincronizacion}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if volcado_aparte:  # a VolcadoWal thread does it; commits only past the net
            cursor.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_RED}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _al_comenzar(conexion: Any) -> None:
        modo = conexion.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        # On the driver's cursor (its cursor events and errors kept): exec_driver_sql's
        # own plumbing costs more than the statement, once per unit of work and per read.
        ejecutar_sql(conexion, _BEGIN.get(modo) or f"BEGIN {modo}", _SIN_PARAMETROS)


_BEGIN = {modo: f"BEGIN {modo}" for modo in ("DEFERRED", "IMMEDIATE", "EXCLUSIVE")}
_SIN_PARAMETROS = ((),)


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
    eventos = conexion._has_events or conexion.engine._has_events
    driver.autocommit = True
    cursor = driver.cursor()
    try:
        if eventos:
            conexion.dispatch.before_cursor_execute(conexion, cursor, sql, parametros, None, False)
        with driver.pipeline():
            driver.cursor().execute(_COMENZAR)
            cursor.execute(sql, parametros)
        filas: list[Any] = cursor.fetchall()
        if eventos:
            conexion.dispatch.after_cursor_execute(conexion, cursor, sql, parametros, None, False)
    except Exception as error:
        conexion._handle_dbapi_exception(error, sql, parametros, cursor, None)
    return filas


# -- running prebuilt SQL on the driver ----------------------------------------------------
#
# `Connection.execute`/`exec_driver_sql` cost ~30-40 µs of SQLAlchemy plumbing a statement
# (more than SQLite takes to run it). The write path runs its prebuilt SQL on the DBAPI
# cursor instead, keeping what matters of SQLAlchemy's path: its cursor events (statement
# counters, tracing) and its error handling (IntegrityError & co., invalidation of a
# connection that dropped).


def ejecutar_sql(
    conexion: Connection, sql: str, valores: Sequence[Any], *, filas: bool = False
) -> Any:
    """Run `sql` once per set of values (an executemany for several) on the connection's
    DBAPI cursor, in its transaction; returns the cursor (rows read with `filas`)."""
    vaciar(conexion)
    muchas = len(valores) > 1
    parametros: Any = valores if muchas else valores[0]
    cursor = conexion.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    eventos = conexion._has_events or conexion.engine._has_events
    try:
        if eventos:
            conexion.dispatch.before_cursor_execute(conexion, cursor, sql, parametros, None, muchas)
        if muchas:
            cursor.executemany(sql, parametros)
        else:
            cursor.execute(sql, parametros)
        resultado = cursor.fetchall() if filas else cursor
        if eventos:
            conexion.dispatch.after_cursor_execute(conexion, cursor, sql, parametros, None, muchas)
    except Exception as error:
        conexion._handle_dbapi_exception(error, sql, parametros, cursor, None)
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
    eventos = conexion._has_events or conexion.engine._has_events
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
                    conexion.dispatch.before_cursor_execute(
                        conexion, cursor, sql, parametros, None, muchas
                    )
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
        conexion._handle_dbapi_exception(error, sql, parametros, cursor, None)
    if eventos:
        for cursor, sql, parametros, muchas in enviados:
            conexion.dispatch.after_cursor_execute(conexion, cursor, sql, parametros, None, muchas)


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
