"""Each person's home (/inicio: what their role may open) and the areas of the shop, each
behind the roles that may open it. The areas' own screens come with later work; until
then each says so."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from prometeo.domain.errores import NoEncontrado
from prometeo.entrypoints.web.paginas import AREAS, pagina
from prometeo.entrypoints.web.sesiones import TODOS, Persona, permitido

router = APIRouter(include_in_schema=False)


def _nombre_negocio(persona: Persona) -> str | None:
    try:
        emisor = persona.servicios.consultas.emisor()
    except NoEncontrado:
        return None
    return emisor.nombre_comercial or emisor.razon_social


@router.get("/inicio")
async def inicio(
    request: Request, persona: Annotated[Persona, Depends(permitido(TODOS, "ver su inicio"))]
) -> Response:
    negocio = await run_in_threadpool(_nombre_negocio, persona)
    return pagina(request, "inicio.html", persona.sesion, negocio=negocio)


def _area(ruta: str) -> None:
    area = next(a for a in AREAS if a.ruta == ruta)
    # A default, not an annotation: annotations are strings here, resolved in the module's
    # globals, where this closure's `area` does not exist.
    admitida = Depends(permitido(area.roles, f"abrir {area.nombre}"))

    async def en_construccion(request: Request, persona: Persona = admitida) -> Response:
        return pagina(request, "en_construccion.html", persona.sesion, area=area)

    router.add_api_route(ruta, en_construccion, methods=["GET"], name=ruta.strip("/"))


for _ruta in ("/caja", "/devoluciones", "/bodega", "/ajustes"):
    _area(_ruta)
