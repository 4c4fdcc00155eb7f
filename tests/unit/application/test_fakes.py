"""The fakes keep the promises of the ports they stand for, so the service tests mean
something: uncommitted changes are discarded, versions are checked, streams are sorted."""

from __future__ import annotations

from datetime import date

import pytest
from fakes import AlmacenEnMemoria, CatalogoEnMemoria, FakeUnidadDeTrabajo

from prometeo.application.unidad_de_trabajo import UnidadDeTrabajo
from prometeo.domain.aggregates.factura import Factura
from prometeo.domain.entities.catalogo import Sucursal
from prometeo.domain.errores import ErrorDeConcurrencia, NoEncontrado
from prometeo.domain.repositories import RepositorioCatalogo, RepositorioInventarios
from prometeo.domain.value_objects.comprador import Comprador
from prometeo.domain.value_objects.dinero import Cantidad, Precio
from prometeo.domain.value_objects.direccion import Direccion
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


def test_sin_commit_nada_queda(almacen: AlmacenEnMemoria, catalogo: CatalogoEnMemoria) -> None:
    with uow(almacen, catalogo) as u:
        u.inventarios.obtener("p", "b").ingresar(Cantidad(1), Precio(1), HOY)
        u.catalogo.agregar_sucursal(Sucursal("s", "001", "Matriz", Direccion("Quito")))

    with uow(almacen, catalogo) as u:
        assert u.inventarios.obtener("p", "b").stock == 0
        with pytest.raises(NoEncontrado):
            u.catalogo.sucursal("s")
    assert almacen.streams == {}


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


def test_commit_ordena_streams_y_detecta_otro_escritor(
    almacen: AlmacenEnMemoria, catalogo: CatalogoEnMemoria
) -> None:
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


def test_un_agregado_nuevo_con_id_existente_choca(
    almacen: AlmacenEnMemoria, catalogo: CatalogoEnMemoria
) -> None:
    def nueva() -> Factura:
        return Factura.crear(
            "f",
            punto_emision_id="p",
            sucursal_id="s",
            bodega_id="b",
            comprador=Comprador.consumidor_final(),
            fecha_emision=HOY,
        )

    with uow(almacen, catalogo) as u:
        u.facturas.agregar(nueva())
        u.commit()
        u.rollback()  # a no-op after commit
    assert almacen.version("factura-f") == 1
    with uow(almacen, catalogo) as u:
        u.facturas.agregar(nueva())
        with pytest.raises(ErrorDeConcurrencia):
            u.commit()
        with pytest.raises(NoEncontrado):
            u.notas_credito.obtener("n")
