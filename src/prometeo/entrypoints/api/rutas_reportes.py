"""Reports (every role, contador included): JSON, or the whole report as a file with
`?formato=csv|xlsx` or `Accept: text/csv`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Response

from prometeo.application.reportes import FiltroReporte
from prometeo.entrypoints.api.esquemas.comunes import Fecha
from prometeo.entrypoints.api.esquemas.reportes import (
    ListaVentasDiarias,
    ListaVentasPorProducto,
    ListaVentasPorTarifa,
    ReporteClienteRespuesta,
    ValoracionRespuesta,
    VentaDiariaRespuesta,
    VentaPorProductoRespuesta,
    VentaPorTarifaRespuesta,
)
from prometeo.entrypoints.api.parametros import (
    PAGINADA,
    BodegaFiltro,
    ClienteRuta,
    Desplazamiento,
    Limite,
    id_consulta,
)
from prometeo.entrypoints.api.seguridad import Contexto, Lectura
from prometeo.entrypoints.archivos_reporte import TIPO_CSV, TIPO_XLSX, archivo

router = APIRouter(prefix="/reportes", tags=["reportes"])

Desde = Annotated[Fecha | None, Query(description="Desde esta fecha (incluida).")]
Hasta = Annotated[Fecha | None, Query(description="Hasta esta fecha (incluida).")]
SucursalFiltro = Annotated[str | None, id_consulta("Solo esta sucursal.")]
Formato = Annotated[
    Literal["json", "csv", "xlsx"] | None,
    Query(
        description="json (por omisión), csv o xlsx: el reporte entero como archivo "
        "(también con `Accept: text/csv`)."
    ),
]
Aceptar = Annotated[str | None, Header(include_in_schema=False)]

ARCHIVOS: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            TIPO_CSV: {"schema": {"type": "string"}},
            TIPO_XLSX: {"schema": {"type": "string", "format": "binary"}},
        }
    }
}
_ENTERO = " Con `formato=csv|xlsx`, el reporte entero."


def _periodo(
    desde: Desde = None, hasta: Hasta = None, sucursal_id: SucursalFiltro = None
) -> FiltroReporte:
    """The period (both days included) and sucursal every sales report is filtered by."""
    return FiltroReporte(desde, hasta, sucursal_id)


def _formato(formato: Formato = None, accept: Aceptar = None) -> str:
    """`formato` when given, else what `Accept` asks for, else JSON."""
    if formato is not None:
        return formato
    if accept is not None and TIPO_XLSX in accept:
        return "xlsx"
    if accept is not None and "text/csv" in accept:
        return "csv"
    return "json"


def _pagina(limite: Limite = 100, desplazamiento: Desplazamiento = 0) -> tuple[int, int]:
    """A JSON page (a file is always the whole report)."""
    return limite, desplazamiento


Periodo = Annotated[FiltroReporte, Depends(_periodo)]
FormatoElegido = Annotated[str, Depends(_formato)]
Pagina = Annotated[tuple[int, int], Depends(_pagina)]


def _archivo(
    ctx: Contexto, nombre: str, formato: str, filtro: FiltroReporte, **extra: Any
) -> Response:
    tabla = ctx.servicios.reportes.tabla(nombre, filtro, **extra)
    return Response(
        archivo(tabla, formato),
        media_type=TIPO_XLSX if formato == "xlsx" else TIPO_CSV,
        headers={"Content-Disposition": f'attachment; filename="{nombre}.{formato}"'},
    )


@router.get(
    "/ventas-por-tarifa",
    summary="Ventas por tarifa de IVA y mes (formulario 104)",
    description="Base, IVA y total por mes y código de porcentaje, netos de las notas de "
    "crédito emitidas en el mes; las facturas anuladas no cuentan. Entero: pocas filas "
    "por mes.",
    responses=ARCHIVOS,
    response_model=ListaVentasPorTarifa,
)
def ventas_por_tarifa(
    ctx: Lectura,
    filtro: Periodo,
    elegido: FormatoElegido,
) -> Any:
    if elegido != "json":
        return _archivo(ctx, "ventas-por-tarifa", elegido, filtro)
    ventas = ctx.servicios.reportes.ventas_por_tarifa(filtro)
    return ListaVentasPorTarifa(items=[VentaPorTarifaRespuesta.desde(v) for v in ventas])


@router.get(
    "/ventas-por-producto",
    summary="Ventas por producto con costo FIFO y margen bruto",
    description="Netas de las notas de crédito: una devolución resta unidades, ventas y "
    "costo; un crédito solo en valor resta ventas, no costo. Por código de producto."
    + PAGINADA
    + _ENTERO,
    responses=ARCHIVOS,
    response_model=ListaVentasPorProducto,
)
def ventas_por_producto(
    ctx: Lectura,
    filtro: Periodo,
    elegido: FormatoElegido,
    pagina: Pagina,
) -> Any:
    if elegido != "json":
        return _archivo(ctx, "ventas-por-producto", elegido, filtro)
    ventas = ctx.servicios.reportes.ventas_por_producto(filtro, *pagina)
    return ListaVentasPorProducto(items=[VentaPorProductoRespuesta.desde(v) for v in ventas])


@router.get(
    "/ventas-diarias",
    summary="Ventas diarias por sucursal",
    description="Facturas emitidas y no anuladas de cada día y, aparte, las notas de "
    "crédito del día; por fecha y sucursal." + PAGINADA + _ENTERO,
    responses=ARCHIVOS,
    response_model=ListaVentasDiarias,
)
def ventas_diarias(
    ctx: Lectura,
    filtro: Periodo,
    elegido: FormatoElegido,
    pagina: Pagina,
) -> Any:
    if elegido != "json":
        return _archivo(ctx, "ventas-diarias", elegido, filtro)
    ventas = ctx.servicios.reportes.ventas_diarias(filtro, *pagina)
    return ListaVentasDiarias(items=[VentaDiariaRespuesta.desde(v) for v in ventas])


@router.get(
    "/cliente/{cliente_id}",
    summary="Compras y créditos de un cliente",
    description="Sus facturas (las anuladas se muestran, no suman) y notas de crédito del "
    "período, por fecha; `totales` de todo el período." + PAGINADA + _ENTERO,
    responses=ARCHIVOS,
    response_model=ReporteClienteRespuesta,
)
def cliente(
    ctx: Lectura,
    cliente_id: ClienteRuta,
    filtro: Periodo,
    elegido: FormatoElegido,
    pagina: Pagina,
) -> Any:
    if elegido != "json":
        return _archivo(ctx, "cliente", elegido, filtro, cliente_id=cliente_id)
    reporte = ctx.servicios.reportes.cliente(cliente_id, filtro, *pagina)
    return ReporteClienteRespuesta.desde(reporte)


@router.get(
    "/valoracion-stock",
    summary="Valoración del stock por bodega a una fecha",
    description="El saldo (cantidad y valor) de cada producto en cada bodega al cierre de "
    "`fecha` (hoy si no se indica), según el kárdex; solo saldos distintos de cero."
    + PAGINADA
    + _ENTERO,
    responses=ARCHIVOS,
    response_model=ValoracionRespuesta,
)
def valoracion_stock(
    ctx: Lectura,
    elegido: FormatoElegido,
    pagina: Pagina,
    fecha: Annotated[Fecha | None, Query(description="Al cierre de este día.")] = None,
    bodega_id: BodegaFiltro = None,
    sucursal_id: SucursalFiltro = None,
) -> Any:
    if elegido != "json":
        filtro = FiltroReporte(sucursal_id=sucursal_id)
        return _archivo(ctx, "valoracion-stock", elegido, filtro, fecha=fecha, bodega_id=bodega_id)
    reporte = ctx.servicios.reportes.valoracion_stock(fecha, bodega_id, sucursal_id, *pagina)
    return ValoracionRespuesta.desde(reporte)
