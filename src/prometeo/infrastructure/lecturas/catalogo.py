"""The catalog (reference data) read outside any command, as views: each read in a short
read-only transaction that never takes SQLite's write lock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import Engine

from prometeo.application.consultas import (
    BodegaVista,
    ClienteVista,
    ConsultasCatalogo,
    EmisorVista,
    ProductoVista,
    PuntoEmisionVista,
    SucursalVista,
    sin_emisor,
)
from prometeo.domain.entities.cambios import CambioCatalogo, solo_campo
from prometeo.infrastructure.db.catalogo import CacheCatalogo, RepositorioCatalogoSql

# The most items one page of a list holds, whatever a caller asks for.
LIMITE_MAXIMO = 1000


def pagina(limite: int, desplazamiento: int) -> tuple[int, int]:
    """A page's `limite` and `desplazamiento` within bounds: 0 to LIMITE_MAXIMO items,
    none skipped below 0."""
    return max(0, min(limite, LIMITE_MAXIMO)), max(0, desplazamiento)


class ConsultasCatalogoSql(ConsultasCatalogo):
    """ConsultasCatalogo on the catalog's tables, through the repository commands use (and
    the process's cache of catalog rows, kept while the catalog's generation holds, when given)."""

    def __init__(
        self,
        engine: Engine,
        cache: CacheCatalogo | None = None,
        hoy: Callable[[], date] | None = None,
    ) -> None:
        self._engine = engine
        self._cache = cache
        # Today for the products' tarifas (a programmed one whose day came is shown as
        # theirs); without a clock, products are shown as stored.
        self._hoy = hoy

    @contextmanager
    def _catalogo(self) -> Iterator[RepositorioCatalogoSql]:
        # DEFERRED: a reader must not queue behind (or block) the writers of facturas.
        with self._engine.connect().execution_options(sqlite_begin="DEFERRED") as conexion:
            yield RepositorioCatalogoSql(conexion, self._cache)

    def emisor(self) -> EmisorVista:
        with self._catalogo() as catalogo:
            emisor = catalogo.emisor()
        if emisor is None:
            raise sin_emisor()
        return EmisorVista.de(emisor)

    def sucursales(self) -> list[SucursalVista]:
        with self._catalogo() as catalogo:
            return [SucursalVista.de(s) for s in catalogo.listar_sucursales()]

    def sucursal(self, sucursal_id: str) -> SucursalVista:
        with self._catalogo() as catalogo:
            return SucursalVista.de(catalogo.sucursal(sucursal_id))

    def puntos_emision(self, sucursal_id: str) -> list[PuntoEmisionVista]:
        # One transaction: the sucursal and its puntos as of the same moment.
        with self._catalogo() as catalogo:
            catalogo.sucursal(sucursal_id)
            puntos = catalogo.listar_puntos_emision(sucursal_id)
            return [PuntoEmisionVista.de(p) for p in puntos]

    def punto_emision(self, punto_emision_id: str) -> PuntoEmisionVista:
        with self._catalogo() as catalogo:
            return PuntoEmisionVista.de(catalogo.punto_emision(punto_emision_id))

    def bodegas(self, sucursal_id: str | None = None) -> list[BodegaVista]:
        with self._catalogo() as catalogo:
            return [BodegaVista.de(b) for b in catalogo.listar_bodegas(sucursal_id)]

    def bodega(self, bodega_id: str) -> BodegaVista:
        with self._catalogo() as catalogo:
            return BodegaVista.de(catalogo.bodega(bodega_id))

    def productos(
        self,
        limite: int = 100,
        desplazamiento: int = 0,
        *,
        codigo: str | None = None,
        buscar: str | None = None,
        activo: bool | None = None,
    ) -> list[ProductoVista]:
        limite, desplazamiento = pagina(limite, desplazamiento)
        hoy = None if self._hoy is None else self._hoy()
        with self._catalogo() as catalogo:
            productos = catalogo.productos(
                limite, desplazamiento, codigo=codigo, buscar=buscar, activo=activo
            )
            return [ProductoVista.de(p, hoy) for p in productos]

    def producto(self, producto_id: str) -> ProductoVista:
        hoy = None if self._hoy is None else self._hoy()
        with self._catalogo() as catalogo:
            return ProductoVista.de(catalogo.producto(producto_id), hoy)

    def historial(
        self,
        entidad: str,
        entidad_id: str,
        limite: int = 100,
        desplazamiento: int = 0,
        campo: str | None = None,
    ) -> list[CambioCatalogo]:
        limite, desplazamiento = pagina(limite, desplazamiento)
        leer = {
            "producto": RepositorioCatalogoSql.producto,
            "cliente": RepositorioCatalogoSql.cliente,
            "sucursal": RepositorioCatalogoSql.sucursal,
            "punto_emision": RepositorioCatalogoSql.punto_emision,
            "bodega": RepositorioCatalogoSql.bodega,
        }[entidad]
        with self._catalogo() as catalogo:
            leer(catalogo, entidad_id)  # NoEncontrado for an unknown entry
            # One entry's history is short: filtered here, then paged.
            cambios = solo_campo(catalogo.historial(entidad, entidad_id), campo)
        return cambios[desplazamiento:][:limite]

    def clientes(
        self, identificacion: str | None = None, limite: int = 100, desplazamiento: int = 0
    ) -> list[ClienteVista]:
        limite, desplazamiento = pagina(limite, desplazamiento)
        with self._catalogo() as catalogo:
            clientes = catalogo.clientes(identificacion, limite, desplazamiento)
            return [ClienteVista.de(c) for c in clientes]

    def cliente(self, cliente_id: str) -> ClienteVista:
        with self._catalogo() as catalogo:
            return ClienteVista.de(catalogo.cliente(cliente_id))
