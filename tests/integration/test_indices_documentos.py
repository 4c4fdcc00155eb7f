"""The screens' document lookups go through an index (migration 0019), on SQLite: a
factura by number or by its buyer's identification, a punto's parked drafts, a nota by
number. The plan SQLite chooses for the very statement the read runs, never a time."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from apoyo_proyecciones import CLIENTE, abrir, sembrar
from test_indice_busqueda import _sentencias

from prometeo.application.comandos import (
    CrearFactura,
    EmitirNotaCredito,
    LineaFacturaCmd,
    LineaNotaCreditoCmd,
    RegistrarIngreso,
)
from prometeo.application.consultas import BusquedaFacturas
from prometeo.bootstrap import Aplicacion


def _plan(aplicacion: Aplicacion, tabla: str, leer: Callable[[], object]) -> list[str]:
    """SQLite's plan for the statement `leer` runs on `tabla`."""
    engine = aplicacion.engine
    with _sentencias(engine) as vistas:
        leer()
    sentencia, parametros = next(v for v in vistas if f"FROM {tabla}" in v[0])
    with engine.connect() as conexion:
        return [
            f[3] for f in conexion.exec_driver_sql("EXPLAIN QUERY PLAN " + sentencia, parametros)
        ]


@pytest.mark.parametrize("url_base", ["sqlite"], indirect=True)
def test_los_documentos_se_buscan_por_indice(url_base: str) -> None:
    aplicacion = abrir(url_base)
    try:
        sembrar(aplicacion)
        aplicacion.inventario.registrar_ingreso(
            RegistrarIngreso("CAFE", "B1", 20, "4.00", None, "FC-1", "L1")
        )
        fac = aplicacion.facturas
        emitida = fac.crear_factura(
            CrearFactura("P1", "B1", (LineaFacturaCmd("CAFE", 2),), cliente_id=CLIENTE)
        )
        fac.crear_factura(CrearFactura("P1", "B1", (LineaFacturaCmd("CAFE", 1),), borrador=True))
        nota = aplicacion.notas_credito.emitir_nota_credito(
            EmitirNotaCredito(emitida.id, "Devolución", True, (LineaNotaCreditoCmd("CAFE", 1),))
        )
        consultas = aplicacion.consultas
        assert emitida.numero is not None
        assert nota.numero is not None
        planes = {
            "ix_vista_facturas_numero": _plan(
                aplicacion,
                "vista_facturas",
                lambda: consultas.buscar_facturas(BusquedaFacturas(numero=emitida.numero)),
            ),
            "ix_vista_facturas_identificacion": _plan(
                aplicacion,
                "vista_facturas",
                lambda: consultas.buscar_facturas(BusquedaFacturas(cliente="0602910945")),
            ),
            "ix_vista_facturas_punto_emision_id_estado": _plan(
                aplicacion,
                "vista_facturas",
                lambda: consultas.facturas(estado="BORRADOR", punto_emision_id="P1"),
            ),
            "ix_vista_notas_credito_numero": _plan(
                aplicacion,
                "vista_notas_credito",
                lambda: consultas.comprobante_numerado("04", nota.numero),
            ),
        }
        for indice, plan in planes.items():
            assert any(f"USING INDEX {indice} " in paso for paso in plan), (indice, plan)
            assert not [p for p in plan if p.startswith("SCAN vista_")], (indice, plan)
    finally:
        aplicacion.cerrar()
