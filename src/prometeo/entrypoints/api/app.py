"""The FastAPI application: `crear_app()` wires it; importing this module does nothing.

`uvicorn --factory prometeo.entrypoints.api.app:crear_app` (what `prometeo serve
--workers N` runs) gives each worker process its own bootstrap."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.types import ASGIApp, Receive, Scope, Send

from prometeo.application.operacion import ServicioOperacion
from prometeo.bootstrap import Aplicacion, bootstrap, crear_servicios
from prometeo.entrypoints.api import (
    rutas_catalogo,
    rutas_comprobantes,
    rutas_facturas,
    rutas_inventario,
    rutas_notas_credito,
    rutas_reportes,
    rutas_salud,
    rutas_sistema,
)
from prometeo.entrypoints.api.documentacion import montar_documentacion
from prometeo.entrypoints.api.errores import TIPO_PROBLEMA, registrar_manejadores
from prometeo.entrypoints.api.esquemas.comunes import Problema
from prometeo.entrypoints.api.guardia import GuardiaHttp
from prometeo.entrypoints.api.hilos import limitador_comandos
from prometeo.entrypoints.api.idempotencia import MiddlewareIdempotencia
from prometeo.entrypoints.api.intentos import LimitadorFallos
from prometeo.entrypoints.api.parametros import parametros_de_consulta_validos
from prometeo.entrypoints.web.montaje import montar_web

PREFIJO = "/api/v1"
DESCRIPCION = """
Facturación e inventario para negocios ecuatorianos (event sourcing, CQRS).

Todo lo que está bajo `/api/v1` exige `Authorization: Bearer <token>`. Roles: **admin**
(todo), **cajero** (facturas, notas de crédito y lecturas), **bodeguero** (ingresos y
transferencias de inventario, y lecturas), **contador** (solo lecturas). El catálogo
(emisor, sucursales, puntos de emisión, bodegas, productos, clientes) solo lo modifica admin.

