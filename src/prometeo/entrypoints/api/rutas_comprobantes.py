"""The electronic documents: each factura's and nota de crédito's signed XML (byte for byte
as the SRI gets it), its RIDE (PDF), the SRI's authorization, and the list of comprobantes
by SRI state. Every role may read them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from prometeo.application.sri import NoAutorizado
from prometeo.entrypoints.api.esquemas.comprobantes import (
    ComprobanteRespuesta,
    CorreccionEntrada,
    ListaComprobantes,
)
from prometeo.entrypoints.api.esquemas.comunes import Fecha
from prometeo.entrypoints.api.esquemas.facturas import FacturaRespuesta
from prometeo.entrypoints.api.esquemas.notas_credito import NotaCreditoRespuesta
from prometeo.entrypoints.api.parametros import PAGINADA, Desplazamiento, IdRuta, Limite
from prometeo.entrypoints.api.seguridad import Contexto, Correccion, Lectura
from prometeo.entrypoints.ride import FACTURA as _FACTURA
from prometeo.entrypoints.ride import NOTA as _NOTA
from prometeo.entrypoints.ride import ride as ride_pdf
from prometeo.entrypoints.ride import sri_de

router = APIRouter(tags=["comprobantes electrónicos"])

_RUTAS = {_FACTURA: "/facturas", _NOTA: "/notas-credito"}
_RESPUESTAS = {_FACTURA: FacturaRespuesta, _NOTA: NotaCreditoRespuesta}
_XML = {200: {"content": {"application/xml": {}}, "description": "El comprobante firmado."}}
_PDF = {200: {"content": {"application/pdf": {}}, "description": "El RIDE."}}


def _xml(ctx: Contexto, tipo: str, documento_id: str) -> Response:
    contenido = ctx.servicios.consultas.xml_firmado(tipo, documento_id)
    return Response(contenido, media_type="application/xml")


def _autorizacion(ctx: Contexto, tipo: str, documento_id: str) -> Response:
    sri = sri_de(ctx.servicios, tipo, documento_id)
    autorizacion = ctx.servicios.consultas.autorizacion_sri(tipo, documento_id)
    if autorizacion is None:
        raise NoAutorizado(sri.clave_acceso, sri.estado)
    return Response(autorizacion, media_type="application/xml")


_CORRECCION = (
    "Solo para un comprobante que el SRI devolvió (DEVUELTA, salvo 43, 45 y 70, que se "
    "consultan solos) o no autorizó: queda PENDIENTE, se firma de nuevo con los datos "
    "corregidos y se reenvía con la misma clave de acceso y el mismo secuencial; importes e "
    "inventario no cambian. prometeo reenvía por su cuenta una sola vez, y solo ante los "
    "errores 39 (firma inválida) y 50 (error interno del SRI). 422 si el comprobante no "
    "está detenido por el SRI (ComprobanteDetenido) o si la factura está anulada "
    "(ComprobanteVigente). Rol: admin."
)


def _registrar(tipo: str, nombre: str) -> None:
    ruta = _RUTAS[tipo]

    @router.get(
        f"{ruta}/{{documento_id}}/xml",
        summary=f"XML firmado de {nombre}",
        description="El comprobante firmado (XAdES-BES), byte a byte como se envía al SRI. "
        "409 mientras no está firmado.",
        response_class=Response,
        responses=_XML,  # type: ignore[arg-type]
        name=f"xml_{tipo}",
    )
    def xml(documento_id: IdRuta, ctx: Lectura) -> Response:
        return _xml(ctx, tipo, documento_id)

    @router.get(
        f"{ruta}/{{documento_id}}/ride.pdf",
        summary=f"RIDE de {nombre}",
        description="La representación impresa (PDF). Mientras el SRI no lo autoriza lleva "
        "una marca visible de documento sin autorización.",
        response_class=Response,
        responses=_PDF,  # type: ignore[arg-type]
        name=f"ride_{tipo}",
    )
    def ride(documento_id: IdRuta, ctx: Lectura) -> Response:
        return ride_pdf(ctx.servicios, tipo, documento_id)

    @router.get(
        f"{ruta}/{{documento_id}}/autorizacion.xml",
        summary=f"Autorización del SRI de {nombre}",
        description="El documento <autorizacion> del SRI una vez AUTORIZADO; 409 antes.",
        response_class=Response,
        responses=_XML,  # type: ignore[arg-type]
        name=f"autorizacion_{tipo}",
    )
    def autorizacion(documento_id: IdRuta, ctx: Lectura) -> Response:
        return _autorizacion(ctx, tipo, documento_id)

    @router.post(
        f"{ruta}/{{documento_id}}/correccion",
        summary=f"Corregir y reenviar al SRI {nombre} devuelta o no autorizada",
        description=_CORRECCION,
        response_model=_RESPUESTAS[tipo],
        name=f"correccion_{tipo}",
    )
    async def correccion(
        documento_id: IdRuta, cuerpo: CorreccionEntrada, ctx: Correccion
    ) -> FacturaRespuesta | NotaCreditoRespuesta:
        def corregir() -> FacturaRespuesta | NotaCreditoRespuesta:
            ctx.servicios.comprobantes.corregir(cuerpo.a_comando(tipo, documento_id), ctx.metadatos)
            consultas = ctx.servicios.consultas
            if tipo == _FACTURA:
                return FacturaRespuesta.desde(consultas.factura(documento_id))
            return NotaCreditoRespuesta.desde(consultas.nota_credito(documento_id))

        return await ctx.comando(corregir)


_registrar(_FACTURA, "una factura")
_registrar(_NOTA, "una nota de crédito")


@router.get(
    "/comprobantes",
    summary="Comprobantes electrónicos por estado del SRI",
    description="Facturas y notas de crédito emitidas, por fecha de emisión." + PAGINADA,
)
def listar_comprobantes(
    ctx: Lectura,
    estado_sri: Annotated[
        str | None,
        Query(
            description="PENDIENTE, FIRMADO, RECIBIDA, DEVUELTA, EN PROCESO, AUTORIZADO o "
            "NO AUTORIZADO.",
            max_length=15,
        ),
    ] = None,
    desde: Annotated[Fecha | None, Query(description="Desde esta fecha (incluida).")] = None,
    hasta: Annotated[Fecha | None, Query(description="Hasta esta fecha (incluida).")] = None,
    limite: Limite = 100,
    desplazamiento: Desplazamiento = 0,
) -> ListaComprobantes:
    vistas = ctx.servicios.consultas.comprobantes(estado_sri, desde, hasta, limite, desplazamiento)
    return ListaComprobantes(items=[ComprobanteRespuesta.desde(v) for v in vistas])
