"""The screens mounted on the HTTP API's app: their routes, their local files under
/estaticos, and the pages that answer a missing session, a role that may not enter, a
form without its CSRF token."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from starlette.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from prometeo.entrypoints.web import rutas_areas, rutas_ingreso
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
    app.include_router(rutas_areas.router)
    app.mount(ESTATICOS, StaticFiles(directory=CARPETA / "estaticos"), name="estaticos")
    app.add_exception_handler(SinSesion, _sin_sesion)
    app.add_exception_handler(RolNoPermitido, _rol_no_permitido)
    app.add_exception_handler(CsrfNoValido, _csrf_no_valido)
    app.add_exception_handler(EscrituraNoRepetible, _escritura_no_repetible)


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
