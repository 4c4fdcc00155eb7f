"""The owner's screen (/dueno, contador and admin): the day's and the month's sales, the
month's IVA per tarifa and the documents the SRI has not authorized yet. `?mes=AAAA-MM`
picks the month; with htmx only the panel is swapped. A document's RIDE opens here too,
under the session (the API's copy asks for a token), and so does any document's history
(/dueno/documento/{tipo}/{id}), found from the list or by its number."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from prometeo.domain.errores import NoEncontrado, ValorInvalido
from prometeo.entrypoints.ride import FACTURA, NOTA, ride
from prometeo.entrypoints.web.historia_documento import (
    TIPOS,
    armar_historia,
    buscar_documento,
    numero_buscado,
)
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


@router.get("/dueno/documento", name="dueno_buscar_documento")
async def buscar(
    request: Request,
    persona: Duenio,
    tipo: str = FACTURA,
    numero: str = "",
) -> Response:
    """The history of the document with this number, or the search again with why not."""
    tipo, numero = tipo[:2], numero[:40]  # longer is no document type nor number
    try:
        destino = await run_in_threadpool(buscar_documento, persona.servicios, tipo, numero)
    except ValorInvalido as error:
        mensaje, estado = error.errores[0].mensaje, 422
    except NoEncontrado:
        nombre = TIPOS.get(tipo, "documento").lower()
        buscado = numero_buscado(numero)
        mensaje, estado = f"No hay una {nombre} emitida con el número {buscado}.", 404
    else:
        return RedirectResponse(destino, status_code=303)
    return pagina(
        request,
        "historia_documento.html",
        persona.sesion,
        estado=estado,
        historia=None,
        tipos=TIPOS,
        tipo=tipo,
        numero=numero,
        error=mensaje,
    )


@router.get("/dueno/documento/{tipo}/{documento_id}", name="dueno_documento")
async def historia(request: Request, tipo: str, documento_id: str, persona: Duenio) -> Response:
    if tipo not in TIPOS or len(documento_id) > 100:
        raise HTTPException(404)
    try:
        vista = await run_in_threadpool(armar_historia, persona.servicios, tipo, documento_id)
    except NoEncontrado:
        raise HTTPException(404) from None
    return pagina(
        request,
        "historia_documento.html",
        persona.sesion,
        historia=vista,
        tipos=TIPOS,
        tipo=tipo,
        numero="",
        error=None,
    )
