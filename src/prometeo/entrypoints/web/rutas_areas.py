"""Each person's home (/inicio): the areas of the shop their role may open (each area's
screens are in its own rutas_<area>.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from prometeo.domain.errores import NoEncontrado
from prometeo.entrypoints.web.paginas import pagina
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
