"""prorratear and iva_por_linea split with integer arithmetic: the same parts, to the cent,
as the plain definition with exact fractions (largest remainders, first on a tie)."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from prometeo.domain.services.totales import iva_por_linea, prorratear
from prometeo.domain.value_objects.tarifa_iva import TarifaIva

centavos = st.integers(min_value=0, max_value=10**9).map(lambda c: Decimal(c).scaleb(-2))
seis_decimales = st.integers(min_value=0, max_value=10**12).map(lambda c: Decimal(c).scaleb(-6))


def _por_definicion(total: Decimal, exactas: list[Fraction]) -> list[Decimal]:
    partes = [math.floor(e * 100) for e in exactas]
    faltan = int(total * 100) - sum(partes)
    orden = sorted(range(len(exactas)), key=lambda i: (-(exactas[i] * 100 - partes[i]), i))
    for i in orden[:faltan]:
        partes[i] += 1
    return [Decimal(p).scaleb(-2) for p in partes]


@given(st.lists(st.one_of(centavos, seis_decimales), min_size=1, max_size=30), st.data())
def test_prorratear_da_lo_mismo_que_la_definicion(
    pesos: list[Decimal], datos: st.DataObject
) -> None:
    suma = sum(pesos, Decimal(0))
    tope = int(suma * 100) if suma else 10**6
    total = Decimal(datos.draw(st.integers(min_value=0, max_value=tope))).scaleb(-2)
    if suma == 0:
        exactas = [Fraction(total)] + [Fraction(0)] * (len(pesos) - 1)
    else:
        exactas = [Fraction(total) * Fraction(p) / Fraction(suma) for p in pesos]
    assert prorratear(total, pesos) == _por_definicion(total, exactas)


@given(st.lists(st.tuples(st.sampled_from(["0", "4", "5", "10"]), centavos), min_size=1))
def test_el_iva_por_linea_da_lo_mismo_que_la_definicion(
    bases: list[tuple[str, Decimal]],
) -> None:
    obtenido = iva_por_linea(bases)
    for codigo in {c for c, _ in bases}:
        tarifa = TarifaIva.de_codigo(codigo)
        indices = [i for i, (c, _) in enumerate(bases) if c == codigo]
        total = tarifa.iva_de(sum((bases[i][1] for i in indices), Decimal("0.00")))
        exactas = [Fraction(bases[i][1]) * Fraction(tarifa.porcentaje) / 100 for i in indices]
        esperado = _por_definicion(total, exactas)
        assert [obtenido[i][1] for i in indices] == esperado
        assert all(obtenido[i][0] == tarifa.porcentaje for i in indices)
