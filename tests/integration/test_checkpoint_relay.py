"""The relay's durable checkpoint on SQLite, PostgreSQL and MariaDB: the migrations create
exactly its Table (0003 as `relay_checkpoint`, 0006 moves it to the followers'
`checkpoints_seguidor`), and two relays can never advance one checkpoint together."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, MetaData, inspect

from bases_de_datos import todos_los_backends
from prometeo.infrastructure.db.migracion import configuracion_alembic, migrar
from prometeo.infrastructure.db.tablas import checkpoints_seguidor
from prometeo.infrastructure.mensajeria import CheckpointMovido, CheckpointRelay

pytestmark = todos_los_backends


def test_las_migraciones_crean_la_tabla_del_checkpoint(engine: Engine) -> None:
    solo_checkpoint = MetaData()
    checkpoints_seguidor.to_metadata(solo_checkpoint)
    with engine.connect() as conexion:
        diferencias = compare_metadata(MigrationContext.configure(conexion), solo_checkpoint)
        assert [d for d in diferencias if "checkpoints_seguidor" in repr(d)] == []
        clave = inspect(conexion).get_pk_constraint("checkpoints_seguidor")["constrained_columns"]
        assert clave == ["nombre"]

    configuracion = configuracion_alembic()
    with engine.begin() as conexion:
        configuracion.attributes["connection"] = conexion
        command.downgrade(configuracion, "0002")
    with engine.connect() as conexion:
        tablas = inspect(conexion).get_table_names()
        assert "relay_checkpoint" not in tablas
        assert "checkpoints_seguidor" not in tablas
    migrar(engine)
    CheckpointRelay(engine, "rabbitmq").avanzar(0, 3)
    assert CheckpointRelay(engine, "rabbitmq").leer() == 3


def test_dos_relays_con_el_mismo_checkpoint_no_publican_en_paralelo(engine: Engine) -> None:
    uno, otro = CheckpointRelay(engine, "rabbitmq"), CheckpointRelay(engine, "rabbitmq")
    uno.avanzar(0, 5)
    with pytest.raises(CheckpointMovido, match="otro relay"):
        otro.avanzar(0, 3)
    uno.avanzar(5, 9)
    with pytest.raises(CheckpointMovido):
        otro.avanzar(5, 7)
    assert otro.leer() == 9
