"""Health and metrics, without a token: for load balancers and Prometheus."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Response

from prometeo.bootstrap import Servicios
from prometeo.entrypoints.api.esquemas.sistema import Salud, SaludSri
from prometeo.entrypoints.api.seguridad import servicios

router = APIRouter(tags=["operación"])


@router.get(
    "/health",
    summary="Estado del servicio",
    description="Sin token. 200 si la base de datos responde, 503 si no. `broker` es "
    '"no configurado" mientras PROMETEO_BROKER_URL no esté definido; `sri` dice si hay un '
    "certificado de firma utilizable y cuántos comprobantes esperan su firma; `aparcados`, "
    "los eventos que el relay o el worker no pudieron procesar.",
    responses={503: {"model": Salud, "description": "La base de datos no responde"}},
)
def salud(wired: Annotated[Servicios, Depends(servicios)], respuesta: Response) -> Salud:
    base: Literal["ok", "error"] = "ok" if wired.operacion.base_de_datos_responde() else "error"
    broker = wired.operacion.estado_broker()
    if base != "ok":
        respuesta.status_code = 503
        return Salud(status="error", database=base, broker=broker)
    sri = wired.operacion.estado_comprobantes()
    return Salud(
        status="ok",
        database=base,
        broker=broker,
        aparcados=wired.operacion.eventos_aparcados(),
        sri=SaludSri(
            envio=sri.envio,  # type: ignore[arg-type]
            certificado=sri.certificado,
            detalle=sri.detalle,
            pendientes=sri.pendientes,
            despacho=sri.despacho,  # type: ignore[arg-type]
            error_sri=sri.error_sri,
            en_curso=sri.en_curso,
            segundos_sin_autorizar=sri.segundos_sin_autorizar,
        ),
    )


@router.get(
    "/metrics",
    summary="Métricas de Prometheus",
    description="Sin token. Formato de texto de Prometheus.",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
)
def metricas(wired: Annotated[Servicios, Depends(servicios)]) -> Response:
    exposicion = wired.operacion.exponer_metricas()
    return Response(content=exposicion.contenido, media_type=exposicion.tipo_contenido)
