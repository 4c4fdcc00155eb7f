"""A Factura in BORRADOR changed as a cajero changes it: each change is an event, its
replay gives the same factura, and the draft rules hold after it (or it is refused)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from negocio import CLIENTE, Negocio

from prometeo.domain.aggregates.factura import EstadoFactura, Factura
from prometeo.domain.errores import OperacionNoPermitida, ReglasIncumplidas, ValorInvalido
from prometeo.domain.specifications.factura import exigir_borrador_valido
from prometeo.domain.value_objects.comprador import Comprador
from prometeo.domain.value_objects.dinero import Cantidad, Dinero, Precio
from prometeo.domain.value_objects.forma_pago import FormaPago, Pago
from prometeo.domain.value_objects.tarifa_iva import TarifaIva


def _replay(factura: Factura) -> Factura:
    return Factura.reconstruir(factura.id, factura.eventos_pendientes)


def test_cada_cambio_del_borrador_se_repite_igual_desde_sus_eventos(negocio: Negocio) -> None:
    factura = negocio.borrador(
        [("a", "1", "1.00"), ("b", "2", "2.00"), ("c", "3", "3.00")],
        comprador=Comprador.consumidor_final(),
    )
    factura.eliminar_linea(2)
    factura.asignar_cliente("cliente-1", CLIENTE)
    factura.definir_propina(Dinero("0.50"))
    factura.definir_pagos((Pago(FormaPago.de_codigo("19"), Dinero("12.57")),))
    assert [(ln.numero_linea, ln.producto_id) for ln in factura.lineas] == [(1, "a"), (2, "c")]
    assert (factura.cliente_id, factura.comprador) == ("cliente-1", CLIENTE)
    # 1.00 + 9.00 = 10.00, IVA 15 % 1.50 and propina 0.50: 12.00, not the 12.57 the pagos
    # say. The aggregate records the change; the draft rules judge the draft it leaves.
    with pytest.raises(ReglasIncumplidas) as error:
        exigir_borrador_valido(factura)
    assert error.value.reglas == ("PagosCuadranConTotal",)
    factura.definir_pagos((Pago(FormaPago.de_codigo("19"), Dinero("12.00")),))
    exigir_borrador_valido(factura)
    assert _replay(factura) == factura


def test_descartar_deja_la_factura_sin_cambios_posibles(negocio: Negocio) -> None:
    factura = negocio.borrador([("a", "1", "1.00")])
    factura.descartar()
    assert factura.estado is EstadoFactura.DESCARTADA
    assert _replay(factura) == factura
    for cambio in (
        lambda: factura.eliminar_linea(1),
        lambda: factura.definir_propina(Dinero("0")),
        lambda: factura.definir_pagos(()),
        lambda: factura.asignar_cliente(None, Comprador.consumidor_final()),
        factura.descartar,
    ):
        with pytest.raises(OperacionNoPermitida) as error:
            cambio()
        assert error.value.reglas == ("FacturaBorrador",)


@pytest.mark.parametrize("numero", [0, 2, -1])
def test_no_se_quita_una_linea_que_no_existe(negocio: Negocio, numero: int) -> None:
    factura = negocio.borrador([("a", "1", "1.00")])
    with pytest.raises(ValorInvalido) as error:
        factura.eliminar_linea(numero)
    assert error.value.reglas == ("LineaExistente",)
    assert len(factura.eventos_pendientes) == 2


def test_la_propina_no_es_negativa(negocio: Negocio) -> None:
    factura = negocio.borrador([("a", "1", "1.00")])
    with pytest.raises(ValorInvalido) as error:
        factura.definir_propina(Dinero("-0.01"))
    assert error.value.reglas == ("PropinaValida",)
    assert factura.propina == Decimal("0.00")


def test_quitar_la_ultima_linea_y_volver_a_agregar_numera_desde_uno(negocio: Negocio) -> None:
    factura = negocio.borrador([("a", "1", "1.00")])
    factura.eliminar_linea(1)
    assert factura.lineas == []
    exigir_borrador_valido(factura)  # an empty draft breaks no draft rule
    numero = factura.agregar_linea(
        producto_id="b",
        codigo="B",
        descripcion="Producto b",
        cantidad=Cantidad("1"),
        precio_unitario=Precio("2.00"),
        tarifa_iva=TarifaIva.de_codigo("0"),
    )
    assert numero == 1
    assert [(ln.numero_linea, ln.producto_id) for ln in factura.lineas] == [(1, "b")]
    assert _replay(factura) == factura
