"""The worked example of the foundation issue, which must hold to the cent."""

from __future__ import annotations

from decimal import Decimal

import pytest
from negocio import Negocio

from prometeo.domain.errores import ReglasIncumplidas
from prometeo.domain.events.inventario import StockIncrementado


def test_factura_fifo_y_notas_de_credito_del_ejemplo(negocio: Negocio) -> None:
    negocio.ingresar("p", "5", "2.00")
    negocio.ingresar("p", "5", "3.00")
    factura = negocio.borrador([("p", "7", "8.00")], tarifa="4")

    emitida = negocio.emitir(factura)

    assert emitida.numero == "001-001-000000001"
    assert emitida.lineas[0].costo == Decimal("16.00")
    assert [(c.cantidad, c.costo) for c in emitida.lineas[0].consumos] == [
        (Decimal(5), Decimal("10.00")),
        (Decimal(2), Decimal("6.00")),
    ]
    inventario = negocio.inventario("p")
    assert inventario.stock == Decimal(3)
    assert inventario.valor == Decimal("9.00")
    assert emitida.subtotal_sin_impuestos == Decimal("56.00")
    assert emitida.iva == Decimal("8.40")
    assert emitida.importe_total == Decimal("64.40")

    negocio.nota(factura, [("p", "4")])

    devuelto = inventario.eventos_pendientes[-1]
    assert isinstance(devuelto, StockIncrementado)
    (lote,) = devuelto.lotes
    assert lote.cantidad == Decimal(4)
    assert lote.costo_unitario == Decimal("2.285714")
    assert lote.costo == Decimal("9.14")
    assert inventario.stock == Decimal(7)

    with pytest.raises(ReglasIncumplidas) as rechazo:
        negocio.nota(factura, [("p", "4")])
    assert rechazo.value.reglas == ("LineasValidasContraFactura",)

    tercera = negocio.nota(factura, [("p", "3")])
    assert tercera.numero == "001-001-000000002"
    assert factura.linea(1).cantidad_acreditada == Decimal(7)
    assert factura.linea(1).valor_acreditado == Decimal("56.00")
