"""Apply the Alembic migrations that a database lacks (`prometeo db upgrade`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRACIONES = Path(__file__).parent / "migraciones"


def configuracion_alembic() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRACIONES))
    return config


def migrar(engine: Engine) -> None:
    """Bring the schema up to the latest revision (a no-op when it already is)."""
    if esta_al_dia(engine):
        return
    config = configuracion_alembic()
    with engine.begin() as conexion:
        config.attributes["connection"] = conexion
        command.upgrade(config, "head")


def esta_al_dia(engine: Engine) -> bool:
    cabeza = ScriptDirectory.from_config(configuracion_alembic()).get_current_head()
    with engine.connect() as conexion:
        actual = MigrationContext.configure(conexion).get_current_revision()
        conexion.rollback()
    return actual == cabeza
