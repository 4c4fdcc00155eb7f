"""Engines for SQLite, PostgreSQL and MariaDB/MySQL, configured for a ledger. The
driver-level plumbing of the write path lives in infrastructure/sql/."""

from __future__ import annotations

import contextlib
import os
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from prometeo.infrastructure.db.volcado_wal import AUTOCHECKPOINT_RED
from prometeo.infrastructure.sql.ejecucion import ejecutar_sql, preparar_postgres

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
        _crear_privado(ruta_sqlite(engine))
        _configurar_sqlite(engine, sincronizacion, volcado_aparte)
        return engine
    opciones.setdefault("pool_recycle", RECICLAR_SEGUNDOS)
    engine = create_engine(url, isolation_level="READ COMMITTED", **opciones)
    if backend == "postgresql":
        preparar_postgres(engine)
    return engine


def _crear_privado(ruta: str | None) -> None:
    """Create a new database file readable by its owner only (customer data): SQLite gives
    its -wal and -shm files the same permissions."""
    if ruta is None or os.path.exists(ruta):
        return
    carpeta = os.path.dirname(os.path.abspath(ruta))
    if not os.path.isdir(carpeta):
        return  # SQLite reports the missing folder itself, at the first connection
    with contextlib.suppress(FileExistsError):  # created meanwhile by another process
        os.close(os.open(ruta, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


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
