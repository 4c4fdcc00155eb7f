"""The reports over the real read models on every backend: a history across two months
with discounts, an anulación, a devolución and a value-only credit; the numbers worked by
hand; and the reports' read model rebuilt from the log equal to the one kept live."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from apoyo_proyecciones import CLIENTE, HOY, abrir, sembrar, volcar
from apoyo_reportes import DICIEMBRE, MANANA, TABLAS, d, historia
from sqlalchemy import insert

from bases_de_datos import todos_los_backends
from prometeo.application.comandos import (
    DarDeBaja,
    LineaConteoCmd,
    RegistrarConteo,
    RegistrarIngreso,
)
from prometeo.application.reportes import (
    FiltroReporte,
    TotalesCliente,
    ValoracionBodega,
    VentaPorTarifa,
)
from prometeo.domain.errores import NoEncontrado, ReglasIncumplidas
from prometeo.infrastructure.proyecciones import reconstruir
from prometeo.infrastructure.proyecciones.tablas import vista_kardex


@todos_los_backends
def test_los_reportes_de_dos_meses_y_su_reconstruccion(url_base: str) -> None:
    aplicacion = historia(url_base)
    try:
        reportes = aplicacion.reportes
        todo = FiltroReporte()
        # F1: café 120.00 − 10 % = 108.00 (IVA 15 % 16.20), pan 15.00 − 10 % = 13.50;
        # NC1: 2 café at F1's net 9.00 = 18.00 (IVA 2.70); NC2: 1.00 of pan; F2 annulled.
        assert reportes.ventas_por_tarifa(todo) == [
            VentaPorTarifa("2026-11", "0", d("13.50"), d("0.00")),
            VentaPorTarifa("2026-11", "4", d("90.00"), d("13.50")),
            VentaPorTarifa("2026-12", "0", d("-1.00"), d("0.00")),
            VentaPorTarifa("2026-12", "5", d("7.00"), d("0.35")),
        ]
        assert reportes.ventas_por_tarifa(todo)[1].total == d("103.50")
        assert reportes.ventas_por_tarifa(FiltroReporte(sucursal_id="S2")) == [
            VentaPorTarifa("2026-12", "5", d("7.00"), d("0.35")),
        ]
        assert [v.mes for v in reportes.ventas_por_tarifa(FiltroReporte(desde=DICIEMBRE))] == [
            "2026-12",
            "2026-12",
        ]

        # café: 12 − 2 units; cost 10 × 4.00 + 2 × 5.00 = 50.00 less 2 × 4.166667 = 8.33.
        # pan: the value-only credit lowers sales, not units nor cost.
        productos = [
            (v.producto_codigo, v.cantidad, v.ventas, v.costo, v.margen, v.margen_porcentaje)
            for v in reportes.ventas_por_producto(todo)
        ]
        assert productos == [
            ("CAF", d("10"), d("90.00"), d("41.67"), d("48.33"), d("53.70")),
            ("PAN", d("10"), d("12.50"), d("5.00"), d("7.50"), d("60.00")),
            ("TE", d("3"), d("7.00"), d("3.00"), d("4.00"), d("57.14")),
        ]
        assert [v.producto_codigo for v in reportes.ventas_por_producto(todo, 1, 1)] == ["PAN"]
        noviembre = reportes.ventas_por_producto(FiltroReporte(hasta=HOY))
        assert [(v.producto_codigo, v.cantidad, v.costo) for v in noviembre] == [
            ("CAF", d("12"), d("50.00")),
            ("PAN", d("10"), d("5.00")),
        ]

        reporte = reportes.cliente(CLIENTE, todo)
        assert [(x.tipo, x.estado, x.total) for x in reporte.documentos] == [
            ("FACTURA", "EMITIDA", d("137.70")),
            ("FACTURA", "ANULADA", d("34.50")),
            ("NOTA_CREDITO", "EMITIDA", d("20.70")),
            ("NOTA_CREDITO", "EMITIDA", d("1.00")),
        ]
        assert reporte.totales == TotalesCliente(d("137.70"), d("21.70"))
        assert reporte.totales.neto == d("116.00")
        assert reportes.cliente(CLIENTE, FiltroReporte(desde=MANANA)).totales == TotalesCliente(
            d("0.00"), d("21.70")
        )
        with pytest.raises(NoEncontrado):
            reportes.cliente("NADIE", todo)
        with pytest.raises(ReglasIncumplidas) as error:
            reportes.ventas_por_tarifa(FiltroReporte(desde=MANANA, hasta=HOY))
        assert error.value.reglas == ("RangoDeFechasValido",)

        # 29 Nov: café 20 − 15 units, 90.00 − 65.00; pan 90 units at 0.50.
        al_29 = reportes.valoracion_stock(HOY)
        assert [(v.producto_codigo, v.cantidad, v.valor) for v in al_29.items] == [
            ("CAF", d("5"), d("25.00")),
            ("PAN", d("90"), d("45.00")),
        ]
        assert al_29.bodegas == [ValoracionBodega("B1", "B1", "Bodega B1", d("70.00"))]
        # 30 Nov: the anulación brings back 3 café (15.00), NC1 2 more (8.33).
        assert reportes.valoracion_stock(MANANA).total == d("93.33")
        hoy = reportes.valoracion_stock()  # 1 Dec: té in B2 too
        assert [(b.bodega_id, b.valor) for b in hoy.bodegas] == [
            ("B1", d("93.33")),
            ("B2", d("7.00")),
        ]
        assert reportes.valoracion_stock(bodega_id="B2").total == d("7.00")
        assert reportes.valoracion_stock(sucursal_id="S1").total == d("93.33")
        assert reportes.valoracion_stock(date(2026, 1, 1)).bodegas == []

        diarias = reportes.ventas_diarias(todo)
        assert [(v.fecha, v.sucursal_id, v.total_neto) for v in diarias] == [
            (HOY, "S1", d("137.70")),
            (MANANA, "S1", d("-20.70")),
            (DICIEMBRE, "S1", d("-1.00")),
            (DICIEMBRE, "S2", d("7.35")),
        ]
        assert reportes.ventas_diarias(todo, 2, 2) == diarias[2:]

        incremental = volcar(aplicacion.engine)
        assert all(incremental[t] for t in TABLAS)
        reconstruir(aplicacion.engine, lote=3)  # batches split documents: both paths run
        assert volcar(aplicacion.engine) == incremental
        reconstruir(aplicacion.engine, ["reportes"])
        assert volcar(aplicacion.engine) == incremental
    finally:
        aplicacion.cerrar()


def test_la_valoracion_toma_el_ultimo_saldo_sea_cual_sea_el_movimiento(tmp_path: Path) -> None:
    """The kardex's balance columns carry the balance whatever the kind of movement, so a
    kind the valuation has never heard of (a count's AJUSTE, an expired lot's BAJA) needs
    nothing of it: rows written straight into the kardex, as such events would leave them."""
    aplicacion = abrir(f"sqlite:///{tmp_path / 'kardex.db'}")
    try:
        sembrar(aplicacion)
        movimientos = [
            # día, tipo, saldo en unidades y en centavos
            (HOY, "ENTRADA", 10, 4000),
            (HOY, "AJUSTE", 8, 3200),
            (MANANA, "BAJA", 5, 2000),
            (DICIEMBRE, "AJUSTE", 0, 0),
        ]
        with aplicacion.engine.begin() as conexion:
            conexion.execute(
                insert(vista_kardex),
                [
                    {
                        "producto_id": "CAFE",
                        "bodega_id": "B1",
                        "secuencia": i,
                        "posicion": i,
                        "fecha": fecha,
                        "tipo": tipo,
                        "motivo": tipo,
                        "documento": f"DOC {i}",
                        "lote_id": "L1",
                        "cantidad": 1_000_000,
                        "costo_unitario": "4.00",
                        "costo_total": 400,
                        "saldo_cantidad": unidades * 1_000_000,
                        "saldo_valor": centavos,
                    }
                    for i, (fecha, tipo, unidades, centavos) in enumerate(movimientos, start=1)
                ],
            )
        reportes = aplicacion.reportes
        saldos = [
            [(v.cantidad, v.valor) for v in reportes.valoracion_stock(dia).items]
            for dia in (HOY, MANANA, DICIEMBRE)
        ]
        assert saldos == [[(d("8"), d("32.00"))], [(d("5"), d("20.00"))], []]
    finally:
        aplicacion.cerrar()


@todos_los_backends
def test_la_valoracion_despues_de_un_conteo_y_una_baja(url_base: str) -> None:
    """A count's shortage (AJUSTE) and an expired lot's write-off (BAJA), through the
    services: the valuation at each date is what the stock was then."""
    primero = abrir(url_base)
    try:
        sembrar(primero)
        inv = primero.inventario
        inv.registrar_ingreso(RegistrarIngreso("CAFE", "B1", 10, "4.00", lote_id="L1"))
        inv.registrar_ingreso(RegistrarIngreso("PAN", "B1", 5, "0.50", MANANA, lote_id="L2"))
        inv.registrar_conteo(RegistrarConteo("B1", "Conteo 1", (LineaConteoCmd("CAFE", 7),)))
        valor_hoy = sum((s.valor for s in primero.consultas.stock()), Decimal("0.00"))
    finally:
        primero.cerrar()
    segundo = abrir(url_base, DICIEMBRE)
    try:
        segundo.inventario.dar_de_baja(DarDeBaja("PAN", "B1", "L2", "Vencido"))
        reportes = segundo.reportes
        al_29 = reportes.valoracion_stock(HOY)
        assert [(v.producto_codigo, v.cantidad, v.valor) for v in al_29.items] == [
            ("CAF", d("7"), d("28.00")),
            ("PAN", d("5"), d("2.50")),
        ]
        assert al_29.total == valor_hoy == d("30.50")
        al_1 = reportes.valoracion_stock()
        assert [(v.producto_codigo, v.valor) for v in al_1.items] == [("CAF", d("28.00"))]
        assert al_1.total == sum((s.valor for s in segundo.consultas.stock()), Decimal("0.00"))
    finally:
        segundo.cerrar()
