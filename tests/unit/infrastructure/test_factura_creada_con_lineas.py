"""FacturaCreada carries the lines a factura was created with; events stored before it
did (no "lineas", no "descuento_global") still decode, to a draft without lines."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from prometeo.domain.events.factura import (
    DatosComprador,
    DatosDescuento,
    DatosLinea,
    FacturaCreada,
)
from prometeo.infrastructure.serializacion import CodecEventos

CODEC = CodecEventos()


def _creada(**extra: object) -> FacturaCreada:
    return FacturaCreada(
        factura_id="f1",
        punto_emision_id="p1",
        sucursal_id="s1",
        bodega_id="b1",
        cliente_id=None,
        comprador=DatosComprador("07", "9999999999999", "CONSUMIDOR FINAL"),
        fecha_emision=date(2026, 1, 2),
        **extra,  # type: ignore[arg-type]
    )


def test_las_lineas_y_el_descuento_van_y_vuelven_exactos() -> None:
    evento = _creada(
        lineas=(
            DatosLinea(
                1, "p", "CAFE", "Café", Decimal("3.000"), Decimal("4.125"), Decimal("0.50"), "4"
            ),
            DatosLinea(2, "q", "TE", "Té", Decimal("1"), Decimal("2.50"), Decimal("0.00"), "0"),
        ),
        descuento_global=DatosDescuento("PORCENTAJE", Decimal("7.5")),
    )
    tipo, version, datos = CODEC.codificar(evento)
    decodificado = CODEC.decodificar(tipo, version, datos)
    assert decodificado == evento
    assert isinstance(decodificado, FacturaCreada)
    assert decodificado.lineas[0].precio_unitario == Decimal("4.125")
    assert str(decodificado.lineas[0].cantidad) == "3.000"


def test_un_evento_anterior_sin_lineas_se_lee_como_borrador_vacio() -> None:
    tipo, version, datos = CODEC.codificar(_creada())
    antiguo = json.loads(datos)
    del antiguo["lineas"], antiguo["descuento_global"]
    decodificado = CODEC.decodificar(tipo, version, json.dumps(antiguo))
    assert decodificado == _creada()
    assert isinstance(decodificado, FacturaCreada)
    assert decodificado.lineas == ()
    assert decodificado.descuento_global is None
