"""ServicioInventario: physical counts (one transaction, the moved-while-counted guard),
exits that skip expired lots, and the write-off (baja) of expired lots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from escenario import BODEGA, CAFE, HOY, PAN, Escenario, reglas

from prometeo.application.comandos import (
    DarDeBaja,
    LineaConteoCmd,
    RegistrarConteo,
    RegistrarIngreso,
    TransferirStock,
)
from prometeo.domain.errores import NoEncontrado, ReglasIncumplidas
from prometeo.domain.reloj import RelojFijo

ANTES = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
CONTADO_EN = datetime(2026, 11, 29, 10, 0, 30, 500000, tzinfo=UTC)
DESPUES = datetime(2026, 11, 29, 11, 0, tzinfo=UTC)


def contar(
    tienda: Escenario, *lineas: tuple[str, str], **kwargs: object
) -> list[tuple[str, Decimal, Decimal]]:
    conteo = tienda.inventario_service.registrar_conteo(
        RegistrarConteo(
            BODEGA,
            "CONTEO-11",
            tuple(LineaConteoCmd(p, c) for p, c in lineas),
            **kwargs,  # type: ignore[arg-type]
        )
    )
    return [(a.producto_codigo, a.esperada, a.diferencia) for a in conteo.ajustes]


def test_solo_las_diferencias_se_registran_en_una_transaccion(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "10", "2.00")
    tienda.ingresar(PAN, "4", "0.50")
    antes = len(tienda.almacen.transacciones)

    ajustes = contar(tienda, (PAN, "4"), (CAFE, "7"))

    assert ajustes == [("PAN", 4, 0), ("CAF", 10, -3)]  # in the order counted
    assert len(tienda.almacen.transacciones) == antes + 1
    assert tienda.tipos() == ["StockAjustado"]
    (confirmado,) = tienda.almacen.transacciones[-1]
    assert confirmado.evento.documento == "CONTEO-11"  # type: ignore[attr-defined]
    assert (tienda.stock(CAFE), tienda.stock(PAN)) == (7, 4)


def test_un_producto_mal_contado_no_deja_registrar_ninguno(tienda: Escenario) -> None:
    tienda.ingresar(CAFE, "10", "2.00")
    antes = len(tienda.almacen.transacciones)

    with pytest.raises(ReglasIncumplidas) as error:
        contar(tienda, (CAFE, "7"), (PAN, "3"))  # pan never had a lot: no cost

    assert reglas(error.value) == {"CostoDelSobranteConocido"}
    assert len(tienda.almacen.transacciones) == antes
    assert tienda.stock(CAFE) == 10


def test_cada_regla_de_la_entrada_nombrada_a_la_vez(tienda: Escenario) -> None:
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.inventario_service.registrar_conteo(
            RegistrarConteo(
                BODEGA,
                "  ",
                (LineaConteoCmd(CAFE, "-1"), LineaConteoCmd(CAFE, "2")),
            )
        )

    assert reglas(error.value) == {
        "ReferenciaConteoValida",
        "ProductosDelConteoDistintos",
        "CantidadContadaValida",
    }


def test_un_producto_desconocido_es_no_encontrado(tienda: Escenario) -> None:
    with pytest.raises(NoEncontrado):
        contar(tienda, ("x", "1"))


def test_lo_que_se_movio_durante_el_conteo_lo_rechaza(tienda: Escenario) -> None:
    tienda.almacen.ahora = lambda: ANTES
    tienda.ingresar(CAFE, "10", "2.00")
    tienda.ingresar(PAN, "5", "1.00")
    tienda.almacen.ahora = lambda: DESPUES
    tienda.vender((CAFE, "2"))

    with pytest.raises(ReglasIncumplidas) as error:
        contar(tienda, (CAFE, "9"), (PAN, "5"), contado_en=CONTADO_EN)

    assert reglas(error.value) == {"ConteoSinMovimientos"}
    assert "CAF (1)" in str(error.value)
    assert tienda.stock(CAFE) == 8


def test_con_el_stock_al_contar_se_compara_con_el_de_ese_momento(tienda: Escenario) -> None:
    tienda.almacen.ahora = lambda: ANTES
    tienda.ingresar(CAFE, "10", "2.00")
    tienda.almacen.ahora = lambda: DESPUES
    tienda.vender((CAFE, "2"))

    ajustes = contar(tienda, (CAFE, "9"), contado_en=CONTADO_EN, usar_stock_al_contar=True)

    assert ajustes == [("CAF", 10, -1)]
    assert tienda.stock(CAFE) == 7


def test_un_movimiento_del_mismo_segundo_cuenta_como_posterior(tienda: Escenario) -> None:
    tienda.almacen.ahora = lambda: CONTADO_EN - timedelta(microseconds=400000)
    tienda.ingresar(CAFE, "10", "2.00")

    with pytest.raises(ReglasIncumplidas) as error:
        contar(tienda, (CAFE, "10"), contado_en=CONTADO_EN)

    assert reglas(error.value) == {"ConteoSinMovimientos"}


def test_lo_movido_antes_de_empezar_no_estorba(tienda: Escenario) -> None:
    tienda.almacen.ahora = lambda: ANTES
    tienda.ingresar(CAFE, "10", "2.00")

    assert contar(tienda, (CAFE, "11"), contado_en=CONTADO_EN) == [("CAF", 10, 1)]


def vencer_un_lote(tienda: Escenario) -> str:
    """A lot of café that expires today (sellable today, expired tomorrow) and a newer
    one without expiry; the clock then moves to tomorrow."""
    vence = tienda.inventario_service.registrar_ingreso(
        RegistrarIngreso(CAFE, BODEGA, "3", "1.00", HOY)
    ).lote_id
    tienda.ingresar(CAFE, "2", "2.00")
    tienda.reloj = RelojFijo(HOY + timedelta(days=1))
    return vence


def test_una_factura_no_vende_un_lote_vencido(tienda: Escenario) -> None:
    vencido = vencer_un_lote(tienda)

    with pytest.raises(ReglasIncumplidas) as error:
        tienda.vender((CAFE, "3"), fecha_emision=HOY + timedelta(days=1))

    assert reglas(error.value) == {"StockSuficienteParaFactura"}
    assert "3 unidades vencidas no se pueden vender" in str(error.value)
    tienda.vender((CAFE, "2"), fecha_emision=HOY + timedelta(days=1))
    assert [lt.lote_id for lt in tienda.inventario(CAFE).lotes] == [vencido]


def test_una_transferencia_tampoco(tienda: Escenario) -> None:
    vencer_un_lote(tienda)

    with pytest.raises(ReglasIncumplidas) as error:
        tienda.inventario_service.transferir_stock(TransferirStock(CAFE, BODEGA, "bodega-2", "4"))

    assert reglas(error.value) == {"StockSuficiente"}


def test_la_baja_de_un_lote_vencido(tienda: Escenario) -> None:
    vencido = vencer_un_lote(tienda)

    baja = tienda.inventario_service.dar_de_baja(DarDeBaja(CAFE, BODEGA, vencido, "Caducado"))

    assert (baja.lote_id, baja.cantidad, baja.costo) == (vencido, 3, Decimal("3.00"))
    assert tienda.tipos() == ["LoteDadoDeBaja"]
    assert tienda.stock(CAFE) == 2


def test_la_baja_de_un_lote_no_vencido_se_rechaza(tienda: Escenario) -> None:
    lote = tienda.ingresar(CAFE, "2", "2.00")

    with pytest.raises(ReglasIncumplidas) as error:
        tienda.inventario_service.dar_de_baja(DarDeBaja(CAFE, BODEGA, lote, ""))

    assert reglas(error.value) == {"LoteVencido", "MotivoBajaValido"}
