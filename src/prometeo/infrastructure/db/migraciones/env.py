"""Alembic environment: runs on the connection prometeo hands over (or on the URL)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from prometeo.infrastructure.db.engine import crear_engine
from prometeo.infrastructure.db.tablas import metadata
from prometeo.infrastructure.proyecciones import tablas as _proyecciones  # noqa: F401

config = context.config


def _migrar(conexion: Connection) -> None:
    context.configure(connection=conexion, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


conexion = config.attributes.get("connection")
if conexion is not None:
    _migrar(conexion)
else:
    engine = crear_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as nueva:
        _migrar(nueva)
    engine.dispose()
