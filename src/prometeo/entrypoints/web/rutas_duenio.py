"""The owner's screen (/dueno, contador and admin): the day's and the month's sales, the
month's IVA per tarifa and the documents the SRI has not authorized yet. `?mes=AAAA-MM`
picks the month; with htmx only the panel is swapped. A document's RIDE opens here too,
under the session (the API's copy asks for a token)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from prometeo.entrypoints.ride import FACTURA, NOTA, ride
from prometeo.entrypoints.web.paginas import pagina
from prometeo.entrypoints.web.panel_duenio import armar_panel
from prometeo.entrypoints.web.sesiones import DUENO, Persona, permitido

router = APIRouter(include_in_schema=False)

Duenio = Annotated[Persona, Depends(permitido(DUENO, "abrir Dueño"))]


@router.get("/dueno", name="dueno")
async def dueno(
    request: Request,
    persona: Duenio,
    mes: Annotated[str | None, Query(max_length=7)] = None,
) -> Response:
    panel = await run_in_threadpool(armar_panel, persona.servicios, mes)
    parcial = request.headers.get("hx-request") and not request.headers.get("hx-boosted")
    return pagina(
        request,
        "dueno.html",
        persona.sesion,
        bloque="panel" if parcial else None,
        panel=panel,
    )


@router.get("/dueno/ride/{tipo}/{documento_id}", name="dueno_ride")
def ride_del_duenio(tipo: str, documento_id: str, persona: Duenio) -> Response:
    if tipo not in (FACTURA, NOTA) or len(documento_id) > 100:
        raise HTTPException(404)
    return ride(persona.servicios, tipo, documento_id)
