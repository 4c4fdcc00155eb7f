"""The screens mounted on the HTTP API's app: their routes, their local files under
/estaticos, and the pages that answer a missing session, a role that may not enter, a
form without its CSRF token."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from prometeo.entrypoints.web import (
    rutas_ajustes,
    rutas_areas,
    rutas_bodega,
    rutas_caja,
    rutas_devoluciones,
    rutas_duenio,
    rutas_ingreso,
)
from prometeo.entrypoints.web.bloqueo import BloqueoIngresos
from prometeo.entrypoints.web.escrituras import EscrituraNoRepetible
from prometeo.entrypoints.web.formularios import CsrfNoValido
from prometeo.entrypoints.web.paginas import CARPETA, pagina
from prometeo.entrypoints.web.sesiones import RolNoPermitido, SinSesion, sesion_de

ESTATICOS = "/estaticos"


@dataclass
class EstadoWeb:
    """What the screens keep in the process: the pause after failed sign-ins."""

    bloqueo: BloqueoIngresos = field(default_factory=BloqueoIngresos)


def montar_web(app: FastAPI) -> None:
    app.state.web = EstadoWeb()
    app.include_router(rutas_ingreso.router)
    app.include_router(rutas_caja.router)
    app.include_router(rutas_devoluciones.router)
    app.include_router(rutas_bodega.router)
    app.include_router(rutas_duenio.router)
    app.include_router(rutas_ajustes.router)
    app.include_router(rutas_areas.router)
    app.mount(ESTATICOS, StaticFiles(directory=CARPETA / "estaticos"), name="estaticos")
    app.add_exception_handler(SinSesion, _sin_sesion)
    app.add_exception_handler(RolNoPermitido, _rol_no_permitido)
    app.add_exception_handler(CsrfNoValido, _csrf_no_valido)
    app.add_exception_handler(EscrituraNoRepetible, _escritura_no_repetible)
    # A page that does not exist, asked for by a browser outside /api, is a page too (the
    # API's answers, problem+json, stay as they are).
    del_api = app.exception_handlers[HTTPException]
    app.add_exception_handler(HTTPException, _http_para_personas(del_api))


Manejador = Callable[[Request, Exception], Response | Awaitable[Response]]

_TITULOS = {404: "No existe esta página", 405: "No se puede hacer esto aquí"}


def _http_para_personas(del_api: Manejador) -> Manejador:
    async def manejar(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        para_personas = not request.url.path.startswith("/api") and "text/html" in (
            request.headers.get("accept", "")
        )
        if not para_personas or error.status_code not in _TITULOS:
            respuesta = del_api(request, error)
            return respuesta if isinstance(respuesta, Response) else await respuesta
        return pagina(
            request,
            "error.html",
            await sesion_de(request),
            estado=error.status_code,
            titulo=_TITULOS[error.status_code],
            mensaje="Revise la dirección, o vuelva al inicio y elija desde el menú.",
        )

    return manejar


async def _sin_sesion(request: Request, error: Exception) -> Response:
    assert isinstance(error, SinSesion)
    destino = "/ingresar"
    if error.siguiente not in ("/", "/inicio"):
        destino += "?" + urlencode({"siguiente": error.siguiente})
    if request.headers.get("hx-request"):
        # htmx follows HX-Redirect with a full page load (a 303 would be swapped in).
        return Response(status_code=204, headers={"HX-Redirect": destino})
    return RedirectResponse(destino, status_code=303)


async def _rol_no_permitido(request: Request, error: Exception) -> Response:
    assert isinstance(error, RolNoPermitido)
    return pagina(
        request,
        "error.html",
        error.sesion,
        estado=403,
        titulo="Sin permiso",
        mensaje=f"Su rol no puede {error.area}. Pida ayuda a un administrador si lo necesita.",
    )


async def _csrf_no_valido(request: Request, _: Exception) -> Response:
    sesion = await sesion_de(request)
    return pagina(
        request,
        "error.html",
        sesion,
        estado=403,
        titulo="Formulario no válido",
        mensaje=(
            "El formulario no trae la marca de seguridad de su sesión (quizá la página "
            "estaba abierta desde antes de ingresar). Vuelva a la página y envíelo otra vez."
        ),
    )


async def _escritura_no_repetible(request: Request, error: Exception) -> Response:
    assert isinstance(error, EscrituraNoRepetible)
    return pagina(
        request,
        "error.html",
        await sesion_de(request),
        estado=error.estado,
        titulo="Operación ya enviada",
        mensaje=error.mensaje,
    )
