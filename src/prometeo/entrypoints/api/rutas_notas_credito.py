"""Notas de crédito: issue (admin, cajero) and read (every role)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from prometeo.entrypoints.api.esquemas.notas_credito import (
    ListaNotasCredito,
    NotaCreditoEntrada,
    NotaCreditoRespuesta,
)
from prometeo.entrypoints.api.parametros import (
    PAGINADA,
    Desplazamiento,
    IdRuta,
    Limite,
    id_consulta,
)
from prometeo.entrypoints.api.seguridad import Caja, Lectura

router = APIRouter(prefix="/notas-credito", tags=["notas de crédito"])


@router.post(
    "",
    status_code=201,
    summary="Emitir una nota de crédito sobre una factura emitida",
    description="Por línea de factura, lo acreditado por todas sus notas nunca supera lo "
    "facturado (LineasValidasContraFactura). Con `devolucion_inventario` las unidades vuelven "
    "a la bodega de la factura. Roles: admin, cajero.",
)
async def emitir_nota_credito(cuerpo: NotaCreditoEntrada, ctx: Caja) -> NotaCreditoRespuesta:
    def emitir() -> NotaCreditoRespuesta:
        comando = cuerpo.a_comando()
        comprobante = ctx.servicios.notas_credito.emitir_nota_credito(comando, ctx.metadatos)
        return NotaCreditoRespuesta.desde(ctx.servicios.consultas.nota_credito_de(comprobante))

    # A command in a thread, one of a few at once (hilos.py).
    return await ctx.comando(emitir)


@router.get("/{nota_credito_id}", summary="Una nota de crédito")
def consultar_nota_credito(nota_credito_id: IdRuta, ctx: Lectura) -> NotaCreditoRespuesta:
    return NotaCreditoRespuesta.desde(ctx.servicios.consultas.nota_credito(nota_credito_id))


@router.get(
    "",
    summary="Notas de crédito, opcionalmente de una factura",
    description="En el orden en que se emitieron." + PAGINADA,
)
def listar_notas_credito(
    ctx: Lectura,
    factura_id: Annotated[str | None, id_consulta("Solo las de esta factura.")] = None,
    limite: Limite = 100,
    desplazamiento: Desplazamiento = 0,
) -> ListaNotasCredito:
    vistas = ctx.servicios.consultas.notas_credito(factura_id, limite, desplazamiento)
    return ListaNotasCredito(items=[NotaCreditoRespuesta.desde(v) for v in vistas])
