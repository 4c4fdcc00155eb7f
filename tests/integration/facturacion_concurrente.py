"""Worker process of the concurrency tests: emits facturas against a shared database.

Kept apart from the test module so a spawned process imports nothing of pytest."""

from __future__ import annotations

import random
from datetime import date

from prometeo.application.comandos import CrearFactura, LineaFacturaCmd
from prometeo.bootstrap import bootstrap
from prometeo.domain.errores import ErrorDeConcurrencia, ReglasIncumplidas
from prometeo.infrastructure.settings import Settings

HOY = date(2026, 11, 29)
PRODUCTOS = ("p1", "p2", "p3")


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
