"""NotaCredito: every rule against its factura and all of its earlier notas."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from negocio import HOY, Negocio, unidades, valor

from prometeo.domain.aggregates.factura import Factura
from prometeo.domain.aggregates.nota_credito import EstadoNotaCredito, NotaCredito
from prometeo.domain.errores import OperacionNoPermitida, ReglasIncumplidas, ValorInvalido
from prometeo.domain.events.comprobante import DatosComprador, DatosEstablecimiento
from prometeo.domain.events.inventario import StockIncrementado
from prometeo.domain.reloj import RelojFijo
from prometeo.domain.services.acreditacion import SolicitudLineaCredito
from prometeo.domain.services.emision import anular_factura
from prometeo.domain.specifications.nota_credito import (
    ContextoNotaCredito,
    PlazoNotaCreditoValido,
)
from prometeo.domain.value_objects.dinero import Cantidad, Dinero
from prometeo.domain.value_objects.motivo import MotivoModificacion
from prometeo.domain.value_objects.numero_comprobante import NumeroComprobante


def emitida(negocio: Negocio, lineas: list[tuple[str, str, str]], tarifa: str = "4") -> Factura:
    for producto, cantidad, _ in lineas:
        negocio.ingresar(producto, cantidad, "1.00")
    factura = negocio.borrador(lineas, tarifa=tarifa)
    negocio.emitir(factura)
    return factura


def reglas(excinfo: pytest.ExceptionInfo[ReglasIncumplidas]) -> set[str]:
    return set(excinfo.value.reglas)


def test_nota_por_cantidad_devuelve_y_calcula_totales(negocio: Negocio) -> None:
    factura = emitida(negocio, [("a", "3", "10.00")])
    nota = negocio.nota(factura, [("a", "1")])
    assert nota.estado is EstadoNotaCredito.EMITIDA
    assert nota.numero == "001-001-000000001"
    assert nota.factura_id == factura.id
    assert nota.valor_modificacion == Decimal("11.50")
    assert nota.stream_id == f"nota_credito-{nota.id}"
    assert negocio.inventario("a").stock == Decimal(1)


def test_nota_sin_devolucion_no_mueve_stock(negocio: Negocio) -> None:
    factura = emitida(negocio, [("a", "3", "10.00")])
    version = negocio.inventario("a").version
    negocio.nota(factura, [("a", "3")], devolucion=False)
    assert negocio.inventario("a").version == version
    assert negocio.inventario("a").stock == Decimal(0)


def test_nota_por_valor_no_consume_cantidad(negocio: Negocio) -> None:
    factura = emitida(negocio, [("a", "2", "10.00")])
    nota = negocio.nota(factura, [valor("a", "5.00")], devolucion=False)
    assert nota.lineas[0].cantidad == Decimal(0)
    assert nota.valor_modificacion == Decimal("5.75")
    # Value credited: 5.00 of 20.00; all units remain returnable only while value lasts.
    negocio.nota(factura, [("a", "1")])
    assert factura.linea(1).cantidad_acreditada == Decimal(1)
    assert factura.linea(1).valor_acreditado == Decimal("15.00")
    with pytest.raises(ReglasIncumplidas) as error:
        negocio.nota(factura, [valor("a", "5.01")], devolucion=False)
    assert reglas(error) == {"LineasValidasContraFactura"}
    negocio.nota(factura, [valor("a", "5.00")], devolucion=False)
    assert factura.linea(1).valor_acreditado == Decimal("20.00")


def test_linea_por_valor_no_admite_devolucion(negocio: Negocio) -> None:
    factura = emitida(negocio, [("a", "2", "10.00")])
    with pytest.raises(ReglasIncumplidas) as error:
        negocio.nota(factura, [valor("a", "1.00")], devolucion=True)
    assert reglas(error) == {"LineaValorSinDevolucion"}


def test_producto_ajeno_a_la_factura(negocio: Negocio) -> None:
    factura = emitida(negocio, [("a", "2", "10.00")])
    negocio.ingresar("b", "1", "1.00")
    with pytest.raises(ReglasIncumplidas) as error:
        negocio.nota(factura, [("b", "1")])
    assert reglas(error) == {"LineasValidasContraFactura"}
    assert "pide un producto que no consta en la factura" in error.value.errores[0].mensaje


def test_producto_en_varias_lineas_se_reparte_en_orden(negocio: Negocio) -> None:
    negocio.ingresar("a", "5", "1.00")
    factura = negocio.borrador([("a", "2", "10.00"), ("a", "3", "8.00")])
    negocio.emitir(factura)
    nota = negocio.nota(factura, [("a", "4")])
    assert [(ln.numero_linea_factura, ln.cantidad, ln.valor) for ln in nota.lineas] == [
        (1, Decimal(2), Decimal("20.00")),
        (2, Decimal(2), Decimal("16.00")),
    ]
    with pytest.raises(ReglasIncumplidas):
        negocio.nota(factura, [("a", "1"), ("a", "1")])
    negocio.nota(factura, [("a", "1")])
    assert factura.linea(2).valor_acreditado == Decimal("24.00")


def test_creditos_por_cantidad_suman_exacto_el_valor_de_la_linea(negocio: Negocio) -> None:
    negocio.ingresar("a", "3", "1.00")
    factura = negocio.borrador([("a", "3", "0.666667")], tarifa="0")
    negocio.emitir(factura)
    assert factura.linea(1).base_imponible == Decimal("2.00")
    valores = [negocio.nota(factura, [("a", "1")]).lineas[0].valor for _ in range(3)]
    assert valores == [Decimal("0.67"), Decimal("0.66"), Decimal("0.67")]
    assert factura.linea(1).valor_acreditado == Decimal("2.00")


def test_nota_de_factura_no_emitida_o_anulada(negocio: Negocio) -> None:
    negocio.ingresar("a", "5", "1.00")
    borrador = negocio.borrador([("a", "1", "10.00")])
    with pytest.raises(ReglasIncumplidas) as error:
        negocio.nota(borrador, [("a", "1")])
    assert "FacturaEmitidaParaNotaCredito" in reglas(error)
    factura = negocio.borrador([("a", "1", "10.00")])
    negocio.emitir(factura)
    anular_factura(factura, negocio.inventarios, MotivoModificacion("x"), negocio.reloj)
    with pytest.raises(ReglasIncumplidas) as error:
        negocio.nota(factura, [("a", "1")])
    assert "FacturaEmitidaParaNotaCredito" in reglas(error)


def test_fechas_y_plazo_de_la_nota(negocio: Negocio) -> None:
    factura = emitida(negocio, [("a", "5", "10.00")])
    with pytest.raises(ReglasIncumplidas) as error:
        negocio.nota(factura, [("a", "1")], fecha_emision=HOY - timedelta(days=1))
    assert reglas(error) == {"FechaEmisionValida", "FechaEmisionPosteriorFactura"}
    negocio.reloj = RelojFijo(HOY + timedelta(days=31))
    with pytest.raises(ReglasIncumplidas) as error:
        negocio.nota(factura, [("a", "1")], plazo_dias=30)
    assert reglas(error) == {"PlazoNotaCreditoValido"}
    negocio.reloj = RelojFijo(HOY + timedelta(days=30))
    nota = negocio.nota(factura, [("a", "1")], plazo_dias=30)
    assert nota.fecha_emision == HOY + timedelta(days=30)
    negocio.reloj = RelojFijo(HOY + timedelta(days=366))
    with pytest.raises(ReglasIncumplidas) as error:
        negocio.nota(factura, [("a", "1")])
    assert reglas(error) == {"PlazoNotaCreditoValido"}


def test_sin_lineas_reporta_la_regla(negocio: Negocio) -> None:
    factura = emitida(negocio, [("a", "5", "10.00")])
    with pytest.raises(ReglasIncumplidas) as error:
        negocio.nota(factura, [])
    assert reglas(error) == {"NotaCreditoTieneLineas"}


def test_devolucion_necesita_inventario_en_la_bodega(negocio: Negocio) -> None:
    factura = emitida(negocio, [("a", "5", "10.00")])
    negocio.inventarios.pop("a")
    with pytest.raises(ReglasIncumplidas) as error:
        negocio.nota(factura, [("a", "1")])
    assert reglas(error) == {"InventarioExisteParaNotaCredito"}
    # Named as people know them: the product's code, the bodega as the factura's.
    codigo = factura.lineas[0].codigo
    assert f"la bodega de la factura {factura.numero} para: {codigo}" in str(error.value)
    assert factura.bodega_id not in str(error.value)


def test_devolucion_crea_lote_al_costo_promedio_de_la_linea(negocio: Negocio) -> None:
    negocio.ingresar("a", "1", "1.00")
    negocio.ingresar("a", "2", "2.50")
    factura = negocio.borrador([("a", "3", "9.00")])
    negocio.emitir(factura)
    negocio.nota(factura, [("a", "2")])
    evento = negocio.inventario("a").eventos_pendientes[-1]
    assert isinstance(evento, StockIncrementado)
    assert evento.motivo == "DEVOLUCION"
    assert evento.lotes[0].costo_unitario == Decimal("2.000000")
    assert evento.lotes[0].costo == Decimal("4.00")


def test_solicitud_con_cantidad_y_valor_a_la_vez() -> None:
    with pytest.raises(ValorInvalido):
        SolicitudLineaCredito("a", cantidad=Cantidad(1), valor=Dinero(1))
    with pytest.raises(ValorInvalido):
        SolicitudLineaCredito("a")
    with pytest.raises(ValorInvalido):
        SolicitudLineaCredito("a", valor=Dinero(0))
    assert unidades("a", "2").pedido == Decimal(2)


def test_nota_directa_sin_lineas_o_emitida_dos_veces() -> None:
    comprador = DatosComprador("05", "0602910945", "María")
    argumentos = dict(
        factura_id="f",
        numero_factura="001-001-000000001",
        fecha_emision_factura=HOY,
        punto_emision_id="p",
        sucursal_id="s",
        bodega_id="b",
        comprador=comprador,
        motivo=MotivoModificacion("x"),
        fecha_emision=HOY,
        devolucion_inventario=False,
    )
    with pytest.raises(ValorInvalido):
        NotaCredito.crear("n", lineas=(), **argumentos)  # type: ignore[arg-type]


def test_nota_reconstruida_igual_a_la_viva(negocio: Negocio) -> None:
    factura = emitida(negocio, [("a", "5", "10.00"), ("b", "2", "3.00")])
    nota = negocio.nota(factura, [("a", "2"), ("b", "1")])
    with pytest.raises(OperacionNoPermitida):
        nota.emitir(
            NumeroComprobante("001", "001", 9),
            emisor=negocio.emisor,
            establecimiento=DatosEstablecimiento("001", None, "001"),
        )
    eventos = nota.recolectar_eventos()
    assert [e.tipo for e in eventos] == ["NotaCreditoCreada", "NotaCreditoEmitida"]
    assert NotaCredito.reconstruir(nota.id, eventos) == nota


def test_plazo_no_desborda_con_fechas_extremas() -> None:
    factura = Factura("f")
    factura.fecha_emision = date(9999, 12, 1)
    contexto = ContextoNotaCredito(
        factura=factura,
        solicitudes=(),
        devolucion_inventario=False,
        fecha_emision=date(9999, 12, 31),
        hoy=date(9999, 12, 31),
    )
    assert PlazoNotaCreditoValido().is_satisfied_by(contexto)
