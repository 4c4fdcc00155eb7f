"""`prometeo db upgrade` creates the schema once and is idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from apoyo_mensajeria import agregar_eventos
from sqlalchemy import inspect
from typer.testing import CliRunner

from prometeo.entrypoints.cli import app
from prometeo.infrastructure.db.engine import crear_engine
from prometeo.infrastructure.db.migracion import migrar
from prometeo.infrastructure.seguimiento import registrar_aparcado


def test_db_upgrade_crea_el_esquema_una_sola_vez(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'nueva.db'}"
    monkeypatch.setenv("PROMETEO_DATABASE_URL", url)
    runner = CliRunner()
    primera = runner.invoke(app, ["db", "upgrade"])
    assert primera.exit_code == 0, primera.output
    assert "Esquema actualizado" in primera.output
    engine = crear_engine(url)
    tablas = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"eventos", "snapshots", "posicion_global", "productos"} <= tablas
    segunda = runner.invoke(app, ["db", "upgrade"])
    assert segunda.exit_code == 0
    assert "ya está al día" in segunda.output


def test_aparcados_lista_los_eventos_que_un_seguidor_no_pudo_procesar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'aparcados.db'}"
    monkeypatch.setenv("PROMETEO_DATABASE_URL", url)
    engine = crear_engine(url)
    migrar(engine)
    (evento,) = agregar_eventos(engine, 1)
    with engine.begin() as conexion:
        registrar_aparcado(conexion, "sri-firma", evento, ValueError("XML inválido"))
    engine.dispose()
    runner = CliRunner()

    todos = runner.invoke(app, ["aparcados"], env={"COLUMNS": "200"})
    assert todos.exit_code == 0, todos.output
    assert "sri-firma" in todos.output
    assert "ValueError: XML inválido" in todos.output
    otro = runner.invoke(app, ["aparcados", "--seguidor", "rabbitmq"])
    assert otro.exit_code == 0
    assert "No hay eventos aparcados" in otro.output
