"""The migrated schema is exactly the SQLAlchemy metadata, on every backend: the Alembic
migrations and the tables the code writes to cannot drift apart unnoticed."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

from bases_de_datos import todos_los_backends
from prometeo.infrastructure.db.migracion import esta_al_dia, migrar
from prometeo.infrastructure.db.tablas import metadata
from prometeo.infrastructure.proyecciones import tablas as tablas_proyecciones


@todos_los_backends
def test_el_esquema_migrado_es_el_de_la_metadata(engine: Engine) -> None:
    assert tablas_proyecciones.vista_stock.name in metadata.tables
    with engine.connect() as conexion:
        contexto = MigrationContext.configure(conexion, opts={"compare_type": True})
        diferencias = compare_metadata(contexto, metadata)
    assert diferencias == []


@todos_los_backends
def test_migrar_dos_veces_no_hace_nada(engine: Engine) -> None:
    assert esta_al_dia(engine)
    migrar(engine)
    assert esta_al_dia(engine)
