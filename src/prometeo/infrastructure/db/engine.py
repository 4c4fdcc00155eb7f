"""Engines for SQLite, PostgreSQL and MariaDB/MySQL, configured for a ledger."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

SINCRONIZACION_SQLITE = ("FULL", "NORMAL", "EXTRA")


def normalizar_url(url: str) -> str:
    """Pick the drivers prometeo ships with when the URL names only the database."""
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    elif u.drivername in ("mysql", "mariadb"):
        u = u.set(drivername=f"{u.drivername}+pymysql")
    return u.render_as_string(hide_password=False)


def crear_engine(url: str, *, sqlite_synchronous: str = "FULL", **opciones: Any) -> Engine:
    """An engine for `url`. SQLite runs in WAL mode with synchronous=FULL by default (an
    acknowledged factura survives a power cut) and takes the write lock at BEGIN, so two
    writers queue instead of failing half-way; servers run READ COMMITTED."""
    url = normalizar_url(url)
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        sincronizacion = sqlite_synchronous.upper()
        if sincronizacion not in SINCRONIZACION_SQLITE:
            raise ValueError(f"PRAGMA synchronous inválido: {sqlite_synchronous}")
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **opciones
        )
        _configurar_sqlite(engine, sincronizacion)
        return engine
    return create_engine(url, isolation_level="READ COMMITTED", pool_pre_ping=True, **opciones)


def _configurar_sqlite(engine: Engine, sincronizacion: str) -> None:
    @event.listens_for(engine, "connect")
    def _al_conectar(dbapi_connection: Any, _registro: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={sincronizacion}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _al_comenzar(conexion: Any) -> None:
        modo = conexion.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conexion.exec_driver_sql(f"BEGIN {modo}")
