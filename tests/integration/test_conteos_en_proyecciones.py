"""Physical counts, expired lots and their write-off in the read models (stock, lots,
kardex, por vencer) on every backend: what the commands leave equals a rebuild from the
log and the aggregates loaded from the event store."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from apoyo_proyecciones import CLIENTE, HOY, abrir, al_dia, inventarios, sembrar, volcar

from bases_de_datos import todos_los_backends
from prometeo.application.comandos import (
    CrearFactura,
    DarDeBaja,
    LineaConteoCmd,
    LineaFacturaCmd,
    RegistrarConteo,
    RegistrarIngreso,
)
from prometeo.application.consultas import MovimientoKardex
from prometeo.bootstrap import Aplicacion
from prometeo.domain.errores import ReglasIncumplidas
from prometeo.infrastructure.proyecciones import reconstruir

MANANA = HOY + timedelta(days=1)


def _fila(m: MovimientoKardex) -> str:
    lote = m.lote_id if m.lote_id.startswith("L") else "*"  # ids the domain drew
    valores = (m.cantidad, m.costo_unitario, m.costo_total, m.saldo_cantidad, m.saldo_valor)
    return "|".join([str(m.fecha.day), m.tipo, m.motivo, m.documento, lote, *map(str, valores)])


def _contar(aplicacion: Aplicacion, *lineas: tuple[str, str], **kwargs: object) -> list[str]:
    conteo = aplicacion.inventario.registrar_conteo(
        RegistrarConteo(
            "B1",
            "CONTEO-1",
            tuple(LineaConteoCmd(p, c) for p, c in lineas),
            **kwargs,  # type: ignore[arg-type]
        )
    )
    return [f"{a.producto_codigo}:{a.esperada}:{a.diferencia}" for a in conteo.ajustes]


def primer_dia(url: str) -> None:
    """Café in two lots (the first expires today), pan and té; a count finds café short
    and pan over."""
    aplicacion = abrir(url)
    try:
        sembrar(aplicacion)
        inv = aplicacion.inventario
        inv.registrar_ingreso(RegistrarIngreso("CAFE", "B1", 5, "2.00", HOY, "FC-1", "L1"))
        inv.registrar_ingreso(RegistrarIngreso("CAFE", "B1", 10, "3.00", None, "FC-2", "L2"))
        inv.registrar_ingreso(RegistrarIngreso("PAN", "B1", 20, "0.50", None, "FC-3", "L3"))
        inv.registrar_ingreso(RegistrarIngreso("TE", "B1", 2, "1.00", HOY, "FC-4", "L4"))
        caducidad = MANANA + timedelta(days=10)
        inv.registrar_ingreso(RegistrarIngreso("TE", "B1", 1, "1.20", caducidad, "FC-5", "L5"))
        (te,) = aplicacion.consultas.stock("TE", "B1")
        assert (te.cantidad, te.bajo_minimo) == (3, False)  # minimum 1.5, nothing expired
        # Answered in the order counted (posted in sorted order).
        assert _contar(aplicacion, ("PAN", "22"), ("CAFE", "13")) == [
            "PAN:20:2",
            "CAF:15:-2",
        ]
    finally:
        aplicacion.cerrar()


@todos_los_backends
def test_conteos_caducidad_y_bajas_en_los_modelos_de_lectura(url_base: str) -> None:
    primer_dia(url_base)
    aplicacion = abrir(url_base, MANANA)
    try:
        consultas = aplicacion.consultas
        # L1 expired yesterday: the sale takes L2, then L1 is written off.
        aplicacion.facturas.crear_factura(
            CrearFactura(
                "P1", "B1", (LineaFacturaCmd("CAFE", 4),), cliente_id=CLIENTE, factura_id="F1"
            )
        )
        aplicacion.inventario.dar_de_baja(DarDeBaja("CAFE", "B1", "L1", "Caducado"))
        kardex = [_fila(m) for m in consultas.kardex("CAFE", "B1")]
        assert kardex == [
            "29|ENTRADA|INGRESO|FC-1|L1|5|2.00|10.00|5|10.00",
            "29|ENTRADA|INGRESO|FC-2|L2|10|3.00|30.00|15|40.00",
            "29|AJUSTE|FALTANTE|CONTEO-1|L1|2|2.00|4.00|13|36.00",
            "30|SALIDA|VENTA|FACTURA 001-001-000000001|L2|4|3.00|12.00|9|24.00",
            "30|BAJA|VENCIDO|Caducado|L1|3|2.00|6.00|6|18.00",
        ]
        (sobrante,) = [m for m in consultas.kardex("PAN", "B1") if m.tipo == "AJUSTE"]
        assert _fila(sobrante) == "29|AJUSTE|SOBRANTE|CONTEO-1|*|2|0.500000|1.00|22|11.00"
        por_vencer = [
            (v.lote_id, v.producto_codigo, v.producto_nombre, v.dias_para_vencer, v.vencido)
            for v in consultas.por_vencer(30)
        ]
        assert por_vencer == [("L4", "TE", "TE", -1, True), ("L5", "TE", "TE", 10, False)]
        assert [v.lote_id for v in consultas.por_vencer(5, "B1")] == ["L4"]
        assert consultas.por_vencer(30, "B2") == []
        # Tomorrow 2 of té's 3 units are expired: 1 for sale, below its minimum of 1.5.
        (te,) = consultas.stock("TE", "B1")
        assert (te.cantidad, te.bajo_minimo) == (3, True)
        assert [v.lote_id for v in consultas.por_vencer(30, limite=1, desplazamiento=1)] == ["L5"]
        _comparar_con_el_dominio(aplicacion)
        al_dia(aplicacion)
        antes = volcar(aplicacion.engine)
        reconstruir(aplicacion.engine, lote=2)
        assert volcar(aplicacion.engine) == antes
        reconstruir(aplicacion.engine)
        assert volcar(aplicacion.engine) == antes
    finally:
        aplicacion.cerrar()


@todos_los_backends
def test_lo_que_se_movio_mientras_se_contaba(url_base: str) -> None:
    primer_dia(url_base)
    aplicacion = abrir(url_base, MANANA)
    try:
        # Events are compared at whole seconds: start the count in a later second.
        time.sleep(1.05)
        contado_en = datetime.now(UTC)
        time.sleep(1.05)
        aplicacion.facturas.crear_factura(
            CrearFactura("P1", "B1", (LineaFacturaCmd("CAFE", 4),), cliente_id=CLIENTE)
        )
        al_dia(aplicacion)
        antes = volcar(aplicacion.engine)
        with pytest.raises(ReglasIncumplidas) as error:
            _contar(aplicacion, ("CAFE", "9"), ("PAN", "22"), contado_en=contado_en)
        assert error.value.reglas == ("ConteoSinMovimientos",)
        assert volcar(aplicacion.engine) == antes

        # 12 counted where the stock said 13 when the count began: one short, taken now.
        ajustes = _contar(
            aplicacion, ("CAFE", "12"), contado_en=contado_en, usar_stock_al_contar=True
        )
        assert ajustes == ["CAF:13:-1"]
        assert consultas_stock(aplicacion, "CAFE") == Decimal(8)
        _comparar_con_el_dominio(aplicacion)
        al_dia(aplicacion)
        antes = volcar(aplicacion.engine)
        reconstruir(aplicacion.engine)
        assert volcar(aplicacion.engine) == antes
    finally:
        aplicacion.cerrar()


def consultas_stock(aplicacion: Aplicacion, producto: str) -> Decimal:
    (stock,) = aplicacion.consultas.stock(producto, "B1")
    return stock.cantidad


def _comparar_con_el_dominio(aplicacion: Aplicacion) -> None:
    consultas = aplicacion.consultas
    for inventario in inventarios(aplicacion):
        producto, bodega = inventario.producto_id, inventario.bodega_id
        (stock,) = consultas.stock(producto, bodega)
        assert (stock.cantidad, stock.valor) == (inventario.stock, inventario.valor)
        assert [
            (lt.lote_id, lt.cantidad_disponible) for lt in consultas.lotes(producto, bodega)
        ] == [(lt.lote_id, lt.cantidad_disponible) for lt in inventario.lotes]
        ultimo = consultas.kardex(producto, bodega, limite=1000)[-1]
        assert (ultimo.saldo_cantidad, ultimo.saldo_valor) == (stock.cantidad, stock.valor)
