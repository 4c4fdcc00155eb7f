"""A history for the reports' tests: two months of sales with a global discount, an
anulación, a devolución and a value-only credit, across two sucursales."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from apoyo_proyecciones import CLIENTE, HOY, abrir, sembrar

from prometeo.application.comandos import (
    AnularFactura,
    CrearFactura,
    DescuentoGlobalCmd,
    EmitirNotaCredito,
    LineaFacturaCmd,
    LineaNotaCreditoCmd,
    RegistrarIngreso,
)
from prometeo.bootstrap import Aplicacion

MANANA = HOY + timedelta(days=1)  # 2026-11-30
DICIEMBRE = date(2026, 12, 1)
TABLAS = ("vista_reporte_documentos", "vista_reporte_tarifas", "vista_reporte_lineas")


def d(valor: str) -> Decimal:
    return Decimal(valor)


def historia(url: str) -> Aplicacion:
    """29 Nov: F1 (12 café + 10 pan, 10 % global discount) and F2 (3 café) to the cliente.
    30 Nov: F2 annulled; NC1 returns 2 café of F1. 1 Dec: NC2 credits 1.00 of pan in value
    only; F3 sells 3 té in the other sucursal to consumidor final. Returns prometeo on 1 Dec."""
    primero = abrir(url)
    try:
        sembrar(primero)
        inv = primero.inventario
        inv.registrar_ingreso(RegistrarIngreso("CAFE", "B1", 10, "4.00"))
        inv.registrar_ingreso(RegistrarIngreso("CAFE", "B1", 10, "5.00"))
        inv.registrar_ingreso(RegistrarIngreso("PAN", "B1", 100, "0.50"))
        lineas = (LineaFacturaCmd("CAFE", 12), LineaFacturaCmd("PAN", 10))
        descuento = DescuentoGlobalCmd("PORCENTAJE", 10)
        primero.facturas.crear_factura(
            CrearFactura("P1", "B1", lineas, CLIENTE, descuento_global=descuento, factura_id="F1")
        )
        primero.facturas.crear_factura(
            CrearFactura("P1", "B1", (LineaFacturaCmd("CAFE", 3),), CLIENTE, factura_id="F2")
        )
    finally:
        primero.cerrar()
    segundo = abrir(url, MANANA)
    try:
        segundo.facturas.anular_factura(AnularFactura("F2", "Error de digitación"))
        devolucion = (LineaNotaCreditoCmd("CAFE", cantidad=2),)
        segundo.notas_credito.emitir_nota_credito(
            EmitirNotaCredito("F1", "Devolución", True, devolucion, nota_credito_id="NC1")
        )
    finally:
        segundo.cerrar()
    tercero = abrir(url, DICIEMBRE)
    rebaja = (LineaNotaCreditoCmd("PAN", valor="1.00"),)
    tercero.notas_credito.emitir_nota_credito(
        EmitirNotaCredito("F1", "Rebaja", False, rebaja, nota_credito_id="NC2")
    )
    tercero.inventario.registrar_ingreso(RegistrarIngreso("TE", "B2", 10, "1.00"))
    tercero.facturas.crear_factura(
        CrearFactura("P2", "B2", (LineaFacturaCmd("TE", 3),), factura_id="F3")
    )
    return tercero
