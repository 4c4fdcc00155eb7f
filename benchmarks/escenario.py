"""A shop to emit facturas in: catalog, FIFO stock kept topped up, the command of a
5-line factura, and the embedded projections (wired here when bootstrap does not yet).

Stock: lots of LOTE units and lines of CANTIDAD_LINEA units, so exits span two lots about
half of the time; each inventario keeps between 3 and ~8 lots, like a shop that receives
goods often (the aggregate's state, and so its snapshots, stay the size of the stock)."""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from prometeo.application.comandos import (
    CrearBodega,
    CrearCliente,
    CrearFactura,
    CrearProducto,
    CrearPuntoEmision,
    CrearSucursal,
    LineaFacturaCmd,
    RegistrarEmisor,
)
from prometeo.bootstrap import Aplicacion, bootstrap
from prometeo.domain.errores import ErrorDeConcurrencia
from prometeo.domain.value_objects.dinero import Cantidad, Precio
from prometeo.infrastructure.settings import Settings

HOY = date(2026, 11, 29)
LOTE = 5  # units per lot
CANTIDAD_LINEA = 3  # units per line
LINEAS = 5
MINIMO_LOTES = 3
INTENTOS_REPOSICION = 1_000
REPONER_LOTES = 6
SUCURSAL, BODEGA, CLIENTE = "sucursal", "bodega", "cliente"


def abrir(
    url: str, *, sincronizacion: str = "FULL", snapshot_cada: int = 50, **extra: Any
) -> Aplicacion:
    """prometeo as bootstrap wires it, plus the embedded projections if bootstrap does not
    wire them yet (see `proyecciones`)."""
    settings = Settings(
        database_url=url,
        hoy=HOY,
        sqlite_synchronous=sincronizacion,
        snapshot_cada=snapshot_cada,
        **extra,
    )
    aplicacion = bootstrap(settings)
    aplicacion.estado_proyecciones = asegurar_proyecciones(aplicacion)  # type: ignore[attr-defined]
    return aplicacion


def _es_proyector(observador: Any) -> bool:
    try:
        from prometeo.infrastructure.proyecciones import Proyector
    except ImportError:
        return False
    return isinstance(getattr(observador, "__self__", None), Proyector)


def asegurar_proyecciones(aplicacion: Aplicacion) -> str:
    """Emission is measured with the read models updated synchronously, as in the embedded
    default. Returns who wired them: "bootstrap", "benchmark" (bootstrap does not yet, so
    the benchmark adds the Proyector's observer and creates the tables if the migrations
    do not), or "no disponibles"."""
    if any(_es_proyector(o) for o in aplicacion.observadores):
        return "bootstrap"
    try:
        from prometeo.infrastructure.proyecciones import Proyector, crear_proyecciones
        from prometeo.infrastructure.proyecciones.tablas import checkpoints_proyeccion
    except ImportError:
        return "no disponibles"
    proyecciones = crear_proyecciones()
    tablas = [checkpoints_proyeccion, *(t for p in proyecciones for t in p.tablas)]
    checkpoints_proyeccion.metadata.create_all(aplicacion.engine, tables=tablas, checkfirst=True)
    proyector = Proyector(proyecciones, aplicacion.codec_eventos)
    aplicacion.observadores.insert(0, proyector.observador)
    return "benchmark"


def sin_proyecciones(aplicacion: Aplicacion) -> None:
    """Drop the embedded projections (to build long histories quickly)."""
    aplicacion.observadores[:] = [o for o in aplicacion.observadores if not _es_proyector(o)]


