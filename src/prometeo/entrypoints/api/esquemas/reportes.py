"""The reports' JSON bodies: amounts as strings with 2 decimals, quantities exact."""

from __future__ import annotations

from typing import Self

from pydantic import Field

from prometeo.application.consultas import VentaDiaria
from prometeo.application.reportes import (
    DocumentoDeCliente,
    ReporteCliente,
    ReporteValoracion,
    ValoracionBodega,
    ValoracionProducto,
    VentaPorProducto,
    VentaPorTarifa,
)
from prometeo.entrypoints.api.esquemas.comunes import Salida, dinero, dinero_opcional, numero


class VentaPorTarifaRespuesta(Salida):
    """Ventas de un mes con un código de porcentaje de IVA, netas de las notas de crédito
    emitidas ese mes (formulario 104)."""

    mes: str = Field(examples=["2026-12"])
    codigo_porcentaje: str = Field(examples=["4"])
    base: str = Field(examples=["90.00"])
    iva: str = Field(examples=["13.50"])
    total: str = Field(examples=["103.50"])

    @classmethod
    def desde(cls, v: VentaPorTarifa) -> Self:
        return cls(
            mes=v.mes,
            codigo_porcentaje=v.codigo_porcentaje,
            base=dinero(v.base),
            iva=dinero(v.iva),
            total=dinero(v.total),
        )


class ListaVentasPorTarifa(Salida):
    items: list[VentaPorTarifaRespuesta]


class VentaPorProductoRespuesta(Salida):
    """Ventas netas de un producto: unidades, base (tras todo descuento), costo FIFO y
    margen bruto."""

    producto_id: str
    producto_codigo: str
    producto_nombre: str
    cantidad: str = Field(examples=["10"])
    ventas: str = Field(examples=["90.00"])
    costo: str = Field(examples=["41.67"])
    margen: str = Field(examples=["48.33"])
    margen_porcentaje: str | None = Field(
        examples=["53.70"], description="Margen sobre ventas, en %; null sin ventas netas."
    )

    @classmethod
    def desde(cls, v: VentaPorProducto) -> Self:
        return cls(
            producto_id=v.producto_id,
            producto_codigo=v.producto_codigo,
            producto_nombre=v.producto_nombre,
            cantidad=numero(v.cantidad),
            ventas=dinero(v.ventas),
            costo=dinero(v.costo),
            margen=dinero(v.margen),
            margen_porcentaje=dinero_opcional(v.margen_porcentaje),
        )


class ListaVentasPorProducto(Salida):
    items: list[VentaPorProductoRespuesta]


class VentaDiariaRespuesta(Salida):
    """Ventas de una sucursal en un día: facturas no anuladas y, aparte, notas de crédito."""

    fecha: str = Field(examples=["2026-11-29"])
    sucursal_id: str
    sucursal_codigo: str = Field(examples=["001"])
    facturas: int
    subtotal: str
    iva: str
    total: str
    costo: str
    notas_credito: int
    subtotal_notas: str
    iva_notas: str
    total_notas: str
    costo_notas: str
    total_neto: str

    @classmethod
    def desde(cls, v: VentaDiaria) -> Self:
        return cls(
            fecha=v.fecha.isoformat(),
            sucursal_id=v.sucursal_id,
            sucursal_codigo=v.sucursal_codigo,
            facturas=v.facturas,
            subtotal=dinero(v.subtotal),
            iva=dinero(v.iva),
            total=dinero(v.total),
            costo=dinero(v.costo),
            notas_credito=v.notas_credito,
            subtotal_notas=dinero(v.subtotal_notas),
            iva_notas=dinero(v.iva_notas),
            total_notas=dinero(v.total_notas),
            costo_notas=dinero(v.costo_notas),
            total_neto=dinero(v.total_neto),
        )


class ListaVentasDiarias(Salida):
    items: list[VentaDiariaRespuesta]


