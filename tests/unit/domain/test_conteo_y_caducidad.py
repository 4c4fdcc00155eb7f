"""Physical counts (StockAjustado), expiry (no exit takes an expired lot) and the write-off
of expired lots (LoteDadoDeBaja), on the Inventario aggregate and its domain services."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prometeo.domain.aggregates.factura import Factura
from prometeo.domain.aggregates.inventario import Inventario
from prometeo.domain.errores import ReglasIncumplidas
from prometeo.domain.events.inventario import (
    LoteDadoDeBaja,
    StockAjustado,
    StockBajo,
    StockReducido,
)
from prometeo.domain.services.conteo import ProductoContado, registrar_conteo
from prometeo.domain.services.emision import existencias
from prometeo.domain.services.transferencia import transferir
from prometeo.domain.specifications.conteo import cantidad_contada, exigir_lineas_de_conteo
from prometeo.domain.specifications.factura import (
    ContextoEmisionFactura,
    StockSuficienteParaFactura,
)
from prometeo.domain.value_objects.comprador import Comprador
from prometeo.domain.value_objects.dinero import Cantidad, Precio
from prometeo.domain.value_objects.tarifa_iva import TarifaIva

HOY = date(2026, 11, 29)
AYER = HOY - timedelta(days=1)
MANANA = HOY + timedelta(days=1)


def D(valor: str | int) -> Decimal:
    return Decimal(valor)


def con_lotes(*lotes: tuple[str, str, date | None]) -> Inventario:
    """Lots (quantity, unit cost, expiry) received a week ago, as L1, L2..."""
    inventario = Inventario.para("P1", "B1")
    for i, (cantidad, costo, caducidad) in enumerate(lotes, start=1):
        inventario.ingresar(
            Cantidad(cantidad),
            Precio(costo),
            HOY - timedelta(days=7),
            fecha_caducidad=caducidad,
            lote_id=f"L{i}",
        )
    inventario.recolectar_eventos()
    return inventario


def ajustar(inventario: Inventario, contada: str, esperada: Decimal | None = None) -> object:
    return inventario.ajustar(
        D(contada),
        inventario.stock if esperada is None else esperada,
        HOY,
        documento="CONTEO-1",
        documento_id="C1",
        lote_id="S1",
    )


def reglas(error: pytest.ExceptionInfo[ReglasIncumplidas]) -> tuple[str, ...]:
    return error.value.reglas


class TestCaducidad:
    def test_una_venta_salta_el_lote_vencido_y_toma_el_siguiente(self) -> None:
        inventario = con_lotes(("3", "1.00", AYER), ("5", "2.00", None))

        consumos = inventario.reducir(Cantidad(2), HOY, documento="F", documento_id="F1")

        assert [(c.lote_id, c.cantidad, c.costo) for c in consumos] == [("L2", 2, D("4.00"))]
        assert inventario.vencido_en(HOY) == 3
        assert inventario.vendible_en(HOY) == 3

    def test_el_dia_de_caducidad_todavia_se_vende(self) -> None:
        inventario = con_lotes(("3", "1.00", HOY), ("5", "2.00", None))

        consumos = inventario.reducir(Cantidad(1), HOY, documento="F", documento_id="F1")

        assert [c.lote_id for c in consumos] == ["L1"]

    def test_solo_stock_vencido_es_un_faltante_que_lo_nombra(self) -> None:
        inventario = con_lotes(("3", "1.00", AYER), ("1", "2.00", None))

        with pytest.raises(ReglasIncumplidas) as error:
            inventario.reducir(Cantidad(2), HOY, documento="F", documento_id="F1")

        assert reglas(error) == ("StockSuficiente",)
        assert "hay disponibles 1" in str(error.value)
        assert "3 unidades vencidas no se pueden vender" in str(error.value)
        assert inventario.eventos_pendientes == ()

    def test_una_transferencia_no_lleva_lotes_vencidos(self) -> None:
        origen = con_lotes(("3", "1.00", AYER), ("5", "2.00", MANANA))
        destino = Inventario.para("P1", "B2")

        transferir(origen, destino, Cantidad(2), HOY, documento="T", documento_id="T1")

        (lote,) = destino.lotes
        assert (lote.cantidad_disponible, lote.costo_unitario, lote.fecha_caducidad) == (
            2,
            D("2.00"),
            MANANA,
        )

    def test_stock_bajo_cuenta_solo_lo_vendible(self) -> None:
        inventario = con_lotes(("10", "1.00", AYER), ("4", "2.00", None))

        inventario.reducir(Cantidad(1), HOY, documento="F", documento_id="F1", stock_minimo=D(3))

        bajo = [e for e in inventario.eventos_pendientes if isinstance(e, StockBajo)]
        assert [(e.cantidad, e.stock_minimo) for e in bajo] == [(3, 3)]

    def test_la_anulacion_devuelve_al_lote_exacto_aunque_este_vencido(self) -> None:
        inventario = con_lotes(("3", "1.00", MANANA), ("5", "2.00", None))
        consumos = inventario.reducir(Cantidad(4), HOY, documento="F", documento_id="F1")

        inventario.revertir(consumos, MANANA + timedelta(days=1), documento="A", documento_id="F1")

        assert [(lt.lote_id, lt.cantidad_disponible) for lt in inventario.lotes] == [
            ("L1", 3),
            ("L2", 5),
        ]

    def test_la_regla_de_la_factura_juzga_lo_mismo_que_el_agregado(self) -> None:
        inventario = con_lotes(("3", "1.00", AYER), ("1", "2.00", None))
        factura = Factura.crear(
            "F1",
            punto_emision_id="PE1",
            sucursal_id="S1",
            bodega_id="B1",
            comprador=Comprador.consumidor_final(),
            fecha_emision=HOY,
        )
        factura.agregar_linea(
            producto_id="P1",
            codigo="CAF",
            descripcion="Café",
            cantidad=Cantidad(2),
            precio_unitario=Precio("5.00"),
            tarifa_iva=TarifaIva.de_codigo("0"),
        )
        vendibles, vencidas = existencias({"P1": inventario}, HOY)

        contexto = ContextoEmisionFactura(factura, HOY, vendibles, vencidas=vencidas)

        (error,) = StockSuficienteParaFactura().incumplidas(contexto)
        assert "se piden 2, hay 1; 3 unidades vencidas" in error.mensaje


class TestConteo:
    def test_sin_diferencia_no_registra_nada(self) -> None:
        inventario = con_lotes(("5", "2.00", None))

        assert ajustar(inventario, "5") is None
        assert inventario.eventos_pendientes == ()

    def test_un_faltante_sale_por_fifo_al_costo_de_sus_lotes(self) -> None:
        inventario = con_lotes(("2", "1.00", None), ("5", "3.00", None))

        evento = ajustar(inventario, "4")

        assert isinstance(evento, StockAjustado)
        assert (evento.sentido, evento.cantidad, evento.costo) == ("FALTANTE", 3, D("5.00"))
        assert [(c.lote_id, c.cantidad) for c in evento.lotes] == [("L1", 2), ("L2", 1)]
        assert (evento.contada, evento.esperada) == (4, 7)
        assert inventario.stock == 4
        assert [lt.lote_id for lt in inventario.lotes] == ["L2"]

    def test_un_sobrante_entra_como_lote_nuevo_al_costo_promedio(self) -> None:
        inventario = con_lotes(("1", "1.00", None), ("2", "2.50", None))

        evento = ajustar(inventario, "5")

        assert isinstance(evento, StockAjustado)
        (nuevo,) = evento.lotes
        # (1.00 + 5.00) / 3 = 2.00 per unit; the earlier lots stay as they were.
        assert (evento.sentido, nuevo.lote_id, nuevo.cantidad, nuevo.costo_unitario) == (
            "SOBRANTE",
            "S1",
            2,
            D("2.000000"),
        )
        assert nuevo.costo == D("4.00")
        assert [(lt.lote_id, lt.cantidad_disponible) for lt in inventario.lotes] == [
            ("L1", 1),
            ("L2", 2),
            ("S1", 2),
        ]

    def test_sin_stock_el_sobrante_entra_al_costo_del_ultimo_lote(self) -> None:
        inventario = con_lotes(("2", "1.00", None), ("1", "4.00", None))
        inventario.reducir(Cantidad(3), HOY, documento="F", documento_id="F1")

        evento = ajustar(inventario, "2")

        assert isinstance(evento, StockAjustado)
        assert evento.lotes[0].costo_unitario == D("4.00")

    def test_sin_ningun_lote_el_sobrante_no_tiene_costo(self) -> None:
        with pytest.raises(ReglasIncumplidas) as error:
            ajustar(Inventario.para("P1", "B1"), "2")

        assert reglas(error) == ("CostoDelSobranteConocido",)

    def test_un_sobrante_que_pasaria_el_limite_de_valor_se_rechaza(self) -> None:
        inventario = con_lotes(("0.000001", "999999", None))  # USD 1.00: a million a unit

        with pytest.raises(ReglasIncumplidas) as error:
            ajustar(inventario, "999999999999")

        assert reglas(error) == ("StockDentroDelLimite",)
        assert inventario.eventos_pendientes == ()

    def test_un_faltante_no_toma_lotes_vencidos(self) -> None:
        inventario = con_lotes(("3", "1.00", AYER), ("2", "2.00", None))

        with pytest.raises(ReglasIncumplidas) as error:
            ajustar(inventario, "1")  # 4 short, only 2 sellable

        assert reglas(error) == ("StockSuficiente",)
        assert "3 unidades vencidas" in str(error.value)

    def test_el_faltante_avisa_stock_bajo(self) -> None:
        inventario = con_lotes(("5", "1.00", None))

        inventario.ajustar(D(2), D(5), HOY, documento="C", documento_id="C1", stock_minimo=D(3))

        assert [type(e) for e in inventario.eventos_pendientes] == [StockAjustado, StockBajo]

    def test_el_agregado_repetido_desde_sus_eventos_es_el_mismo(self) -> None:
        inventario = con_lotes(("2", "1.00", AYER), ("5", "3.00", None))
        ajustar(inventario, "3")
        ajustar(inventario, "9")
        inventario.dar_de_baja("L1", HOY, motivo="Caducado", documento_id="B1")
        historia = con_lotes(("2", "1.00", AYER), ("5", "3.00", None))
        historia.aplicar_historia(inventario.recolectar_eventos())

        assert historia == inventario


def contado(
    actual: Inventario, contada: str, al_contar: Inventario | None = None
) -> ProductoContado:
    return ProductoContado(actual, al_contar or actual, D(contada), actual.producto_id)


class TestRegistrarConteo:
    def test_un_producto_que_se_movio_rechaza_todo_el_conteo(self) -> None:
        quieto = con_lotes(("5", "1.00", None))
        al_contar = con_lotes(("5", "1.00", None))
        movido = con_lotes(("5", "1.00", None))
        movido.reducir(Cantidad(1), HOY, documento="F", documento_id="F1")
        movido.recolectar_eventos()

        with pytest.raises(ReglasIncumplidas) as error:
            registrar_conteo(
                [contado(quieto, "4"), contado(movido, "5", al_contar)],
                HOY,
                documento="C",
                documento_id="C1",
            )

        assert reglas(error) == ("ConteoSinMovimientos",)
        assert "P1 (1)" in str(error.value)
        assert quieto.eventos_pendientes == ()

    def test_con_el_stock_al_contar_la_diferencia_es_contra_ese_stock(self) -> None:
        al_contar = con_lotes(("10", "1.00", None))
        actual = con_lotes(("10", "1.00", None))
        actual.reducir(Cantidad(2), HOY, documento="F", documento_id="F1")
        actual.recolectar_eventos()

        (ajuste,) = registrar_conteo(
            [contado(actual, "9", al_contar)],
            HOY,
            documento="C",
            documento_id="C1",
            usar_stock_al_contar=True,
        )

        # The shelf had 9 when 10 were expected: one short, taken from the 8 left now.
        assert (ajuste.esperada, ajuste.diferencia) == (10, -1)
        assert actual.stock == 7

    def test_todas_las_reglas_rotas_en_un_solo_error(self) -> None:
        sin_lotes = Inventario.para("P2", "B1")
        al_contar = con_lotes(("5", "1.00", None))
        movido = con_lotes(("5", "1.00", None))
        movido.reducir(Cantidad(1), HOY, documento="F", documento_id="F1")

        with pytest.raises(ReglasIncumplidas) as error:
            registrar_conteo(
                [contado(sin_lotes, "3"), contado(movido, "5", al_contar)],
                HOY,
                documento="C",
                documento_id="C1",
            )

        assert set(reglas(error)) == {"ConteoSinMovimientos", "CostoDelSobranteConocido"}

    def test_lineas_del_conteo(self) -> None:
        with pytest.raises(ReglasIncumplidas) as error:
            exigir_lineas_de_conteo(["P1", "P2", "P1"])
        assert reglas(error) == ("ProductosDelConteoDistintos",)
        with pytest.raises(ReglasIncumplidas) as error:
            exigir_lineas_de_conteo([])
        assert reglas(error) == ("ConteoConProductos",)

    @pytest.mark.parametrize("valor", ["-1", "0.0000001", "abc", 1.5])
    def test_cantidad_contada_invalida(self, valor: object) -> None:
        with pytest.raises(ReglasIncumplidas) as error:
            cantidad_contada(valor, 2)
        assert reglas(error) == ("CantidadContadaValida",)

    def test_cantidad_contada_cero_vale(self) -> None:
        assert cantidad_contada("0", 1) == 0
        assert cantidad_contada("2.500", 1) == D("2.500")


class TestBaja:
    def test_da_de_baja_lo_que_queda_de_un_lote_vencido(self) -> None:
        inventario = con_lotes(("3", "1.50", AYER), ("2", "2.00", None))

        evento = inventario.dar_de_baja("L1", HOY, motivo=" Caducado ", documento_id="B1")

        assert isinstance(evento, LoteDadoDeBaja)
        assert (evento.lote.lote_id, evento.lote.cantidad, evento.lote.costo) == (
            "L1",
            3,
            D("4.50"),
        )
        assert evento.motivo == "Caducado"
        assert [lt.lote_id for lt in inventario.lotes] == ["L2"]
        assert (inventario.stock, inventario.valor) == (2, D("4.00"))

    def test_un_lote_no_vencido_no_se_da_de_baja(self) -> None:
        inventario = con_lotes(("3", "1.50", HOY), ("2", "2.00", None))

        for lote in ("L1", "L2"):
            with pytest.raises(ReglasIncumplidas) as error:
                inventario.dar_de_baja(lote, HOY, motivo="x", documento_id="B1")
            assert reglas(error) == ("LoteVencido",)

    def test_lote_desconocido_o_vacio_y_motivo_en_blanco_juntos(self) -> None:
        inventario = con_lotes(("3", "1.50", AYER))

        with pytest.raises(ReglasIncumplidas) as error:
            inventario.dar_de_baja("NO", HOY, motivo="  ", documento_id="B1")

        assert set(reglas(error)) == {"LoteConStock", "MotivoBajaValido"}
        assert inventario.eventos_pendientes == ()


# -- a property: after any entries, sales and counts, a count leaves exactly what it found --

_operaciones = st.lists(
    st.one_of(
        st.tuples(st.just("ingreso"), st.integers(1, 9), st.sampled_from(["0.50", "1.25", "3"])),
        st.tuples(st.just("venta"), st.integers(1, 9)),
        st.tuples(st.just("conteo"), st.integers(0, 12)),
    ),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(operaciones=_operaciones, final=st.integers(0, 20))
def test_despues_de_un_conteo_el_stock_es_lo_contado(
    operaciones: list[tuple[object, ...]], final: int
) -> None:
    inventario = con_lotes(("4", "2.00", None))
    entrado, salido = inventario.valor, Decimal("0.00")
    for operacion in operaciones:
        try:
            if operacion[0] == "ingreso":
                _, cantidad, costo = operacion
                inventario.ingresar(Cantidad(str(cantidad)), Precio(str(costo)), HOY)
            elif operacion[0] == "venta":
                inventario.reducir(
                    Cantidad(str(operacion[1])), HOY, documento="F", documento_id="F"
                )
            else:
                inventario.ajustar(
                    D(str(operacion[1])), inventario.stock, HOY, documento="C", documento_id="C"
                )
        except ReglasIncumplidas:
            continue
    inventario.ajustar(D(final), inventario.stock, HOY, documento="C", documento_id="C")

    assert inventario.stock == final
    # What entered minus what left is exactly the value of the lots left (to the cent).
    for evento in inventario.recolectar_eventos():
        if isinstance(evento, StockReducido):
            salido += evento.costo
        elif isinstance(evento, StockAjustado):
            salido += -evento.costo if evento.sentido == "SOBRANTE" else evento.costo
        elif hasattr(evento, "valor"):
            entrado += evento.valor
    assert entrado - salido == inventario.valor
    assert inventario.valor == sum((lt.valor_disponible for lt in inventario.lotes), D("0.00"))
