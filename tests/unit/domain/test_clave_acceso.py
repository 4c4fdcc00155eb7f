"""The clave de acceso (SRI.md): its layout and its modulo-11 check digit, against two real
claves issued by the SRI."""

from __future__ import annotations

from datetime import date

import pytest

from prometeo.domain.errores import ValorInvalido
from prometeo.domain.value_objects.clave_acceso import (
    ClaveAcceso,
    codigo_numerico_de,
    digito_verificador,
)
from prometeo.domain.value_objects.numero_comprobante import NumeroComprobante

FACTURA_REAL = "0312202201019007200200120029020004874985766297216"
NOTA_REAL = "0807202404099226219200120021020007947940810324019"


@pytest.mark.parametrize("clave", [FACTURA_REAL, NOTA_REAL])
def test_claves_reales_validan_y_se_regeneran(clave: str) -> None:
    leida = ClaveAcceso(clave)
    regenerada = ClaveAcceso.generar(
        fecha_emision=leida.fecha_emision,
        tipo_comprobante=leida.tipo_comprobante,
        ruc=leida.ruc,
        ambiente=leida.ambiente,
        numero=NumeroComprobante(leida.serie[:3], leida.serie[3:], leida.secuencial),
        codigo_numerico=leida.codigo_numerico,
        tipo_emision=leida.tipo_emision,
    )
    assert regenerada == leida
    assert digito_verificador(clave[:48]) == clave[48]


def test_partes_de_la_clave_real_de_factura() -> None:
    clave = ClaveAcceso(FACTURA_REAL)
    assert clave.fecha_emision == date(2022, 12, 3)
    assert (clave.tipo_comprobante, clave.ruc, clave.ambiente) == ("01", "0190072002001", "2")
    assert (clave.serie, clave.secuencial) == ("002902", 487498)
    assert (clave.codigo_numerico, clave.tipo_emision) == ("57662972", "1")
    assert ClaveAcceso(NOTA_REAL).tipo_comprobante == "04"


def test_digito_verificador_casos_11_y_10() -> None:
    assert digito_verificador("0" * 48) == "0"  # sum 0: 11 − 0 = 11 → 0
    assert digito_verificador("0" * 47 + "6") == "1"  # sum 12 ≡ 1: 11 − 1 = 10 → 1
    assert digito_verificador("0" * 47 + "5") == "1"  # sum 10: 11 − 10 = 1
    assert digito_verificador("0" * 46 + "10") == "8"  # weight 3 on the second digit


@pytest.mark.parametrize(
    "clave",
    [
        FACTURA_REAL[:-1] + "7",  # wrong check digit
        FACTURA_REAL[:48],  # 48 digits
        "A" + FACTURA_REAL[1:],
        None,
    ],
)
def test_clave_invalida(clave: object) -> None:
    with pytest.raises(ValorInvalido) as error:
        ClaveAcceso(clave)  # type: ignore[arg-type]
    assert error.value.reglas == ("ClaveAccesoValida",)


def test_generar_rechaza_partes_mal_formadas() -> None:
    with pytest.raises(ValorInvalido) as error:
        ClaveAcceso.generar(
            fecha_emision=date(2026, 1, 2),
            tipo_comprobante="01",
            ruc="179001167400",
            ambiente="1",
            numero=NumeroComprobante("001", "001", 1),
            codigo_numerico="12345678",
        )
    assert error.value.reglas == ("ClaveAccesoValida",)


def test_codigo_numerico_determinista() -> None:
    codigo = codigo_numerico_de("f-1")
    assert codigo == codigo_numerico_de("f-1") != codigo_numerico_de("f-2")
    assert len(codigo) == 8
    assert codigo.isdigit()
