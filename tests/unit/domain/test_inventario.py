"""The FIFO inventory: lots, cost of goods sold, anulación, devolución, transfers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from prometeo.domain.aggregates.inventario import Inventario, Lote
from prometeo.domain.errores import ReglasIncumplidas, ValorInvalido
from prometeo.domain.events.base import EventoDominio
from prometeo.domain.events.inventario import (
    ConsumoLote,
    LoteIngresado,
    StockBajo,
    StockIncrementado,
    StockReducido,
)
from prometeo.domain.services.transferencia import transferir
from prometeo.domain.value_objects.dinero import Cantidad, Precio

HOY = date(2024, 3, 1)


def D(valor: str | int) -> Decimal:
    return Decimal(valor)


def inventario_con_dos_lotes() -> Inventario:
    """The worked example: 5 units at 2.00, then 5 units at 3.00."""
    inventario = Inventario.para("P1", "B1")
    inventario.ingresar(Cantidad(5), Precio("2.00"), HOY, lote_id="L1", documento="FC-1")
    inventario.ingresar(Cantidad(5), Precio("3.00"), HOY, lote_id="L2", documento="FC-2")
    return inventario


def vender(
    inventario: Inventario, cantidad: str, stock_minimo: Decimal = Decimal(0)
) -> tuple[ConsumoLote, ...]:
    return inventario.reducir(
        Cantidad(cantidad),
        HOY,
        documento="001-001-000000001",
        documento_id="F1",
        stock_minimo=stock_minimo,
    )


class TestIdentidad:
    def test_un_stream_por_producto_y_bodega(self) -> None:
        inventario = Inventario.para("P1", "B1")

        assert Inventario.id_para("P1", "B1") == "P1-B1"
        assert inventario.id == "P1-B1"
        assert inventario.stream_id == "inventario-P1-B1"
        assert (inventario.producto_id, inventario.bodega_id) == ("P1", "B1")

    def test_recien_creado_esta_vacio_y_sin_eventos(self) -> None:
        inventario = Inventario.para("P1", "B1")

        assert inventario.version == 0
        assert inventario.eventos_pendientes == ()
        assert inventario.stock == 0
        assert inventario.valor == D("0.00")
        assert inventario.lotes == ()
        assert not inventario.existe

    def test_uno_en_blanco_no_registra_eventos_sin_producto_ni_bodega(self) -> None:
        en_blanco = Inventario("P1-B1")

        with pytest.raises(ValorInvalido) as error:
            en_blanco.ingresar(Cantidad(1), Precio(1), HOY)

        assert error.value.reglas == ("InventarioIdentificado",)
        assert en_blanco.version == 0

    def test_no_aplica_eventos_ajenos(self) -> None:
        with pytest.raises(TypeError, match="EventoDominio"):
            Inventario("P1-B1").aplicar_historia([EventoDominio()])


class TestIngreso:
    def test_crea_lotes_al_final_de_la_cola(self) -> None:
        inventario = inventario_con_dos_lotes()

        assert inventario.existe
        assert inventario.stock == 10
        assert inventario.valor == D("25.00")
        assert [lote.lote_id for lote in inventario.lotes] == ["L1", "L2"]
        assert inventario.lotes[0] == Lote("L1", HOY, D(5), D(5), D("2.00"), D("10.00"))

    def test_registra_lote_ingresado_con_valor_redondeado(self) -> None:
        inventario = Inventario.para("P1", "B1")

        lote_id = inventario.ingresar(
            Cantidad("3"), Precio("0.333333"), HOY, fecha_caducidad=date(2025, 1, 1)
        )

        (evento,) = inventario.eventos_pendientes
        assert evento == LoteIngresado(
            producto_id="P1",
            bodega_id="B1",
            lote_id=lote_id,
            fecha=HOY,
            cantidad=D(3),
            costo_unitario=D("0.333333"),
            valor=D("1.00"),
            fecha_caducidad=date(2025, 1, 1),
        )
        assert inventario.lotes[0].fecha_caducidad == date(2025, 1, 1)

    def test_caducidad_el_mismo_dia_es_valida(self) -> None:
        inventario = Inventario.para("P1", "B1")

        inventario.ingresar(Cantidad(1), Precio(1), HOY, fecha_caducidad=HOY)

        assert inventario.stock == 1

    def test_rechaza_caducidad_anterior_al_ingreso(self) -> None:
        inventario = Inventario.para("P1", "B1")

        with pytest.raises(ValorInvalido) as error:
            inventario.ingresar(Cantidad(1), Precio(1), HOY, fecha_caducidad=date(2024, 2, 29))

        assert error.value.reglas == ("FechaCaducidadLoteValida",)
        assert inventario.version == 0

    def test_rechaza_un_lote_repetido(self) -> None:
        inventario = inventario_con_dos_lotes()

        with pytest.raises(ValorInvalido) as error:
            inventario.ingresar(Cantidad(1), Precio(1), HOY, lote_id="L1")

        assert error.value.reglas == ("LoteUnico",)
        assert inventario.version == 2


class TestSalidaFifo:
    def test_consume_los_lotes_mas_antiguos_primero(self) -> None:
        inventario = inventario_con_dos_lotes()

        consumos = vender(inventario, "7")

        assert consumos == (
            ConsumoLote("L1", D(5), D("2.00"), D("10.00"), None, HOY, D(5)),
            ConsumoLote("L2", D(2), D("3.00"), D("6.00"), None, HOY, D(5)),
        )
        assert sum(c.costo for c in consumos) == D("16.00")
        assert inventario.stock == 3
        assert inventario.valor == D("9.00")
        assert [lote.lote_id for lote in inventario.lotes_disponibles] == ["L2"]
        # The emptied lot leaves the queue: state stays the size of the stock.
        assert [lote.lote_id for lote in inventario.lotes] == ["L2"]

    def test_registra_el_costo_de_venta(self) -> None:
        inventario = inventario_con_dos_lotes()
        inventario.recolectar_eventos()

        consumos = vender(inventario, "7")

        (evento,) = inventario.recolectar_eventos()
        assert evento == StockReducido(
            producto_id="P1",
            bodega_id="B1",
            fecha=HOY,
            documento="001-001-000000001",
            documento_id="F1",
            cantidad=D(7),
            costo=D("16.00"),
            consumos=consumos,
        )

    def test_las_ultimas_unidades_se_llevan_el_valor_restante(self) -> None:
        inventario = Inventario.para("P1", "B1")
        inventario.ingresar(Cantidad(3), Precio("0.333333"), HOY)  # 3 units worth 1.00

        costos = [vender(inventario, "1")[0].costo for _ in range(3)]

        assert costos == [D("0.33"), D("0.33"), D("0.34")]
        assert inventario.valor == D("0.00")

    def test_una_salida_parcial_nunca_supera_el_valor_del_lote(self) -> None:
        inventario = Inventario.para("P1", "B1")
        inventario.ingresar(Cantidad(5), Precio("0.005"), HOY)  # worth 0.03, not 5 × 0.01

        costos = [vender(inventario, "1")[0].costo for _ in range(5)]

        assert costos == [D("0.01"), D("0.01"), D("0.01"), D("0.00"), D("0.00")]
        assert inventario.valor == D("0.00")
        assert inventario.lotes == ()

    def test_stock_insuficiente_falla_y_no_registra_nada(self) -> None:
        inventario = inventario_con_dos_lotes()
        antes = inventario.lotes

        with pytest.raises(ReglasIncumplidas) as error:
            vender(inventario, "10.5")

        assert error.value.reglas == ("StockSuficiente",)
        mensaje = error.value.errores[0].mensaje
        assert all(dato in mensaje for dato in ("P1", "B1", "10.5", "10"))
        assert inventario.lotes == antes
        assert inventario.version == 2

    @pytest.mark.parametrize(
        ("stock_minimo", "vendido", "avisa"),
        [
            ("3", "7", True),  # 10 -> 3: reaches the minimum
            ("4", "7", True),  # 10 -> 3: falls below it
            ("2", "7", False),  # 10 -> 3: still above it
            ("0", "10", True),  # sold out with no minimum
            ("0", "9", False),
        ],
    )
    def test_stock_bajo_al_cruzar_el_minimo(
        self, stock_minimo: str, vendido: str, avisa: bool
    ) -> None:
        inventario = inventario_con_dos_lotes()
        inventario.recolectar_eventos()

        vender(inventario, vendido, stock_minimo=D(stock_minimo))

        bajos = [e for e in inventario.recolectar_eventos() if isinstance(e, StockBajo)]
        esperado = StockBajo(
            producto_id="P1",
            bodega_id="B1",
            cantidad=D(10) - D(vendido),
            stock_minimo=D(stock_minimo),
        )
        assert bajos == ([esperado] if avisa else [])

    def test_stock_bajo_solo_una_vez_al_cruzar(self) -> None:
        inventario = inventario_con_dos_lotes()
        vender(inventario, "7", stock_minimo=D(5))
        inventario.recolectar_eventos()

        vender(inventario, "1", stock_minimo=D(5))

        assert [e.tipo for e in inventario.recolectar_eventos()] == ["StockReducido"]


class TestAnulacion:
    def test_revertir_devuelve_los_lotes_exactos(self) -> None:
        inventario = inventario_con_dos_lotes()
        vender(inventario, "1")
        antes = inventario.lotes
        consumos = vender(inventario, "6")

        inventario.revertir(consumos, HOY, documento="001-001-000000002", documento_id="F2")

        assert inventario.lotes == antes
        assert (inventario.stock, inventario.valor) == (D(9), D("23.00"))
        evento = inventario.eventos_pendientes[-1]
        assert evento == StockIncrementado(
            producto_id="P1",
            bodega_id="B1",
            fecha=HOY,
            documento="001-001-000000002",
            documento_id="F2",
            cantidad=D(6),
            costo=D("14.00"),
            lotes=consumos,
            motivo="ANULACION",
        )

    def test_revertir_un_lote_desconocido_falla(self) -> None:
        inventario = inventario_con_dos_lotes()

        with pytest.raises(ValorInvalido) as error:
            inventario.revertir(
                (ConsumoLote("L9", D(1), D(1), D("1.00")),), HOY, documento="X", documento_id="X"
            )

        assert error.value.reglas == ("LoteExiste",)
        assert inventario.version == 2

    def test_revertir_mas_de_lo_que_salio_del_lote_falla(self) -> None:
        inventario = inventario_con_dos_lotes()
        consumos = vender(inventario, "2")
        inventario.revertir(consumos, HOY, documento="X", documento_id="F1")

        with pytest.raises(ValorInvalido) as error:
            inventario.revertir(consumos, HOY, documento="X", documento_id="F1")

        assert error.value.reglas == ("ReversionDentroDelLote",)
        assert inventario.stock == 10

    def test_revertir_sin_consumos_falla(self) -> None:
        with pytest.raises(ValorInvalido) as error:
            inventario_con_dos_lotes().revertir((), HOY, documento="X", documento_id="X")

        assert error.value.reglas == ("ConsumosPresentes",)


class TestDevolucion:
    def test_la_devolucion_entra_como_un_lote_nuevo_al_final(self) -> None:
        inventario = inventario_con_dos_lotes()
        vender(inventario, "7")
        costo_promedio = Precio.redondear(D("16.00") / 7)

        nuevo = inventario.devolver(
            Cantidad(4), costo_promedio, HOY, documento="NC-1", documento_id="NC1", lote_id="D1"
        )

        assert costo_promedio == Precio("2.285714")
        assert nuevo == ConsumoLote("D1", D(4), D("2.285714"), D("9.14"))
        assert inventario.lotes[-1] == Lote("D1", HOY, D(4), D(4), D("2.285714"), D("9.14"))
        assert (inventario.stock, inventario.valor) == (D(7), D("18.14"))
        evento = inventario.eventos_pendientes[-1]
        assert isinstance(evento, StockIncrementado)
        assert (evento.motivo, evento.lotes, evento.costo) == ("DEVOLUCION", (nuevo,), D("9.14"))

    def test_con_un_lote_nuevo_por_omision(self) -> None:
        inventario = inventario_con_dos_lotes()

        nuevo = inventario.devolver(Cantidad(1), Precio(2), HOY, documento="N", documento_id="N")

        assert nuevo.lote_id not in ("L1", "L2")
        assert inventario.lotes[-1].lote_id == nuevo.lote_id


class TestTransferencia:
    def test_conserva_costos_caducidad_y_valor(self) -> None:
        origen = Inventario.para("P1", "B1")
        origen.ingresar(Cantidad(5), Precio("2.00"), HOY, fecha_caducidad=date(2025, 1, 1))
        origen.ingresar(Cantidad(5), Precio("3.333333"), HOY, fecha_caducidad=date(2025, 6, 1))
        destino = Inventario.para("P1", "B2")
        valor_total = origen.valor

        consumos = transferir(
            origen, destino, Cantidad(7), date(2024, 3, 2), documento="T-1", documento_id="T1"
        )

        assert [(c.cantidad, c.costo) for c in consumos] == [(D(5), D("10.00")), (D(2), D("6.67"))]
        assert [
            (lote.cantidad_disponible, lote.costo_unitario, lote.valor_disponible)
            for lote in destino.lotes
        ] == [(D(5), D("2.00"), D("10.00")), (D(2), D("3.333333"), D("6.67"))]
        assert [lote.fecha_caducidad for lote in destino.lotes] == [
            date(2025, 1, 1),
            date(2025, 6, 1),
        ]
        assert all(lote.fecha_ingreso == date(2024, 3, 2) for lote in destino.lotes)
        assert (origen.stock, destino.stock) == (D(3), D(7))
        assert origen.valor + destino.valor == valor_total
        salida = origen.eventos_pendientes[-1]
        assert isinstance(salida, StockReducido)
        assert salida.motivo == "TRANSFERENCIA"
        entradas = destino.eventos_pendientes
        assert all(isinstance(e, LoteIngresado) and e.motivo == "TRANSFERENCIA" for e in entradas)

    def test_el_mismo_lote_puede_llegar_dos_veces(self) -> None:
        origen = inventario_con_dos_lotes()
        destino = Inventario.para("P1", "B2")

        transferir(origen, destino, Cantidad(1), HOY, documento="T-1", documento_id="T1")
        transferir(origen, destino, Cantidad(1), HOY, documento="T-2", documento_id="T2")

        assert len({lote.lote_id for lote in destino.lotes}) == 2
        assert destino.stock == 2

    def test_avisa_stock_bajo_en_el_origen(self) -> None:
        origen = inventario_con_dos_lotes()
        destino = Inventario.para("P1", "B2")

        transferir(
            origen,
            destino,
            Cantidad(8),
            HOY,
            documento="T-1",
            documento_id="T1",
            stock_minimo_origen=D(2),
        )

        assert isinstance(origen.eventos_pendientes[-1], StockBajo)

    @pytest.mark.parametrize(
        ("producto", "bodega", "texto"),
        [("P1", "B1", "misma bodega"), ("P2", "B2", "producto"), ("P2", "B1", "misma bodega")],
    )
    def test_rechaza_misma_bodega_u_otro_producto(
        self, producto: str, bodega: str, texto: str
    ) -> None:
        origen = inventario_con_dos_lotes()
        destino = Inventario.para(producto, bodega)

        with pytest.raises(ReglasIncumplidas) as error:
            transferir(origen, destino, Cantidad(1), HOY, documento="T", documento_id="T")

        assert error.value.reglas == ("TransferenciaEntreBodegasDistintas",)
        assert texto in error.value.errores[0].mensaje
        assert (origen.version, destino.version) == (2, 0)

    def test_sin_stock_no_mueve_nada(self) -> None:
        origen = inventario_con_dos_lotes()
        destino = Inventario.para("P1", "B2")

        with pytest.raises(ReglasIncumplidas) as error:
            transferir(origen, destino, Cantidad(11), HOY, documento="T", documento_id="T")

        assert error.value.reglas == ("StockSuficiente",)
        assert (origen.version, destino.version) == (2, 0)

    def test_recibir_sin_consumos_falla(self) -> None:
        with pytest.raises(ValorInvalido) as error:
            Inventario.para("P1", "B2").recibir_transferencia((), HOY, documento="T")

        assert error.value.reglas == ("ConsumosPresentes",)


class TestReconstruccion:
    def test_reconstruido_de_sus_eventos_es_igual_al_vivo(self) -> None:
        inventario = inventario_con_dos_lotes()
        otro = Inventario.para("P1", "B2")
        consumos = vender(inventario, "7", stock_minimo=D(3))
        inventario.devolver(Cantidad(1), Precio(2), HOY, documento="N", documento_id="N")
        inventario.revertir(consumos, HOY, documento="F", documento_id="F")
        transferir(inventario, otro, Cantidad(9), HOY, documento="T", documento_id="T")
        eventos = inventario.recolectar_eventos()

        reconstruido = Inventario.reconstruir(inventario.id, eventos)

        assert reconstruido == inventario
        assert reconstruido.lotes == inventario.lotes
        assert reconstruido.version == inventario.version == len(eventos)
        assert (reconstruido.producto_id, reconstruido.bodega_id) == ("P1", "B1")
        assert Inventario.reconstruir(otro.id, otro.recolectar_eventos()) == otro

    def test_recolectar_eventos_los_entrega_una_sola_vez(self) -> None:
        inventario = inventario_con_dos_lotes()

        eventos = inventario.recolectar_eventos()

        assert [e.tipo for e in eventos] == ["LoteIngresado", "LoteIngresado"]
        assert inventario.recolectar_eventos() == []
        assert inventario.eventos_pendientes == ()
        assert inventario.version == 2

    def test_distinto_estado_no_es_igual(self) -> None:
        uno, otro = inventario_con_dos_lotes(), inventario_con_dos_lotes()
        vender(otro, "1")

        assert uno != otro
        assert uno != "P1-B1"
