"""Reading facturas and notas de crédito from their read models into the view DTOs."""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, Select, select

from prometeo.application.consultas import (
    CompradorVista,
    FacturaVista,
    LineaFacturaVista,
    LineaNotaCreditoVista,
    NotaCreditoVista,
    PagoVista,
    TotalesVista,
)
from prometeo.infrastructure.proyecciones.base import de_centavos, de_micro
from prometeo.infrastructure.proyecciones.tablas import (
    vista_lineas_factura,
    vista_lineas_nota_credito,
    vista_notas_credito,
    vista_notas_factura,
)


def _opcional(valor: str | None) -> Decimal | None:
    return None if valor is None else Decimal(valor)


def _por_tarifa(importes: str) -> dict[str, Decimal]:
    return {i["tarifa_iva"]: Decimal(i["base_imponible"]) for i in json.loads(importes)}


def leer_facturas(conexion: Connection, consulta: Select[Any]) -> list[FacturaVista]:
    """The facturas a query over vista_facturas selects, in its order, with their lines
    and notas de crédito (three queries in all)."""
    filas = list(conexion.execute(consulta))
    ids = [f.id for f in filas]
    if not ids:
        return []
    lineas: dict[str, list[LineaFacturaVista]] = {i: [] for i in ids}
    consulta_lineas = (
        select(vista_lineas_factura)
        .where(vista_lineas_factura.c.factura_id.in_(ids))
        .order_by(vista_lineas_factura.c.factura_id, vista_lineas_factura.c.numero_linea)
    )
    for ln in conexion.execute(consulta_lineas):
        lineas[ln.factura_id].append(_linea_factura(ln))
    notas: dict[str, list[str]] = {i: [] for i in ids}
    consulta_notas = (
        select(vista_notas_factura.c.factura_id, vista_notas_factura.c.nota_credito_id)
        .where(vista_notas_factura.c.factura_id.in_(ids))
        .order_by(vista_notas_factura.c.posicion)
    )
    for factura_id, nota_id in conexion.execute(consulta_notas):
        notas[factura_id].append(nota_id)
    return [_factura(f, lineas[f.id], notas[f.id]) for f in filas]


def _linea_factura(ln: Row[Any]) -> LineaFacturaVista:
    return LineaFacturaVista(
        numero_linea=ln.numero_linea,
        producto_id=ln.producto_id,
        codigo=ln.codigo,
        descripcion=ln.descripcion,
        cantidad=Decimal(ln.cantidad),
        precio_unitario=Decimal(ln.precio_unitario),
        descuento=Decimal(ln.descuento),
        subtotal=Decimal(ln.subtotal),
        descuento_global=Decimal(ln.descuento_global),
        base_imponible=Decimal(ln.base_imponible),
        tarifa_iva=ln.tarifa_iva,
        costo=_opcional(ln.costo),
        cantidad_acreditada=de_micro(ln.cantidad_acreditada),
        valor_acreditado=de_centavos(ln.valor_acreditado),
    )


def _factura(f: Row[Any], lineas: list[LineaFacturaVista], notas: list[str]) -> FacturaVista:
    return FacturaVista(
        id=f.id,
        numero=f.numero,
        estado=f.estado,
        fecha_emision=f.fecha_emision,
        punto_emision_id=f.punto_emision_id,
        sucursal_id=f.sucursal_id,
        bodega_id=f.bodega_id,
        cliente_id=f.cliente_id,
        cliente=CompradorVista(
            f.tipo_identificacion, f.identificacion, f.razon_social, f.direccion, f.email
        ),
        lineas=lineas,
        totales=TotalesVista(
            subtotal_sin_impuestos=Decimal(f.subtotal_sin_impuestos),
            subtotales_por_tarifa=_por_tarifa(f.importes_por_tarifa),
            total_descuento=Decimal(f.total_descuento),
            iva=Decimal(f.iva),
            propina=Decimal(f.propina),
            importe_total=Decimal(f.importe_total),
        ),
        pagos=[
            PagoVista(p["forma_pago"], Decimal(p["total"]), p["plazo"], p["unidad_tiempo"])
            for p in json.loads(f.pagos)
        ],
        costo_total=_opcional(f.costo_total),
        valor_acreditado=de_centavos(f.valor_acreditado),
        notas_credito=notas,
        motivo_anulacion=f.motivo_anulacion,
    )


def leer_notas(conexion: Connection, consulta: Select[Any]) -> list[NotaCreditoVista]:
    """The notas de crédito a query over vista_notas_credito selects, with their lines."""
    filas = list(conexion.execute(consulta))
    ids = [n.id for n in filas]
    if not ids:
        return []
    lineas: dict[str, list[LineaNotaCreditoVista]] = {i: [] for i in ids}
    t = vista_lineas_nota_credito
    consulta_lineas = (
        select(t).where(t.c.nota_credito_id.in_(ids)).order_by(t.c.nota_credito_id, t.c.renglon)
    )
    for ln in conexion.execute(consulta_lineas):
        lineas[ln.nota_credito_id].append(
            LineaNotaCreditoVista(
                ln.numero_linea_factura,
                ln.producto_id,
                Decimal(ln.cantidad),
                Decimal(ln.valor),
                ln.tarifa_iva,
            )
        )
    return [_nota(n, lineas[n.id]) for n in filas]


def _nota(n: Row[Any], lineas: Sequence[LineaNotaCreditoVista]) -> NotaCreditoVista:
    return NotaCreditoVista(
        id=n.id,
        numero=n.numero,
        factura_id=n.factura_id,
        numero_factura=n.numero_factura,
        estado=n.estado,
        fecha_emision=n.fecha_emision,
        motivo=n.motivo,
        devolucion_inventario=bool(n.devolucion_inventario),
        lineas=list(lineas),
        subtotal_sin_impuestos=Decimal(n.subtotal_sin_impuestos),
        subtotales_por_tarifa=_por_tarifa(n.importes_por_tarifa),
        iva=Decimal(n.iva),
        valor_modificacion=Decimal(n.valor_modificacion),
    )


def consulta_notas() -> Select[Any]:
    return select(vista_notas_credito).order_by(vista_notas_credito.c.posicion)
