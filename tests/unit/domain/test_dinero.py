"""Money, unit prices and quantities: Decimal only, HALF_UP, bounded decimals."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prometeo.domain.errores import ValorInvalido
from prometeo.domain.value_objects.dinero import (
    CENTAVO,
    MICRO,
    Cantidad,
    Dinero,
    Precio,
    a_decimal,
    redondear2,
    redondear6,
    sumar,
)

NO_NUMEROS = [1.5, 0.1, True, None, [1], "abc", "", "1,50", "1.2.3", "NaN", "sNaN", "-nan"]
NO_FINITOS = ["Infinity", "-inf", Decimal("Infinity")]
DEMASIADO_GRANDES = ["1e30", "1000000000000", "-1000000000000", Decimal("1E+12")]

# Up to 21 significant digits: well inside the default decimal context (28 digits).
decimales = st.decimals(
    min_value=Decimal("-99999999999"),
    max_value=Decimal("99999999999"),
    places=10,
    allow_nan=False,
    allow_infinity=False,
)
montos = st.decimals(
    min_value=Decimal("-9999999999.99"),
    max_value=Decimal("9999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


# --- Dinero ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entrada", "monto"),
    [
        (5, "5.00"),
        ("1.5", "1.50"),
        (" 2.25 ", "2.25"),
        (Decimal("3.10"), "3.10"),
        ("1.500", "1.50"),  # trailing zeros are not decimals
        ("1E+2", "100.00"),
        ("-7.01", "-7.01"),
        ("-0", "0.00"),
        ("999999999999.99", "999999999999.99"),
    ],
)
def test_dinero_valido_tiene_dos_decimales(entrada: str | int | Decimal, monto: str) -> None:
    dinero = Dinero(entrada)

    assert dinero.monto == Decimal(monto)
    assert str(dinero) == monto


def test_dinero_cero_no_es_negativo() -> None:
    assert not Dinero("-0").es_negativo()
    assert str(Dinero("-0.00")) == "0.00"


@pytest.mark.parametrize("entrada", ["1.001", "0.005", Decimal("2.999"), "1E-3"])
def test_dinero_con_mas_de_dos_decimales_se_rechaza(entrada: str | Decimal) -> None:
    with pytest.raises(ValorInvalido) as exc:
        Dinero(entrada)

    assert exc.value.reglas == ("MontoValido",)
    assert "2 decimales" in exc.value.errores[0].mensaje


@pytest.mark.parametrize("entrada", NO_NUMEROS + NO_FINITOS + DEMASIADO_GRANDES)
def test_dinero_rechaza_lo_que_no_es_un_monto_exacto(entrada: object) -> None:
    with pytest.raises(ValorInvalido) as exc:
        Dinero(entrada)  # type: ignore[arg-type]

    assert exc.value.reglas == ("MontoValido",)


@pytest.mark.parametrize(
    ("entrada", "esperado"),
    [
        ("2.675", "2.68"),  # a float would give 2.67
        ("2.665", "2.67"),  # half up, not half even
        ("0.005", "0.01"),
        ("0.0049", "0.00"),
        ("-2.675", "-2.68"),  # half away from zero
        ("-0.004", "0.00"),
        (1, "1.00"),
    ],
)
def test_dinero_redondear_es_half_up(entrada: str | int, esperado: str) -> None:
    assert Dinero.redondear(entrada).monto == Decimal(esperado)


def test_dinero_redondear_rechaza_float() -> None:
    with pytest.raises(ValorInvalido) as exc:
        Dinero.redondear(2.675)  # type: ignore[arg-type]

    assert exc.value.reglas == ("MontoValido",)


def test_dinero_aritmetica() -> None:
    a, b = Dinero("10.10"), Dinero("3.05")

    assert a + b == Dinero("13.15")
    assert a - b == Dinero("7.05")
    assert b - a == Dinero("-7.05")
    assert (b - a).es_negativo()
    assert -a == Dinero("-10.10")
    assert not (a - a).es_negativo()
    assert a > b
    assert sorted([a, b]) == [b, a]


def test_dinero_verdad_es_distinto_de_cero() -> None:
    assert Dinero("0.01")
    assert not Dinero.cero()
    assert Dinero.cero() == Dinero("0")


def test_dinero_suma_que_excede_el_limite_se_rechaza() -> None:
    grande = Dinero("999999999999.99")

    with pytest.raises(ValorInvalido):
        grande + Dinero("0.01")


def test_sumar() -> None:
    assert sumar([]) == Dinero.cero()
    assert sumar(()) == Dinero("0.00")
    assert sumar([Dinero("0.10"), Dinero("0.20"), Dinero("-0.05")]) == Dinero("0.25")
    assert sumar((Dinero("1"),)) == Dinero("1")


def test_dinero_es_inmutable_y_hashable() -> None:
    dinero = Dinero("1.00")

    with pytest.raises(AttributeError):
        dinero.monto = Decimal(2)  # type: ignore[misc]
    assert {Dinero("1"), Dinero("1.00"), Dinero(1)} == {dinero}


@given(decimales)
def test_dinero_redondear_equivale_a_quantize_half_up(valor: Decimal) -> None:
    assert Dinero.redondear(valor).monto == valor.quantize(CENTAVO, rounding=ROUND_HALF_UP)
    assert Dinero.redondear(str(valor)) == Dinero.redondear(valor)


@given(montos)
def test_dinero_de_su_texto_es_el_mismo(monto: Decimal) -> None:
    dinero = Dinero(monto)

    assert Dinero(str(dinero)) == dinero
    assert dinero.monto == monto


@given(montos, montos)
def test_dinero_suma_y_resta_son_exactas(a: Decimal, b: Decimal) -> None:
    assert (Dinero(a) + Dinero(b)).monto == a + b
    assert Dinero(a) + Dinero(b) - Dinero(b) == Dinero(a)
    assert sumar([Dinero(a), Dinero(b)]) == Dinero(a) + Dinero(b)


# --- Precio ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entrada", "valor"),
    [
        ("0", "0"),
        (3, "3"),
        ("1.123456", "1.123456"),
        (Decimal("0.000001"), "0.000001"),
        ("1E+2", "100"),
        ("-0", "0"),
    ],
)
def test_precio_valido(entrada: str | int | Decimal, valor: str) -> None:
    assert Precio(entrada).valor == Decimal(valor)


def test_precio_negativo_se_rechaza() -> None:
    with pytest.raises(ValorInvalido) as exc:
        Precio("-0.01")

    assert exc.value.reglas == ("PrecioValido",)
    assert "negativo" in exc.value.errores[0].mensaje


@pytest.mark.parametrize("entrada", ["1.1234567", "0.0000001", "1E-7"])
def test_precio_con_mas_de_seis_decimales_se_rechaza(entrada: str) -> None:
    with pytest.raises(ValorInvalido) as exc:
        Precio(entrada)

    assert exc.value.reglas == ("PrecioValido",)
    assert "6 decimales" in exc.value.errores[0].mensaje


@pytest.mark.parametrize("entrada", NO_NUMEROS + NO_FINITOS + DEMASIADO_GRANDES)
def test_precio_rechaza_lo_que_no_es_un_numero_exacto(entrada: object) -> None:
    with pytest.raises(ValorInvalido) as exc:
        Precio(entrada)  # type: ignore[arg-type]

    assert exc.value.reglas == ("PrecioValido",)


@pytest.mark.parametrize(
    ("entrada", "esperado"),
    [("1.2345675", "1.234568"), ("1.2345665", "1.234567"), ("0.0000004", "0"), (2, "2")],
)
def test_precio_redondear_es_half_up_a_seis_decimales(entrada: str | int, esperado: str) -> None:
    assert Precio.redondear(entrada).valor == Decimal(esperado)


def test_precio_redondear_sigue_rechazando_negativos() -> None:
    with pytest.raises(ValorInvalido) as exc:
        Precio.redondear("-1.0000001")

    assert exc.value.reglas == ("PrecioValido",)


@pytest.mark.parametrize(
    ("precio", "cantidad", "esperado"),
    [
        ("1.005", "1", "1.01"),  # half up
        ("0.125", "1", "0.13"),
        ("2.675", "1", "2.68"),
        ("10", "3", "30.00"),
        ("0.333333", "3", "1.00"),  # 0.999999 rounds to 1.00
        ("1.234567", "2.5", "3.09"),  # 3.0864175
        ("0", "5", "0.00"),
    ],
)
def test_precio_por_cantidad(precio: str, cantidad: str, esperado: str) -> None:
    assert Precio(precio).por(Cantidad(cantidad)) == Dinero(esperado)


@given(
    st.decimals(min_value=0, max_value=99999, places=6),
    st.decimals(min_value=Decimal("0.000001"), max_value=99999, places=6),
)
def test_precio_por_es_el_producto_redondeado(precio: Decimal, cantidad: Decimal) -> None:
    esperado = (precio * cantidad).quantize(CENTAVO, rounding=ROUND_HALF_UP)

    assert Precio(precio).por(Cantidad(cantidad)).monto == esperado


def test_precio_str_y_orden() -> None:
    assert str(Precio("4.5")) == "4.5"
    assert Precio("1") < Precio("1.000001")


# --- Cantidad -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entrada", "valor"), [(1, "1"), ("0.000001", "0.000001"), (" 2.5 ", "2.5"), ("1E+1", "10")]
)
def test_cantidad_valida(entrada: str | int, valor: str) -> None:
    cantidad = Cantidad(entrada)

    assert cantidad.valor == Decimal(valor)
    assert str(cantidad) == valor


@pytest.mark.parametrize("entrada", ["0", 0, "-1", "-0.000001", "-0"])
def test_cantidad_cero_o_negativa_se_rechaza(entrada: str | int) -> None:
    with pytest.raises(ValorInvalido) as exc:
        Cantidad(entrada)

    assert exc.value.reglas == ("CantidadPositiva",)
    assert "mayor que cero" in exc.value.errores[0].mensaje


def test_cantidad_con_mas_de_seis_decimales_se_rechaza() -> None:
    with pytest.raises(ValorInvalido) as exc:
        Cantidad("1.0000001")

    assert exc.value.reglas == ("CantidadConHasta6Decimales",)
    assert "6 decimales" in exc.value.errores[0].mensaje


@pytest.mark.parametrize("entrada", NO_NUMEROS + NO_FINITOS + DEMASIADO_GRANDES)
def test_cantidad_rechaza_lo_que_no_es_un_numero_exacto(entrada: object) -> None:
    with pytest.raises(ValorInvalido) as exc:
        Cantidad(entrada)  # type: ignore[arg-type]

    assert exc.value.reglas == ("CantidadValida",)


def test_cantidad_suma() -> None:
    assert Cantidad("1.5") + Cantidad("0.000001") == Cantidad("1.500001")


# --- Helpers --------------------------------------------------------------------------


def test_redondeos() -> None:
    assert redondear2(Decimal("1.005")) == Decimal("1.01")
    assert redondear6(Decimal("0.0000005")) == MICRO
    assert redondear6(Decimal("-0.0000005")) == -MICRO


def test_a_decimal_nombra_la_regla_y_el_campo() -> None:
    with pytest.raises(ValorInvalido) as exc:
        a_decimal(1.0, "StockMinimoValido", "El stock mínimo")

    assert exc.value.reglas == ("StockMinimoValido",)
    assert exc.value.errores[0].mensaje.startswith("El stock mínimo")


# --- Inputs beyond the 28-digit decimal context are validated exactly ------------------


def test_dinero_no_acepta_en_silencio_decimales_mas_alla_de_28_digitos() -> None:
    with pytest.raises(ValorInvalido):
        Dinero("1.00000000000000000000000000001")


def test_dinero_redondear_no_redondea_dos_veces() -> None:
    assert Dinero.redondear("0.00499999999999999999999999999999") == Dinero("0.00")


def test_precio_y_cantidad_descartan_ceros_mas_alla_del_sexto_decimal() -> None:
    assert str(Precio("1.50000000")) == "1.500000"
    assert str(Cantidad("2.0000000")) == "2.000000"
    assert str(Precio("1.5")) == "1.5"
