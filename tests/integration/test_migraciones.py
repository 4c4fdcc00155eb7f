"""The migrated schema is exactly the SQLAlchemy metadata, on every backend: the Alembic
migrations and the tables the code writes to cannot drift apart unnoticed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from bases_de_datos import todos_los_backends
from prometeo.infrastructure.db.migracion import configuracion_alembic, esta_al_dia, migrar
from prometeo.infrastructure.db.tablas import metadata, tokens
from prometeo.infrastructure.mensajeria import CheckpointRelay
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


_relay_checkpoint = sa.table("relay_checkpoint", sa.column("nombre"), sa.column("posicion"))


def _bajar_a(engine: Engine, revision: str) -> None:
    configuracion = configuracion_alembic()
    with engine.begin() as conexion:
        configuracion.attributes["connection"] = conexion
        command.downgrade(configuracion, revision)


@todos_los_backends
def test_la_migracion_0006_conserva_donde_iba_el_relay(engine: Engine) -> None:
    """An upgraded relay continues from its old checkpoint (relay_checkpoint →
    checkpoints_seguidor), and a downgrade gives it back."""
    _bajar_a(engine, "0005")
    with engine.begin() as conexion:
        conexion.execute(_relay_checkpoint.insert().values(nombre="rabbitmq", posicion=42))
        conexion.execute(_relay_checkpoint.insert().values(nombre="auditoria", posicion=7))

    migrar(engine)
    assert CheckpointRelay(engine, "rabbitmq").leer() == 42
    assert CheckpointRelay(engine, "auditoria").leer() == 7
    with engine.connect() as conexion:
        tablas = inspect(conexion).get_table_names()
    assert "relay_checkpoint" not in tablas
    assert "eventos_aparcados" in tablas
    CheckpointRelay(engine, "rabbitmq").avanzar(42, 50)

    _bajar_a(engine, "0005")
    with engine.connect() as conexion:
        filas = conexion.execute(
            sa.select(_relay_checkpoint.c.nombre, _relay_checkpoint.c.posicion).order_by(
                _relay_checkpoint.c.nombre
            )
        ).all()
        tablas = inspect(conexion).get_table_names()
    assert [tuple(f) for f in filas] == [("auditoria", 7), ("rabbitmq", 50)]
    assert "checkpoints_seguidor" not in tablas
    assert "eventos_aparcados" not in tablas


_tokens_0014 = sa.table(
    "tokens", sa.column("hash"), sa.column("nombre"), sa.column("rol"), sa.column("creado_en")
)


@todos_los_backends
def test_la_migracion_0015_da_ids_y_nombres_unicos_a_los_tokens(engine: Engine) -> None:
    """Tokens issued before names were unique keep working: each gets an id, and the later
    ones of a repeated name (ignoring case) a suffix, in creation order."""
    _bajar_a(engine, "0014")
    antes = datetime(2026, 12, 1, tzinfo=UTC)
    with engine.begin() as conexion:
        for i, nombre in enumerate(["caja", "Caja", "bodega", "CAJA"]):
            conexion.execute(
                _tokens_0014.insert().values(
                    hash=f"{i:064d}", nombre=nombre, rol="cajero", creado_en=antes + timedelta(i)
                )
            )
    migrar(engine)
    with engine.connect() as conexion:
        filas = conexion.execute(
            sa.select(tokens.c.nombre, tokens.c.nombre_unico, tokens.c.id).order_by(
                tokens.c.creado_en
            )
        ).all()
    assert [(f.nombre, f.nombre_unico) for f in filas] == [
        ("caja", "caja"),
        ("Caja (2)", "caja (2)"),
        ("bodega", "bodega"),
        ("CAJA (3)", "caja (3)"),
    ]
    assert len({f.id for f in filas}) == 4
