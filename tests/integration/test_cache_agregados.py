"""The aggregate cache: exclusive check-out, check-in after commit, safe when stale."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from prometeo.application.comandos import (
    CrearBodega,
    CrearProducto,
    CrearSucursal,
    RegistrarIngreso,
)
from prometeo.bootstrap import Aplicacion, bootstrap
from prometeo.domain.aggregates.factura import Factura
from prometeo.domain.aggregates.inventario import Inventario
from prometeo.domain.aggregates.secuencia import SecuenciaComprobantes
from prometeo.domain.value_objects.dinero import Cantidad, Precio
from prometeo.infrastructure.db.cache_agregados import CacheAgregados
from prometeo.infrastructure.settings import Settings

HOY = date(2026, 11, 29)


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cache.db'}"


def aplicacion(url: str) -> Aplicacion:
    return bootstrap(Settings(database_url=url, hoy=HOY))


def ingresar(app: Aplicacion, cantidad: int = 1) -> None:
    with app.unidad_de_trabajo() as uow:
        uow.inventarios.obtener("cafe", "b1").ingresar(Cantidad(cantidad), Precio(1), HOY)
        uow.commit()


def test_tras_el_commit_el_agregado_queda_en_cache(url: str) -> None:
    app = aplicacion(url)
    ingresar(app)
    with app.unidad_de_trabajo() as uow:
        primero = uow.inventarios.obtener("cafe", "b1")
        assert len(app.cache) == 0  # checked out: no other unit of work can see it
        primero.ingresar(Cantidad(1), Precio(1), HOY)
        uow.commit()
    with app.unidad_de_trabajo() as uow:
        assert uow.inventarios.obtener("cafe", "b1") is primero
        assert primero.stock == Decimal(2)
    app.cerrar()


def test_un_comando_fallido_no_devuelve_su_agregado(url: str) -> None:
    app = aplicacion(url)
    ingresar(app)
    with app.unidad_de_trabajo() as uow:
        sucio = uow.inventarios.obtener("cafe", "b1")
        sucio.ingresar(Cantidad(5), Precio(1), HOY)
        # no commit: rolled back
    with app.unidad_de_trabajo() as uow:
        limpio = uow.inventarios.obtener("cafe", "b1")
        assert limpio is not sucio
        assert limpio.stock == Decimal(1)
    app.cerrar()


def test_cache_obsoleta_provoca_conflicto_y_el_reintento_lee_la_base(url: str) -> None:
    a, b = aplicacion(url), aplicacion(url)
    # b writes without the shared turn (as a writer that does not use it would): a is not
    # told, its cached copy goes stale, and the unique key is what keeps it safe.
    b.turnos = None
    a.catalogo.crear_sucursal(CrearSucursal("001", "Matriz", "Quito", sucursal_id="s1"))
    a.catalogo.crear_bodega(CrearBodega("s1", "B1", "Bodega", bodega_id="b1"))
    a.catalogo.crear_producto(CrearProducto("CAF", "Café", "2.00", "4", producto_id="cafe"))
    a.inventario.registrar_ingreso(RegistrarIngreso("cafe", "b1", 1, "1.00"))  # cached in a
    b.inventario.registrar_ingreso(RegistrarIngreso("cafe", "b1", 2, "1.00"))  # a is stale now
    a.inventario.registrar_ingreso(RegistrarIngreso("cafe", "b1", 4, "1.00"))  # conflict, retry
    with a.unidad_de_trabajo() as uow:
        assert uow.inventarios.obtener("cafe", "b1").stock == Decimal(7)
    a.cerrar()
    b.cerrar()


def test_capacidad_limitada_y_desactivable() -> None:
    cache = CacheAgregados(capacidad=2)
    agregados = [Inventario.para(f"p{i}", "b") for i in range(3)]
    cache.devolver(agregados)
    assert len(cache) == 2
    assert cache.sacar(agregados[0].stream_id) is None
    assert cache.sacar(agregados[2].stream_id) is agregados[2]
    cache.vaciar()
    assert len(cache) == 0
    apagada = CacheAgregados(capacidad=0)
    apagada.devolver(agregados)
    assert len(apagada) == 0


def test_solo_guarda_los_streams_que_comparten_los_comandos() -> None:
    cache = CacheAgregados()
    inventario = Inventario.para("p", "b")
    punto = SecuenciaComprobantes("punto-1")
    factura = Factura("f-1")
    cache.devolver([inventario, punto, factura])
    assert len(cache) == 2
    assert cache.sacar(factura.stream_id) is None
    assert cache.sacar(inventario.stream_id) is inventario
    assert cache.sacar(punto.stream_id) is punto
