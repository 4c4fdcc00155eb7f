"""Small value objects: tarifas de IVA, formas de pago, motivo, comprador, reloj."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from prometeo.domain.errores import ValorInvalido
from prometeo.domain.reloj import RelojFijo
from prometeo.domain.value_objects.comprador import Comprador
from prometeo.domain.value_objects.dinero import Dinero
from prometeo.domain.value_objects.forma_pago import FormaPago, Pago
from prometeo.domain.value_objects.motivo import MotivoModificacion
from prometeo.domain.value_objects.tarifa_iva import TARIFAS_IVA, TarifaIva


@pytest.mark.parametrize(
    ("codigo", "porcentaje"),
    [("0", 0), ("2", 12), ("3", 14), ("4", 15), ("5", 5), ("6", 0), ("7", 0), ("8", 8), ("10", 13)],
)
def test_tabla_de_tarifas_del_sri(codigo: str, porcentaje: int) -> None:
    assert TarifaIva.de_codigo(codigo).porcentaje == Decimal(porcentaje)


def test_tarifa_desconocida_y_calculo() -> None:
    with pytest.raises(ValorInvalido) as error:
        TarifaIva.de_codigo("1")
    assert error.value.reglas == ("TarifaIvaValida",)
    assert TarifaIva.de_codigo("4").iva_de(Decimal("56.00")) == Decimal("8.40")
    assert TarifaIva.de_codigo("4").iva_de(Decimal("0.10")) == Decimal("0.02")  # 0.015 ↑
    assert len(TARIFAS_IVA) == 9


def test_formas_de_pago() -> None:
    assert FormaPago.de_codigo(" 19 ") is FormaPago.TARJETA_CREDITO
    with pytest.raises(ValorInvalido) as error:
        FormaPago.de_codigo("99")
    assert error.value.reglas == ("FormaPagoValida",)


@pytest.mark.parametrize(
    ("total", "plazo", "unidad"), [("-1.00", None, None), ("1.00", -1, None), ("1.00", 30, " ")]
)
def test_pago_invalido(total: str, plazo: int | None, unidad: str | None) -> None:
    with pytest.raises(ValorInvalido) as error:
        Pago(FormaPago.SIN_SISTEMA_FINANCIERO, Dinero(total), plazo, unidad)
    assert error.value.reglas == ("PagoValido",)


def test_motivo() -> None:
    assert str(MotivoModificacion("  Devolución  ")) == "Devolución"
    assert MotivoModificacion("x" * 300).texto == "x" * 300
    for malo in ["", "   ", "x" * 301]:
        with pytest.raises(ValorInvalido) as error:
            MotivoModificacion(malo)
        assert error.value.reglas == ("MotivoModificacionValido",)


def test_comprador() -> None:
    assert Comprador.consumidor_final().es_consumidor_final
    assert Comprador.consumidor_final().identificacion == "9999999999999"
    assert not Comprador("05", "0602910945", "Ana").es_consumidor_final


def test_reloj_fijo() -> None:
    reloj = RelojFijo(date(2026, 1, 2))
    assert reloj.hoy() == date(2026, 1, 2)
    assert reloj.ahora() == datetime(2026, 1, 2, 12, tzinfo=UTC)
    instante = datetime(2026, 1, 2, 8, 30, tzinfo=UTC)
    assert RelojFijo(date(2026, 1, 2), instante).ahora() == instante
