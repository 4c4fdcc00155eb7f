"""SecuenciaComprobantes: gapless secuenciales that are never reused."""

from __future__ import annotations

import pytest

from prometeo.domain.aggregates.secuencia import SecuenciaComprobantes
from prometeo.domain.errores import OperacionNoPermitida, ValorInvalido
from prometeo.domain.events.factura import FacturaAnulada
from prometeo.domain.value_objects.numero_comprobante import NumeroComprobante, TipoComprobante


def test_secuenciales_consecutivos_por_tipo() -> None:
    facturas = SecuenciaComprobantes.para("p1", TipoComprobante.FACTURA)
    notas = SecuenciaComprobantes.para("p1", TipoComprobante.NOTA_CREDITO)
    assert facturas.stream_id == "secuencia-p1-01"
    assert notas.stream_id == "secuencia-p1-04"
    numeros = [str(facturas.asignar_secuencial("002", "003", f"f{i}")) for i in range(3)]
    assert numeros == ["002-003-000000001", "002-003-000000002", "002-003-000000003"]
    assert str(notas.asignar_secuencial("002", "003", "n1")) == "002-003-000000001"


def test_reconstruido_continua_la_secuencia() -> None:
    punto = SecuenciaComprobantes.para("p1", TipoComprobante.FACTURA)
    for i in range(5):
        punto.asignar_secuencial("001", "001", f"f{i}")
    copia = SecuenciaComprobantes.reconstruir(punto.id, punto.recolectar_eventos())
    assert copia == punto
    assert copia.asignar_secuencial("001", "001", "f5").secuencial == 6


def test_secuencial_agotado() -> None:
    punto = SecuenciaComprobantes.para("p1", TipoComprobante.FACTURA)
    punto.ultimo_secuencial = 999_999_999
    with pytest.raises(OperacionNoPermitida) as error:
        punto.asignar_secuencial("001", "001", "f")
    assert error.value.reglas == ("SecuencialDisponible",)


def test_no_aplica_eventos_ajenos() -> None:
    from datetime import date

    with pytest.raises(TypeError):
        SecuenciaComprobantes.reconstruir(
            "x", [FacturaAnulada(factura_id="f", motivo="m", fecha=date.min)]
        )


@pytest.mark.parametrize(
    ("texto", "esperado"),
    [("001-001-000000001", ("001", "001", 1)), (" 123-456-987654321 ", ("123", "456", 987654321))],
)
def test_numero_comprobante_parse_y_formato(texto: str, esperado: tuple[str, str, int]) -> None:
    numero = NumeroComprobante.parse(texto)
    assert (numero.establecimiento, numero.punto_emision, numero.secuencial) == esperado
    assert str(numero) == texto.strip()


@pytest.mark.parametrize(
    "texto",
    [
        "001-001-00000001",
        "000-001-000000001",
        "001-000-000000001",
        "1-1-1",
        "",
        "001-001-000000000",
    ],
)
def test_numero_comprobante_invalido(texto: str) -> None:
    with pytest.raises(ValorInvalido) as error:
        NumeroComprobante.parse(texto)
    assert error.value.reglas == ("NumeroComprobanteValido",)


def test_numero_comprobante_secuencial_no_entero() -> None:
    with pytest.raises(ValorInvalido):
        NumeroComprobante("001", "001", True)
    with pytest.raises(ValorInvalido):
        NumeroComprobante("001", "001", "5")  # type: ignore[arg-type]
