"""Transferencias between bodegas (/bodega/transferencias): the person names the product,
the origin, the destination and the quantity, sees the lots that would move (FIFO, not
expired) with their cost, and only then confirms; afterwards, the lots that moved.

The confirmation form carries the values of the preview it sits under (hidden), so what
is confirmed is what was previewed; should the origin's stock change in between, the
page after shows what really moved."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from prometeo.application.comandos import TransferirStock
from prometeo.application.unidad_de_trabajo import Metadatos
from prometeo.domain.errores import NoEncontrado, ValorInvalido
from prometeo.entrypoints.web import bodega_lecturas as lecturas
from prometeo.entrypoints.web.avisos import Aviso, avisos_de
from prometeo.entrypoints.web.bodega_formularios import (
    SIN_CLAVE,
    Avisos,
    exigir_eleccion,
    responder,
    una_vez,
)
from prometeo.entrypoints.web.formato import cantidad_entrada, leer_cantidad
from prometeo.entrypoints.web.formularios import clave_idempotencia
from prometeo.entrypoints.web.paginas import pagina
from prometeo.entrypoints.web.sesiones import BODEGA, Persona, permitido

router = APIRouter(include_in_schema=False)

Bodeguero = Annotated[Persona, Depends(permitido(BODEGA, "abrir Bodega"))]
Texto = Annotated[str, Query(max_length=200)]


@dataclass(frozen=True, slots=True)
class Pedido:
    """A transfer read from the form, every field checked."""

    producto: Any
    origen: Any
    destino: Any
    cantidad: Decimal


def leer_pedido(persona: Persona, campos: dict[str, str], avisos: Avisos) -> Pedido | None:
    """The transfer the fields ask for, or None with each problem in `avisos`."""
    servicios = persona.servicios
    busqueda = lecturas.buscar_producto(
        servicios, campos.get("producto", ""), campos.get("producto_id", "")
    )
    if busqueda.aviso is not None:
        avisos.agregar(avisos_de(busqueda.aviso))
    lista = {b.id: b for b in lecturas.bodegas(servicios)}
    elegidas = []
    for campo, regla, mensaje in (
        ("origen", "OrigenElegido", "Elija la bodega de la que sale la mercadería"),
        ("destino", "DestinoElegido", "Elija la bodega que recibe la mercadería"),
    ):
        bodega = lista.get(campos.get(campo, ""))
        if bodega is None:
            avisos.agregar([Aviso(regla, mensaje)])
        elegidas.append(bodega)
    origen, destino = elegidas
    if origen is not None and origen is destino:
        avisos.agregar(
            [
                Aviso(
                    "TransferenciaEntreBodegasDistintas",
                    "La bodega de destino debe ser distinta de la de origen",
                )
            ]
        )
    pedida = None
    try:
        pedida = leer_cantidad(
            exigir_eleccion(
                campos.get("cantidad", "").strip(),
                "CantidadValida",
                "Escriba la cantidad que se transfiere",
            )
        )
        if pedida <= 0:
            raise ValorInvalido("CantidadPositiva", "La cantidad debe ser mayor que cero")
    except ValorInvalido as error:
        avisos.agregar(avisos_de(error))
    if avisos or busqueda.producto is None or pedida is None:
        return None
    return Pedido(busqueda.producto, origen, destino, pedida)


def _pantalla(
    request: Request,
    persona: Persona,
    campos: dict[str, str],
    *,
    avisos: Avisos | None = None,
    vista: bool = False,
    estado: int = 200,
    bloque: str | None = None,
) -> Response:
    """The transfer form with, when asked (`vista`), the lots that would move."""
    avisos = avisos or Avisos()
    pedido = leer_pedido(persona, campos, avisos) if vista else None
    preliminar = None
    if pedido is not None:
        preliminar = lecturas.vista_transferencia(
            persona.servicios, pedido.producto.id, pedido.origen.id, pedido.cantidad
        )
        ya_dicho = any(a.regla == "StockSuficiente" for a in avisos.por_campo.get("cantidad", []))
        if not preliminar.alcanza and not ya_dicho:
            avisos.agregar(
                [
                    Aviso(
                        "StockSuficiente",
                        f"En {lecturas.nombre_bodega(pedido.origen)} hay "
                        f"{preliminar.disponible} sin vencer de "
                        f"{lecturas.nombre_producto(pedido.producto)}: no alcanza para "
                        f"{preliminar.cantidad}",
                    )
                ]
            )
    busqueda = lecturas.buscar_producto(
        persona.servicios, campos.get("producto", ""), campos.get("producto_id", "")
    )
    return pagina(
        request,
        "bodega_transferencia.html",
        persona.sesion,
        estado=estado,
        bloque=bloque,
        bodegas=lecturas.bodegas(persona.servicios),
        activas=lecturas.bodegas(persona.servicios, solo_activas=True),
        valores=campos,
        avisos=avisos,
        candidatos=busqueda.candidatos,
        pedido=pedido,
        preliminar=preliminar,
        cantidad_entrada=cantidad_entrada(pedido.cantidad) if pedido else "",
        nombre_bodega=lecturas.nombre_bodega,
        nombre_producto=lecturas.nombre_producto,
        parcial=bloque is not None,
    )


@router.get("/bodega/transferencias", name="bodega_transferencias")
async def transferencias(
    request: Request,
    persona: Bodeguero,
    producto: Texto = "",
    producto_id: Texto = "",
    origen: Texto = "",
    destino: Texto = "",
    cantidad: Texto = "",
    vista: Texto = "",
) -> Response:
    campos = {
        "producto": producto,
        "producto_id": producto_id,
        "origen": origen,
        "destino": destino,
        "cantidad": cantidad,
    }
    parcial = bool(request.headers.get("hx-request")) and not request.headers.get("hx-boosted")
    return await run_in_threadpool(
        lambda: _pantalla(
            request, persona, campos, vista=bool(vista), bloque="vista" if parcial else None
        )
    )


def _transferir(request: Request, persona: Persona, campos: dict[str, str]) -> str | Response:
    servicios = persona.servicios
    avisos = Avisos()
    pedido = leer_pedido(persona, campos, avisos)
    clave = clave_idempotencia(request, campos)
    if clave is None:
        avisos.generales.append(SIN_CLAVE)
    if pedido is None or clave is None:
        return _pantalla(request, persona, campos, avisos=avisos, estado=422)
    comando = TransferirStock(
        pedido.producto.id, pedido.origen.id, pedido.destino.id, pedido.cantidad
    )

    def hacer(metadatos: Metadatos) -> str:
        hecha = servicios.inventario.transferir_stock(comando, metadatos)
        consulta = {
            "id": hecha.transferencia_id,
            "producto_id": comando.producto_id,
            "origen": comando.bodega_origen_id,
            "destino": comando.bodega_destino_id,
        }
        return "/bodega/transferencias/hecha?" + urlencode(consulta)

    destino = una_vez(request, persona, campos, clave, hacer, avisos)
    if destino is None:
        return _pantalla(request, persona, campos, avisos=avisos, vista=True, estado=422)
    return destino


@router.post("/bodega/transferencias")
async def transferir(request: Request, persona: Bodeguero) -> Response:
    return await responder(request, persona, _transferir)


def _hecha(persona: Persona, ids: dict[str, str]) -> dict[str, Any] | None:
    consultas = persona.servicios.consultas
    try:
        producto = consultas.producto(ids["producto_id"])
        origen, destino = consultas.bodega(ids["origen"]), consultas.bodega(ids["destino"])
    except NoEncontrado:
        return None
    filas = lecturas.movidos_en(persona.servicios, producto.id, destino.id, ids["id"])
    kardex = "/bodega/kardex?"
    return {
        "id": ids["id"],
        "producto": lecturas.nombre_producto(producto),
        "origen": lecturas.nombre_bodega(origen),
        "destino": lecturas.nombre_bodega(destino),
        "filas": filas,
        "kardex_origen": kardex + urlencode({"producto_id": producto.id, "bodega_id": origen.id}),
        "kardex_destino": kardex + urlencode({"producto_id": producto.id, "bodega_id": destino.id}),
    }


@router.get("/bodega/transferencias/hecha", name="bodega_transferencia_hecha")
async def hecha(
    request: Request,
    persona: Bodeguero,
    id: Texto = "",
    producto_id: Texto = "",
    origen: Texto = "",
    destino: Texto = "",
) -> Response:
    ids = {"id": id, "producto_id": producto_id, "origen": origen, "destino": destino}
    resultado = await run_in_threadpool(_hecha, persona, ids)
    return pagina(
        request,
        "bodega_transferencia_hecha.html",
        persona.sesion,
        estado=200 if resultado else 404,
        hecha=resultado,
    )
