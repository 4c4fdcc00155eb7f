"""What the API tests share: the fixed "today", the admin token, and the settings of a
test server (SQLite, no broker)."""

from __future__ import annotations

import os
import socket
from datetime import date

import pytest

from prometeo.infrastructure.settings import Settings

HOY = date(2026, 11, 29)
TOKEN_ADMIN = "admin-de-pruebas-0123456789abcdefghijklmnopqrstuv"


def ajustes(url: str, **extra: object) -> Settings:
    valores: dict[str, object] = {
        "database_url": url,
        "hoy": HOY,
        "admin_token": TOKEN_ADMIN,
        "broker_url": None,
        "sqlite_synchronous": "NORMAL",
    }
    valores.update(extra)
    return Settings(**valores)  # type: ignore[arg-type]


def exigir_rabbitmq() -> None:
    """Skip (or, with PROMETEO_REQUIRE_SERVICES=1 as in CI, fail) without RabbitMQ.
    (The root conftest's helper cannot be imported from here: its module name is taken
    by this directory's conftest.)"""
    try:
        with socket.create_connection(("127.0.0.1", 5672), timeout=2):
            return
    except OSError:
        razon = "rabbitmq no responde en 127.0.0.1:5672"
        if os.environ.get("PROMETEO_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{razon} y PROMETEO_REQUIRE_SERVICES=1")
        pytest.skip(razon)
