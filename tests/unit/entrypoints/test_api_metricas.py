"""/metrics only reads: a scrape never takes SQLite's write lock, so a flood of scrapes
never queues behind (nor holds up) the cajeros' commands."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from apoyo_http import TiendaHttp
from prometeo.bootstrap import Aplicacion


@pytest.fixture
def candado_tomado(aplicacion: Aplicacion) -> Iterator[None]:
    """Another connection holds SQLite's write lock (a command in progress, or any other
    process), and this application's connections give up at once on a lock instead of
    waiting for it: whatever asks for the write lock fails."""

    @event.listens_for(aplicacion.engine, "connect")
    def sin_espera(conexion: Any, _registro: Any) -> None:
        conexion.execute("PRAGMA busy_timeout=0")

    aplicacion.engine.dispose()
    ruta = aplicacion.engine.url.database
    assert ruta is not None
    escritor = sqlite3.connect(ruta, isolation_level=None)
    escritor.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        escritor.rollback()
        escritor.close()


def test_las_metricas_no_toman_el_candado_de_escritura(
    tienda: TiendaHttp, anonimo: TestClient, candado_tomado: None
) -> None:
    respuesta = anonimo.get("/metrics")
    assert respuesta.status_code == 200, respuesta.text
    assert 'prometeo_proyeccion_retraso{proyeccion="kardex"} 0.0' in respuesta.text
    assert anonimo.get("/health").json()["database"] == "ok"
