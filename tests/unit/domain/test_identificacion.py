"""Identification rules of SRI.md: cédula, RUC (natural, pública, sociedad), pasaporte,
exterior, consumidor final, and the factory by SRI code."""

from __future__ import annotations

import dataclasses

import pytest

from prometeo.domain.errores import ValorInvalido
from prometeo.domain.value_objects.identificacion import (
    Cedula,
    ConsumidorFinal,
    IdentificacionExterior,
    Pasaporte,
    Ruc,
    TipoIdentificacion,
    TipoRuc,
    crear_identificacion,
)

# --- Cédula ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "numero",
    [
        "0602910945",  # SRI.md
        "0910005917",  # SRI.md
        "0962467429",  # SRI.md, third digit 6 (foreigner with a cédula)
        "3012345678",  # province 30 (Ecuadorians abroad)
        "0101000040",  # sum divisible by 10: check digit 0
    ],
)
def test_cedula_valida(numero: str) -> None:
    cedula = Cedula(numero)

    assert cedula.numero == numero
    assert cedula.tipo is TipoIdentificacion.CEDULA
    assert cedula.advertencias == ()


def test_cedula_quita_espacios_alrededor() -> None:
    assert Cedula("  0602910945\n").numero == "0602910945"


@pytest.mark.parametrize(
    ("numero", "motivo"),
    [
        ("171430710", "10 dígitos"),  # SRI.md: length
        ("17143071000", "10 dígitos"),
        ("123A567890", "solo dígitos"),  # SRI.md: format
        ("1784307108", "tercer dígito 8"),  # SRI.md: third digit 8
        ("1774307108", "tercer dígito 7"),
        ("0602910946", "dígito verificador"),
        ("0002910945", "provincia 00"),
        ("2502910945", "provincia 25"),
        ("", "solo dígitos"),
        ("   ", "solo dígitos"),
        ("06 02910945", "solo dígitos"),
        ("٠٦٠٢٩١٠٩٤٥", "solo dígitos"),  # Arabic-Indic digits are not ASCII digits
    ],
)
def test_cedula_invalida(numero: str, motivo: str) -> None:
    with pytest.raises(ValorInvalido) as exc:
        Cedula(numero)

    assert exc.value.reglas == ("CedulaValida",)
    assert motivo in exc.value.errores[0].mensaje


def test_cedula_que_no_es_texto_se_rechaza() -> None:
    with pytest.raises(ValorInvalido) as exc:
        Cedula(602910945)  # type: ignore[arg-type]

    assert exc.value.reglas == ("CedulaValida",)


def test_cedula_es_inmutable() -> None:
    cedula = Cedula("0602910945")

    with pytest.raises(dataclasses.FrozenInstanceError):
        cedula.numero = "0910005917"  # type: ignore[misc]


# --- RUC ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numero", "clase"),
    [
        ("0101016905001", TipoRuc.NATURAL),  # SRI.md
        ("1001152287001", TipoRuc.NATURAL),  # SRI.md
        ("1102755442001", TipoRuc.NATURAL),  # SRI.md
        ("1760000008001", TipoRuc.NATURAL),  # third digit 6, valid cédula, not a public RUC
        ("1760001550001", TipoRuc.PUBLICA),  # SRI.md
        ("0160000510001", TipoRuc.PUBLICA),  # SRI.md
        ("1760000900001", TipoRuc.PUBLICA),  # remainder 0 gives check digit 0
        ("1792060346001", TipoRuc.SOCIEDAD),  # SRI.md
        ("1790011674001", TipoRuc.SOCIEDAD),  # SRI.md
        ("0990138850001", TipoRuc.SOCIEDAD),  # SRI.md
        ("1790000060001", TipoRuc.SOCIEDAD),  # remainder 0 gives check digit 0
    ],
)
def test_ruc_valido(numero: str, clase: TipoRuc) -> None:
    ruc = Ruc(numero)

    assert ruc.numero == numero
    assert ruc.tipo is TipoIdentificacion.RUC
    assert ruc.clase is clase
    assert ruc.advertencias == ()


@pytest.mark.parametrize(
    ("numero", "clase"),
    [
        ("1793189906001", TipoRuc.SOCIEDAD),  # SRI.md: real, active, fails modulo 11
        ("0993370026001", TipoRuc.SOCIEDAD),  # SRI.md: real, active, fails modulo 11
        ("1760000000001", TipoRuc.PUBLICA),
        ("1760000008000", TipoRuc.PUBLICA),  # a valid cédula, but establishment 000
    ],
)
def test_ruc_de_empresa_con_verificador_incorrecto_se_acepta_con_advertencia(
    numero: str, clase: TipoRuc
) -> None:
    ruc = Ruc(numero)

    assert ruc.clase is clase
    assert len(ruc.advertencias) == 1
    assert "dígito verificador" in ruc.advertencias[0]
    assert numero in ruc.advertencias[0]


def test_ruc_quita_espacios_alrededor() -> None:
    assert Ruc(" 1792060346001 ").numero == "1792060346001"


