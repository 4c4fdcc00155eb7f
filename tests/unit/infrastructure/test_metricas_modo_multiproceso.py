"""The directory the server's processes share their metrics through: given, it is emptied
of an earlier run's values; not given, several processes get a new one for the run alone,
and a single process keeps its metrics in memory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from prometheus_client import Gauge

from prometeo.infrastructure.metricas import (
    VARIABLE_MULTIPROCESO,
    crear_metricas,
    metricas_de_varios_procesos,
)


def test_un_directorio_dado_se_vacia_de_la_corrida_anterior(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "counter_123.db").write_bytes(b"viejo")
    (tmp_path / "notas.txt").write_text("ajeno")
    monkeypatch.setenv(VARIABLE_MULTIPROCESO, str(tmp_path))
    with metricas_de_varios_procesos(2):
        assert os.environ[VARIABLE_MULTIPROCESO] == str(tmp_path)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["notas.txt"]
    assert os.environ[VARIABLE_MULTIPROCESO] == str(tmp_path)


def test_varios_procesos_sin_directorio_tienen_uno_propio_mientras_corren(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(VARIABLE_MULTIPROCESO, raising=False)
    with metricas_de_varios_procesos(2):
        directorio = Path(os.environ[VARIABLE_MULTIPROCESO])
        assert directorio.is_dir()
        (directorio / "counter_1.db").write_bytes(b"")
    assert VARIABLE_MULTIPROCESO not in os.environ
    assert not directorio.exists()


def test_un_proceso_guarda_sus_metricas_en_memoria(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(VARIABLE_MULTIPROCESO, raising=False)
    with metricas_de_varios_procesos(1):
        assert VARIABLE_MULTIPROCESO not in os.environ


def test_cada_indicador_se_fija_a_una_medicion() -> None:
    """Across processes a gauge is its latest measurement, one series: a gauge added
    without that mode would show one stale copy per process."""
    indicadores = [m for m in vars(crear_metricas()).values() if isinstance(m, Gauge)]
    assert len(indicadores) >= 7
    for indicador in indicadores:
        # prometheus_client keeps the mode only in this private attribute.
        assert indicador._multiprocess_mode == "mostrecent", indicador._name
