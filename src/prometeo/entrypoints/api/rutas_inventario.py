"""Inventario: entries and transfers (admin, bodeguero) and the FIFO reads (every role).

Entries and transfers are commands: coroutines that run in a thread, one of a few at once
(`Contexto.comando`, hilos.py)."""

from __future__ import annotations

from fastapi import APIRouter

from prometeo.entrypoints.api.esquemas.inventario import (
    IngresoEntrada,
    IngresoRespuesta,
    Kardex,
    ListaLotes,
    ListaStock,
    LoteRespuesta,
    MovimientoRespuesta,
    StockRespuesta,
    TransferenciaEntrada,
    TransferenciaRespuesta,
)
from prometeo.entrypoints.api.parametros import (
    PAGINADA,
    BodegaFiltro,
    BodegaRequerida,
    Desplazamiento,
    Limite,
    ProductoFiltro,
    ProductoRequerido,
)
from prometeo.entrypoints.api.seguridad import Bodega, Lectura

router = APIRouter(prefix="/inventario", tags=["inventario"])


@router.post(
    "/ingresos",
    status_code=201,
    summary="Ingresar mercadería como un lote nuevo",
    description="El lote queda al final de la cola FIFO del producto en la bodega. "
    "Roles: admin, bodeguero.",
)
async def registrar_ingreso(cuerpo: IngresoEntrada, ctx: Bodega) -> IngresoRespuesta:
    def registrar() -> IngresoRespuesta:
        ingreso = ctx.servicios.inventario.registrar_ingreso(cuerpo.a_comando(), ctx.metadatos)
        return IngresoRespuesta.desde(cuerpo, ingreso.lote_id)

    return await ctx.comando(registrar)


@router.post(
    "/transferencias",
    status_code=201,
    summary="Transferir stock entre bodegas",
    description="Salen los lotes más antiguos del origen y entran al destino con su mismo "
    "costo unitario y caducidad. Roles: admin, bodeguero.",
)
async def transferir(cuerpo: TransferenciaEntrada, ctx: Bodega) -> TransferenciaRespuesta:
    def transferir_stock() -> TransferenciaRespuesta:
        hecha = ctx.servicios.inventario.transferir_stock(cuerpo.a_comando(), ctx.metadatos)
        return TransferenciaRespuesta.desde(cuerpo, hecha)

    return await ctx.comando(transferir_stock)


@router.get(
    "/stock",
    summary="Stock y valor por producto y bodega",
    description="Por producto y bodega." + PAGINADA,
)
def stock(
    ctx: Lectura,
    producto_id: ProductoFiltro = None,
    bodega_id: BodegaFiltro = None,
    limite: Limite = 100,
    desplazamiento: Desplazamiento = 0,
) -> ListaStock:
    vistas = ctx.servicios.consultas.stock(producto_id, bodega_id, limite, desplazamiento)
    return ListaStock(items=[StockRespuesta.desde(v) for v in vistas])


@router.get(
    "/lotes",
    summary="Lotes con unidades disponibles, en orden FIFO",
    description="Por producto y bodega, y en cada una en el orden en que salen." + PAGINADA,
)
def lotes(
    ctx: Lectura,
    producto_id: ProductoFiltro = None,
    bodega_id: BodegaFiltro = None,
    limite: Limite = 100,
    desplazamiento: Desplazamiento = 0,
) -> ListaLotes:
    vistas = ctx.servicios.consultas.lotes(producto_id, bodega_id, limite, desplazamiento)
    return ListaLotes(items=[LoteRespuesta.desde(v) for v in vistas])


@router.get(
    "/kardex",
    summary="Kardex de un producto en una bodega, el más antiguo primero",
    description="Cada movimiento trae su saldo, así que cualquier página se lee sola." + PAGINADA,
)
def kardex(
    ctx: Lectura,
    producto_id: ProductoRequerido,
    bodega_id: BodegaRequerida,
    limite: Limite = 100,
    desplazamiento: Desplazamiento = 0,
) -> Kardex:
    vistas = ctx.servicios.consultas.kardex(producto_id, bodega_id, limite, desplazamiento)
    return Kardex(items=[MovimientoRespuesta.desde(v) for v in vistas])
