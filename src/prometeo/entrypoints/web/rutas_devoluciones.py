"""Returns (/devoluciones, cajero and admin): find an emitted factura, see per line what
can still be credited, and turn chosen lines into a nota de crédito with the same command
the JSON API's POST /notas-credito runs. The nota's RIDE opens here too, under the
session.

A refused nota (more than what remains, an annulled factura...) shows the form again,
422, with the domain's own messages beside it; nothing was written. The write runs once
per form (escribir_una_vez): a double submit makes one nota."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from prometeo.application.unidad_de_trabajo import Metadatos
from prometeo.domain.errores import NoEncontrado
from prometeo.entrypoints.ride import FACTURA, NOTA, ride
from prometeo.entrypoints.web.avisos import RECHAZOS, Aviso, avisos_de
from prometeo.entrypoints.web.devoluciones_busqueda import buscar
from prometeo.entrypoints.web.devoluciones_factura import DetalleFactura, detalle_factura
from prometeo.entrypoints.web.devoluciones_formulario import (
    Devolucion,
    campo_cantidad,
    campo_valor,
    leer_devolucion,
    vacia,
)
from prometeo.entrypoints.web.devoluciones_nota import Prevista, nota_emitida, prevista_de
from prometeo.entrypoints.web.escrituras import (
    EscrituraNoRepetible,
    escribir_una_vez,
    huella_de,
)
from prometeo.entrypoints.web.formularios import (
    clave_idempotencia,
    comprobar_csrf,
    formulario,
)
from prometeo.entrypoints.web.paginas import pagina
from prometeo.entrypoints.web.sesiones import CAJA, Persona, permitido

router = APIRouter(include_in_schema=False)

Cajero = Annotated[Persona, Depends(permitido(CAJA, "hacer devoluciones"))]
# Ids are the API's (uuids or the caller's own): anything longer names nothing.
_LARGO_MAXIMO_ID = 100
# The field a refused rule is told beside; any other rule is told above the lines.
_CAMPO_DE_REGLA = {
    "MotivoModificacionValido": "motivo",
    "LineaValorSinDevolucion": "devolucion",
    "InventarioExisteParaNotaCredito": "devolucion",
}


def _exigir_id(documento_id: str) -> None:
    if len(documento_id) > _LARGO_MAXIMO_ID:
        raise HTTPException(404)


@router.get("/devoluciones", name="devoluciones")
async def devoluciones(request: Request, persona: Cajero) -> Response:
    busqueda = await run_in_threadpool(
        buscar, persona.servicios, dict(request.query_params.items())
    )
    return pagina(
        request,
        "devoluciones.html",
        persona.sesion,
        estado=422 if busqueda.avisos else 200,
        busqueda=busqueda,
    )


async def _detalle(persona: Persona, factura_id: str) -> DetalleFactura:
    _exigir_id(factura_id)
    try:
        return await run_in_threadpool(detalle_factura, persona.servicios, factura_id)
    except NoEncontrado:
        raise HTTPException(404) from None


def _pantalla_factura(
    request: Request,
    persona: Persona,
    detalle: DetalleFactura,
    devolucion: Devolucion,
    rechazos: list[Aviso] | None = None,
    estado: int = 200,
    prevista: Prevista | None = None,
) -> Response:
    avisos = dict(devolucion.avisos)
    generales = []
    for aviso in rechazos or []:
        campo = _CAMPO_DE_REGLA.get(aviso.regla)
        if campo is None:
            generales.append(aviso.mensaje)
        else:
            avisos[campo] = " ".join(filter(None, (avisos.get(campo), aviso.mensaje)))
    return pagina(
        request,
        "devoluciones_factura.html",
        persona.sesion,
        estado=estado,
        factura=detalle,
        devolucion=devolucion,
        avisos=avisos,
        generales=generales,
        prevista=prevista,
        campo_cantidad=campo_cantidad,
        campo_valor=campo_valor,
    )


@router.get("/devoluciones/factura/{factura_id}", name="devoluciones_factura")
async def factura(request: Request, factura_id: str, persona: Cajero) -> Response:
    detalle = await _detalle(persona, factura_id)
    return _pantalla_factura(request, persona, detalle, vacia())


@router.post("/devoluciones/factura/{factura_id}")
async def emitir(request: Request, factura_id: str, persona: Cajero) -> Response:
    campos = await formulario(request)
    comprobar_csrf(persona.sesion.csrf, request, campos)
    clave = clave_idempotencia(request, campos)
    if clave is None:
        raise EscrituraNoRepetible(
            400, "El formulario no trae su clave de envío. Vuelva a abrir la pantalla."
        )
    detalle = await _detalle(persona, factura_id)
    devolucion = leer_devolucion(detalle, campos)
    if devolucion.comando is None:
        return _pantalla_factura(request, persona, detalle, devolucion, estado=422)
    comando = devolucion.comando
    servicios = persona.servicios

    def hacer(metadatos: Metadatos) -> str:
        emitida = servicios.notas_credito.emitir_nota_credito(comando, metadatos)
        # Where it leads reads the nota and what remains of the factura: with read models
        # moved by a separate worker, only once they have applied it (never a 404).
        servicios.consultas.al_dia(("notas_credito", "facturas"))
        return f"/devoluciones/nota/{emitida.id}"

    try:
        destino = await run_in_threadpool(
            escribir_una_vez,
            servicios,
            persona.sesion,
            clave,
            huella_de(request.url.path, campos),
            hacer,
        )
    except RECHAZOS as error:
        return _pantalla_factura(
            request, persona, detalle, devolucion, avisos_de(error), estado=422
        )
    return RedirectResponse(destino, status_code=303)


@router.post("/devoluciones/factura/{factura_id}/revisar")
async def revisar(request: Request, factura_id: str, persona: Cajero) -> Response:
    """What the nota would credit (a dry run, nothing written): with htmx only the
    preview is answered (200 also for a refusal, so that htmx shows it); without, the
    whole form again with the preview."""
    campos = await formulario(request)
    comprobar_csrf(persona.sesion.csrf, request, campos)
    detalle = await _detalle(persona, factura_id)
    devolucion = leer_devolucion(detalle, campos)
    comando = devolucion.comando
    prevista: Prevista | None = None
    if devolucion.avisos:
        prevista = Prevista(avisos=tuple(devolucion.avisos.values()))
    elif comando is not None and comando.lineas:
        try:
            nota = await run_in_threadpool(
                persona.servicios.notas_credito.revisar_nota_credito, comando
            )
            prevista = prevista_de(nota)
        except RECHAZOS as error:
            prevista = Prevista(avisos=tuple(a.mensaje for a in avisos_de(error)))
    if request.headers.get("hx-request"):
        return pagina(
            request,
            "devoluciones_factura.html",
            persona.sesion,
            bloque="prevista",
            prevista=prevista,
        )
    estado = 422 if prevista is not None and prevista.avisos else 200
    return _pantalla_factura(
        request, persona, detalle, devolucion, estado=estado, prevista=prevista
    )


@router.get("/devoluciones/nota/{nota_id}", name="devoluciones_nota")
async def nota(request: Request, nota_id: str, persona: Cajero) -> Response:
    _exigir_id(nota_id)
    try:
        emitida = await run_in_threadpool(nota_emitida, persona.servicios, nota_id)
    except NoEncontrado:
        raise HTTPException(404) from None
    return pagina(request, "devoluciones_nota.html", persona.sesion, nota=emitida)


# The RIDE's paths name the document as people do; the SRI's codes stay inside.
_TIPOS = {"factura": FACTURA, "nota": NOTA}


@router.get("/devoluciones/ride/{tipo}/{documento_id}", name="devoluciones_ride")
def ride_de_devoluciones(tipo: str, documento_id: str, persona: Cajero) -> Response:
    if tipo not in _TIPOS or len(documento_id) > _LARGO_MAXIMO_ID:
        raise HTTPException(404)
    return ride(persona.servicios, _TIPOS[tipo], documento_id)
