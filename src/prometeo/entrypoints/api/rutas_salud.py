"""Health and metrics, without a token: for load balancers and Prometheus."""

from __future__ import annotations

import logging
from typing import Annotated, Any, Literal

import pika  # type: ignore[import-untyped]
from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import Engine, text

from prometeo.bootstrap import Aplicacion, refrescar_metricas
from prometeo.entrypoints.api.esquemas.sistema import Salud
from prometeo.entrypoints.api.seguridad import aplicacion
from prometeo.infrastructure.metricas import TIPO_CONTENIDO, Metricas, exponer

router = APIRouter(tags=["operación"])
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


def estado_broker(url: str | None) -> Literal["ok", "no configurado", "error"]:
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


@router.get(
    "/health",
    summary="Estado del servicio",
    description="Sin token. 200 si la base de datos responde, 503 si no. `broker` es "
    '"no configurado" mientras PROMETEO_BROKER_URL no esté definido.',
    responses={503: {"model": Salud, "description": "La base de datos no responde"}},
)
def salud(app: Annotated[Aplicacion, Depends(aplicacion)], respuesta: Response) -> Salud:
    base: Literal["ok", "error"] = "ok" if base_de_datos_responde(app.engine) else "error"
    broker = estado_broker(app.settings.broker_url)
    if base != "ok":
        respuesta.status_code = 503
    return Salud(status="ok" if base == "ok" else "error", database=base, broker=broker)


@router.get(
    "/metrics",
    summary="Métricas de Prometheus",
    description="Sin token. Formato de texto de Prometheus.",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
)
def metricas(request: Request) -> Response:
    registro: Metricas = request.app.state.metricas
    refrescar_metricas(request.app.state.aplicacion)
    return Response(content=exponer(registro), media_type=TIPO_CONTENIDO)
