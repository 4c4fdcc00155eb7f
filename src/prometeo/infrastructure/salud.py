"""Health checks: does the database answer, can the broker be reached. Each answers
within a bound fit for a load balancer's probe and logs why when it fails."""

from __future__ import annotations

import logging
from typing import Any

import pika  # type: ignore[import-untyped]
from sqlalchemy import Engine, text

from prometeo.application.operacion import EstadoBroker

logger = logging.getLogger("prometeo.api.salud")

# A health check must answer fast even when the broker is unreachable.
_ESPERA_BROKER_SEGUNDOS = 2.0


def base_de_datos_responde(engine: Engine) -> bool:
    try:
        # DEFERRED: the check must not wait for (or block) a writer holding SQLite's lock.
        with engine.connect().execution_options(sqlite_begin="DEFERRED") as conexion:
            conexion.execute(text("SELECT 1"))
        return True
    except Exception:
        logger.warning("La base de datos no responde", exc_info=True)
        return False


def estado_broker(url: str | None) -> EstadoBroker:
    if not url:
        return "no configurado"
    try:
        parametros: Any = pika.URLParameters(url)
        parametros.connection_attempts = 1
        parametros.retry_delay = 0
        parametros.socket_timeout = _ESPERA_BROKER_SEGUNDOS
        parametros.stack_timeout = _ESPERA_BROKER_SEGUNDOS
        parametros.blocked_connection_timeout = _ESPERA_BROKER_SEGUNDOS
        pika.BlockingConnection(parametros).close()
        return "ok"
    except Exception:
        logger.warning("RabbitMQ no responde", exc_info=True)
        return "error"
