"""Fiscal arithmetic of facturas and notas de crédito (issue 13, items 1–4): the global
discount and each tarifa's IVA split over the lines by largest remainders, and notas that
credit base and IVA so that all of them together never exceed the factura."""

from __future__ import annotations

import contextlib
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from negocio import Negocio, unidades, valor

from prometeo.domain.aggregates.factura import Factura, NuevaLinea
from prometeo.domain.aggregates.nota_credito import NotaCredito
from prometeo.domain.errores import ReglasIncumplidas
from prometeo.domain.events.factura import FacturaEmitida, LineaCredito
from prometeo.domain.services.acreditacion import SolicitudLineaCredito, acreditar
from prometeo.domain.services.totales import (
    DescuentoGlobal,
    LineaParaTotales,
    calcular_totales,
    iva_por_linea,
    prorratear,
)
from prometeo.domain.value_objects.dinero import Cantidad, Dinero, Precio, redondear2
from prometeo.domain.value_objects.tarifa_iva import TarifaIva, iva_de

CENTAVO = Decimal("0.01")


def d(texto: str) -> Decimal:
    return Decimal(texto)


def dos_decimales(valor: Decimal) -> bool:
    return valor == redondear2(valor)


# -- regressions ----------------------------------------------------------------------------


def test_item1_el_prorrateo_no_da_partes_negativas() -> None:
    """200 lines at 1.00 and one at 2.00, 0.5 % global discount: the remainder used to go
    whole to the largest line, giving it −0.99 and a base of 2.99."""
    lineas = [LineaParaTotales(n, d("1"), d("1.00"), d("0.00"), "4") for n in range(1, 201)]
    lineas.append(LineaParaTotales(201, d("1"), d("2.00"), d("0.00"), "4"))
    t = calcular_totales(lineas, DescuentoGlobal("PORCENTAJE", d("0.5")))
    assert t.descuento_global == d("1.01")
    assert sum(x.descuento_global for x in t.lineas) == d("1.01")
    assert all(0 <= x.descuento_global <= x.subtotal for x in t.lineas)
    assert t.lineas[-1].descuento_global == d("0.01")
    assert t.lineas[-1].base_imponible == d("1.99")
    for x in t.lineas:
        exacta = d("1.01") * x.subtotal / d("202.00")
        assert abs(x.descuento_global - exacta) < CENTAVO


def test_item2_el_iva_de_las_lineas_suma_el_de_su_tarifa() -> None:
    """10 lines of 0.10 at 15 %: 0.02 each line by line would add up to 0.20, against 0.15
    for the tarifa."""
    lineas = [LineaParaTotales(n, d("1"), d("0.10"), d("0.00"), "4") for n in range(1, 11)]
    t = calcular_totales(lineas)
    assert t.iva == d("0.15")
    assert sum(x.iva for x in t.lineas) == d("0.15")
    assert all(x.porcentaje_iva == d("15") for x in t.lineas)
    assert all(x.iva in (d("0.01"), d("0.02")) for x in t.lineas)


def test_item2_la_factura_emitida_guarda_el_iva_de_cada_linea(negocio: Negocio) -> None:
    negocio.ingresar("a", "10", "0.05")
    factura = negocio.borrador([("a", "1", "0.10")] * 10)
    emitida = negocio.emitir(factura)
    assert [ln.iva for ln in emitida.lineas] == [d("0.02")] * 5 + [d("0.01")] * 5
    assert {ln.porcentaje_iva for ln in emitida.lineas} == {d("15")}
    assert sum(ln.iva or 0 for ln in emitida.lineas) == emitida.iva == d("0.15")
    assert [ln.iva for ln in factura.lineas] == [ln.iva for ln in emitida.lineas]


def test_item3_notas_linea_por_linea_no_acreditan_iva_de_mas(negocio: Negocio) -> None:
    """A factura of 10 × 0.10 (IVA 0.15, total 1.15) credited line by line used to credit
    IVA 0.20 and 1.20 in all."""
    for n in range(10):
        negocio.ingresar(f"p{n}", "1", "0.05")
    factura = negocio.borrador([(f"p{n}", "1", "0.10") for n in range(10)])
    negocio.emitir(factura)
    assert factura.importe_total == d("1.15")
    notas = [negocio.nota(factura, [(f"p{n}", "1")]) for n in range(10)]
    assert sum(_iva(nota) for nota in notas) == d("0.15")
    assert sum(nota.valor_modificacion or 0 for nota in notas) == d("1.15")