class DocumentoClienteRespuesta(Salida):
    tipo: str = Field(examples=["FACTURA"], description="FACTURA o NOTA_CREDITO.")
    id: str
    numero: str = Field(examples=["001-001-000000001"])
    fecha: str = Field(examples=["2026-11-29"])
    estado: str = Field(examples=["EMITIDA"], description="EMITIDA, o ANULADA (no suma).")
    subtotal: str
    iva: str
    total: str

    @classmethod
    def desde(cls, d: DocumentoDeCliente) -> Self:
        return cls(
            tipo=d.tipo,
            id=d.documento_id,
            numero=d.numero,
            fecha=d.fecha.isoformat(),
            estado=d.estado,
            subtotal=dinero(d.subtotal),
            iva=dinero(d.iva),
            total=dinero(d.total),
        )


class ClienteDelReporte(Salida):
    id: str
    tipo_identificacion: str
    identificacion: str
    razon_social: str


class TotalesClienteRespuesta(Salida):
    compras: str = Field(examples=["137.70"], description="Facturas emitidas, no anuladas.")
    creditos: str = Field(examples=["21.70"], description="Notas de crédito.")
    neto: str = Field(examples=["116.00"])


class ReporteClienteRespuesta(Salida):
    """Las compras (facturas) y créditos (notas) de un cliente en el período: `items`
    paginados, `totales` de todo el período."""

    cliente: ClienteDelReporte
    items: list[DocumentoClienteRespuesta]
    totales: TotalesClienteRespuesta

    @classmethod
    def desde(cls, r: ReporteCliente) -> Self:
        c = r.cliente
        return cls(
            cliente=ClienteDelReporte(
                id=c.id,
                tipo_identificacion=c.tipo_identificacion,
                identificacion=c.identificacion,
                razon_social=c.razon_social,
            ),
            items=[DocumentoClienteRespuesta.desde(d) for d in r.documentos],
            totales=TotalesClienteRespuesta(
                compras=dinero(r.totales.compras),
                creditos=dinero(r.totales.creditos),
                neto=dinero(r.totales.neto),
            ),
        )


class ValoracionProductoRespuesta(Salida):
    bodega_id: str
    bodega_codigo: str
    bodega_nombre: str
    producto_id: str
    producto_codigo: str
    producto_nombre: str
    cantidad: str = Field(examples=["10"])
    valor: str = Field(examples=["48.33"])

    @classmethod
    def desde(cls, v: ValoracionProducto) -> Self:
        return cls(
            bodega_id=v.bodega_id,
            bodega_codigo=v.bodega_codigo,
            bodega_nombre=v.bodega_nombre,
            producto_id=v.producto_id,
            producto_codigo=v.producto_codigo,
            producto_nombre=v.producto_nombre,
            cantidad=numero(v.cantidad),
            valor=dinero(v.valor),
        )


class ValoracionBodegaRespuesta(Salida):
    bodega_id: str
    bodega_codigo: str
    bodega_nombre: str
    valor: str

    @classmethod
    def desde(cls, v: ValoracionBodega) -> Self:
        return cls(
            bodega_id=v.bodega_id,
            bodega_codigo=v.bodega_codigo,
            bodega_nombre=v.bodega_nombre,
            valor=dinero(v.valor),
        )


class ValoracionRespuesta(Salida):
    """El stock valorado al cierre de `fecha`, según el kárdex: `items` por producto y
    bodega (paginados), `bodegas` con su total y el `total` general."""

    fecha: str = Field(examples=["2026-11-30"])
    items: list[ValoracionProductoRespuesta]
    bodegas: list[ValoracionBodegaRespuesta]
    total: str

    @classmethod
    def desde(cls, r: ReporteValoracion) -> Self:
        return cls(
            fecha=r.fecha.isoformat(),
            items=[ValoracionProductoRespuesta.desde(v) for v in r.items],
            bodegas=[ValoracionBodegaRespuesta.desde(b) for b in r.bodegas],
            total=dinero(r.total),
        )
