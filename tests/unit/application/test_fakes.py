"""What the fakes add to the ports' contract (the unit of work's promises are in
test_contrato_en_memoria.py, the suite the SQL unit of work passes too): they subclass the
real ports, and every unit of work rebuilds aggregates from the stored events, so a service
test cannot pass on an object a previous command left behind."""

from __future__ import annotations

from datetime import date

import pytest
from fakes import AlmacenEnMemoria, CatalogoEnMemoria, FakeUnidadDeTrabajo

from prometeo.application.unidad_de_trabajo import UnidadDeTrabajo
from prometeo.domain.errores import ErrorDeConcurrencia
from prometeo.domain.repositories import RepositorioCatalogo, RepositorioInventarios
from prometeo.domain.value_objects.dinero import Cantidad, Precio
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante

HOY = date(2026, 11, 29)


@pytest.fixture
def almacen() -> AlmacenEnMemoria:
    return AlmacenEnMemoria()


@pytest.fixture
def catalogo() -> CatalogoEnMemoria:
    return CatalogoEnMemoria()


def uow(almacen: AlmacenEnMemoria, catalogo: CatalogoEnMemoria) -> FakeUnidadDeTrabajo:
    return FakeUnidadDeTrabajo(almacen, catalogo)


def test_son_subclases_de_los_puertos(
    almacen: AlmacenEnMemoria, catalogo: CatalogoEnMemoria
) -> None:
    u = uow(almacen, catalogo)
    assert isinstance(u, UnidadDeTrabajo)
    assert isinstance(u.inventarios, RepositorioInventarios)
    assert isinstance(catalogo, RepositorioCatalogo)


def test_obtener_devuelve_copias_nuevas_por_unidad_y_la_misma_dentro(
    almacen: AlmacenEnMemoria, catalogo: CatalogoEnMemoria
) -> None:
    with uow(almacen, catalogo) as u:
        u.inventarios.obtener("p", "b").ingresar(Cantidad(2), Precio(1), HOY)
        u.commit()
    with uow(almacen, catalogo) as u:
        inventario = u.inventarios.obtener("p", "b")
        assert u.inventarios.obtener("p", "b") is inventario
        inventario.ingresar(Cantidad(3), Precio(1), HOY)
    with uow(almacen, catalogo) as u:
        assert u.inventarios.obtener("p", "b").stock == 2
        assert u.inventarios.obtener("p", "b") is not inventario


def test_dos_unidades_abiertas_a_la_vez_la_segunda_choca(
    almacen: AlmacenEnMemoria, catalogo: CatalogoEnMemoria
) -> None:
    # Two commands in flight at once: the SQL unit of work on SQLite queues them instead.
    primero, segundo = uow(almacen, catalogo), uow(almacen, catalogo)
    for u in (primero, segundo):
        u.secuencias.obtener("punto", TipoComprobante.FACTURA).asignar_secuencial(
            "001", "001", "doc"
        )
        u.inventarios.obtener("a", "b").ingresar(Cantidad(1), Precio(1), HOY)

    primero.commit()
    with pytest.raises(ErrorDeConcurrencia, match="versión 1; se esperaba 0"):
        segundo.commit()

    assert [c.stream_id for c in primero.confirmados] == ["inventario-a-b", "secuencia-punto-01"]
    assert [c.version for c in primero.confirmados] == [1, 1]
    assert almacen.version("secuencia-punto-01") == 1