def test_item3_unidad_por_unidad_tambien(negocio: Negocio) -> None:
    negocio.ingresar("a", "10", "0.05")
    factura = negocio.borrador([("a", "10", "0.10")])
    negocio.emitir(factura)
    notas = [negocio.nota(factura, [("a", "1")]) for _ in range(10)]
    assert sum(_iva(nota) for nota in notas) == d("0.15")
    assert sum(nota.valor_modificacion or 0 for nota in notas) == d("1.15")


def test_item4_el_valor_acreditado_no_pasa_de_cantidad_por_precio(negocio: Negocio) -> None:
    """A line of 3 × 0.333333 (value 1.00): crediting the second unit used to value it
    0.34, a negative descuento against round2(1 × 0.333333) = 0.33."""
    negocio.ingresar("a", "3", "0.10")
    factura = negocio.borrador([("a", "3", "0.333333")], tarifa="0")
    negocio.emitir(factura)
    lineas = [negocio.nota(factura, [("a", "1")]).lineas[0] for _ in range(3)]
    assert [ln.valor for ln in lineas[:2]] == [d("0.33"), d("0.33")]
    for ln in lineas:
        assert ln.precio_unitario is not None
        assert ln.descuento is not None
        assert ln.descuento >= 0
        assert ln.valor == redondear2(ln.cantidad * ln.precio_unitario) - ln.descuento
        assert (ln.codigo, ln.descripcion) == ("A", "Producto a")
    assert lineas[0].precio_unitario == d("0.333333")
    # The last unit takes what is left of the line (0.34): its own price covers it.
    assert lineas[2].valor == d("0.34")
    assert lineas[2].precio_unitario == d("0.34")
    assert sum(ln.valor for ln in lineas) == factura.linea(1).base_imponible == d("1.00")


def test_item4_la_linea_de_la_nota_guarda_sus_propios_importes(negocio: Negocio) -> None:
    negocio.ingresar("a", "4", "1.00")
    factura = negocio.borrador([], descuento_global=DescuentoGlobal("PORCENTAJE", d("10")))
    factura.agregar_linea(
        producto_id="a",
        codigo="A",
        descripcion="Arroz",
        cantidad=Cantidad("4"),
        precio_unitario=Precio("2.50"),
        tarifa_iva=TarifaIva.de_codigo("4"),
        descuento=Dinero("1.00"),
    )
    negocio.emitir(factura)
    assert factura.linea(1).base_imponible == d("8.10")
    nota = negocio.nota(factura, [("a", "2")])
    (ln,) = nota.lineas
    assert (ln.codigo, ln.descripcion, ln.tarifa_iva) == ("A", "Arroz", "4")
    assert (ln.cantidad, ln.precio_unitario, ln.valor) == (d("2"), d("2.50"), d("4.05"))
    assert ln.descuento == d("0.95")
    assert ln.porcentaje_iva == d("15")
    assert ln.iva == redondear2(d("4.05") * factura.linea(1).iva / d("8.10"))
    por_valor = negocio.nota(factura, [valor("a", "1.00")], devolucion=False).lineas[0]
    assert (por_valor.cantidad, por_valor.precio_unitario, por_valor.descuento) == (
        d("0"),
        d("1.00"),
        d("0.00"),
    )


def test_la_nota_que_completa_la_linea_toma_lo_que_queda(negocio: Negocio) -> None:
    negocio.ingresar("a", "2", "1.00")
    factura = negocio.borrador([("a", "2", "10.00")])
    negocio.emitir(factura)
    negocio.nota(factura, [valor("a", "5.00")], devolucion=False)
    ultima = negocio.nota(factura, [("a", "2")]).lineas[0]
    assert ultima.valor == d("15.00")
    assert factura.linea(1).valor_acreditado == d("20.00")


# -- properties -----------------------------------------------------------------------------

TARIFAS = ["0", "4", "5", "6", "7"]


@given(
    pesos=st.lists(
        st.integers(0, 10**7).map(lambda c: Decimal(c).scaleb(-2)), min_size=1, max_size=40
    ),
    data=st.data(),
)
def test_prorrateo_por_restos_mayores(pesos: list[Decimal], data: st.DataObject) -> None:
    suma = sum(pesos, Decimal(0))
    total = Decimal(data.draw(st.integers(0, int(suma * 100)))).scaleb(-2)
    partes = prorratear(total, pesos)
    assert sum(partes) == total
    for parte, peso in zip(partes, pesos, strict=True):
        assert 0 <= parte <= peso
        assert dos_decimales(parte)
        if suma:
            assert abs(parte - total * peso / suma) < CENTAVO


