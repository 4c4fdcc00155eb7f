"""ServicioNotasCredito: credits against an emitted factura, with or without devolución."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from escenario import BODEGA, CAFE, HOY, PAN, PUNTO, Escenario, reglas

from prometeo.application.comandos import (
    AnularFactura,
    CrearFactura,
    EmitirNotaCredito,
    LineaFacturaCmd,
    LineaNotaCreditoCmd,
)
from prometeo.application.config import Configuracion
from prometeo.domain.aggregates.nota_credito import EstadoNotaCredito
from prometeo.domain.errores import (
    Duplicado,
    NoEncontrado,
    OperacionNoPermitida,
    ReglasIncumplidas,
    ValorInvalido,
)
from prometeo.domain.reloj import RelojFijo


@pytest.fixture
def vendida(tienda: Escenario) -> str:
    """A factura of 3 cafés at 10.00 + IVA 15 % (34.50), taken from a lot at 4.00."""
    tienda.ingresar(CAFE, "10", "4.00")
    return tienda.vender((CAFE, "3")).id


def nota(
    factura_id: str, *lineas: LineaNotaCreditoCmd, devolucion: bool = True
) -> EmitirNotaCredito:
    return EmitirNotaCredito(factura_id, "Devolución del cliente", devolucion, lineas)


def unidades(cantidad: str, producto: str = CAFE) -> LineaNotaCreditoCmd:
    return LineaNotaCreditoCmd(producto, cantidad=cantidad)


def test_con_devolucion_la_mercaderia_vuelve_en_una_transaccion(
    tienda: Escenario, vendida: str
) -> None:
    emitida = tienda.notas.emitir_nota_credito(nota(vendida, unidades("1")))

    assert emitida.numero == "001-001-000000001"  # its own sequence, apart from facturas
    guardada = tienda.nota(emitida.id)
    assert guardada.estado is EstadoNotaCredito.EMITIDA
    assert guardada.valor_modificacion == Decimal("11.50")
    assert guardada.fecha_emision == HOY
    assert tienda.tipos() == [
        "CreditoAplicado",
        "StockIncrementado",
        "NotaCreditoCreada",
        "NotaCreditoEmitida",
        "SecuencialAsignado",
    ]
    assert tienda.stock(CAFE) == 8
    devuelto = tienda.inventario(CAFE).lotes[-1]
    assert (devuelto.cantidad_inicial, devuelto.costo_unitario) == (Decimal(1), Decimal("4.00"))
    assert tienda.factura(vendida).notas_credito == [emitida.id]


def test_sin_devolucion_no_mueve_stock(tienda: Escenario, vendida: str) -> None:
    version = tienda.inventario(CAFE).version

    tienda.notas.emitir_nota_credito(nota(vendida, unidades("3"), devolucion=False))

    assert tienda.inventario(CAFE).version == version
    assert tienda.stock(CAFE) == 7
    assert "StockIncrementado" not in tienda.tipos()


def test_una_linea_por_valor_ajusta_el_precio(tienda: Escenario, vendida: str) -> None:
    linea = LineaNotaCreditoCmd(CAFE, valor="5.00")
    emitida = tienda.notas.emitir_nota_credito(nota(vendida, linea, devolucion=False))

    assert tienda.nota(emitida.id).valor_modificacion == Decimal("5.75")


@pytest.mark.parametrize(
    ("lineas", "devolucion", "regla"),
    [
        ((unidades("4"),), True, "LineasValidasContraFactura"),
        ((unidades("1", PAN),), False, "LineasValidasContraFactura"),
        ((LineaNotaCreditoCmd(CAFE, valor="1.00"),), True, "LineaValorSinDevolucion"),
        ((), True, "NotaCreditoTieneLineas"),
    ],
)
def test_reglas_incumplidas_no_guardan_nada(
    tienda: Escenario,
    vendida: str,
    lineas: tuple[LineaNotaCreditoCmd, ...],
    devolucion: bool,
    regla: str,
) -> None:
    antes = len(tienda.almacen.transacciones)

    with pytest.raises(ReglasIncumplidas) as error:
        tienda.notas.emitir_nota_credito(nota(vendida, *lineas, devolucion=devolucion))

    assert regla in reglas(error.value)
    assert len(tienda.almacen.transacciones) == antes
    assert tienda.factura(vendida).notas_credito == []


def test_todas_las_notas_juntas_no_exceden_lo_facturado(tienda: Escenario, vendida: str) -> None:
    tienda.notas.emitir_nota_credito(nota(vendida, unidades("2")))

    with pytest.raises(ReglasIncumplidas) as error:
        tienda.notas.emitir_nota_credito(nota(vendida, unidades("2")))

    assert reglas(error.value) == {"LineasValidasContraFactura"}
    segunda = tienda.notas.emitir_nota_credito(nota(vendida, unidades("1")))
    assert segunda.numero == "001-001-000000002"


def test_revisar_dice_lo_que_acreditaria_sin_guardar_nada(tienda: Escenario, vendida: str) -> None:
    antes = len(tienda.almacen.transacciones)

    prevista = tienda.notas.revisar_nota_credito(nota(vendida, unidades("1")))

    assert [(ln.producto_id, ln.cantidad, ln.valor, ln.iva) for ln in prevista.lineas] == [
        (CAFE, Decimal(1), Decimal("10.00"), Decimal("1.50"))
    ]
    assert (prevista.subtotal_sin_impuestos, prevista.iva, prevista.valor_modificacion) == (
        Decimal("10.00"),
        Decimal("1.50"),
        Decimal("11.50"),
    )
    assert len(tienda.almacen.transacciones) == antes
    assert tienda.stock(CAFE) == 7
    # What emitting it then does is what was foreseen, and the dry run keeps the cap.
    emitida = tienda.notas.emitir_nota_credito(nota(vendida, unidades("1")))
    assert tienda.nota(emitida.id).valor_modificacion == prevista.valor_modificacion
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.notas.revisar_nota_credito(nota(vendida, unidades("3")))
    assert reglas(error.value) == {"LineasValidasContraFactura"}


def test_una_linea_con_cantidad_y_valor_se_rechaza(tienda: Escenario, vendida: str) -> None:
    linea = LineaNotaCreditoCmd(CAFE, cantidad="1", valor="1.00")

    with pytest.raises(ValorInvalido) as error:
        tienda.notas.emitir_nota_credito(nota(vendida, linea))

    assert reglas(error.value) == {"LineaNotaCreditoValida"}


def test_factura_desconocida_o_en_borrador(tienda: Escenario) -> None:
    with pytest.raises(NoEncontrado):
        tienda.notas.emitir_nota_credito(nota("no-existe", unidades("1")))

    factura_id = tienda.facturas.crear_factura(
        CrearFactura(PUNTO, BODEGA, (LineaFacturaCmd(CAFE, "1"),), borrador=True)
    ).id
    with pytest.raises(ReglasIncumplidas) as error:
        tienda.notas.emitir_nota_credito(nota(factura_id, unidades("1")))

    assert "FacturaEmitidaParaNotaCredito" in reglas(error.value)


def test_el_plazo_viene_de_la_configuracion(tienda: Escenario, vendida: str) -> None:
    tarde = replace(nota(vendida, unidades("1")), fecha_emision=HOY + timedelta(days=11))
    tienda.reloj = RelojFijo(HOY + timedelta(days=11))
    tienda.config = Configuracion(plazo_nota_credito_dias=10, espera_maxima_segundos=0)

    with pytest.raises(ReglasIncumplidas) as error:
        tienda.notas.emitir_nota_credito(tarde)

    assert reglas(error.value) == {"PlazoNotaCreditoValido"}
    tienda.config = Configuracion(espera_maxima_segundos=0)
    emitida = tienda.notas.emitir_nota_credito(tarde)
    assert tienda.nota(emitida.id).fecha_emision == HOY + timedelta(days=11)


def test_una_factura_con_notas_no_se_anula(tienda: Escenario, vendida: str) -> None:
    tienda.notas.emitir_nota_credito(nota(vendida, unidades("1"), devolucion=False))

    with pytest.raises(OperacionNoPermitida) as error:
        tienda.facturas.anular_factura(AnularFactura(vendida, "Error"))

    assert reglas(error.value) == {"FacturaSinNotasCredito"}


def test_el_id_elegido_no_se_repite(tienda: Escenario, vendida: str) -> None:
    elegida = replace(nota(vendida, unidades("1")), nota_credito_id="NC-1")
    assert tienda.notas.emitir_nota_credito(elegida).id == "NC-1"

    with pytest.raises(Duplicado) as error:
        tienda.notas.emitir_nota_credito(elegida)

    assert error.value.regla == "NotaCreditoUnica"
    assert tienda.stock(CAFE) == 8
