"""The warehouse (/bodega, bodeguero and admin): the stock of a bodega with what is below
its minimum and the lots near expiry, ingresos (a new lot with its cost and expiry),
transferencias (the lots that would move shown before confirming) and the kardex of a
product in a bodega with its lots.

Every write runs once per idempotency key (escrituras.py) and answers with a redirect to
what it did; a refused one shows the form again, 422, with the API's messages beside the
fields, nothing written."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from prometeo.application.comandos import RegistrarIngreso
from prometeo.application.unidad_de_trabajo import Metadatos
from prometeo.domain.errores import NoEncontrado, ValorInvalido
from prometeo.entrypoints.web import bodega_lecturas as lecturas
from prometeo.entrypoints.web import bodega_stock, bodega_transferencias
from prometeo.entrypoints.web.avisos import avisos_de
from prometeo.entrypoints.web.bodega_formularios import (
    SIN_CLAVE,
    Avisos,
    exigir_eleccion,
    leer_caducidad,
    leer_costo,
    responder,
    una_vez,
)
from prometeo.entrypoints.web.formato import leer_cantidad
from prometeo.entrypoints.web.formularios import clave_idempotencia
from prometeo.entrypoints.web.paginas import pagina
from prometeo.entrypoints.web.sesiones import BODEGA, Persona, permitido

router = APIRouter(include_in_schema=False)
router.include_router(bodega_transferencias.router)

Bodeguero = Annotated[Persona, Depends(permitido(BODEGA, "abrir Bodega"))]
Texto = Annotated[str, Query(max_length=200)]


@router.get("/bodega", name="bodega")
async def stock(
    request: Request,
    persona: Bodeguero,
    bodega_id: Texto = "",
    bajo_minimo: Texto = "",
    desde: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    servicios = persona.servicios
    lista = await run_in_threadpool(lecturas.bodegas, servicios)
    bodega = lecturas.bodega_elegida(lista, bodega_id)
    datos = None
    if bodega is not None:
        datos = await run_in_threadpool(
            bodega_stock.stock_de, servicios, bodega.id, bool(bajo_minimo), desde
        )
    return pagina(
        request,
        "bodega.html",
        persona.sesion,
        bodegas=lista,
        bodega=bodega,
        stock=datos,
        bajo_minimo=bool(bajo_minimo),
        dias_por_vencer=bodega_stock.DIAS_POR_VENCER,
    )


@router.get("/bodega/buscar", name="bodega_buscar")
async def buscar(request: Request, persona: Bodeguero, producto: Texto = "") -> Response:
    """The matches of what was typed in a "Producto" field (an htmx fragment)."""
    encontrados = await run_in_threadpool(lecturas.candidatos, persona.servicios, producto)
    return pagina(
        request,
        "bodega_candidatos.html",
        persona.sesion,
        candidatos=encontrados,
        texto=producto.strip(),
    )


# -- Ingresos ------------------------------------------------------------------------------


def _ingreso(
    request: Request,
    persona: Persona,
    valores: dict[str, str],
    avisos: Avisos | None = None,
    candidatos: tuple[Any, ...] = (),
    hecho: dict[str, Any] | None = None,
    estado: int = 200,
) -> Response:
    return pagina(
        request,
        "bodega_ingreso.html",
        persona.sesion,
        estado=estado,
        bodegas=lecturas.bodegas(persona.servicios, solo_activas=True),
        valores=valores,
        avisos=avisos or Avisos(),
        candidatos=candidatos,
        hecho=hecho,
    )


def _lote_ingresado(persona: Persona, lote: str, producto_id: str, bodega_id: str) -> Any:
    servicios = persona.servicios
    try:
        producto = servicios.consultas.producto(producto_id)
        bodega = servicios.consultas.bodega(bodega_id)
    except NoEncontrado:
        return None
    del_lote = next(
        (x for x in lecturas.lotes_de(servicios, producto_id, bodega_id) if x.lote_id == lote),
        None,
    )
    return {
        "lote_id": lote,
        "producto": lecturas.nombre_producto(producto),
        "bodega": lecturas.nombre_bodega(bodega),
        "fila": None
        if del_lote is None
        else lecturas.fila_lote(del_lote, del_lote.cantidad_inicial),
        "kardex": "/bodega/kardex?"
        + urlencode({"producto_id": producto_id, "bodega_id": bodega_id}),
    }


@router.get("/bodega/ingresos", name="bodega_ingresos")
async def ingresos(
    request: Request,
    persona: Bodeguero,
    lote: Texto = "",
    producto_id: Texto = "",
    bodega_id: Texto = "",
) -> Response:
    hecho = None
    if lote:
        hecho = await run_in_threadpool(_lote_ingresado, persona, lote, producto_id, bodega_id)
    valores = {"bodega_id": bodega_id}
    return await run_in_threadpool(_ingreso, request, persona, valores, None, (), hecho)


def _registrar_ingreso(
    request: Request, persona: Persona, campos: dict[str, str]
) -> str | Response:
    """The redirect after the ingreso, or the form again with what broke."""
    servicios = persona.servicios
    avisos = Avisos()
    busqueda = lecturas.buscar_producto(
        servicios, campos.get("producto", ""), campos.get("producto_id", "")
    )
    if busqueda.aviso is not None:
        avisos.agregar(avisos_de(busqueda.aviso))
    lecturas_campo = (
        (
            "bodega",
            lambda: exigir_eleccion(
                campos.get("bodega_id", ""), "BodegaElegida", "Elija la bodega que recibe"
            ),
        ),
        ("cantidad", lambda: leer_cantidad(campos.get("cantidad", ""))),
        ("costo", lambda: leer_costo(campos.get("costo", ""))),
        ("caducidad", lambda: leer_caducidad(campos.get("caducidad", ""))),
    )
    leidos: dict[str, Any] = {}
    for nombre, leer in lecturas_campo:
        try:
            leidos[nombre] = leer()
        except ValorInvalido as error:
            avisos.agregar(avisos_de(error))
    clave = clave_idempotencia(request, campos)
    if clave is None:
        avisos.generales.append(SIN_CLAVE)
    if avisos:
        return _ingreso(request, persona, campos, avisos, busqueda.candidatos, estado=422)
    producto = busqueda.producto
    assert producto is not None
    assert clave is not None
    comando = RegistrarIngreso(
        producto.id,
        leidos["bodega"],
        leidos["cantidad"],
        leidos["costo"],
        leidos["caducidad"],
        campos.get("referencia", "").strip() or None,
    )

    def hacer(metadatos: Metadatos) -> str:
        hecho = servicios.inventario.registrar_ingreso(comando, metadatos)
        consulta = {
            "lote": hecho.lote_id,
            "producto_id": producto.id,
            "bodega_id": comando.bodega_id,
        }
        return "/bodega/ingresos?" + urlencode(consulta)

    destino = una_vez(request, persona, campos, clave, hacer, avisos)
    if destino is None:
        return _ingreso(request, persona, campos, avisos, busqueda.candidatos, estado=422)
    return destino


@router.post("/bodega/ingresos")
async def registrar_ingreso(request: Request, persona: Bodeguero) -> Response:
    return await responder(request, persona, _registrar_ingreso)


# -- Kardex --------------------------------------------------------------------------------


def _kardex(persona: Persona, texto: str, producto_id: str, bodega_id: str) -> dict[str, Any]:
    servicios = persona.servicios
    lista = lecturas.bodegas(servicios)
    bodega = lecturas.bodega_elegida(lista, bodega_id)
    avisos = Avisos()
    busqueda = None
    if texto or producto_id:
        busqueda = lecturas.buscar_producto(servicios, texto, producto_id)
        if busqueda.aviso is not None:
            avisos.agregar(avisos_de(busqueda.aviso))
    producto = busqueda.producto if busqueda else None
    datos = None
    if producto is not None and bodega is not None:
        datos = lecturas.kardex_de(servicios, producto.id, bodega.id)
    return {
        "bodegas": lista,
        "bodega": bodega,
        "producto": producto,
        "candidatos": busqueda.candidatos if busqueda else (),
        "valores": {
            "producto": texto or (producto.codigo if producto else ""),
            "bodega_id": bodega.id if bodega else bodega_id,
        },
        "avisos": avisos,
        "kardex": datos,
        "titulo_producto": lecturas.nombre_producto(producto) if producto else "",
        "titulo_bodega": lecturas.nombre_bodega(bodega) if bodega else "",
    }


@router.get("/bodega/kardex", name="bodega_kardex")
async def kardex(
    request: Request,
    persona: Bodeguero,
    producto: Texto = "",
    producto_id: Texto = "",
    bodega_id: Texto = "",
) -> Response:
    contexto = await run_in_threadpool(_kardex, persona, producto, producto_id, bodega_id)
    return pagina(request, "bodega_kardex.html", persona.sesion, **contexto)