@given(
    bases=st.lists(
        st.tuples(
            st.sampled_from(TARIFAS), st.integers(0, 10**7).map(lambda c: Decimal(c).scaleb(-2))
        ),
        min_size=1,
        max_size=40,
    )
)
def test_iva_por_linea_suma_el_de_su_tarifa(bases: list[tuple[str, Decimal]]) -> None:
    ivas = iva_por_linea(bases)
    for codigo in {t for t, _ in bases}:
        tarifa = TarifaIva.de_codigo(codigo)
        indices = [i for i, (t, _) in enumerate(bases) if t == codigo]
        total = tarifa.iva_de(sum((bases[i][1] for i in indices), Decimal(0)))
        assert sum(ivas[i][1] for i in indices) == total
        for i in indices:
            porcentaje, iva = ivas[i]
            assert porcentaje == tarifa.porcentaje
            assert iva >= 0
            assert dos_decimales(iva)
            assert abs(iva - tarifa.iva_de(bases[i][1])) <= CENTAVO


unidades6 = st.integers(1, 50 * 10**6).map(lambda c: Decimal(c).scaleb(-6))
precios6 = st.integers(0, 200 * 10**6).map(lambda c: Decimal(c).scaleb(-6))


@st.composite
def facturas(draw: st.DrawFn) -> tuple[Negocio, Factura]:
    negocio = Negocio()
    factura = negocio.borrador([])
    nuevas: list[NuevaLinea] = []
    for n in range(1, draw(st.integers(1, 6)) + 1):
        cantidad, precio = draw(unidades6), draw(precios6)
        bruto = int(cantidad * precio * 100)
        descuento = Decimal(draw(st.integers(0, bruto))).scaleb(-2) if draw(st.booleans()) else 0
        negocio.ingresar(f"p{n}", str(cantidad), "1.00")
        nueva = NuevaLinea(
            producto_id=f"p{n}",
            codigo=f"P{n}",
            descripcion=f"Producto {n}",
            cantidad=Cantidad(cantidad),
            precio_unitario=Precio(precio),
            tarifa_iva=TarifaIva.de_codigo(draw(st.sampled_from(TARIFAS))),
            descuento=Dinero(descuento),
        )
        factura.agregar(nueva)
        nuevas.append(nueva)
    tipo = draw(st.sampled_from(["NINGUNO", "PORCENTAJE", "MONTO"]))
    subtotal = factura.totales().subtotal_sin_impuestos
    descuento_global = None
    if tipo == "PORCENTAJE":
        descuento_global = DescuentoGlobal(
            "PORCENTAJE", Decimal(draw(st.integers(0, 10_000))).scaleb(-2)
        )
    elif tipo == "MONTO":
        maximo = int(subtotal * 100)
        descuento_global = DescuentoGlobal(
            "MONTO", Decimal(draw(st.integers(0, maximo))).scaleb(-2)
        )
    if descuento_global is not None:
        factura.aplicar_descuento(descuento_global)
    # The propina is at most 10 % of the subtotal (PropinaDentroDelLimite), which is known
    # only now: the same factura again, with a propina within that bound.
    tope = int(factura.totales().subtotal_sin_impuestos * 10)  # cents of 10 %, rounded down
    propina = Dinero(Decimal(draw(st.integers(0, min(500, tope)))).scaleb(-2))
    final = negocio.borrador([], propina=propina)
    for nueva in nuevas:
        final.agregar(nueva)
    if descuento_global is not None:
        final.aplicar_descuento(descuento_global)
    return negocio, final


@st.composite
def solicitudes(draw: st.DrawFn, factura: Factura) -> SolicitudLineaCredito:
    linea = factura.linea(draw(st.integers(1, len(factura.lineas))))
    if draw(st.booleans()):
        fraccion = draw(st.integers(1, 100))
        cantidad = max((linea.cantidad * fraccion / 100).quantize(d("0.000001")), d("0.000001"))
        return unidades(linea.producto_id, str(cantidad))
    monto = Decimal(draw(st.integers(1, max(int((linea.base_imponible or 0) * 100), 1))))
    return valor(linea.producto_id, str(monto.scaleb(-2)))


def _iva(nota: NotaCredito) -> Decimal:
    evento = nota.eventos_pendientes[-1]
    return evento.iva  # type: ignore[attr-defined,no-any-return]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(datos=facturas(), data=st.data(), completar=st.booleans())
