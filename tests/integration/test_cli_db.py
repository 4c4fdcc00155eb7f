"""`prometeo db upgrade` creates the schema once and is idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect
from typer.testing import CliRunner

from prometeo.entrypoints.cli import app
from prometeo.infrastructure.db.engine import crear_engine


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
