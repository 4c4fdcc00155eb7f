"""ServicioInventario: purchases become lots; transfers move lots between bodegas."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from escenario import BODEGA, BODEGA_2, CAFE, HOY, PAN, Escenario, reglas

from prometeo.application.comandos import RegistrarIngreso, TransferirStock
from prometeo.domain.errores import NoEncontrado, ReglasIncumplidas


def test_un_ingreso_crea_un_lote(tienda: Escenario) -> None:
    caducidad = HOY + timedelta(days=90)
    ingreso = tienda.inventario_service.registrar_ingreso(
        RegistrarIngreso(CAFE, BODEGA, "12.5", "3.456", caducidad, " FC-001-002-123 ")
    )

    (lote,) = tienda.inventario(CAFE).lotes
    assert lote.lote_id == ingreso.lote_id
    assert (lote.cantidad_inicial, lote.costo_unitario) == (Decimal("12.5"), Decimal("3.456"))
    assert lote.valor_disponible == Decimal("43.20")
    assert (lote.fecha_ingreso, lote.fecha_caducidad) == (HOY, caducidad)
    (evento,) = tienda.almacen.transacciones[-1]
    assert evento.evento.documento == "FC-001-002-123"  # type: ignore[attr-defined]
    assert evento.stream_id == f"inventario-{CAFE}-{BODEGA}"


def test_el_lote_puede_tener_un_id_elegido(tienda: Escenario) -> None:
    ingreso = tienda.inventario_service.registrar_ingreso(
        RegistrarIngreso(PAN, BODEGA, 1, 1, lote_id="L-1")
    )

    assert ingreso.lote_id == "L-1"
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.inventario_service.registrar_ingreso(
            RegistrarIngreso(PAN, BODEGA, 1, 1, lote_id="L-1")
        )
    assert reglas(error.value) == {"LoteUnico"}


@pytest.mark.parametrize(
    ("producto", "bodega", "que"), [("x", BODEGA, "producto"), (CAFE, "x", "bodega")]
)
def test_un_ingreso_a_ids_desconocidos_es_no_encontrado(
    tienda: Escenario, producto: str, bodega: str, que: str
) -> None:
    with pytest.raises(NoEncontrado) as error:
        tienda.inventario_service.registrar_ingreso(RegistrarIngreso(producto, bodega, 1, 1))

    assert error.value.que == que
    assert tienda.almacen.streams == {}


@pytest.mark.parametrize(
    ("cantidad", "costo", "caducidad", "regla"),
    [
        ("0", "1", None, "CantidadPositiva"),
        ("1", "-1", None, "CostoValido"),
        ("1", "1", HOY - timedelta(days=1), "FechaCaducidadLoteValida"),
    ],
)
def test_un_ingreso_invalido_no_guarda_nada(
    tienda: Escenario, cantidad: str, costo: str, caducidad: object, regla: str
) -> None:
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.inventario_service.registrar_ingreso(
            RegistrarIngreso(CAFE, BODEGA, cantidad, costo, caducidad)  # type: ignore[arg-type]
        )

    assert reglas(error.value) == {regla}
    assert tienda.almacen.streams == {}


def test_una_transferencia_mueve_lotes_con_su_costo(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "3", "4.00")
    tienda.ingresar(CAFE, "5", "5.00")

    hecha = tienda.inventario_service.transferir_stock(
        TransferirStock(CAFE, BODEGA, BODEGA_2, "4", transferencia_id="T-1")
    )

    assert hecha == type(hecha)("T-1", Decimal(4), Decimal("17.00"))
    assert (tienda.stock(CAFE), tienda.stock(CAFE, BODEGA_2)) == (Decimal(4), Decimal(4))
    destino = tienda.inventario(CAFE, BODEGA_2).lotes
    assert [(lote.cantidad_inicial, lote.costo_unitario) for lote in destino] == [
        (Decimal(3), Decimal("4.00")),
        (Decimal(1), Decimal("5.00")),
    ]
    assert tienda.inventario(CAFE).valor + tienda.inventario(CAFE, BODEGA_2).valor == Decimal(
        "37.00"
    )
    assert len(tienda.uows[-1].confirmados) == 3  # one exit, two entries, one transaction


@pytest.mark.parametrize(
    ("origen", "destino", "cantidad", "regla"),
    [
        (BODEGA, BODEGA, "1", "TransferenciaEntreBodegasDistintas"),
        (BODEGA, BODEGA_2, "9", "StockSuficiente"),
    ],
)
def test_una_transferencia_invalida_no_mueve_nada(
    tienda: Escenario, origen: str, destino: str, cantidad: str, regla: str
) -> None:
    tienda.ingresar(CAFE, "3", "4.00")
    antes = len(tienda.almacen.transacciones)

    with pytest.raises(ReglasIncumplidas) as error:
        tienda.inventario_service.transferir_stock(TransferirStock(CAFE, origen, destino, cantidad))

    assert reglas(error.value) == {regla}
    assert len(tienda.almacen.transacciones) == antes


@pytest.mark.parametrize(
    ("producto", "origen", "destino"),
    [("x", BODEGA, BODEGA_2), (CAFE, "x", BODEGA_2), (CAFE, BODEGA, "x")],
)
def test_una_transferencia_con_ids_desconocidos(
    tienda: Escenario, producto: str, origen: str, destino: str
) -> None:
    with pytest.raises(NoEncontrado) as error:
        tienda.inventario_service.transferir_stock(TransferirStock(producto, origen, destino, "1"))

    assert error.value.id == "x"


def test_un_ingreso_con_cantidad_y_costo_invalidos_nombra_ambas_reglas(tienda: Escenario) -> None:
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.inventario_service.registrar_ingreso(RegistrarIngreso(CAFE, BODEGA, "0", "-1"))

    assert reglas(error.value) == {"CantidadPositiva", "CostoValido"}
    assert "El costo unitario -1 no puede ser negativo" in str(error.value)
    assert tienda.almacen.streams == {}
