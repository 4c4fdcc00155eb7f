"""Properties of the FIFO inventory over random histories of entries, exits, anulaciones,
devoluciones and transfers: nothing is created or lost, to the unit and to the cent."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from prometeo.domain.aggregates.inventario import Inventario
from prometeo.domain.errores import ReglasIncumplidas
from prometeo.domain.events.base import EventoDominio
from prometeo.domain.events.inventario import (
    ConsumoLote,
    LoteIngresado,
    StockBajo,
    StockIncrementado,
    StockReducido,
)
from prometeo.domain.services.transferencia import transferir
from prometeo.domain.value_objects.dinero import CENTAVO, MICRO, Cantidad, Precio, redondear2

HOY = date(2024, 3, 1)
BODEGAS = ("B1", "B2")


def con_hasta_6_decimales(minimo_millonesimas: int, maximo: int) -> st.SearchStrategy[Decimal]:
    """Whole numbers, or numbers with up to 6 decimals (drawn in millionths)."""
    return st.one_of(
        st.integers(max(minimo_millonesimas, 1), maximo).map(Decimal),
        st.integers(minimo_millonesimas, maximo * 10**6).map(lambda n: Decimal(n) / 10**6),
    )


cantidades = con_hasta_6_decimales(1, 1_000)
# Costs of a fraction of a cent make partial exits round up more than the lot is worth.
costos = con_hasta_6_decimales(0, 1_000) | st.integers(0, 20_000).map(lambda n: Decimal(n) / 10**6)
# Share of the current stock an exit asks for: above 100 it must be rejected.
porcentajes = st.integers(1, 130)
minimos = st.sampled_from([Decimal(0), Decimal(1), Decimal("2.5"), Decimal(50)])


def parte_del_stock(stock: Decimal, porcentaje: int) -> Decimal:
    pedido = (stock * porcentaje / 100).quantize(MICRO, rounding=ROUND_DOWN)
    return max(pedido, MICRO)


class MaquinaInventario(RuleBasedStateMachine):
    """One producto in two bodegas, with a ledger of what came in and went out of each."""

    def __init__(self) -> None:
        super().__init__()
        self.inventarios = {b: Inventario.para("P1", b) for b in BODEGAS}
        self.eventos: dict[str, list[EventoDominio]] = {b: [] for b in BODEGAS}
        self.entradas = {b: (Decimal(0), Decimal("0.00")) for b in BODEGAS}
        self.salidas = {b: (Decimal(0), Decimal("0.00")) for b in BODEGAS}
        self.ventas: list[tuple[str, tuple[ConsumoLote, ...]]] = []
        self.dia = HOY

    def _anotar(
        self, libro: dict[str, tuple[Decimal, Decimal]], bodega: str, q: Decimal, v: Decimal
    ) -> None:
        cantidad, valor = libro[bodega]
        libro[bodega] = (cantidad + q, valor + v)

    def _recolectar(self, bodega: str) -> list[EventoDominio]:
        nuevos = self.inventarios[bodega].recolectar_eventos()
        self.eventos[bodega].extend(nuevos)
        return nuevos

    def _siguiente_dia(self) -> date:
        self.dia += timedelta(days=1)
        return self.dia

    @rule(bodega=st.sampled_from(BODEGAS), cantidad=cantidades, costo=costos, caduca=st.booleans())
    def ingresar(self, bodega: str, cantidad: Decimal, costo: Decimal, caduca: bool) -> None:
        fecha = self._siguiente_dia()
        caducidad = fecha + timedelta(days=90) if caduca else None
        self.inventarios[bodega].ingresar(
            Cantidad(cantidad), Precio(costo), fecha, fecha_caducidad=caducidad
        )
        (evento,) = self._recolectar(bodega)
        assert isinstance(evento, LoteIngresado)
        assert evento.valor == redondear2(cantidad * costo)
        self._anotar(self.entradas, bodega, cantidad, evento.valor)

    @rule(bodega=st.sampled_from(BODEGAS), porcentaje=porcentajes, minimo=minimos)
    def reducir(self, bodega: str, porcentaje: int, minimo: Decimal) -> None:
        inventario = self.inventarios[bodega]
        antes, lotes, version = inventario.stock, inventario.lotes, inventario.version
        pedido = parte_del_stock(antes, porcentaje)
        if pedido > antes:
            event("salida rechazada")
            with pytest.raises(ReglasIncumplidas) as error:
                inventario.reducir(
                    Cantidad(pedido), self.dia, documento="F", documento_id="F", stock_minimo=minimo
                )
            assert error.value.reglas == ("StockSuficiente",)
            assert (inventario.lotes, inventario.version) == (lotes, version)
            assert inventario.eventos_pendientes == ()
            return
        consumos = inventario.reducir(
            Cantidad(pedido), self.dia, documento="F", documento_id="F", stock_minimo=minimo
        )
        eventos = self._recolectar(bodega)
        salida = eventos[0]
        assert isinstance(salida, StockReducido)
        assert salida.consumos == consumos
        assert sum(c.cantidad for c in consumos) == salida.cantidad == pedido
        assert sum(c.costo for c in consumos) == salida.costo
        bajo = [e for e in eventos if isinstance(e, StockBajo)]
        assert len(bajo) == (1 if antes > minimo >= inventario.stock else 0)
        self._anotar(self.salidas, bodega, pedido, salida.costo)
        self.ventas.append((bodega, consumos))
        event(f"venta de {len(consumos)} lote(s)" + (" con stock bajo" if bajo else ""))

    @precondition(lambda self: bool(self.ventas))
    @rule(cual=st.integers(0, 10_000))
    def revertir(self, cual: int) -> None:
        bodega, consumos = self.ventas.pop(cual % len(self.ventas))
        self.inventarios[bodega].revertir(consumos, self.dia, documento="F", documento_id="F")
        (evento,) = self._recolectar(bodega)
        assert isinstance(evento, StockIncrementado)
        self._anotar(self.salidas, bodega, -evento.cantidad, -evento.costo)
        event("venta revertida")

    @rule(bodega=st.sampled_from(BODEGAS), cantidad=cantidades, costo=costos)
    def devolver(self, bodega: str, cantidad: Decimal, costo: Decimal) -> None:
        nuevo = self.inventarios[bodega].devolver(
            Cantidad(cantidad), Precio(costo), self.dia, documento="NC", documento_id="NC"
        )
        assert self.inventarios[bodega].lotes[-1].lote_id == nuevo.lote_id
        self._recolectar(bodega)
        self._anotar(self.entradas, bodega, cantidad, nuevo.costo)

    @rule(origen=st.sampled_from(BODEGAS), porcentaje=porcentajes)
    def transferir(self, origen: str, porcentaje: int) -> None:
        destino = BODEGAS[1 - BODEGAS.index(origen)]
        desde, hacia = self.inventarios[origen], self.inventarios[destino]
        total = desde.valor + hacia.valor
        pedido = parte_del_stock(desde.stock, porcentaje)
        if pedido > desde.stock:
            event("transferencia rechazada")
            lotes = (desde.lotes, hacia.lotes)
            with pytest.raises(ReglasIncumplidas) as error:
                transferir(
                    desde, hacia, Cantidad(pedido), self.dia, documento="T", documento_id="T"
                )
            assert error.value.reglas == ("StockSuficiente",)
            assert (desde.lotes, hacia.lotes) == lotes
            assert desde.eventos_pendientes == hacia.eventos_pendientes == ()
            return
        llegan = len(hacia.lotes)
        consumos = transferir(
            desde, hacia, Cantidad(pedido), self.dia, documento="T", documento_id="T"
        )
        valor = sum((c.costo for c in consumos), Decimal("0.00"))
        assert desde.valor + hacia.valor == total
        for consumo, lote in zip(consumos, hacia.lotes[llegan:], strict=True):
            assert (lote.cantidad_inicial, lote.valor_disponible) == (
                consumo.cantidad,
                consumo.costo,
            )
            assert (lote.costo_unitario, lote.fecha_caducidad) == (
                consumo.costo_unitario,
                consumo.fecha_caducidad,
            )
        self._recolectar(origen)
        self._recolectar(destino)
        self._anotar(self.salidas, origen, pedido, valor)
        self._anotar(self.entradas, destino, pedido, valor)
        event("transferencia")

    @invariant()
    def stock_es_entradas_menos_salidas(self) -> None:
        for bodega, inventario in self.inventarios.items():
            assert inventario.stock == self.entradas[bodega][0] - self.salidas[bodega][0]

    @invariant()
    def valor_de_salidas_mas_restante_es_valor_de_entradas(self) -> None:
        for bodega, inventario in self.inventarios.items():
            assert self.salidas[bodega][1] + inventario.valor == self.entradas[bodega][1]
            assert inventario.valor == inventario.valor.quantize(CENTAVO)

    @invariant()
    def ningun_lote_es_negativo(self) -> None:
        for inventario in self.inventarios.values():
            for lote in inventario.lotes:
                assert 0 <= lote.cantidad_disponible <= lote.cantidad_inicial
                assert lote.valor_disponible >= 0
                assert lote.cantidad_disponible > 0 or lote.valor_disponible == 0

    @invariant()
    def los_totales_son_la_suma_exacta_de_sus_lotes(self) -> None:
        # Kept running by the aggregate: the same digits and exponent as a fresh sum.
        for inventario in self.inventarios.values():
            lotes = inventario.lotes
            stock = sum((lote.cantidad_disponible for lote in lotes), Decimal(0))
            valor = sum((lote.valor_disponible for lote in lotes), Decimal("0.00"))
            assert (repr(inventario.stock), repr(inventario.valor)) == (repr(stock), repr(valor))

    @invariant()
    def reconstruido_de_sus_eventos_es_igual_al_vivo(self) -> None:
        for bodega, inventario in self.inventarios.items():
            reconstruido = Inventario.reconstruir(inventario.id, self.eventos[bodega])
            if inventario.version:
                assert reconstruido == inventario
                assert reconstruido.lotes == inventario.lotes


TestInventarioFifo = MaquinaInventario.TestCase
TestInventarioFifo.settings = settings(max_examples=100, stateful_step_count=25, deadline=None)


@settings(max_examples=200, deadline=None)
@given(
    lotes=st.lists(st.tuples(cantidades, costos), min_size=1, max_size=6),
    porcentaje=st.integers(1, 100),
)
def test_una_salida_agota_los_lotes_en_orden(
    lotes: list[tuple[Decimal, Decimal]], porcentaje: int
) -> None:
    inventario = Inventario.para("P1", "B1")
    for cantidad, costo in lotes:
        inventario.ingresar(Cantidad(cantidad), Precio(costo), HOY)
    antes = inventario.lotes
    pedido = parte_del_stock(inventario.stock, porcentaje)

    consumos = inventario.reducir(Cantidad(pedido), HOY, documento="F", documento_id="F")

    # Oldest first: every lot consumed but the last one is emptied completely.
    assert [c.lote_id for c in consumos] == [lote.lote_id for lote in antes[: len(consumos)]]
    for consumo, lote in zip(consumos[:-1], antes, strict=False):
        assert (consumo.cantidad, consumo.costo) == (
            lote.cantidad_disponible,
            lote.valor_disponible,
        )
    assert sum(c.cantidad for c in consumos) == pedido
    # From untouched lots, every part costs round2(cantidad × costo unitario).
    assert all(c.costo == redondear2(c.cantidad * c.costo_unitario) for c in consumos)


@settings(max_examples=150, deadline=None)
@given(cantidad=cantidades, costo=costos, partes=st.lists(st.integers(1, 100), min_size=1))
@example(cantidad=Decimal(5), costo=Decimal("0.005"), partes=[20, 20, 20, 20])
def test_vender_un_lote_por_partes_cuesta_exactamente_su_valor(
    cantidad: Decimal, costo: Decimal, partes: list[int]
) -> None:
    inventario = Inventario.para("P1", "B1")
    inventario.ingresar(Cantidad(cantidad), Precio(costo), HOY)
    valor = inventario.valor
    costo_total = Decimal("0.00")

    for parte in partes:
        pedido = min(parte_del_stock(cantidad, parte), inventario.stock)
        (consumo,) = inventario.reducir(Cantidad(pedido), HOY, documento="F", documento_id="F")
        assert consumo.costo >= 0
        assert inventario.valor >= 0
        costo_total += consumo.costo
        if inventario.stock == 0:
            break
    if inventario.stock:
        (ultimo,) = inventario.reducir(
            Cantidad(inventario.stock), HOY, documento="F", documento_id="F"
        )
        costo_total += ultimo.costo

    assert costo_total == valor
    assert inventario.valor == 0


def test_los_totales_no_guardan_el_exponente_de_un_lote_que_se_fue() -> None:
    inventario = Inventario.para("P1", "B1")
    inventario.ingresar(Cantidad("2.5"), Precio("1.005"), HOY)
    inventario.ingresar(Cantidad(3), Precio(2), HOY)
    assert (repr(inventario.stock), repr(inventario.valor)) == ("Decimal('5.5')", "Decimal('8.51')")

    inventario.reducir(
        Cantidad("2.5"), HOY, documento="F", documento_id="F", stock_minimo=Decimal(4)
    )

    # 5.5 - 2.5 is 3.0; the lots left hold 3.
    assert repr(inventario.stock) == "Decimal('3')"
    assert repr(inventario.valor) == "Decimal('6.00')"
    bajo = inventario.eventos_pendientes[-1]
    assert isinstance(bajo, StockBajo)
    assert repr(bajo.cantidad) == "Decimal('3')"
