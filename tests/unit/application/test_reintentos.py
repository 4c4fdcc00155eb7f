"""Optimistic concurrency: a conflict is retried on a fresh unit of work, a bounded number
of times; business errors never are. Metadata travels with every attempt."""

from __future__ import annotations

from decimal import Decimal

import pytest
from escenario import BODEGA, CAFE, CLIENTE, PUNTO, Escenario

from prometeo.application.comandos import (
    CrearFactura,
    CrearSucursal,
    LineaFacturaCmd,
    RegistrarIngreso,
)
from prometeo.application.config import Configuracion
from prometeo.application.unidad_de_trabajo import Metadatos
from prometeo.domain.errores import ErrorDeConcurrencia, ReglasIncumplidas


def venta(cantidad: str = "1") -> CrearFactura:
    return CrearFactura(PUNTO, BODEGA, (LineaFacturaCmd(CAFE, cantidad),), cliente_id=CLIENTE)


def test_un_cajero_mas_rapido_obliga_a_reintentar_con_el_siguiente_numero(
    tienda: Escenario,
) -> None:
    tienda.ingresar(CAFE, "10", "4.00")
    otro_cajero: list[str | None] = []
    tienda.almacen.interferir(
        lambda: otro_cajero.append(tienda.facturas.crear_factura(venta()).numero)
    )
    tienda.uows.clear()

    mia = tienda.facturas.crear_factura(venta("2"))

    assert otro_cajero == ["001-001-000000001"]
    assert mia.numero == "001-001-000000002"
    assert tienda.stock(CAFE) == 7
    # My first attempt conflicted; the other cajero's commit ran inside it; then my retry.
    assert [u.commits for u in tienda.uows] == [0, 1, 1]
    # The id was drawn once: the stored factura is the one the retry wrote.
    assert tienda.factura(mia.id).numero == mia.numero


def test_el_reintento_reserva_los_streams_en_que_choco(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "10", "4.00")
    tienda.uows.clear()
    tienda.almacen.interferir(lambda: tienda.facturas.crear_factura(venta()))
    tienda.almacen.interferir(lambda: tienda.facturas.crear_factura(venta()))

    mia = tienda.facturas.crear_factura(venta("2"))

    # Two other cajeros committed inside my first two attempts; each retry first reserved
    # the stream the attempt before it collided on (the first attempt reserved nothing).
    inventario = next(s for s in tienda.almacen.streams if s.startswith("inventario-"))
    assert tienda.almacen.reservas == [(inventario,), (inventario,)]
    assert sorted(u.commits for u in tienda.uows) == [0, 0, 1, 1, 1]
    assert mia.numero == "001-001-000000003"
    assert tienda.stock(CAFE) == 6


def test_un_conflicto_en_el_primer_commit_se_reintenta(tienda: Escenario) -> None:
    tienda.almacen.provocar_conflictos(1)

    ingreso = tienda.inventario_service.registrar_ingreso(RegistrarIngreso(CAFE, BODEGA, 5, 2))

    assert [u.commits for u in tienda.uows] == [0, 1]
    assert tienda.inventario(CAFE).lotes[0].lote_id == ingreso.lote_id
    assert tienda.stock(CAFE) == 5


@pytest.mark.parametrize("intentos", [1, 3])
def test_un_conflicto_persistente_aflora_tras_n_intentos(tienda: Escenario, intentos: int) -> None:
    tienda.config = Configuracion(reintentos_concurrencia=intentos, espera_maxima_segundos=0)
    tienda.almacen.provocar_conflictos(100)

    with pytest.raises(ErrorDeConcurrencia):
        tienda.inventario_service.registrar_ingreso(RegistrarIngreso(CAFE, BODEGA, 5, 2))

    assert len(tienda.uows) == intentos
    assert all(u.rollbacks == 1 and u.commits == 0 for u in tienda.uows)
    assert tienda.almacen.streams == {}


def test_los_errores_de_negocio_no_se_reintentan(tienda: Escenario) -> None:
    tienda.almacen.provocar_conflictos(1)

    with pytest.raises(ReglasIncumplidas):
        tienda.facturas.crear_factura(venta())  # no stock

    assert len(tienda.uows) == 1


def test_el_catalogo_tambien_se_reintenta_sin_perder_ni_duplicar(vacio: Escenario) -> None:
    vacio.almacen.provocar_conflictos(2)

    sucursal = vacio.catalogo_service.crear_sucursal(CrearSucursal("001", "Matriz", "Quito"))

    assert len(vacio.uows) == 3
    assert list(vacio.catalogo.sucursales) == [sucursal.id]


def test_los_metadatos_llegan_a_cada_intento_y_a_cada_evento(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "10", "4.00")
    tienda.uows.clear()
    tienda.almacen.provocar_conflictos(1)
    metadatos = Metadatos(usuario="cajera-ana", correlation_id="req-42")

    tienda.facturas.crear_factura(venta(), metadatos)

    assert [u.metadatos for u in tienda.uows] == [metadatos, metadatos]
    guardados = [m for c, m in tienda.almacen.metadatos if c.stream_id.startswith("factura-")]
    assert guardados
    assert {(m.usuario, m.correlation_id) for m in guardados} == {("cajera-ana", "req-42")}


def test_sin_metadatos_cada_comando_tiene_su_correlacion(tienda: Escenario) -> None:
    tienda.almacen.provocar_conflictos(1)

    tienda.inventario_service.registrar_ingreso(RegistrarIngreso(CAFE, BODEGA, 1, 1))
    tienda.inventario_service.registrar_ingreso(RegistrarIngreso(CAFE, BODEGA, 1, 1))

    primero, reintento, segundo = (u.metadatos for u in tienda.uows)
    assert primero == reintento
    assert primero.correlation_id != segundo.correlation_id
    assert primero.usuario == "sistema"
    assert tienda.stock(CAFE) == Decimal(2)


@pytest.mark.parametrize(
    "cambios",
    [
        {"reintentos_concurrencia": 0},
        {"plazo_nota_credito_dias": -1},
        {"espera_maxima_segundos": -0.1},
    ],
)
def test_una_configuracion_imposible_se_rechaza(cambios: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=r"no puede|al menos"):
        Configuracion(**cambios)  # type: ignore[arg-type]
