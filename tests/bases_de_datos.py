"""Isolated databases on SQLite, PostgreSQL and MariaDB for the tests (fixtures are
registered by tests/conftest.py; import helpers from here, never from `conftest`).

Each test gets its own database, created for it and dropped afterwards. A service that
does not answer skips its tests with the reason, unless PROMETEO_REQUIRE_SERVICES=1 (CI):
then it is a failure."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from prometeo.infrastructure.db.engine import crear_engine
from prometeo.infrastructure.db.migracion import migrar

POSTGRES_ADMIN = os.environ.get(
    "PROMETEO_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
MARIADB_ADMIN = os.environ.get("PROMETEO_TEST_MARIADB", "mysql+pymysql://root@127.0.0.1:3306/test")
SERVICIOS = {
    "postgresql": ("127.0.0.1", 5432),
    "mariadb": ("127.0.0.1", 3306),
    "rabbitmq": ("127.0.0.1", 5672),
}


def servicio_disponible(nombre: str) -> bool:
    host, puerto = SERVICIOS[nombre]
    try:
        with socket.create_connection((host, puerto), timeout=2):
            return True
    except OSError:
        return False


def exigir_servicio(nombre: str) -> None:
    """Skip (or, in CI, fail) when the service is not reachable."""
    if servicio_disponible(nombre):
        return
    host, puerto = SERVICIOS[nombre]
    razon = f"{nombre} no responde en {host}:{puerto}"
    if os.environ.get("PROMETEO_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{razon} y PROMETEO_REQUIRE_SERVICES=1")
    pytest.skip(razon)


def _base_de_servidor(admin_url: str, dialecto: str) -> Iterator[str]:
    nombre = f"prometeo_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conexion:
        conexion.execute(text(f"CREATE DATABASE {nombre}"))
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{nombre}"
    finally:
        with admin.connect() as conexion:
            if dialecto == "postgresql":
                conexion.execute(text(f"DROP DATABASE IF EXISTS {nombre} WITH (FORCE)"))
            else:
                conexion.execute(text(f"DROP DATABASE IF EXISTS {nombre}"))
        admin.dispose()


@pytest.fixture
def url_base(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh, empty database of the requested backend."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'prometeo.db'}"
    elif backend == "postgresql":
        exigir_servicio("postgresql")
        yield from _base_de_servidor(POSTGRES_ADMIN, "postgresql")
    elif backend == "mariadb":
        exigir_servicio("mariadb")
        yield from _base_de_servidor(MARIADB_ADMIN, "mariadb")
    else:  # pragma: no cover - a typo in a test's parametrization
        raise ValueError(backend)


@pytest.fixture
def engine(url_base: str) -> Iterator[Engine]:
    """A migrated engine on a fresh database."""
    motor = crear_engine(url_base)
    migrar(motor)
    yield motor
    motor.dispose()


BACKENDS = ["sqlite", "postgresql", "mariadb"]
todos_los_backends = pytest.mark.parametrize("url_base", BACKENDS, indirect=True)
