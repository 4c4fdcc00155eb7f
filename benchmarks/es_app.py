"""The eventsourcing library's application for the benchmarks, on SQLite and PostgreSQL,
and TiendaES, the library's counterpart of escenario.Tienda (same products, lots, lines).

Configuration (the library's fastest correct one for each case):
- SQLite, one process: aggregate cache on, no fast-forward (nothing else writes), deep
  copy from the cache on (the library's default: a failed command must not leave a
  half-mutated aggregate in the cache; prometeo gets the same guarantee by checking
  aggregates out of its cache).
- PostgreSQL, several processes: cache on WITH fast-forward (one SELECT per aggregate, so
  a process sees what the others wrote), and a retry loop on conflicts like prometeo's.
"""

from __future__ import annotations

import os
import random
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError

from benchmarks.es_modelo import PRECIO, FacturaES, InventarioES, r2
from benchmarks.escenario import (
    CANTIDAD_LINEA,
    HOY,
    INTENTOS_REPOSICION,
    LINEAS,
    LOTE,
    MINIMO_LOTES,
    REPONER_LOTES,
)


class Conflicto(Exception):
    """Every attempt collided with another writer (prometeo's ErrorDeConcurrencia)."""


def esperar(intento: int) -> None:
    """The wait prometeo's services use between attempts (tenacity's random exponential,
    5 ms × 2^n, at most 0.1 s), so both retry alike."""
    time.sleep(random.uniform(0, min(0.1, 0.005 * 2**intento)))


class AppFacturacion(Application[uuid.UUID]):
    log_section_size = 2000


@contextmanager
def entorno(variables: dict[str, str]) -> Iterator[None]:
    """The library reads its settings from os.environ too: keep them to this block."""
    antes = {k: os.environ.get(k) for k in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for k, v in antes.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


_AJUSTES_SQLITE: dict[str, tuple[str, Callable[[str], None] | None]] = {}


def _instalar_ajustes_sqlite() -> None:
    """The library has no setting for PRAGMA synchronous: wrap its connection factory
    (once) to apply it, and an optional statement tracer, per database file."""
    from eventsourcing import sqlite as es_sqlite

    pool = es_sqlite.SQLiteConnectionPool
    if getattr(pool, "_bench_original", None) is not None:
        return
    original = pool._create_connection

    def _crear(self: Any) -> Any:
        conexion = original(self)
        ajustes = _AJUSTES_SQLITE.get(self.db_name)
        if ajustes is not None:
            sincronizacion, traza = ajustes
            conexion._sqlite_conn.execute(f"PRAGMA synchronous={sincronizacion}")
            if traza is not None:
                conexion._sqlite_conn.set_trace_callback(traza)
        return conexion

    pool._bench_original = original  # type: ignore[attr-defined]
    pool._create_connection = _crear  # type: ignore[method-assign]


def app_sqlite(
    ruta: str, sincronizacion: str, traza: Callable[[str], None] | None = None
) -> AppFacturacion:
    """The library on its SQLite module (WAL, which it turns on itself), with PRAGMA
    synchronous set on each of its connections."""
    _instalar_ajustes_sqlite()
    _AJUSTES_SQLITE[ruta] = (sincronizacion, traza)
    variables = {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": ruta,
        "AGGREGATE_CACHE_MAXSIZE": "10000",
        "AGGREGATE_CACHE_FASTFORWARD": "n",
        "SQLITE_LOCK_TIMEOUT": "30",
    }
    with entorno(variables):
        return AppFacturacion(env=variables)


def pragma_sqlite(app: AppFacturacion, nombre: str) -> Any:
    """A PRAGMA as the library's own connections see it."""
    with app.recorder.datastore.transaction(commit=False) as cursor:  # type: ignore[attr-defined]
        cursor.execute(f"PRAGMA {nombre}")
        return cursor.fetchone()[0]


def app_postgres(dbname: str, *, crear_tablas: bool = False) -> AppFacturacion:
    """The library on PostgreSQL; its tables are created once, by the main process
    (workers creating them at once collide in the catalog)."""
    variables = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": "127.0.0.1",
        "POSTGRES_PORT": "5432",
        "POSTGRES_USER": "postgres",
        "POSTGRES_PASSWORD": "",
        "AGGREGATE_CACHE_MAXSIZE": "10000",
        "AGGREGATE_CACHE_FASTFORWARD": "y",
        "POSTGRES_POOL_SIZE": "2",
        "CREATE_TABLE": "y" if crear_tablas else "n",
    }
    with entorno(variables):
        return AppFacturacion(env=variables)


class TiendaES:
    """The library's counterpart of escenario.Tienda: same products, lots and lines."""

    def __init__(self, app: AppFacturacion, productos: Sequence[str], punto: str = "punto") -> None:
        self.app = app
        self.productos = list(productos)
        self.punto = punto
        self.secuencial = 0
        self.stock: dict[str, int] = {}
        self._lote = 0
        self.reintentos = 0

    def _inventario(self, producto: str) -> InventarioES:
        try:
            inventario: InventarioES = self.app.repository.get(
                InventarioES.create_id(producto, "bodega")
            )
        except AggregateNotFoundError:  # the first time
            inventario = InventarioES(producto, "bodega")
        return inventario

    def reponer(self, productos: Sequence[str] | None = None, *, forzar: bool = False) -> None:
        faltan = [
            p
            for p in (productos or self.productos)
            if forzar or self.stock.get(p, 0) < MINIMO_LOTES * LOTE
        ]
        if not faltan:
            return
        ultimo: Exception | None = None
        for intento in range(INTENTOS_REPOSICION):
            inventarios = []
            for p in faltan:
                inventario = self._inventario(p)
                for _ in range(REPONER_LOTES):
                    self._lote += 1
                    costo_unitario = Decimal("1.25") + Decimal(self._lote % 7) / 4
                    inventario.ingresar(
                        str(uuid.uuid4()),
                        Decimal(LOTE),
                        costo_unitario,
                        r2(costo_unitario * LOTE),
                        HOY.isoformat(),
                    )
                inventarios.append(inventario)
            try:
                self.app.save(*inventarios)
            except IntegrityError as error:
                ultimo = error
                esperar(intento)
                continue
            for p in faltan:
                self.stock[p] = self.stock.get(p, 0) + REPONER_LOTES * LOTE
            return
        raise Conflicto(f"reposición: {INTENTOS_REPOSICION} conflictos seguidos ({ultimo})")

    def emitir(self, productos: Sequence[str] | None = None, *, intentos: int = 40) -> None:
        productos = list(productos or self.productos[:LINEAS])
        for intento in range(intentos):
            factura = FacturaES(
                self.punto,
                "sucursal",
                "bodega",
                "cliente",
                {"tipo": "05", "identificacion": "0602910945", "razon_social": "María Pérez"},
                HOY.isoformat(),
                Decimal("0.00"),
            )
            for i, p in enumerate(productos, start=1):
                factura.agregar_linea(
                    i,
                    p,
                    p.upper(),
                    f"Producto {p} de prueba",
                    Decimal(CANTIDAD_LINEA),
                    PRECIO,
                    Decimal("0.00"),
                    "4",
                )
            inventarios = {p: self._inventario(p) for p in sorted(productos)}
            factura.emitir(self.secuencial + 1, inventarios)
            try:
                self.app.save(factura, *inventarios.values())
            except IntegrityError:
                self.reintentos += 1
                esperar(intento)
                continue
            self.secuencial += 1
            for p in productos:
                self.stock[p] = self.stock.get(p, 0) - CANTIDAD_LINEA
            return
        raise Conflicto(f"{intentos} conflictos seguidos")