@dataclass
class Tienda:
    """One punto de emisión selling `productos` out of one bodega, stock topped up."""

    aplicacion: Aplicacion
    productos: Sequence[str]
    punto: str = "punto"
    stock: dict[str, int] = field(default_factory=dict)
    _siguiente_lote: int = 0

    def comando(self, productos: Sequence[str] | None = None) -> CrearFactura:
        return CrearFactura(
            punto_emision_id=self.punto,
            bodega_id=BODEGA,
            cliente_id=CLIENTE,
            lineas=tuple(
                LineaFacturaCmd(producto_id=p, cantidad=CANTIDAD_LINEA)
                for p in (productos or self.productos[:LINEAS])
            ),
        )

    def emitir(self, productos: Sequence[str] | None = None) -> None:
        productos = productos or self.productos[:LINEAS]
        self.aplicacion.facturas.crear_factura(self.comando(productos))
        for p in productos:
            self.stock[p] = self.stock.get(p, 0) - CANTIDAD_LINEA

    def reponer(self, productos: Sequence[str] | None = None, *, forzar: bool = False) -> int:
        """Top up every product short of MINIMO_LOTES lots, in one unit of work (lots
        received through the domain: Inventario.ingresar). Returns lots added."""
        faltan = [
            p
            for p in (productos or self.productos)
            if forzar or self.stock.get(p, 0) < MINIMO_LOTES * LOTE
        ]
        if not faltan:
            return 0
        # Other workers write a shared product all the time: a top-up (not measured) keeps
        # trying until it gets in.
        for intento in range(INTENTOS_REPOSICION):
            try:
                self._ingresar(faltan)
                break
            except ErrorDeConcurrencia:
                if intento == INTENTOS_REPOSICION - 1:
                    raise
                time.sleep(random.uniform(0, min(0.1, 0.005 * 2**intento)))  # as the services
        for p in faltan:
            # Own net contribution (see parte4: a shared product is topped up by every
            # worker for what it takes itself).
            self.stock[p] = self.stock.get(p, 0) + REPONER_LOTES * LOTE
        return len(faltan) * REPONER_LOTES

    def _ingresar(self, productos: Sequence[str]) -> None:
        with self.aplicacion.unidad_de_trabajo() as uow:
            for p in productos:
                inventario = uow.inventarios.obtener(p, BODEGA)
                for _ in range(REPONER_LOTES):
                    self._siguiente_lote += 1
                    inventario.ingresar(
                        Cantidad(LOTE),
                        Precio(Decimal("1.25") + Decimal(self._siguiente_lote % 7) / 4),
                        HOY,
                        documento=f"COMPRA {self._siguiente_lote}",
                    )
            uow.commit()


def preparar_catalogo(
    aplicacion: Aplicacion, productos: Sequence[str], puntos: Sequence[str] = ("punto",)
) -> None:
    """Sucursal 001, its puntos de emisión, one bodega, one cliente and the products."""
    catalogo = aplicacion.catalogo
    catalogo.registrar_emisor(
        RegistrarEmisor("1790011674001", "Comercial Andina S.A.", "Andina", "Quito", True, "1")
    )
    catalogo.crear_sucursal(CrearSucursal("001", "Matriz", "Quito", sucursal_id=SUCURSAL))
    for i, punto in enumerate(puntos, start=1):
        catalogo.crear_punto_emision(
            CrearPuntoEmision(SUCURSAL, f"{i:03d}", punto_emision_id=punto)
        )
    catalogo.crear_bodega(CrearBodega(SUCURSAL, "B1", "Principal", bodega_id=BODEGA))
    catalogo.crear_cliente(CrearCliente("05", "0602910945", "María Pérez", cliente_id=CLIENTE))
    for p in productos:
        catalogo.crear_producto(
            CrearProducto(p.upper(), f"Producto {p} de prueba", "4.00", "4", producto_id=p)
        )


def nombres_productos(cuantos: int, prefijo: str = "p") -> list[str]:
    return [f"{prefijo}{i:03d}" for i in range(cuantos)]


def tienda_nueva(
    url: str,
    *,
    sincronizacion: str = "FULL",
    productos: int = LINEAS,
    snapshot_cada: int = 50,
    **extra: Any,
) -> Tienda:
    """A fresh database with the catalog and ≥ MINIMO_LOTES lots of every product."""
    aplicacion = abrir(url, sincronizacion=sincronizacion, snapshot_cada=snapshot_cada, **extra)
    nombres = nombres_productos(productos)
    preparar_catalogo(aplicacion, nombres)
    tienda = Tienda(aplicacion, nombres)
    tienda.reponer(forzar=True)
    return tienda