def test_notas_sucesivas_nunca_acreditan_de_mas(
    datos: tuple[Negocio, Factura], data: st.DataObject, completar: bool
) -> None:
    negocio, factura = datos
    emitida = negocio.emitir(factura)
    # The factura: every line's IVA, at its rate's percentage, adds up to its rate's IVA.
    for importe in emitida.importes_por_tarifa:
        lineas = [ln for ln in emitida.lineas if ln.tarifa_iva == importe.tarifa_iva]
        assert sum(ln.iva or 0 for ln in lineas) == importe.iva
        for ln in lineas:
            tarifa = TarifaIva.de_codigo(ln.tarifa_iva)
            assert ln.porcentaje_iva == tarifa.porcentaje
            assert ln.iva is not None
            assert ln.iva >= 0
            assert dos_decimales(ln.iva)
            assert abs(ln.iva - tarifa.iva_de(ln.base_imponible)) <= CENTAVO
            assert 0 <= ln.descuento_global <= ln.subtotal
            assert all(dos_decimales(v) for v in (ln.subtotal, ln.base_imponible))
    notas: list[NotaCredito] = []
    for _ in range(data.draw(st.integers(0, 6))):
        with contextlib.suppress(ReglasIncumplidas):
            notas.append(negocio.nota(factura, [data.draw(solicitudes(factura))], devolucion=False))
    if completar:
        resto = [
            unidades(ln.producto_id, str(ln.cantidad - ln.cantidad_acreditada))
            for ln in factura.lineas
            if ln.cantidad > ln.cantidad_acreditada
        ]
        if resto:
            notas.append(negocio.nota(factura, resto, devolucion=False))
    _comprobar_notas(emitida, factura, notas, todo=completar)


def _comprobar_notas(
    emitida: FacturaEmitida, factura: Factura, notas: list[NotaCredito], *, todo: bool
) -> None:
    base = sum((n.eventos_pendientes[-1].subtotal_sin_impuestos for n in notas), Decimal(0))  # type: ignore[attr-defined]
    iva = sum((_iva(n) for n in notas), Decimal(0))
    total = sum((n.valor_modificacion or Decimal(0) for n in notas), Decimal(0))
    assert base <= emitida.subtotal_sin_impuestos
    assert iva <= emitida.iva
    assert total <= emitida.importe_total
    if todo:
        assert base == emitida.subtotal_sin_impuestos
        assert iva == emitida.iva
        assert total == emitida.importe_total - emitida.propina
    for linea in factura.lineas:
        credito = [
            ln for n in notas for ln in n.lineas if ln.numero_linea_factura == linea.numero_linea
        ]
        assert sum(ln.valor for ln in credito) <= (linea.base_imponible or 0)
        assert sum(ln.iva or 0 for ln in credito) <= (linea.iva or 0)
    for nota in notas:
        evento = nota.eventos_pendientes[-1]
        assert sum(ln.iva or 0 for ln in nota.lineas) == evento.iva  # type: ignore[attr-defined]
        for importe in evento.importes_por_tarifa:  # type: ignore[attr-defined]
            assert dos_decimales(importe.base_imponible)
            assert dos_decimales(importe.iva)
        for ln in nota.lineas:
            assert ln.precio_unitario is not None
            assert ln.descuento is not None
            assert ln.iva is not None
            assert ln.iva >= 0
            assert dos_decimales(ln.iva)
            assert ln.valor >= 0
            assert dos_decimales(ln.valor)
            assert ln.descuento >= 0
            assert dos_decimales(ln.descuento)
            assert ln.precio_unitario == ln.precio_unitario.quantize(d("0.000001"))
            cantidad = ln.cantidad or Decimal(1)
            assert ln.valor == redondear2(cantidad * ln.precio_unitario) - ln.descuento


# -- notas stored before credits carried their IVA --------------------------------------------


def _nota_anterior(
    negocio: Negocio, factura: Factura, pedidas: list[SolicitudLineaCredito]
) -> Decimal:
    """A nota as the previous version recorded it on the factura: its credits without IVA,
    its IVA recomputed per tarifa on its own (round2(Σ valor × porcentaje)). Returns it."""
    return sum(_nota_anterior_por_tarifa(negocio, factura, pedidas).values(), Decimal("0.00"))


def _nota_anterior_por_tarifa(
    negocio: Negocio, factura: Factura, pedidas: list[SolicitudLineaCredito]
) -> dict[str, Decimal]:
    """`_nota_anterior`, its IVA per tarifa."""
    lineas = acreditar(factura, pedidas).lineas
    factura.aplicar_credito(
        negocio.nuevo_id("nota"),
        "001-001-000000099",
        tuple(
            LineaCredito(ln.numero_linea_factura, ln.producto_id, ln.cantidad, ln.valor)
            for ln in lineas
        ),
        sum((ln.valor for ln in lineas), Decimal("0.00")),
    )
    por_tarifa: dict[str, Decimal] = {}
    for ln in lineas:
        por_tarifa[ln.tarifa_iva] = por_tarifa.get(ln.tarifa_iva, Decimal(0)) + ln.valor
    return {t: iva_de(base, factura.porcentajes_iva()[t]) for t, base in por_tarifa.items()}