@pytest.mark.parametrize(
    ("numero", "motivo"),
    [
        ("179206034601", "13 dígitos"),  # SRI.md: length
        ("17920603460011", "13 dígitos"),
        ("17920603A6001", "solo dígitos"),  # SRI.md: format
        ("0170000610001", "tercer dígito 7"),  # SRI.md: third digit 7
        ("1780000000001", "tercer dígito 8"),
        ("8810034069001", "provincia 88"),  # SRI.md: province
        ("0010034069001", "provincia 00"),
        ("1760001550000", "0000"),  # SRI.md: establishment 0000
        ("0101016905000", "000"),  # natural, establishment 000
        ("1792060346000", "000"),  # sociedad, establishment 000
        ("1793189906000", "000"),  # failing check digit does not save a bad structure
        ("0101016904001", "cédula"),  # natural: strict check digit
        ("1001152288001", "cédula"),
        ("", "solo dígitos"),
    ],
)
def test_ruc_invalido(numero: str, motivo: str) -> None:
    with pytest.raises(ValorInvalido) as exc:
        Ruc(numero)

    assert exc.value.reglas == ("RucValido",)
    assert motivo in exc.value.errores[0].mensaje


def test_ruc_que_no_es_texto_se_rechaza() -> None:
    with pytest.raises(ValorInvalido) as exc:
        Ruc(None)  # type: ignore[arg-type]

    assert exc.value.reglas == ("RucValido",)


def test_rucs_iguales_son_el_mismo_valor() -> None:
    assert Ruc("1792060346001") == Ruc(" 1792060346001")
    assert hash(Ruc("1793189906001")) == hash(Ruc("1793189906001"))


# --- Pasaporte, exterior, consumidor final -------------------------------------------


@pytest.mark.parametrize(
    ("numero", "esperado"),
    [
        ("AB1234567", "AB1234567"),
        ("ab123", "AB123"),
        (" x9z ", "X9Z"),
        ("123", "123"),
        ("A" * 20, "A" * 20),
    ],
)
def test_pasaporte_valido(numero: str, esperado: str) -> None:
    pasaporte = Pasaporte(numero)

    assert pasaporte.numero == esperado
    assert pasaporte.tipo is TipoIdentificacion.PASAPORTE
    assert pasaporte.advertencias == ()


@pytest.mark.parametrize(
    "numero", ["AB", "", "   ", "A" * 21, "AB-123", "AB 123", "ÑA123", "aßb", "AB12\n3"]
)
def test_pasaporte_invalido(numero: str) -> None:
    with pytest.raises(ValorInvalido) as exc:
        Pasaporte(numero)

    assert exc.value.reglas == ("PasaporteValido",)


@pytest.mark.parametrize(
    ("numero", "esperado"),
    [("X", "X"), ("DE-123 456/7", "DE-123 456/7"), ("  ñ1  ", "ñ1"), ("9" * 20, "9" * 20)],
)
def test_identificacion_exterior_valida(numero: str, esperado: str) -> None:
    exterior = IdentificacionExterior(numero)

    assert exterior.numero == esperado
    assert exterior.tipo is TipoIdentificacion.EXTERIOR
    assert exterior.advertencias == ()


@pytest.mark.parametrize("numero", ["", "   ", "9" * 21, "AB\x00C", "AB\tC"])
def test_identificacion_exterior_invalida(numero: str) -> None:
    with pytest.raises(ValorInvalido) as exc:
        IdentificacionExterior(numero)

    assert exc.value.reglas == ("IdentificacionExteriorValida",)


def test_consumidor_final_sin_numero() -> None:
    consumidor = ConsumidorFinal()

    assert consumidor.numero == "9999999999999"
    assert consumidor.tipo is TipoIdentificacion.CONSUMIDOR_FINAL
    assert consumidor.advertencias == ()
    assert consumidor == ConsumidorFinal(" 9999999999999 ")


@pytest.mark.parametrize("numero", ["9999999999", "0602910945", "", "9999999999998"])
def test_consumidor_final_con_otro_numero_se_rechaza(numero: str) -> None:
    with pytest.raises(ValorInvalido) as exc:
        ConsumidorFinal(numero)

    assert exc.value.reglas == ("ConsumidorFinalValido",)


# --- Factory --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tipo", "numero", "clase"),
    [
        ("04", "1792060346001", Ruc),
        ("05", "0602910945", Cedula),
        ("06", "ab123456", Pasaporte),
        ("07", "9999999999999", ConsumidorFinal),
        ("08", "DE-123", IdentificacionExterior),
        (" 05 ", "0910005917", Cedula),
        (TipoIdentificacion.RUC, "1793189906001", Ruc),
    ],
)
def test_crear_identificacion(tipo: str, numero: str, clase: type) -> None:
    identificacion = crear_identificacion(tipo, numero)

    assert isinstance(identificacion, clase)
    assert identificacion.tipo == tipo.strip()


@pytest.mark.parametrize("tipo", ["01", "4", "09", "", "RUC", "cedula"])
def test_crear_identificacion_de_tipo_desconocido(tipo: str) -> None:
    with pytest.raises(ValorInvalido) as exc:
        crear_identificacion(tipo, "0602910945")

    assert exc.value.reglas == ("TipoIdentificacionValido",)


@pytest.mark.parametrize(
    ("tipo", "numero", "regla"),
    [
        ("07", "0602910945", "ConsumidorFinalValido"),
        ("05", "1792060346001", "CedulaValida"),  # a RUC is not a cédula
        ("04", "0602910945", "RucValido"),
        ("04", "0101016904001", "RucValido"),
        ("06", "A", "PasaporteValido"),
        ("08", "", "IdentificacionExteriorValida"),
    ],
)
def test_crear_identificacion_valida_el_numero(tipo: str, numero: str, regla: str) -> None:
    with pytest.raises(ValorInvalido) as exc:
        crear_identificacion(tipo, numero)

    assert exc.value.reglas == (regla,)


def test_crear_identificacion_conserva_las_advertencias() -> None:
    ruc = crear_identificacion("04", "0993370026001")

    assert len(ruc.advertencias) == 1
