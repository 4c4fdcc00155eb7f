"""es-EC formatting and reading: CLDR es_EC separators, dd/mm/aaaa, Ecuador's time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prometeo.domain.errores import ValorInvalido
from prometeo.domain.value_objects.dinero import Cantidad, Dinero, Precio
from prometeo.entrypoints.web.formato import (
    FILTROS,
    cantidad,
    cantidad_entrada,
    dinero,
    dinero_entrada,
    fecha,
    fecha_hora,
    leer_cantidad,
    leer_dinero,
    leer_fecha,
    precio,
)

montos = st.decimals(
    min_value=Decimal("-999999999.99"), max_value=Decimal("999999999.99"), places=2
)
cantidades = st.decimals(min_value=Decimal(0), max_value=Decimal("99999999.999999"), places=6)


@pytest.mark.parametrize(
    ("valor", "texto"),
    [
        (Decimal("1234.56"), "$1.234,56"),
        (Decimal("-1234.56"), "$-1.234,56"),
        (Decimal("1234567.8"), "$1.234.567,80"),
        (Decimal("0.005"), "$0,01"),  # half up, like the domain
        (Decimal("-0.004"), "$0,00"),  # rounds to zero: no "-0,00"
        (Decimal("999.995"), "$1.000,00"),
        (7, "$7,00"),
        (Dinero("12.5"), "$12,50"),
    ],
)
def test_el_dinero_se_escribe_como_cldr_es_ec(valor: Decimal | int | Dinero, texto: str) -> None:
    assert dinero(valor) == texto


def test_precios_y_cantidades_muestran_sus_decimales_sin_ceros_sobrantes() -> None:
    assert precio(Precio("0.456789")) == "$0,456789"
    assert precio(Decimal("2.5")) == "$2,50"
    assert precio(Decimal("1000.1234567")) == "$1.000,123457"
    assert cantidad(Cantidad("2.500")) == "2,5"
    assert cantidad(Decimal(1234)) == "1.234"
    assert cantidad(Decimal("1234.5")) == "1.234,5"
    assert cantidad_entrada(Decimal("1234.50")) == "1234,5"
    assert dinero_entrada(Decimal("-1234.5")) == "-1234,50"


@pytest.mark.parametrize("valor", [1.5, True, "1.50", None, Decimal("NaN"), Decimal("Infinity")])
def test_un_float_o_un_texto_no_se_muestran_como_dinero(valor: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        dinero(valor)  # type: ignore[arg-type]


@given(montos)
def test_el_monto_mostrado_o_de_entrada_se_lee_igual(monto: Decimal) -> None:
    assert leer_dinero(dinero(monto)) == monto
    assert leer_dinero(dinero_entrada(monto)) == monto


@given(cantidades)
def test_la_cantidad_de_entrada_se_lee_igual(numero: Decimal) -> None:
    leida = leer_cantidad(cantidad_entrada(numero))
    assert leida == numero
    assert isinstance(leida, Decimal)


@pytest.mark.parametrize(
    ("texto", "valor"),
    [
        ("12,5", "12.50"),
        ("12.5", "12.50"),
        (" $ 3 ", "3.00"),
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1.234.567", "1234567.00"),
        ("-$1.234,56", "-1234.56"),
        ("-0", "0.00"),
    ],
)
def test_se_lee_el_monto_con_coma_o_punto_decimal(texto: str, valor: str) -> None:
    leido = leer_dinero(texto)
    assert leido == Decimal(valor)
    assert leido.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("texto", "regla", "fragmento"),
    [
        ("1.234,5.6", "MontoValido", "ambiguo"),
        ("1,2.3,4", "MontoValido", "ambiguo"),
        ("1,2.3.4", "MontoValido", "ambiguo"),
        ("12.34.56", "MontoValido", "ambiguo"),
        ("1,500", "MontoValido", "si son miles, escriba 1500"),
        ("1.005", "MontoValido", "admite hasta 2"),
        ("", "MontoValido", "en blanco"),
        ("abc", "MontoValido", "no es un número"),
        ("1e3", "MontoValido", "no es un número"),
        ("١٢", "MontoValido", "no es un número"),  # Arabic-Indic digits: not ours
        (",5", "MontoValido", "no es un número"),
        ("5.", "MontoValido", "no es un número"),
        ("1000000000000", "MontoValido", "máximo"),
    ],
)
def test_un_monto_ilegible_o_ambiguo_nombra_su_regla(
    texto: str, regla: str, fragmento: str
) -> None:
    with pytest.raises(ValorInvalido) as error:
        leer_dinero(texto)
    assert error.value.reglas == (regla,)
    assert fragmento in str(error.value)


@given(st.text(alphabet="0123456789.,-$ ", max_size=16))
def test_cualquier_tecleo_es_un_monto_exacto_o_una_regla_incumplida(texto: str) -> None:
    try:
        leido: Decimal | tuple[str, ...] = leer_dinero(texto)
    except ValorInvalido as error:
        leido = error.reglas
    if isinstance(leido, tuple):
        assert leido == ("MontoValido",)
    else:
        assert isinstance(leido, Decimal)
        assert leido.as_tuple().exponent == -2


def test_la_cantidad_admite_seis_decimales_y_no_negativos() -> None:
    assert leer_cantidad("1.234") == Decimal("1.234")  # kilos from a scale, not a thousand
    assert leer_cantidad("0,000001") == Decimal("0.000001")
    assert leer_cantidad("0") == 0
    with pytest.raises(ValorInvalido) as error:
        leer_cantidad("0,0000001")
    assert error.value.reglas == ("CantidadConHasta6Decimales",)
    with pytest.raises(ValorInvalido) as error:
        leer_cantidad("-1")
    assert error.value.reglas == ("CantidadValida",)


@given(st.dates())
def test_la_fecha_escrita_se_lee_igual(dia: date) -> None:
    texto = fecha(dia)
    assert len(texto) == 10
    assert leer_fecha(texto) == dia


def test_fechas_dd_mm_aaaa_estrictas() -> None:
    assert fecha(date(2026, 12, 6)) == "06/12/2026"
    assert leer_fecha(" 6/1/2026 ") == date(2026, 1, 6)
    for texto in ["2026-12-06", "06/12/26", "06.12.2026", "06/12/2026 10:00", "", "31/02/2026"]:
        with pytest.raises(ValorInvalido) as error:
            leer_fecha(texto)
        assert error.value.reglas == ("FechaValida",)
    with pytest.raises(ValorInvalido, match="no existe"):
        leer_fecha("29/02/2027")


def test_las_horas_se_muestran_en_la_hora_de_ecuador() -> None:
    instante = datetime(2026, 12, 7, 3, 7, 9, tzinfo=UTC)  # still the 6th in Quito
    assert fecha_hora(instante) == "06/12/2026 22:07"
    assert fecha_hora(instante, segundos=True) == "06/12/2026 22:07:09"
    assert fecha(instante) == "06/12/2026"
    madrid = timezone(timedelta(hours=1))
    assert fecha_hora(datetime(2026, 12, 7, 4, 7, tzinfo=madrid)) == "06/12/2026 22:07"
    with pytest.raises(ValueError, match="sin zona horaria"):
        fecha_hora(datetime(2026, 12, 7, 3, 7))  # noqa: DTZ001 - the naive case refused
    with pytest.raises(ValueError, match="sin zona horaria"):
        fecha(datetime(2026, 12, 7, 3, 7))  # noqa: DTZ001


def test_los_filtros_son_los_formateadores() -> None:
    assert FILTROS["dinero"] is dinero
    assert FILTROS["fecha"] is fecha
    assert set(FILTROS) >= {"precio", "cantidad", "fecha_hora", "dinero_entrada"}
