"""Support for the projection tests: the shop's catalog, dumps of every read model, and a
way to start a history over on the same database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import Engine, delete, event, select, update

from prometeo.application.comandos import (
    CrearBodega,
    CrearCliente,
    CrearProducto,
    CrearPuntoEmision,
    CrearSucursal,
    RegistrarEmisor,
)
from prometeo.bootstrap import Aplicacion, bootstrap
from prometeo.domain.aggregates.inventario import Inventario
from prometeo.infrastructure.db import tablas as db
from prometeo.infrastructure.proyecciones import crear_proyecciones
from prometeo.infrastructure.proyecciones.tablas import checkpoints_proyeccion
from prometeo.infrastructure.settings import Settings

HOY = date(2026, 11, 29)
SUCURSALES = ("S1", "S2")
PUNTOS = ("P1", "P2")  # P1 in S1, P2 in S2
BODEGAS = ("B1", "B2")  # B1 in S1, B2 in S2
CLIENTE = "C1"
# id: (código, precio, tarifa IVA, stock mínimo)
PRODUCTOS = {
    "CAFE": ("CAF", "10.00", "4", "5"),  # IVA 15 %
    "PAN": ("PAN", "1.50", "0", "0"),  # IVA 0 %
    "TE": ("TE", "2.333333", "5", "1.5"),  # IVA 5 %, a price with 6 decimals
}


def abrir(url: str, hoy: date = HOY) -> Aplicacion:
    """prometeo as bootstrap wires it (embedded projections), with today fixed."""
    return bootstrap(Settings(database_url=url, hoy=hoy, snapshot_cada=5))


def sembrar(aplicacion: Aplicacion) -> None:
    c = aplicacion.catalogo
    c.registrar_emisor(
        RegistrarEmisor("1790011674001", "Comercial Andina S.A.", "Andina", "Quito", True, "1")
    )
    for sucursal, punto, bodega in zip(SUCURSALES, PUNTOS, BODEGAS, strict=True):
        numero = sucursal[-1].rjust(3, "0")
        c.crear_sucursal(CrearSucursal(numero, f"Sucursal {numero}", "Quito", sucursal_id=sucursal))
        c.crear_punto_emision(CrearPuntoEmision(sucursal, "001", punto_emision_id=punto))
        c.crear_bodega(CrearBodega(sucursal, bodega, f"Bodega {bodega}", bodega_id=bodega))
    for producto, (codigo, precio, tarifa, minimo) in PRODUCTOS.items():
        c.crear_producto(
            CrearProducto(codigo, producto, precio, tarifa, minimo, producto_id=producto)
        )
    c.crear_cliente(CrearCliente("05", "0602910945", "María Pérez", "Riobamba", cliente_id=CLIENTE))


def tablas_de_proyecciones() -> list[Any]:
    return [t for p in crear_proyecciones() for t in p.tablas] + [checkpoints_proyeccion]


def volcar(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every read model (and the checkpoints), in key order."""
    with engine.connect() as conexion:
        return {
            t.name: [
                tuple(fila) for fila in conexion.execute(select(t).order_by(*t.primary_key.columns))
            ]
            for t in tablas_de_proyecciones()
        }


def al_dia(aplicacion: Aplicacion) -> Aplicacion:
    """The reports' read models brought up to date, as a report would before reading
    them (embedded mode keeps them out of the commands' transactions)."""
    if aplicacion.diferidas is not None:
        aplicacion.diferidas.al_dia()
    return aplicacion


def vaciar(engine: Engine) -> None:
    """Start over on the same database: no events, no catalog, empty read models."""
    with engine.begin() as conexion:
        for tabla in tablas_de_proyecciones():
            conexion.execute(delete(tabla))
        # A product's words and barcodes refer to it: they go first.
        for tabla in (db.palabras_producto, db.codigos_barra, db.historial_catalogo):
            conexion.execute(delete(tabla))
        for tabla in (db.eventos, db.snapshots, db.clientes, db.productos, db.bodegas):
            conexion.execute(delete(tabla))
        conexion.execute(delete(db.puntos_emision))
        conexion.execute(delete(db.sucursales))
        conexion.execute(update(db.posicion_global).values(ultima=0))


@contextmanager
def contar_sentencias(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements run on `engine` meanwhile (an executemany counts once)."""
    sentencias: list[str] = []

    def anotar(_c: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        sentencias.append(sql)

    event.listen(engine, "before_cursor_execute", anotar)
    try:
        yield sentencias
    finally:
        event.remove(engine, "before_cursor_execute", anotar)


def inventarios(aplicacion: Aplicacion) -> list[Inventario]:
    """Every Inventario aggregate that has events, loaded from the event store."""
    with aplicacion.engine.connect() as conexion:
        streams = conexion.execute(
            select(db.eventos.c.stream_id)
            .where(db.eventos.c.tipo_stream == "inventario")
            .distinct()
        ).scalars()
        pares = sorted(s.removeprefix("inventario-") for s in streams)
    encontrados = []
    with aplicacion.unidad_de_trabajo() as uow:
        for producto in PRODUCTOS:
            for bodega in BODEGAS:
                if Inventario.id_para(producto, bodega) in pares:
                    encontrados.append(uow.inventarios.obtener(producto, bodega))
    return encontrados
