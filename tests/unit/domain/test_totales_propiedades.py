"""Properties of discounts and totals, and of rebuilding facturas from their events."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from negocio import Negocio

from prometeo.domain.aggregates.factura import Factura
from prometeo.domain.services.totales import (
    DescuentoGlobal,
    LineaParaTotales,
    calcular_totales,
    prorratear,
)
from prometeo.domain.value_objects.dinero import Cantidad, Dinero, Precio, redondear2
from prometeo.domain.value_objects.tarifa_iva import TARIFAS_IVA, TarifaIva

centavos = st.integers(min_value=0, max_value=10_000_000).map(lambda c: Decimal(c) / 100)
unidades6 = st.integers(min_value=1, max_value=10**9).map(lambda c: Decimal(c) / 10**6)
precios6 = st.integers(min_value=0, max_value=10**10).map(lambda c: Decimal(c) / 10**6)
tarifas = st.sampled_from(sorted(TARIFAS_IVA))


@st.composite
def lineas(draw: st.DrawFn) -> list[LineaParaTotales]:
    resultado = []
    for numero in range(1, draw(st.integers(min_value=1, max_value=8)) + 1):
        cantidad = draw(unidades6)
        precio = draw(precios6)
        bruto_centavos = int(cantidad * precio * 100)
        descuento = Decimal(draw(st.integers(min_value=0, max_value=bruto_centavos))) / 100
        resultado.append(LineaParaTotales(numero, cantidad, precio, descuento, draw(tarifas)))
    return resultado


@st.composite
def descuentos(draw: st.DrawFn, subtotal: Decimal) -> DescuentoGlobal | None:
    tipo = draw(st.sampled_from(["NINGUNO", "PORCENTAJE", "MONTO"]))
    if tipo == "PORCENTAJE":
        return DescuentoGlobal("PORCENTAJE", Decimal(draw(st.integers(0, 10_000))) / 100)
    if tipo == "MONTO":
        maximo = int(subtotal * 100)
        return DescuentoGlobal("MONTO", Decimal(draw(st.integers(0, maximo))) / 100)
    return None


@given(total=centavos, pesos=st.lists(centavos, min_size=1, max_size=30))
def test_prorrateo_suma_exacto(total: Decimal, pesos: list[Decimal]) -> None:
    partes = prorratear(total, pesos)
    assert sum(partes) == total
    assert all(p == redondear2(p) for p in partes)
    if sum(pesos) > 0:
        assert all(p == 0 for p, w in zip(partes, pesos, strict=True) if w == 0)


@given(pesos=st.lists(centavos, min_size=1, max_size=30), data=st.data())
def test_prorrateo_no_deja_bases_negativas(pesos: list[Decimal], data: st.DataObject) -> None:
    suma = sum(pesos, Decimal(0))
    total = Decimal(data.draw(st.integers(0, int(suma * 100)))) / 100
    partes = prorratear(total, pesos)
    assert all(p <= w for p, w in zip(partes, pesos, strict=True))
    assert all(p >= 0 for p in partes)


@settings(max_examples=200)
@given(datos=lineas(), data=st.data(), propina=centavos)
def test_totales_son_la_suma_de_sus_partes(
    datos: list[LineaParaTotales], data: st.DataObject, propina: Decimal
) -> None:
    suma_subtotales = sum((ln.subtotal for ln in datos), Decimal(0))
    descuento = data.draw(descuentos(suma_subtotales))
    t = calcular_totales(datos, descuento, propina)
    assert sum(x.descuento_global for x in t.lineas) == t.descuento_global
    assert t.subtotal_sin_impuestos == sum(x.base_imponible for x in t.lineas)
    assert t.subtotal_sin_impuestos == suma_subtotales - t.descuento_global
    assert t.subtotal_sin_impuestos == sum(base for _, base in t.bases_por_tarifa)
    assert t.iva == sum(iva for _, iva in t.iva_por_tarifa)
    for (codigo, base), (_, iva) in zip(t.bases_por_tarifa, t.iva_por_tarifa, strict=True):
        assert iva == TarifaIva.de_codigo(codigo).iva_de(base)
    assert t.importe_total == t.subtotal_sin_impuestos + t.iva + t.propina
    assert t.total_descuento == sum(ln.descuento for ln in datos) + t.descuento_global
    assert all(x.base_imponible >= 0 for x in t.lineas)
    for valor in [t.subtotal_sin_impuestos, t.iva, t.importe_total, t.total_descuento]:
        assert valor == redondear2(valor)


@settings(max_examples=100)
@given(datos=lineas(), data=st.data())
def test_factura_reconstruida_de_sus_eventos_es_igual(
    datos: list[LineaParaTotales], data: st.DataObject
) -> None:
    negocio = Negocio()
    factura = negocio.borrador([])
    for ln in datos:
        negocio.ingresar(f"p{ln.numero_linea}", str(ln.cantidad), "1.000001")
        factura.agregar_linea(
            producto_id=f"p{ln.numero_linea}",
            codigo=f"P{ln.numero_linea}",
            descripcion="x",
            cantidad=Cantidad(ln.cantidad),
            precio_unitario=Precio(ln.precio_unitario),
            tarifa_iva=_vigente(ln.tarifa_iva, negocio.reloj.hoy()),
            descuento=Dinero(ln.descuento),
        )
    descuento = data.draw(descuentos(sum((ln.subtotal for ln in datos), Decimal(0))))
    if descuento:
        factura.aplicar_descuento(descuento)
    if data.draw(st.booleans()):
        negocio.emitir(factura)
    assert Factura.reconstruir(factura.id, factura.eventos_pendientes) == factura


def _vigente(codigo: str, fecha: date) -> TarifaIva:
    """The tarifa, or the general one where it may not be sold on `fecha` (code 2, 3, 8)."""
    tarifa = TarifaIva.de_codigo(codigo)
    return tarifa if tarifa.vigente_en(fecha) else TarifaIva.de_codigo("4")
