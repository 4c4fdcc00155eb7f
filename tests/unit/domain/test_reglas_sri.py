"""Issue 13, items 7, 8, 10 and 11: no future dates, the SRI's annulment window, the bounds
of amounts and stock, and the text every SRI field accepts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
from negocio import CLIENTE, HOY, Negocio

from prometeo.domain.aggregates.factura import EstadoFactura, Factura
from prometeo.domain.aggregates.inventario import Inventario
from prometeo.domain.entities.catalogo import Cliente, Emisor, Producto, Sucursal
from prometeo.domain.errores import OperacionNoPermitida, ReglasIncumplidas, ValorInvalido
from prometeo.domain.events.inventario import LoteIngresado
from prometeo.domain.reloj import RelojFijo
from prometeo.domain.services.emision import anular_factura
from prometeo.domain.specifications.anulacion import (
    ContextoAnulacion,
    limite_anulacion,
    reglas_anulacion,
)
from prometeo.domain.value_objects.comprador import Comprador
from prometeo.domain.value_objects.dinero import Cantidad, Dinero, Precio
from prometeo.domain.value_objects.direccion import Direccion
from prometeo.domain.value_objects.forma_pago import FormaPago, Pago
from prometeo.domain.value_objects.identificacion import Cedula, Ruc
from prometeo.domain.value_objects.motivo import MotivoModificacion
from prometeo.domain.value_objects.tarifa_iva import TarifaIva
from prometeo.domain.value_objects.texto_sri import CampoSri, caracter_prohibido


def reglas(excinfo: pytest.ExceptionInfo[ReglasIncumplidas]) -> set[str]:
    return set(excinfo.value.reglas)


# -- 7. no future dates ---------------------------------------------------------------------


def test_7_una_factura_con_fecha_futura_se_rechaza_con_las_demas_reglas(
    negocio: Negocio,
) -> None:
    factura = negocio.borrador([("a", "1", "1.00")], fecha_emision=HOY + timedelta(days=1))
    with pytest.raises(ReglasIncumplidas) as error:
        negocio.emitir(factura)
    # Reported together with every other broken rule (here: no stock).
    assert reglas(error) == {"FechaEmisionNoFutura", "StockSuficienteParaFactura"}
    assert "2026-11-30" in str(error.value)
    assert factura.estado is EstadoFactura.BORRADOR


def test_7_hoy_segun_el_reloj_de_la_aplicacion(negocio: Negocio) -> None:
    negocio.ingresar("a", "1", "1.00")
    factura = negocio.borrador([("a", "1", "1.00")], fecha_emision=HOY + timedelta(days=1))
    negocio.reloj = RelojFijo(HOY + timedelta(days=1))
    assert negocio.emitir(factura).fecha_emision == HOY + timedelta(days=1)


def test_7_una_nota_de_credito_con_fecha_futura_se_rechaza(negocio: Negocio) -> None:
    negocio.ingresar("a", "5", "1.00")
    factura = negocio.borrador([("a", "5", "10.00")])
    negocio.emitir(factura)
    with pytest.raises(ReglasIncumplidas) as error:
        negocio.nota(factura, [("a", "9")], fecha_emision=HOY + timedelta(days=2))
    assert reglas(error) == {"FechaEmisionNoFutura", "LineasValidasContraFactura"}
    assert factura.notas_credito == []


# -- 8. the annulment window ----------------------------------------------------------------


def _emitida(negocio: Negocio, comprador: Comprador = CLIENTE) -> Factura:
    negocio.ingresar("a", "5", "1.00")
    factura = negocio.borrador([("a", "2", "4.00")], comprador=comprador)
    negocio.emitir(factura)
    return factura


MOTIVO = MotivoModificacion("Error de digitación")


@pytest.mark.parametrize(
    ("emision", "limite"),
    [
        (date(2026, 11, 29), date(2026, 12, 7)),
        (date(2026, 12, 1), date(2027, 1, 7)),
        (date(2027, 1, 31), date(2027, 2, 7)),
    ],
)
def test_8_el_limite_es_el_dia_7_del_mes_siguiente(emision: date, limite: date) -> None:
    assert limite_anulacion(emision, 7) == limite


def test_8_en_el_ultimo_mes_posible_el_plazo_no_vence(negocio: Negocio) -> None:
    factura = _emitida(negocio)
    factura.fecha_emision = date(9999, 12, 1)
    contexto = ContextoAnulacion(factura, date(9999, 12, 31))
    assert contexto.limite is None
    assert reglas_anulacion().incumplidas(contexto) == []


def test_8_se_anula_hasta_el_dia_limite_del_mes_siguiente(negocio: Negocio) -> None:
    factura = _emitida(negocio)
    negocio.reloj = RelojFijo(date(2026, 12, 7))
    anular_factura(factura, negocio.inventarios, MOTIVO, negocio.reloj)
    assert factura.estado is EstadoFactura.ANULADA


def test_8_despues_del_plazo_solo_una_nota_de_credito(negocio: Negocio) -> None:
    factura = _emitida(negocio)
    negocio.reloj = RelojFijo(date(2026, 12, 8))
    with pytest.raises(OperacionNoPermitida) as error:
        anular_factura(factura, negocio.inventarios, MOTIVO, negocio.reloj)
    assert reglas(error) == {"AnulacionDentroDelPlazo"}
    mensaje = str(error.value)
    assert "2026-12-07" in mensaje
    assert "nota de crédito" in mensaje
    assert factura.estado is EstadoFactura.EMITIDA
    assert negocio.inventario("a").stock == Decimal(3)
    assert negocio.nota(factura, [("a", "1")]).numero


def test_8_el_dia_limite_es_configurable(negocio: Negocio) -> None:
    factura = _emitida(negocio)
    negocio.reloj = RelojFijo(date(2026, 12, 8))
    anular_factura(factura, negocio.inventarios, MOTIVO, negocio.reloj, dia_limite=10)
    assert factura.estado is EstadoFactura.ANULADA


def test_8_una_factura_a_consumidor_final_nunca_se_anula(negocio: Negocio) -> None:
    factura = _emitida(negocio, Comprador.consumidor_final())
    with pytest.raises(OperacionNoPermitida) as error:
        anular_factura(factura, negocio.inventarios, MOTIVO, negocio.reloj)
    assert reglas(error) == {"AnulacionNoConsumidorFinal"}
    assert "consumidor final" in str(error.value)
    # Out of the window as well: both rules at once.
    negocio.reloj = RelojFijo(date(2027, 1, 1))
    with pytest.raises(OperacionNoPermitida) as error:
        anular_factura(factura, negocio.inventarios, MOTIVO, negocio.reloj)
    assert reglas(error) == {"AnulacionNoConsumidorFinal", "AnulacionDentroDelPlazo"}
    assert factura.estado is EstadoFactura.EMITIDA


def test_8_con_notas_y_fuera_de_plazo_se_informan_ambas(negocio: Negocio) -> None:
    factura = _emitida(negocio)
    negocio.nota(factura, [("a", "1")])
    negocio.reloj = RelojFijo(date(2026, 12, 20))
    with pytest.raises(OperacionNoPermitida) as error:
        anular_factura(factura, negocio.inventarios, MOTIVO, negocio.reloj)
    assert reglas(error) == {"FacturaSinNotasCredito", "AnulacionDentroDelPlazo"}


def test_8_una_factura_anulada_no_se_anula_otra_vez(negocio: Negocio) -> None:
    factura = _emitida(negocio)
    anular_factura(factura, negocio.inventarios, MOTIVO, negocio.reloj)
    negocio.reloj = RelojFijo(date(2027, 3, 1))
    with pytest.raises(OperacionNoPermitida) as error:
        anular_factura(factura, negocio.inventarios, MOTIVO, negocio.reloj)
    assert reglas(error) == {"FacturaEmitida"}


# -- 10. bounds ------------------------------------------------------------------------------


def test_10_el_importe_total_no_pasa_de_10_a_la_12(negocio: Negocio) -> None:
    negocio.ingresar("a", "2", "1.00")
    # Each line is below the bound; their sum with IVA is not.
    factura = negocio.borrador([("a", "1", "500000000000"), ("a", "1", "400000000000")])
    with pytest.raises(ReglasIncumplidas) as error:
        negocio.emitir(factura)
    assert reglas(error) == {"ImporteTotalDentroDelLimite"}
    # Thousands split the Spanish way, never with the English comma.
    assert "USD 1 000 000 000 000" in str(error.value)
    assert factura.estado is EstadoFactura.BORRADOR
    assert negocio.inventario("a").stock == Decimal(2)


def test_10_una_linea_no_pasa_de_10_a_la_12(negocio: Negocio) -> None:
    factura = negocio.borrador([])
    with pytest.raises(ValorInvalido) as error:
        factura.agregar_linea(
            producto_id="a",
            codigo="A",
            descripcion="A",
            cantidad=Cantidad("999999999999"),
            precio_unitario=Precio("2"),
            tarifa_iva=TarifaIva.de_codigo("4"),
        )
    assert reglas(error) == {"SubtotalLineaDentroDelLimite"}
    assert "USD 1 000 000 000 000" in str(error.value)
    assert factura.lineas == []


@pytest.mark.parametrize(("propina", "acepta"), [("1.00", True), ("1.01", False)])
def test_10_la_propina_no_supera_el_10_por_ciento_del_subtotal(
    negocio: Negocio, propina: str, acepta: bool
) -> None:
    negocio.ingresar("a", "5", "1.00")
    factura = negocio.borrador([("a", "1", "10.00")], propina=Dinero(propina))
    if acepta:
        assert negocio.emitir(factura).propina == Decimal(propina)
        return
    with pytest.raises(ReglasIncumplidas) as error:
        negocio.emitir(factura)
    assert reglas(error) == {"PropinaDentroDelLimite"}
    assert "10 %" in str(error.value)


def test_10_diez_ingresos_enormes_no_desbordan_el_stock() -> None:
    inventario = Inventario.para("a", "b")
    maximo = Cantidad("999999999999")
    inventario.ingresar(maximo, Precio("0"), HOY)
    with pytest.raises(OperacionNoPermitida) as error:
        inventario.ingresar(Cantidad("1"), Precio("0"), HOY)
    assert reglas(error) == {"StockDentroDelLimite"}
    assert inventario.stock == Decimal("999999999999")
    assert len(inventario.eventos_pendientes) == 1


def test_10_el_valor_del_inventario_tampoco() -> None:
    inventario = Inventario.para("a", "b")
    inventario.ingresar(Cantidad("1"), Precio("999999999999"), HOY)
    with pytest.raises(OperacionNoPermitida) as error:
        inventario.ingresar(Cantidad("1"), Precio("1"), HOY)
    assert reglas(error) == {"StockDentroDelLimite"}
    assert "1 000 000 000 000 unidades" in str(error.value)
    assert inventario.id not in str(error.value)


def test_10_devoluciones_y_transferencias_respetan_el_limite() -> None:
    inventario = Inventario.para("a", "b")
    inventario.ingresar(Cantidad("999999999999"), Precio("0"), HOY)
    with pytest.raises(OperacionNoPermitida):
        inventario.devolver(
            Cantidad("1"), Precio("0"), HOY, documento="NOTA CREDITO", documento_id="n"
        )
    otro = Inventario.para("a", "c")
    otro.ingresar(Cantidad("5"), Precio("0"), HOY)
    consumos = otro.reducir(Cantidad("5"), HOY, documento="T", documento_id="t")
    with pytest.raises(OperacionNoPermitida):
        inventario.recibir_transferencia(consumos, HOY, documento="T")


# -- 11. text bound for the XML ---------------------------------------------------------------

PROHIBIDOS = [
    "\n",
    "\r",
    "\t",
    "\x00",
    "\x07",
    "\x85",
    "\u2028",
    "\ufffe",
    "\uffff",
    *(chr(c) for c in range(0x202A, 0x202F)),
    *(chr(c) for c in range(0x2066, 0x206A)),
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\ud800",
]


@pytest.mark.parametrize("caracter", PROHIBIDOS, ids=lambda c: f"U+{ord(c):04X}")
def test_11_caracteres_prohibidos(caracter: str) -> None:
    assert caracter_prohibido(f"Av.{caracter} Amazonas") is not None
    campo = CampoSri("El campo de prueba", "ReglaDePrueba", 10)
    with pytest.raises(ValorInvalido) as error:
        campo.validar(f"ab{caracter}cd")
    assert reglas(error) == {"ReglaDePrueba"}
    assert "El campo de prueba" in str(error.value)


@pytest.mark.parametrize(
    "texto", ["Av. Amazonas N34-120", "Niño & Cía. «Ñandú» 5 %", "José Müller — 日本", "a" * 10]
)
def test_11_el_texto_habitual_se_acepta(texto: str) -> None:
    assert CampoSri("El campo", "Regla", 30).validar(f"  {texto} ") == texto


def _rechaza(regla: str, campo: str, crear: Callable[[], object]) -> None:
    with pytest.raises(ValorInvalido) as error:
        crear()
    assert reglas(error) == {regla}
    assert campo in str(error.value)


RUC = Ruc("1790011674001")


@pytest.mark.parametrize(
    ("regla", "campo", "crear"),
    [
        ("MotivoModificacionValido", "El motivo", lambda: MotivoModificacion("Error\nde cobro")),
        ("MotivoModificacionValido", "El motivo", lambda: MotivoModificacion("x" * 301)),
        ("MotivoModificacionValido", "El motivo", lambda: MotivoModificacion("a\u202eb")),
        ("DireccionValida", "La dirección", lambda: Direccion("Calle 1\u200b")),
        ("DireccionValida", "La dirección", lambda: Direccion("x" * 301)),
        (
            "NombreValido",
            "La razón social",
            lambda: Cliente("c", Cedula("0602910945"), "María\u2066 Pérez"),
        ),
        ("NombreValido", "La razón social", lambda: Cliente("c", Cedula("0602910945"), "x" * 301)),
        (
            "EmailValido",
            "El correo electrónico",
            lambda: Cliente("c", Cedula("0602910945"), "María", None, "m\u200b@example.com"),
        ),
        (
            "NombreValido",
            "La razón social",
            lambda: Emisor(RUC, "Andina\nS.A.", "Andina", Direccion("Quito"), True, "1"),
        ),
        (
            "NombreValido",
            "El nombre comercial",
            lambda: Emisor(RUC, "Andina", "And\ufeffina", Direccion("Quito"), True, "1"),
        ),
        (
            "CodigoValido",
            "El código del producto",
            lambda: Producto("p", "C" * 26, "Café", Precio(1), "4"),
        ),
        (
            "CodigoValido",
            "El código del producto",
            lambda: Producto("p", "C\tF", "Café", Precio(1), "4"),
        ),
        (
            "NombreValido",
            "El nombre del producto",
            lambda: Producto("p", "CAF", "x" * 301, Precio(1), "4"),
        ),
        (
            "NombreValido",
            "El nombre del producto",
            lambda: Producto("p", "CAF", "Ca\ufffef", Precio(1), "4"),
        ),
        (
            "NombreValido",
            "El nombre de la sucursal",
            lambda: Sucursal("s", "001", "Ma\u202atriz", Direccion("Quito")),
        ),
        (
            "PagoValido",
            "La unidad de tiempo",
            lambda: Pago(FormaPago.TARJETA_CREDITO, Dinero(1), 30, "dias habiles"),
        ),
        (
            "PagoValido",
            "La unidad de tiempo",
            lambda: Pago(FormaPago.TARJETA_CREDITO, Dinero(1), 30, "di\nas"),
        ),
        (
            "ReferenciaValida",
            "La referencia del ingreso",
            lambda: Inventario.para("a", "b").ingresar(
                Cantidad(1), Precio(1), HOY, documento="FAC 001\n002"
            ),
        ),
        (
            "ReferenciaValida",
            "La referencia del ingreso",
            lambda: Inventario.para("a", "b").ingresar(
                Cantidad(1), Precio(1), HOY, documento="F" * 301
            ),
        ),
    ],
)
def test_11_cada_campo_nombra_su_regla_y_el_campo(
    regla: str, campo: str, crear: Callable[[], object]
) -> None:
    _rechaza(regla, campo, crear)


def test_11_los_limites_del_xsd_se_aceptan_justos() -> None:
    assert MotivoModificacion("x" * 300).texto == "x" * 300
    assert Producto("p", "C" * 25, "n" * 300, Precio(1), "4").codigo == "C" * 25
    assert Pago(FormaPago.TARJETA_CREDITO, Dinero(1), 30, " dias ").unidad_tiempo == "dias"
    assert Pago(FormaPago.TARJETA_CREDITO, Dinero(1), 30, "d" * 10).unidad_tiempo == "d" * 10
    inventario = Inventario.para("a", "b")
    inventario.ingresar(Cantidad(1), Precio(1), HOY, documento="  FAC 001-001-1  ")
    evento = inventario.eventos_pendientes[0]
    assert isinstance(evento, LoteIngresado)
    assert evento.documento == "FAC 001-001-1"


@pytest.mark.parametrize("invisible", ["\u200e", "\u200f", "\u061c", "\u00ad", "\u2063", "\u180e"])
def test_ningun_caracter_de_formato_invisible_llega_a_un_texto_sri(invisible: str) -> None:
    """Marks of direction, a soft hyphen, invisible separators: every format character
    (Unicode category Cf) is refused, not only the listed ones."""
    with pytest.raises(ValorInvalido) as error:
        MotivoModificacion(f"Devoluci{invisible}ón")
    assert error.value.reglas == ("MotivoModificacionValido",)
