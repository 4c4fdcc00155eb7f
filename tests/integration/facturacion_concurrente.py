"""The concurrency tests' shop, and their worker process that emits facturas against a
shared database.

Kept apart from the test modules so a spawned process imports nothing of pytest."""

from __future__ import annotations

import random
from datetime import date

from prometeo.application.comandos import (
    CrearBodega,
    CrearCliente,
    CrearFactura,
    CrearProducto,
    CrearPuntoEmision,
    CrearSucursal,
    LineaFacturaCmd,
    RegistrarEmisor,
    RegistrarIngreso,
)
from prometeo.bootstrap import Aplicacion, bootstrap
from prometeo.domain.errores import ErrorDeConcurrencia, ReglasIncumplidas
from prometeo.infrastructure.settings import Settings

HOY = date(2026, 11, 29)
PRODUCTOS = ("p1", "p2", "p3")
LOTES = ((10, "1.00"), (10, "2.50"), (10, "3.75"))


def preparar_tienda(aplicacion: Aplicacion, productos: tuple[str, ...] = PRODUCTOS) -> None:
    """One sucursal, punto de emisión, bodega and cliente; each product with LOTES in stock."""
    catalogo = aplicacion.catalogo
    catalogo.registrar_emisor(
        RegistrarEmisor("1790011674001", "Comercial Andina S.A.", "Andina", "Quito", True, "1")
    )
    catalogo.crear_sucursal(CrearSucursal("001", "Matriz", "Quito", sucursal_id="sucursal"))
    catalogo.crear_punto_emision(CrearPuntoEmision("sucursal", "001", punto_emision_id="punto"))
    catalogo.crear_bodega(CrearBodega("sucursal", "B1", "Principal", bodega_id="bodega"))
    catalogo.crear_cliente(CrearCliente("05", "0602910945", "María Pérez", cliente_id="cliente"))
    for producto in productos:
        catalogo.crear_producto(
            CrearProducto(
                producto.upper(), f"Producto {producto}", "4.00", "4", producto_id=producto
            )
        )
        for cantidad, costo in LOTES:
            aplicacion.inventario.registrar_ingreso(
                RegistrarIngreso(producto, "bodega", cantidad, costo)
            )


def emitir_facturas(url: str, semilla: int, cantidad: int) -> dict[str, list[str] | int]:
    """Emit `cantidad` random facturas; report what happened to each attempt."""
    aplicacion = bootstrap(
        Settings(database_url=url, hoy=HOY, reintentos_concurrencia=40), migrar_esquema=False
    )
    azar = random.Random(semilla)
    emitidas: list[str] = []
    rechazadas: list[str] = []
    conflictos: list[str] = []
    try:
        for _ in range(cantidad):
            factura_id = f"f-{semilla}-{azar.randrange(10**9)}"
            productos = azar.sample(PRODUCTOS, azar.randint(1, 2))
            comando = CrearFactura(
                punto_emision_id="punto",
                bodega_id="bodega",
                cliente_id="cliente",
                factura_id=factura_id,
                lineas=tuple(
                    LineaFacturaCmd(producto_id=p, cantidad=azar.randint(1, 3)) for p in productos
                ),
            )
            try:
                aplicacion.facturas.crear_factura(comando)
                emitidas.append(factura_id)
            except ReglasIncumplidas:
                rechazadas.append(factura_id)
            except ErrorDeConcurrencia:
                conflictos.append(factura_id)
    finally:
        aplicacion.cerrar()
    return {"emitidas": emitidas, "rechazadas": rechazadas, "conflictos": conflictos}
