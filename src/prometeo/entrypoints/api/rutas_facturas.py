"""Facturas: create and emit, emit a draft, annul (admin, cajero); read (every role).

The commands are coroutines that hand their whole blocking part (the command, then the
factura it answers with, then building the body) to a thread in one go, as
one of the few commands that run at once (`Contexto.comando`, hilos.py): a plain-function
route is two hand-offs (FastAPI validates its return value in the pool too), each a wait
for the GIL under load."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from prometeo.application.acceso import Rol
from prometeo.application.comandos import EmitirFactura
from prometeo.entrypoints.api.esquemas.comunes import Fecha
from prometeo.entrypoints.api.esquemas.facturas import (
    AnulacionEntrada,
    FacturaEntrada,
    FacturaRespuesta,
    ListaFacturas,
)
from prometeo.entrypoints.api.parametros import (
    PAGINADA,
    Desplazamiento,
    FacturaAnulableRuta,
    FacturaRuta,
    IdRuta,
    Limite,
)
from prometeo.entrypoints.api.seguridad import Caja, Contexto, Lectura

router = APIRouter(prefix="/facturas", tags=["facturas"])
ROLES = (
    " Roles: admin, cajero. Un precio menor que el de lista, o un descuento (de línea o "
    "global) mayor que PROMETEO_DESCUENTO_MAXIMO_CAJERO (10 %), solo los da admin "
    "(PrecioDeListaAutorizado, DescuentoAutorizado); la bodega debe ser de la sucursal del "
    "punto de emisión (BodegaDeLaSucursal)."
)
# Who may sell below list price or beyond the discount a cajero may give.
ROLES_QUE_REBAJAN = frozenset({Rol.ADMIN})


@router.post(
    "",
    status_code=201,
    summary="Crear una factura (y emitirla salvo `borrador`)",
    description="Emitir es una sola transacción: el número, la salida FIFO de cada producto "
    "y la FacturaEmitida se guardan juntos o nada. Responde la factura tal como queda en el "
    "modelo de lectura, con `lineas[].costo` (costo FIFO)." + ROLES,
)
async def crear_factura(cuerpo: FacturaEntrada, ctx: Caja) -> FacturaRespuesta:
    def crear() -> FacturaRespuesta:
        # Answered from the events the command committed: no read transaction on every
        # factura's path, and no wait for distributed read models.
        comando = cuerpo.a_comando(rebajas_autorizadas=ctx.portador.rol in ROLES_QUE_REBAJAN)
        comprobante = ctx.servicios.facturas.crear_factura(comando, ctx.metadatos)
        return FacturaRespuesta.desde(ctx.servicios.consultas.factura_de(comprobante))

    return await ctx.comando(crear)


@router.post("/{factura_id}/emitir", summary="Emitir una factura en borrador", description=ROLES)
async def emitir_factura(factura_id: IdRuta, ctx: Caja) -> FacturaRespuesta:
    def emitir() -> FacturaRespuesta:
        ctx.servicios.facturas.emitir_factura(EmitirFactura(factura_id), ctx.metadatos)
        return _leida_al_dia(ctx, factura_id)

    return await ctx.comando(emitir)


@router.post(
    "/{factura_id}/anular",
    summary="Anular una factura emitida",
    description="La mercadería vuelve a los mismos lotes de los que salió, a su costo. Una "
    "factura con notas de crédito no se puede anular, ni una a consumidor final; las demás, "
    "solo hasta el día 7 del mes siguiente a su emisión (PROMETEO_DIA_LIMITE_ANULACION): "
    "después se corrigen con una nota de crédito." + ROLES,
)
async def anular_factura(
    factura_id: FacturaAnulableRuta, cuerpo: AnulacionEntrada, ctx: Caja
) -> FacturaRespuesta:
    def anular() -> FacturaRespuesta:
        ctx.servicios.facturas.anular_factura(cuerpo.a_comando(factura_id), ctx.metadatos)
        return _leida_al_dia(ctx, factura_id)

    return await ctx.comando(anular)


@router.get("/{factura_id}", summary="Una factura")
def consultar_factura(factura_id: FacturaRuta, ctx: Lectura) -> FacturaRespuesta:
    return FacturaRespuesta.desde(ctx.servicios.consultas.factura(factura_id))


@router.get(
    "",
    summary="Facturas por fecha de emisión y estado",
    description="Por fecha de emisión y, en el mismo día, en orden de creación." + PAGINADA,
)
def listar_facturas(
    ctx: Lectura,
    desde: Annotated[Fecha | None, Query(description="Desde esta fecha (incluida).")] = None,
    hasta: Annotated[Fecha | None, Query(description="Hasta esta fecha (incluida).")] = None,
    estado: Literal["BORRADOR", "EMITIDA", "ANULADA"] | None = None,
    limite: Limite = 100,
    desplazamiento: Desplazamiento = 0,
) -> ListaFacturas:
    vistas = ctx.servicios.consultas.facturas(desde, hasta, estado, limite, desplazamiento)
    return ListaFacturas(items=[FacturaRespuesta.desde(v) for v in vistas])


def _leida_al_dia(ctx: Contexto, factura_id: str) -> FacturaRespuesta:
    """The factura as the command left it: with distributed read models, once they have
    applied it (never the state before the command, nor a 404 for a new draft)."""
    ctx.servicios.consultas.al_dia(("facturas",))
    return FacturaRespuesta.desde(ctx.servicios.consultas.factura(factura_id))
