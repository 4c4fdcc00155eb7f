"""Inventario: entries, transfers, counts and write-offs (admin, bodeguero) and the FIFO
reads (every role).

Writes are commands: coroutines that run in a thread, one of a few at once
(`Contexto.comando`, hilos.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from prometeo.entrypoints.api.esquemas.conteos import (
    BajaEntrada,
    BajaRespuesta,
    ConteoEntrada,
    ConteoRespuesta,
    ListaPorVencer,
    LotePorVencerRespuesta,
)
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

# How far ahead por-vencer looks: ten years is every shelf life a shop keeps.
Dias = Annotated[
    int,
    Query(ge=0, le=3650, description="Días desde hoy (de 0 a 3650); los vencidos siempre."),
]


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


@router.post(
    "/conteos",
    status_code=201,
    summary="Registrar un conteo físico",
    description="Solo la diferencia de cada producto con su stock se registra, como un "
    "AJUSTE del kardex con la referencia del conteo: un faltante sale por FIFO (nunca de un "
    "lote vencido) al costo de sus lotes; un sobrante entra como un lote nuevo al costo "
    "promedio del stock (sin stock, al del último lote que ingresó). Todos los productos o "
    "ninguno. Con `contado_en`, un producto que se movió desde ese segundo rechaza el "
    "conteo (ConteoSinMovimientos) salvo con `usar_stock_al_contar`. Roles: admin, bodeguero.",
)
async def registrar_conteo(cuerpo: ConteoEntrada, ctx: Bodega) -> ConteoRespuesta:
    def registrar() -> ConteoRespuesta:
        conteo = ctx.servicios.inventario.registrar_conteo(cuerpo.a_comando(), ctx.metadatos)
        return ConteoRespuesta.desde(cuerpo, conteo)

    return await ctx.comando(registrar)


@router.post(
    "/bajas",
    status_code=201,
    summary="Dar de baja un lote vencido",
    description="Lo que queda del lote sale del stock a su costo (BAJA en el kardex, con el "
    "motivo como documento). Un lote que no ha vencido, o sin unidades, se rechaza "
    "(LoteVencido, LoteConStock). Roles: admin, bodeguero.",
)
async def dar_de_baja(cuerpo: BajaEntrada, ctx: Bodega) -> BajaRespuesta:
    def registrar() -> BajaRespuesta:
        baja = ctx.servicios.inventario.dar_de_baja(cuerpo.a_comando(), ctx.metadatos)
        return BajaRespuesta.desde(cuerpo, baja)

    return await ctx.comando(registrar)


@router.get(
    "/por-vencer",
    summary="Lotes por vencer y vencidos",
    description="Lotes con unidades cuya fecha de caducidad cae dentro de `dias` días desde "
    "hoy, y los ya vencidos (`vencido`: ninguna venta los toma; se dan de baja). El que vence "
    "primero, primero." + PAGINADA,
)
def por_vencer(
    ctx: Lectura,
    dias: Dias = 30,
    bodega_id: BodegaFiltro = None,
    limite: Limite = 100,
    desplazamiento: Desplazamiento = 0,
) -> ListaPorVencer:
    vistas = ctx.servicios.consultas.por_vencer(dias, bodega_id, limite, desplazamiento)
    return ListaPorVencer(items=[LotePorVencerRespuesta.desde(v) for v in vistas])
