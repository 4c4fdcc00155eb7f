"""The scan field: "CODE", "3*CODE", "2,5*CODE", "*5"; everything else refused clearly."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prometeo.domain.errores import ValorInvalido
from prometeo.entrypoints.web.escaneo import (
    CANTIDAD_MAXIMA,
    CambioDeCantidad,
    Escaneo,
    leer_escaneo,
)
from prometeo.entrypoints.web.formato import cantidad_entrada


@pytest.mark.parametrize(
    ("texto", "esperado"),
    [
        ("7861234567890", Escaneo(Decimal(1), "7861234567890")),
        ("  ARROZ-1KG ", Escaneo(Decimal(1), "ARROZ-1KG")),
        ("3*ARROZ", Escaneo(Decimal(3), "ARROZ")),
        ("3 * ARROZ", Escaneo(Decimal(3), "ARROZ")),
        ("2,5*QUESO", Escaneo(Decimal("2.5"), "QUESO")),
        ("0.750*QUESO", Escaneo(Decimal("0.750"), "QUESO")),
        ("1.234*QUESO", Escaneo(Decimal("1.234"), "QUESO")),
        ("3x ARROZ", Escaneo(Decimal(1), "3x ARROZ")),  # only "*" multiplies
        ("AB*1", Escaneo(Decimal(1), "AB*1")),  # a code may hold "*"
        ("2*A*B", Escaneo(Decimal(2), "A*B")),
        ("*5", CambioDeCantidad(Decimal(5))),
        ("* 0,5", CambioDeCantidad(Decimal("0.5"))),
    ],
)
def test_lo_que_escribe_el_cajero(texto: str, esperado: Escaneo | CambioDeCantidad) -> None:
    assert leer_escaneo(texto) == esperado


@pytest.mark.parametrize(
    ("texto", "regla"),
    [
        ("", "EscaneoValido"),
        ("   ", "EscaneoValido"),
        ("3*", "EscaneoValido"),
        ("0*ARROZ", "CantidadPositiva"),
        ("0,000*ARROZ", "CantidadPositiva"),
        ("-2*ARROZ", "CantidadPositiva"),
        ("*0", "CantidadPositiva"),
        ("*", "CantidadValida"),
        ("1,2345678*QUESO", "CantidadConHasta6Decimales"),
        ("1.234,5.6*QUESO", "CantidadValida"),
        ("1 5*ARROZ", "CantidadValida"),
        ("12345678*ARROZ", "CantidadRazonable"),  # an EAN-8 typed before the "*"
        ("7861234567890*ARROZ", "CantidadValida"),  # past the domain's own bound
        ("3*" + "X" * 26, "CodigoValido"),
        ("A\tB", "CodigoValido"),
    ],
)
def test_lo_que_no_se_puede_vender_dice_por_que(texto: str, regla: str) -> None:
    with pytest.raises(ValorInvalido) as error:
        leer_escaneo(texto)
    assert error.value.reglas == (regla,)


def test_el_mensaje_sugiere_el_codigo_en_la_cantidad() -> None:
    with pytest.raises(ValorInvalido, match="¿se escaneó un código en la cantidad"):
        leer_escaneo("12345678*ARROZ")
    assert leer_escaneo(f"{CANTIDAD_MAXIMA}*ARROZ") == Escaneo(CANTIDAD_MAXIMA, "ARROZ")


codigos = st.text(
    alphabet=st.characters(codec="ascii", categories=["L", "N", "Pd"]), min_size=1, max_size=25
).filter(lambda c: c.strip() == c)
cantidades = st.decimals(min_value=Decimal("0.000001"), max_value=CANTIDAD_MAXIMA, places=6)


@given(cantidades, codigos, st.sampled_from(["*", " * "]))
def test_cantidad_por_codigo_se_lee_exacta_y_nunca_en_float(
    numero: Decimal, codigo: str, asterisco: str
) -> None:
    leido = leer_escaneo(cantidad_entrada(numero) + asterisco + codigo)
    assert leido == Escaneo(numero, codigo)
    assert isinstance(leido.cantidad, Decimal)


@given(st.text(max_size=40))
def test_cualquier_texto_es_una_accion_o_un_error_de_regla(texto: str) -> None:
    try:
        leido = leer_escaneo(texto)
    except ValorInvalido:
        return
    assert isinstance(leido.cantidad, Decimal)
    assert Decimal(0) < leido.cantidad <= CANTIDAD_MAXIMA
    if isinstance(leido, Escaneo):
        assert leido.codigo
        assert leido.codigo == leido.codigo.strip()