def test_notas_nuevas_tras_una_anterior_completan_el_iva_justo(negocio: Negocio) -> None:
    """10 × 0.10 at 15 % (IVA 0.15: 0.02 on lines 1-5, 0.01 on 6-10). An old nota credited
    lines 1-5 with IVA 0.08; the new notas on lines 6-10 add up to exactly what is left."""
    for n in range(10):
        negocio.ingresar(f"p{n}", "1", "0.05")
    factura = negocio.borrador([(f"p{n}", "1", "0.10") for n in range(10)])
    negocio.emitir(factura)
    anterior = _nota_anterior(negocio, factura, [unidades(f"p{n}", "1") for n in range(5)])
    assert anterior == d("0.08")
    nuevas = [negocio.nota(factura, [(f"p{n}", "1")]) for n in range(5, 10)]
    assert anterior + sum(_iva(n) for n in nuevas) == d("0.15")
    assert all(_iva(n) >= 0 for n in nuevas)


def test_notas_nuevas_no_repiten_el_iva_que_una_anterior_ya_dio(negocio: Negocio) -> None:
    """The old nota credited lines 6-10 (IVA 0.01 each) with 0.08: more than their own 0.05.
    Without the tarifa's cap the new notas on lines 1-5 would credit 0.10, 0.18 in all."""
    for n in range(10):
        negocio.ingresar(f"p{n}", "1", "0.05")
    factura = negocio.borrador([(f"p{n}", "1", "0.10") for n in range(10)])
    negocio.emitir(factura)
    anterior = _nota_anterior(negocio, factura, [unidades(f"p{n}", "1") for n in range(5, 10)])
    assert anterior == d("0.08")
    nuevas = [negocio.nota(factura, [(f"p{n}", "1")]) for n in range(5)]
    assert anterior + sum(_iva(n) for n in nuevas) == d("0.15")
    assert all(ln.iva is not None and ln.iva >= 0 for n in nuevas for ln in n.lineas)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(datos=facturas(), data=st.data())
def test_notas_nuevas_tras_anteriores_nunca_acreditan_de_mas(
    datos: tuple[Negocio, Factura], data: st.DataObject
) -> None:
    negocio, factura = datos
    emitida = negocio.emitir(factura)
    anterior: dict[str, Decimal] = {}
    for _ in range(data.draw(st.integers(1, 3))):
        pedidas = [data.draw(solicitudes(factura))]
        if not acreditar(factura, pedidas).problemas:
            for tarifa, iva in _nota_anterior_por_tarifa(negocio, factura, pedidas).items():
                anterior[tarifa] = anterior.get(tarifa, Decimal("0.00")) + iva
    notas: list[NotaCredito] = []
    for _ in range(data.draw(st.integers(0, 3))):
        with contextlib.suppress(ReglasIncumplidas):
            notas.append(negocio.nota(factura, [data.draw(solicitudes(factura))], devolucion=False))
    resto = [
        unidades(ln.producto_id, str(ln.cantidad - ln.cantidad_acreditada))
        for ln in factura.lineas
        if ln.cantidad > ln.cantidad_acreditada
    ]
    pendiente = [
        valor(ln.producto_id, str((ln.base_imponible or 0) - ln.valor_acreditado))
        for ln in factura.lineas
        if ln.cantidad == ln.cantidad_acreditada and ln.valor_acreditado < (ln.base_imponible or 0)
    ]
    if resto or pendiente:
        notas.append(negocio.nota(factura, resto + pendiente, devolucion=False))
    nuevo: dict[str, Decimal] = {}
    for nota in notas:
        for ln in nota.lineas:
            nuevo[ln.tarifa_iva] = nuevo.get(ln.tarifa_iva, Decimal("0.00")) + (ln.iva or 0)
    assert all(ln.iva is not None and ln.iva >= 0 for n in notas for ln in n.lineas)
    # What the old notas gave cannot be taken back; the new ones give no more than is left,
    # and exactly that once everything is credited: per tarifa, each declared apart (an old
    # nota that overshot one tarifa's IVA leaves another tarifa's due in full).
    for importe in emitida.importes_por_tarifa:
        queda = max(importe.iva - anterior.get(importe.tarifa_iva, Decimal(0)), Decimal("0.00"))
        assert nuevo.get(importe.tarifa_iva, Decimal("0.00")) == queda, importe.tarifa_iva