Los valores decimales se responden como texto (`"138.00"`); las solicitudes aceptan texto o
número. Los errores son `application/problem+json` con `errores`: cada regla de negocio
incumplida por su nombre (p. ej. `StockSuficienteParaFactura`).
"""

_RESPUESTAS_ERROR: dict[int | str, dict[str, Any]] = {
    400: {"model": Problema, "description": "El cuerpo no es JSON válido"},
    401: {"model": Problema, "description": "Falta el token o no es válido"},
    403: {"model": Problema, "description": "El rol no puede hacer esto"},
    404: {"model": Problema, "description": "No existe el recurso"},
    409: {"model": Problema, "description": "Duplicado o conflicto de concurrencia"},
    413: {"model": Problema, "description": "El cuerpo supera PROMETEO_LIMITE_CUERPO"},
    422: {"model": Problema, "description": "Datos inválidos o reglas de negocio incumplidas"},
    429: {
        "model": Problema,
        "description": "Demasiados tokens no válidos desde esta dirección (véase Retry-After)",
    },
    500: {"model": Problema, "description": "Error inesperado (sin detalles internos)"},
    503: {
        "model": Problema,
        "description": "La base de datos está ocupada por otra escritura (véase Retry-After)",
    },
}


class MedirComandos:
    """Records how long each command (a write: POST, PUT, PATCH, DELETE) takes, labelled
    by method and route template, e.g. `POST /api/v1/facturas/{factura_id}/emitir` (never
    the ids themselves: a label per factura would swamp Prometheus)."""

    def __init__(self, app: ASGIApp, operacion: ServicioOperacion) -> None:
        self.app = app
        self.operacion = operacion

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        inicio = time.perf_counter()
        try:
            await self.app(scope, receive, send)
        finally:
            ruta = plantilla_de_ruta(scope)
            if ruta is not None:
                self.operacion.medir_comando(
                    f"{scope['method']} {ruta}", time.perf_counter() - inicio
                )


def plantilla_de_ruta(scope: Scope) -> str | None:
    """The template of the route that served the request, with the prefixes of the routers
    that include it: the matched route knows only its own part of the path."""
    ruta = scope.get("route")
    formato = getattr(ruta, "path_format", None)
    patron = getattr(ruta, "path_regex", None)
    if not isinstance(formato, str) or patron is None:
        return None
    camino: str = scope.get("path", "")
    for i, caracter in enumerate(camino):
        if caracter == "/" and patron.match(camino[i:]):
            return camino[:i] + formato
    return None


def crear_app(aplicacion: Aplicacion | None = None, *, propia: bool = False) -> FastAPI:
    """The HTTP API on `aplicacion`, or on a fresh bootstrap from the environment; closed
    when the server stops if it built it or was handed it as `propia`. The routes see only
    its `Servicios` (`app.state.servicios`)."""
    propia = propia or aplicacion is None
    wired = aplicacion if aplicacion is not None else bootstrap()

    @asynccontextmanager
    async def ciclo_de_vida(_: FastAPI) -> AsyncIterator[None]:
        yield
        if propia:
            wired.cerrar()

    app = FastAPI(
        title="prometeo",
        version="1.0.0",
        description=DESCRIPCION,
        lifespan=ciclo_de_vida,
        # /docs is served from local files (documentacion.py); ReDoc only from a CDN.
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(parametros_de_consulta_validos)],
        openapi_tags=[
            {"name": "catálogo", "description": "Datos de referencia. Escribir: solo admin."},
            {"name": "inventario", "description": "Lotes FIFO, stock, kardex."},
            {"name": "facturas", "description": "Facturas de venta."},
            {"name": "notas de crédito", "description": "Notas de crédito sobre facturas."},
            {"name": "reportes", "description": "Ventas, márgenes y stock; JSON, CSV o XLSX."},
            {"name": "sistema", "description": "Registro de eventos y tokens."},
            {"name": "operación", "description": "Salud y métricas, sin token."},
        ],
    )
    servicios = crear_servicios(wired)
    app.state.servicios = servicios
    app.state.limitador_comandos = limitador_comandos(servicios)
    app.state.limitador_fallos = LimitadorFallos()
    registrar_manejadores(app)
    app.add_middleware(MedirComandos, operacion=servicios.operacion)
    # Outermost of the two: a replayed answer is not a command to measure.
    app.add_middleware(MiddlewareIdempotencia, registro=lambda: servicios.idempotencia)
    # Added last, so it runs first: nothing reads a request (the idempotency middleware
    # reads the body of a write) before its door.
    app.add_middleware(
        GuardiaHttp,
        tokens=servicios.tokens,
        limitador=app.state.limitador_fallos,
        limite_cuerpo=wired.settings.limite_cuerpo,
    )

    # Each module's router straight under the app: FastAPI matches a request by walking
    # the tree of included routers, twice per level, so one level less is less routing.
    # The busiest first: FastAPI tries the routes in order, so every route ahead of the
    # facturas' is tried, and fails, on each factura request. The paths do not overlap, so
    # the order changes nothing else; the documentation groups them by tag, in the order of
    # `openapi_tags`.
    for modulo in (
        rutas_facturas,
        rutas_notas_credito,
        rutas_comprobantes,
        rutas_inventario,
        rutas_catalogo,
        rutas_reportes,
        rutas_sistema,
    ):
        app.include_router(modulo.router, prefix=PREFIJO, responses=_RESPUESTAS_ERROR)
    app.include_router(rutas_salud.router)
    montar_documentacion(app)
    # The people's screens under / (sessions, not tokens: the door above guards /api only).
    montar_web(app)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, with errors documented as application/problem+json (what the
    API really sends) instead of FastAPI's default application/json."""
    if app.openapi_schema is not None:
        return app.openapi_schema
    esquema = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    for operaciones in esquema.get("paths", {}).values():
        for operacion in operaciones.values():
            for codigo, respuesta in operacion.get("responses", {}).items():
                contenido = respuesta.get("content", {})
                if str(codigo).startswith(("4", "5")) and "application/json" in contenido:
                    if codigo == "503":
                        continue
                    contenido[TIPO_PROBLEMA] = contenido.pop("application/json")
    app.openapi_schema = esquema
    return esquema
