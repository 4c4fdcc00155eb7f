"""The HTTP API in process: FastAPI's TestClient on a real bootstrap over a temporary
SQLite database (migrated once per session, copied per test), "today" fixed."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from entorno_api import TOKEN_ADMIN, ajustes
from fastapi import FastAPI
from fastapi.testclient import TestClient

from apoyo_http import TiendaHttp
from prometeo.bootstrap import Aplicacion, bootstrap
from prometeo.entrypoints.api.app import crear_app
from prometeo.infrastructure.db.engine import crear_engine
from prometeo.infrastructure.db.migracion import migrar
from prometeo.infrastructure.db.tokens import AlmacenTokens, Rol


@pytest.fixture(scope="session")
def base_migrada(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ruta = tmp_path_factory.mktemp("plantilla") / "plantilla.db"
    engine = crear_engine(f"sqlite:///{ruta}")
    migrar(engine)
    engine.dispose()
    return ruta


@pytest.fixture
def url_api(base_migrada: Path, tmp_path: Path) -> str:
    ruta = tmp_path / "api.db"
    shutil.copyfile(base_migrada, ruta)
    return f"sqlite:///{ruta}"


@pytest.fixture
def aplicacion(url_api: str) -> Iterator[Aplicacion]:
    wired = bootstrap(ajustes(url_api))
    yield wired
    wired.cerrar()


@pytest.fixture
def app_http(aplicacion: Aplicacion) -> FastAPI:
    return crear_app(aplicacion)


@pytest.fixture
def anonimo(app_http: FastAPI) -> Iterator[TestClient]:
    """A client without a token (a 500 is answered, not raised, as a real server would)."""
    with TestClient(app_http, raise_server_exceptions=False) as cliente:
        yield cliente


@pytest.fixture
def cliente(app_http: FastAPI) -> Iterator[TestClient]:
    """A client with the admin token."""
    cabeceras = {"Authorization": f"Bearer {TOKEN_ADMIN}"}
    with TestClient(app_http, raise_server_exceptions=False, headers=cabeceras) as cliente:
        yield cliente


@pytest.fixture
def tienda(cliente: TestClient) -> TiendaHttp:
    return TiendaHttp(cliente).sembrar()


@pytest.fixture
def token_de(aplicacion: Aplicacion) -> dict[Rol, str]:
    """A token per role."""
    almacen = AlmacenTokens(aplicacion.engine)
    return {rol: almacen.emitir(f"prueba {rol.value}", rol).token for rol in Rol}
