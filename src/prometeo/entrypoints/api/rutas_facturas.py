"""Facturas: create and emit, change, discard and emit a draft, preview, annul (admin,
cajero); read (every role).

The commands are coroutines that hand their whole blocking part (the command, then the
factura it answers with, then building the body) to a thread in one go, as
one of the few commands that run at once (`Contexto.comando`, hilos.py): a plain-function
route is two hand-offs (FastAPI validates its return value in the pool too), each a wait
for the GIL under load."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Path, Query, Response

from prometeo.application.acceso import ROLES_QUE_REBAJAN
from prometeo.application.comandos import DescartarBorrador, EmitirFactura, QuitarLinea
from prometeo.entrypoints.api.esquemas.borradores import (
    BorradorCambios,
    EmisionEntrada,
    LineaBorradorEntrada,
    PrevisualizacionRespuesta,
)
from prometeo.entrypoints.api.esquemas.comunes import Fecha
from prometeo.entrypoints.api.esquemas.facturas import (
    AnulacionEntrada,
    FacturaEntrada,
    FacturaRespuesta,
    ListaFacturas,
)
from prometeo.entrypoints.api.parametros import (
    PAGINADA,
    BorradorAEmitirRuta,
    BorradorRuta,
    Desplazamiento,
    FacturaAnulableRuta,
    FacturaRuta,
    Limite,
    id_consulta,
)
from prometeo.entrypoints.api.seguridad import Caja, Contexto, Lectura

router = APIRouter(prefix="/facturas", tags=["facturas"])
ROLES = (
    " Roles: admin, cajero. Un precio menor que el de lista, o un descuento (de línea o "
    "global) mayor que PROMETEO_DESCUENTO_MAXIMO_CAJERO (10 %), solo los da admin "
    "(PrecioDeListaAutorizado, DescuentoAutorizado); la bodega debe ser de la sucursal del "
    "punto de emisión (BodegaDeLaSucursal)."
)


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


BORRADOR = (
    " Solo en BORRADOR. Cada cambio deja un borrador que cumple sus reglas "
    "(DescuentoGlobalValido, ImporteTotalDentroDelLimite, PropinaDentroDelLimite, "
    "PagosCuadranConTotal) o se rechaza entero; el stock, las fechas, las tarifas vigentes y "
    "el límite de consumidor final se comprueban al emitir (y los muestra `previsualizar`)."
)


@router.post(
    "/previsualizar",
    summary="Previsualizar una factura sin guardarla",
    description="El cuerpo de una factura nueva. Responde la factura tal como quedaría, con "
    "sus totales, y en `errores` cada regla que hoy impediría emitirla (vacío: se "
    "emitiría). No guarda nada: ni factura, ni número, ni stock." + ROLES,
)
async def previsualizar_factura(cuerpo: FacturaEntrada, ctx: Caja) -> PrevisualizacionRespuesta:
    def previsualizar() -> PrevisualizacionRespuesta:
        comando = cuerpo.a_comando(rebajas_autorizadas=_rebaja(ctx))
        vista = ctx.servicios.facturas.previsualizar(comando, ctx.metadatos)
        factura = ctx.servicios.consultas.factura_de(vista.documento)
        return PrevisualizacionRespuesta.de(factura, vista)

    return await ctx.comando(previsualizar)


@router.post(
    "/{factura_id}/emitir",
    summary="Emitir una factura en borrador",
    description="Con `pagos`, estos reemplazan los del borrador en la misma transacción." + ROLES,
)
async def emitir_factura(
    factura_id: BorradorAEmitirRuta,
    ctx: Caja,
    cuerpo: Annotated[EmisionEntrada | None, Body()] = None,
) -> FacturaRespuesta:
    comando = EmitirFactura(factura_id, None if cuerpo is None else cuerpo.pagos_cmd())
    hacer = _y_leerla(
        ctx, factura_id, lambda: ctx.servicios.facturas.emitir_factura(comando, ctx.metadatos)
    )
    return await ctx.comando(hacer)


@router.post(
    "/{factura_id}/lineas",
    summary="Agregar una línea al borrador",
    description="Responde el borrador con sus totales." + BORRADOR + ROLES,
)
async def agregar_linea(
    factura_id: BorradorRuta, cuerpo: LineaBorradorEntrada, ctx: Caja
) -> FacturaRespuesta:
    comando = cuerpo.a_comando(factura_id, rebajas_autorizadas=_rebaja(ctx))
    hacer = _y_leerla(
        ctx, factura_id, lambda: ctx.servicios.facturas.agregar_linea(comando, ctx.metadatos)
    )
    return await ctx.comando(hacer)


@router.delete(
    "/{factura_id}/lineas/{numero_linea}",
    summary="Quitar una línea del borrador",
    description="Las líneas siguientes suben un número (las líneas van siempre de 1 a n)."
    + BORRADOR
    + ROLES,
)
async def quitar_linea(
    factura_id: BorradorRuta,
    numero_linea: Annotated[int, Path(ge=1, le=1000, description="Número de la línea.")],
    ctx: Caja,
) -> FacturaRespuesta:
    comando = QuitarLinea(factura_id, numero_linea)
    hacer = _y_leerla(
        ctx, factura_id, lambda: ctx.servicios.facturas.quitar_linea(comando, ctx.metadatos)
    )
    return await ctx.comando(hacer)


@router.patch(
    "/{factura_id}",
    summary="Cambiar el cliente, el descuento global, los pagos o la propina del borrador",
    description="Lo que no se nombra queda igual; lo nombrado se cambia y se comprueba junto."
    + BORRADOR
    + ROLES,
)
async def modificar_borrador(
    factura_id: BorradorRuta, cuerpo: BorradorCambios, ctx: Caja
) -> FacturaRespuesta:
    comando = cuerpo.a_comando(factura_id, rebajas_autorizadas=_rebaja(ctx))
    hacer = _y_leerla(
        ctx, factura_id, lambda: ctx.servicios.facturas.modificar_borrador(comando, ctx.metadatos)
    )
    return await ctx.comando(hacer)


@router.delete(
    "/{factura_id}",
    status_code=204,
    summary="Descartar un borrador",
    description="Queda DESCARTADA: nunca recibe número ni cambia más. Solo en BORRADOR."
    + " Roles: admin, cajero.",
)
async def descartar_borrador(factura_id: BorradorRuta, ctx: Caja) -> Response:
    def descartar() -> Response:
        ctx.servicios.facturas.descartar_borrador(DescartarBorrador(factura_id), ctx.metadatos)
        return Response(status_code=204)

    return await ctx.comando(descartar)


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
    summary="Facturas por fecha de emisión, estado y punto de emisión",
    description="Por fecha de emisión y, en el mismo día, en orden de creación." + PAGINADA,
)
def listar_facturas(
    ctx: Lectura,
    desde: Annotated[Fecha | None, Query(description="Desde esta fecha (incluida).")] = None,
    hasta: Annotated[Fecha | None, Query(description="Hasta esta fecha (incluida).")] = None,
    estado: Literal["BORRADOR", "EMITIDA", "ANULADA", "DESCARTADA"] | None = None,
    punto_emision_id: Annotated[
        str | None, id_consulta("Solo las de este punto de emisión (p. ej. sus borradores).")
    ] = None,
    limite: Limite = 100,
    desplazamiento: Desplazamiento = 0,
) -> ListaFacturas:
    vistas = ctx.servicios.consultas.facturas(
        desde, hasta, estado, limite, desplazamiento, punto_emision_id=punto_emision_id
    )
    return ListaFacturas(items=[FacturaRespuesta.desde(v) for v in vistas])


def _rebaja(ctx: Contexto) -> bool:
    """Whether the caller may sell below list price or beyond a cajero's discount."""
    return ctx.portador.rol in ROLES_QUE_REBAJAN


def _y_leerla(
    ctx: Contexto, factura_id: str, comando: Callable[[], object]
) -> Callable[[], FacturaRespuesta]:
    """The work a route hands to `ctx.comando`: a command on the factura, then the factura
    as the command left it (both in one hand-off to a thread)."""

    def trabajo() -> FacturaRespuesta:
        comando()
        return _leida_al_dia(ctx, factura_id)

    return trabajo


def _leida_al_dia(ctx: Contexto, factura_id: str) -> FacturaRespuesta:
    """The factura as the command left it: with distributed read models, once they have
    applied it (never the state before the command, nor a 404 for a new draft)."""
    ctx.servicios.consultas.al_dia(("facturas",))
    return FacturaRespuesta.desde(ctx.servicios.consultas.factura(factura_id))
