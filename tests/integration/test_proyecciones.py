"""The read models through a business day on every backend: stock, FIFO lots, kardex,
facturas (drafts, credited amounts, anulación), notas de crédito and daily sales, read
back through ServicioConsultasSql; and what a projection promises: each event at most
once, a rebuild equal to the incremental result, a small write cost per command."""

from __future__ import annotations

import contextlib
import threading
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from apoyo_historia import Historia, operaciones
from apoyo_proyecciones import (
    CLIENTE,
    HOY,
    abrir,
    al_dia,
    contar_sentencias,
    inventarios,
    sembrar,
    volcar,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, delete, select, update
from typer.testing import CliRunner

from bases_de_datos import todos_los_backends
from prometeo.application.comandos import (
    AgregarLinea,
    AnularFactura,
    AplicarDescuento,
    CrearFactura,
    DescuentoGlobalCmd,
    EmitirFactura,
    EmitirNotaCredito,
    LineaFacturaCmd,
    LineaNotaCreditoCmd,
    RegistrarIngreso,
    TransferirStock,
)
from prometeo.application.consultas import (
    BusquedaFacturas,
    CompradorVista,
    LineaFacturaVista,
    LineaNotaCreditoVista,
    MovimientoKardex,
    PagoVista,
    StockVista,
    TotalesVista,
    VentaDiaria,
)
from prometeo.application.reportes import FiltroReporte
from prometeo.bootstrap import Aplicacion
from prometeo.domain.errores import ErrorDeDominio, NoEncontrado
from prometeo.entrypoints.cli import app as cli
from prometeo.infrastructure.db.almacen_eventos import almacen_eventos
from prometeo.infrastructure.proyecciones import (
    EMBEBIDAS,
    NOMBRES,
    HuecoEnProyeccion,
    Proyector,
    crear_proyecciones,
    reconstruir,
)
from prometeo.infrastructure.proyecciones.reconstruccion import procesos_utiles, repartir
from prometeo.infrastructure.proyecciones.tablas import checkpoints_proyeccion

MANANA = HOY + timedelta(days=1)
F1, F2, F3 = "001-001-000000001", "001-001-000000002", "001-001-000000003"


def dia_uno(aplicacion: Aplicacion) -> None:
    """Two purchases of café at different costs, one of pan; F1 spans both café lots and
    has a 10 % global discount; F2 takes café below its minimum; F3 is a draft completed
    in three commands and then emitted."""
    sembrar(aplicacion)
    inv, fac = aplicacion.inventario, aplicacion.facturas
    inv.registrar_ingreso(RegistrarIngreso("CAFE", "B1", 10, "4.00", None, "FC-001", "L1"))
    inv.registrar_ingreso(RegistrarIngreso("CAFE", "B1", 10, "5.00", None, "FC-002", "L2"))
    inv.registrar_ingreso(RegistrarIngreso("PAN", "B1", 100, "0.50", lote_id="L3"))
    fac.crear_factura(
        CrearFactura(
            "P1",
            "B1",
            (LineaFacturaCmd("CAFE", 12), LineaFacturaCmd("PAN", 10)),
            cliente_id=CLIENTE,
            descuento_global=DescuentoGlobalCmd("PORCENTAJE", 10),
            factura_id="F1",
        )
    )
    fac.crear_factura(
        CrearFactura("P1", "B1", (LineaFacturaCmd("CAFE", 3),), cliente_id=CLIENTE, factura_id="F2")
    )
    fac.crear_factura(
        CrearFactura("P1", "B1", (LineaFacturaCmd("PAN", 2),), borrador=True, factura_id="F3")
    )


def completar_borrador(aplicacion: Aplicacion) -> None:
    aplicacion.facturas.agregar_linea(AgregarLinea("F3", "CAFE", 1))
    aplicacion.facturas.aplicar_descuento(AplicarDescuento("F3", "MONTO", "1.30"))


def dia_dos(aplicacion: Aplicacion) -> None:
    """F2 annulled; two notas de crédito on F1 (café returned, pan credited in value
    only); café moved to the other bodega."""
    aplicacion.facturas.anular_factura(AnularFactura("F2", "Error de digitación"))
    notas = aplicacion.notas_credito
    notas.emitir_nota_credito(
        EmitirNotaCredito(
            "F1", "Devolución", True, (LineaNotaCreditoCmd("CAFE", cantidad=2),), None, "NC1"
        )
    )
    notas.emitir_nota_credito(
        EmitirNotaCredito(
            "F1", "Rebaja", False, (LineaNotaCreditoCmd("PAN", valor="1.00"),), None, "NC2"
        )
    )
    aplicacion.inventario.transferir_stock(TransferirStock("CAFE", "B1", "B2", 8, "T1"))


def historia(url: str) -> Aplicacion:
    """The whole business day (and the next one); returns prometeo as of the second."""
    primero = abrir(url)
    try:
        dia_uno(primero)
        completar_borrador(primero)
        primero.facturas.emitir_factura(EmitirFactura("F3"))
    finally:
        primero.cerrar()
    segundo = abrir(url, MANANA)
    dia_dos(segundo)
    return segundo


def test_un_borrador_creado_con_descuento_lo_muestra_en_sus_totales(url_base: str) -> None:
    """Lines and global discount given at creation travel in FacturaCreada: the read model
    shows them as if they had been added one by one."""
    aplicacion = abrir(url_base)
    try:
        sembrar(aplicacion)
        aplicacion.facturas.crear_factura(
            CrearFactura(
                "P1",
                "B1",
                (LineaFacturaCmd("PAN", 2), LineaFacturaCmd("CAFE", 1)),
                descuento_global=DescuentoGlobalCmd("MONTO", "1.30"),
                borrador=True,
                factura_id="F9",
            )
        )
        borrador = aplicacion.consultas.factura("F9")
        assert [(ln.producto_id, ln.descuento_global) for ln in borrador.lineas] == [
            ("PAN", d("0.30")),
            ("CAFE", d("1.00")),
        ]
        assert (borrador.totales.total_descuento, borrador.totales.importe_total) == (
            d("1.30"),
            d("13.05"),
        )
    finally:
        aplicacion.cerrar()


@todos_los_backends
def test_un_borrador_muestra_los_totales_que_tendra(url_base: str) -> None:
    aplicacion = abrir(url_base)
    try:
        dia_uno(aplicacion)
        borrador = aplicacion.consultas.factura("F3")
        assert (borrador.estado, borrador.numero, borrador.costo_total) == ("BORRADOR", None, None)
        assert borrador.cliente.identificacion == "9999999999999"
        assert borrador.totales.importe_total == d("3.00")
        completar_borrador(aplicacion)
        borrador = aplicacion.consultas.factura("F3")
        assert [
            (ln.subtotal, ln.descuento_global, ln.base_imponible) for ln in borrador.lineas
        ] == [
            (d("3.00"), d("0.30"), d("2.70")),
            (d("10.00"), d("1.00"), d("9.00")),
        ]
        assert borrador.totales == TotalesVista(
            d("11.70"),
            {"0": d("2.70"), "4": d("9.00")},
            d("1.30"),
            d("1.35"),
            d("0.00"),
            d("13.05"),
        )
        assert borrador.estado == "BORRADOR"
    finally:
        aplicacion.cerrar()


@todos_los_backends
def test_un_dia_de_negocio_en_los_modelos_de_lectura(url_base: str) -> None:
    aplicacion = historia(url_base)
    try:
        consultas = aplicacion.consultas
        assert consultas.stock() == [
            StockVista("CAFE", "B1", d("1"), d("4.16"), d("5"), True, "CAF", "CAFE"),
            StockVista("CAFE", "B2", d("8"), d("39.17"), d("5"), False, "CAF", "CAFE"),
            StockVista("PAN", "B1", d("88"), d("44.00"), d("0"), False, "PAN", "PAN"),
        ]
        assert consultas.stock(bodega_id="B2") == consultas.stock("CAFE", "B2")
        lotes = [
            (lt.producto_id, lt.bodega_id, lt.fecha_ingreso, lt.cantidad_inicial, *resto)
            for lt in consultas.lotes()
            for resto in [(lt.cantidad_disponible, lt.costo_unitario)]
        ]
        assert lotes == [
            ("CAFE", "B1", MANANA, d("2"), d("1"), d("4.166667")),  # back with NC1
            ("CAFE", "B2", MANANA, d("7"), d("7"), d("5.00")),  # FIFO order kept on transfer
            ("CAFE", "B2", MANANA, d("1"), d("1"), d("4.166667")),
            ("PAN", "B1", HOY, d("100"), d("88"), d("0.50")),
        ]
        assert consultas.lotes("PAN")[0].lote_id == "L3"
        # day | tipo | documento | lote | cantidad | costo unitario | costo | saldos
        assert [_fila(m) for m in consultas.kardex("CAFE", "B1")] == [
            "29|ENTRADA|FC-001|L1|10|4.00|40.00|10|40.00",
            "29|ENTRADA|FC-002|L2|10|5.00|50.00|20|90.00",
            f"29|SALIDA|FACTURA {F1}|L1|10|4.00|40.00|10|50.00",
            f"29|SALIDA|FACTURA {F1}|L2|2|5.00|10.00|8|40.00",
            f"29|SALIDA|FACTURA {F2}|L2|3|5.00|15.00|5|25.00",
            f"29|SALIDA|FACTURA {F3}|L2|1|5.00|5.00|4|20.00",
            f"30|ENTRADA|ANULACION FACTURA {F2}|L2|3|5.00|15.00|7|35.00",
            f"30|ENTRADA|NOTA CREDITO {F1}|*|2|4.166667|8.33|9|43.33",
            "30|SALIDA|TRANSFERENCIA T1|L2|7|5.00|35.00|2|8.33",
            "30|SALIDA|TRANSFERENCIA T1|*|1|4.166667|4.17|1|4.16",
        ]
        motivos = [m.motivo for m in consultas.kardex("CAFE", "B1")]
        assert motivos[5:8] == ["VENTA", "ANULACION", "DEVOLUCION"]
        assert [_fila(m) for m in consultas.kardex("CAFE", "B2")] == [
            "30|ENTRADA|TRANSFERENCIA T1|*|7|5.00|35.00|7|35.00",
            "30|ENTRADA|TRANSFERENCIA T1|*|1|4.166667|4.17|8|39.17",
        ]
        assert consultas.kardex("PAN", "B1")[0].documento == "INGRESO"
        _facturas(aplicacion)
        _notas(aplicacion)
        assert consultas.ventas_diarias() == [
            VentaDiaria(HOY, "S1", 2, d("133.20"), d("17.55"), d("150.75"), d("61.00")),
            VentaDiaria(
                MANANA, "S1", 0, d("0.00"), d("0.00"), d("0.00"), d("0.00"),
                2, d("19.00"), d("2.70"), d("21.70"), d("8.33"),
            ),
        ]  # fmt: skip
        assert consultas.ventas_diarias(desde=MANANA)[0].total_neto == d("-21.70")
        assert consultas.ventas_diarias(sucursal_id="S2") == []
        al_dia(aplicacion)
        antes = volcar(aplicacion.engine)
        assert reconstruir(aplicacion.engine, lote=3) == len(consultas.eventos(limite=1000))
        assert volcar(aplicacion.engine) == antes
    finally:
        aplicacion.cerrar()


def d(valor: str) -> Decimal:
    return Decimal(valor)


def _fila(m: MovimientoKardex) -> str:
    lote = m.lote_id if m.lote_id.startswith("L") else "*"  # ids the domain drew
    valores = (m.cantidad, m.costo_unitario, m.costo_total, m.saldo_cantidad, m.saldo_valor)
    return "|".join([str(m.fecha.day), m.tipo, m.documento, lote, *map(str, valores)])


def _facturas(aplicacion: Aplicacion) -> None:
    consultas = aplicacion.consultas
    f1 = consultas.factura("F1")
    assert (f1.numero, f1.estado, f1.fecha_emision, f1.sucursal_id) == (F1, "EMITIDA", HOY, "S1")
    assert f1.cliente == CompradorVista("05", "0602910945", "María Pérez", "Riobamba", None)
    assert f1.lineas == [
        LineaFacturaVista(
            1, "CAFE", "CAF", "CAFE", d("12"), d("10.00"), d("0.00"), d("120.00"),
            d("12.00"), d("108.00"), "4", d("50.00"), d("2"), d("18.00"), d("16.20"), d("15"),
        ),
        LineaFacturaVista(
            2, "PAN", "PAN", "PAN", d("10"), d("1.50"), d("0.00"), d("15.00"),
            d("1.50"), d("13.50"), "0", d("5.00"), d("0"), d("1.00"), d("0.00"), d("0"),
        ),
    ]  # fmt: skip
    assert f1.totales == TotalesVista(
        d("121.50"), {"0": d("13.50"), "4": d("108.00")}, d("13.50"), d("16.20"), d("0.00"),
        d("137.70"),
    )  # fmt: skip
    assert f1.pagos == [PagoVista("01", d("137.70"))]
    assert (f1.costo_total, f1.valor_acreditado, f1.notas_credito) == (
        d("55.00"),
        d("21.70"),
        ["NC1", "NC2"],
    )
    f2 = consultas.factura("F2")
    assert (f2.numero, f2.estado, f2.motivo_anulacion) == (F2, "ANULADA", "Error de digitación")
    f3 = consultas.factura("F3")
    assert (f3.numero, f3.estado, f3.costo_total) == (F3, "EMITIDA", d("6.00"))
    assert [ln.costo for ln in f3.lineas] == [d("1.00"), d("5.00")]
    assert [f.id for f in consultas.facturas(estado="emitida")] == ["F1", "F3"]
    assert [f.id for f in consultas.facturas(desde=HOY, hasta=HOY, limite=2)] == ["F1", "F2"]
    assert [f.id for f in consultas.facturas(limite=2, desplazamiento=2)] == ["F3"]
    assert consultas.facturas(desde=MANANA) == []
    # The returns screen's search: annulled facturas too, the most recent first.
    buscar = consultas.buscar_facturas
    assert [f.id for f in buscar(BusquedaFacturas())] == ["F3", "F2", "F1"]
    assert [f.id for f in buscar(BusquedaFacturas(numero=F2))] == ["F2"]
    assert [f.id for f in buscar(BusquedaFacturas(numero="000000003"))] == ["F3"]
    assert [f.id for f in buscar(BusquedaFacturas(cliente="0602910945"))] == ["F2", "F1"]
    assert [f.id for f in buscar(BusquedaFacturas(cliente="PÉREZ"), limite=1)] == ["F2"]
    assert [f.id for f in buscar(BusquedaFacturas(cliente="final", desde=HOY))] == ["F3"]
    assert buscar(BusquedaFacturas(cliente="%")) == []  # a wildcard is only text
    assert buscar(BusquedaFacturas(numero="060291094")) == []  # not a part of the cédula
    assert buscar(BusquedaFacturas(desde=MANANA, hasta=MANANA)) == []
    with pytest.raises(NoEncontrado):
        consultas.factura("no-existe")


def _notas(aplicacion: Aplicacion) -> None:
    consultas = aplicacion.consultas
    nc1, nc2 = consultas.notas_credito(factura_id="F1")
    assert (nc1.id, nc1.numero, nc1.numero_factura, nc1.estado) == ("NC1", F1, F1, "EMITIDA")
    assert (nc1.fecha_emision, nc1.devolucion_inventario, nc1.motivo) == (
        MANANA,
        True,
        "Devolución",
    )
    assert nc1.lineas == [
        LineaNotaCreditoVista(
            1, "CAFE", d("2"), d("18.00"), "4", "CAF", "CAFE", d("10.00"), d("2.00"), d("15"),
            d("2.70"),
        )
    ]  # fmt: skip
    assert (nc1.subtotal_sin_impuestos, nc1.iva, nc1.valor_modificacion) == (
        d("18.00"),
        d("2.70"),
        d("20.70"),
    )
    assert nc1.subtotales_por_tarifa == {"4": d("18.00")}
    assert nc2 == consultas.nota_credito("NC2")
    assert (nc2.numero, nc2.devolucion_inventario, nc2.valor_modificacion) == (F2, False, d("1.00"))
    # A value-only credit reads as one unit at its value (no goods came back).
    assert nc2.lineas == [
        LineaNotaCreditoVista(
            2, "PAN", d("1"), d("1.00"), "0", "PAN", "PAN", d("1.00"), d("0.00"), d("0"),
            d("0.00"),
        )
    ]  # fmt: skip
    assert consultas.notas_credito(factura_id="F2") == []
    with pytest.raises(NoEncontrado):
        consultas.nota_credito("no-existe")
    eventos = consultas.eventos(desde=0, limite=2)
    assert [(e.posicion, e.tipo, e.datos["lote_id"]) for e in eventos] == [
        (1, "LoteIngresado", "L1"),
        (2, "LoteIngresado", "L2"),
    ]
    assert eventos[0].ocurrido_en.tzinfo is not None
    assert consultas.eventos(desde=2, limite=1)[0].posicion == 3
    # One document's history: its stream alone, in version order, with who did each.
    de_f1 = consultas.eventos_de("factura-F1")
    assert [e.version for e in de_f1] == list(range(1, len(de_f1) + 1))
    assert {e.stream_id for e in de_f1} == {"factura-F1"}
    assert de_f1[0].tipo == "FacturaCreada"
    assert all(isinstance(e.usuario, str) for e in de_f1)
    assert consultas.eventos_de("factura-F1", limite=1) == de_f1[:1]
    assert consultas.comprobante_numerado("01", F1).id == "F1"
    assert consultas.comprobante_numerado("04", F1).id == "NC1"
    with pytest.raises(NoEncontrado):
        consultas.comprobante_numerado("01", "999-999-999999999")


@todos_los_backends
def test_un_lote_vaciado_que_vuelve_por_una_anulacion_va_a_la_cabeza(url_base: str) -> None:
    """As in the Inventario aggregate: F1 empties A, F2 empties B; annulling F1 then F2
    puts B, then A, ahead of C. The next sale takes B first."""
    aplicacion = abrir(url_base)
    try:
        sembrar(aplicacion)
        for lote, costo, cantidad in (("A", "1.00", 2), ("B", "2.00", 2), ("C", "3.00", 5)):
            aplicacion.inventario.registrar_ingreso(
                RegistrarIngreso("CAFE", "B1", cantidad, costo, lote_id=lote)
            )
        for factura_id in ("F1", "F2"):
            vender = CrearFactura("P1", "B1", (LineaFacturaCmd("CAFE", 2),), CLIENTE)
            aplicacion.facturas.crear_factura(replace(vender, factura_id=factura_id))
        for factura_id in ("F1", "F2"):
            aplicacion.facturas.anular_factura(AnularFactura(factura_id, "Prueba"))
        (inventario,) = inventarios(aplicacion)
        orden = [lt.lote_id for lt in inventario.lotes]
        assert orden == ["B", "A", "C"]
        assert [lt.lote_id for lt in aplicacion.consultas.lotes()] == orden
        aplicacion.facturas.crear_factura(
            CrearFactura("P1", "B1", (LineaFacturaCmd("CAFE", 3),), CLIENTE)
        )
        salidas = [m for m in aplicacion.consultas.kardex("CAFE", "B1") if m.tipo == "SALIDA"]
        assert [(m.lote_id, m.cantidad) for m in salidas[-2:]] == [("B", 2), ("A", 1)]
        al_dia(aplicacion)
        incremental = volcar(aplicacion.engine)
        for lote in (1, 2000):  # lot by lot in SQL, or the whole story in memory
            reconstruir(aplicacion.engine, ["lotes"], lote=lote)
            assert volcar(aplicacion.engine) == incremental
    finally:
        aplicacion.cerrar()


# -- at most once ---------------------------------------------------------------------------


def test_aplicar_dos_veces_el_mismo_lote_no_cambia_nada(url_base: str) -> None:
    aplicacion = historia(url_base)
    try:
        engine, proyector = aplicacion.engine, Proyector(crear_proyecciones())
        al_dia(aplicacion)
        incremental = volcar(engine)
        with engine.connect() as conexion:
            eventos = almacen_eventos(conexion).leer_todos(0, 10_000)
        with engine.begin() as conexion:
            assert proyector.aplicar(conexion, eventos) == []
        assert volcar(engine) == incremental
        # From empty read models, overlapping and repeated deliveries: each event once.
        with engine.begin() as conexion:
            for proyeccion in proyector.proyecciones:
                for tabla in proyeccion.tablas:
                    conexion.execute(delete(tabla))
            conexion.execute(update(checkpoints_proyeccion).values(posicion=0))
        for inicio in range(0, len(eventos), 7):
            for _ in range(2):
                with engine.begin() as conexion:
                    proyector.aplicar(conexion, eventos[max(0, inicio - 4) : inicio + 7])
        assert volcar(engine) == incremental
    finally:
        aplicacion.cerrar()


def test_un_lote_que_deja_un_hueco_no_se_aplica(url_base: str) -> None:
    aplicacion = abrir(url_base)
    try:
        dia_uno(aplicacion)
        engine, proyector = aplicacion.engine, Proyector(crear_proyecciones(["stock"]))
        with engine.begin() as conexion:
            eventos = almacen_eventos(conexion).leer_todos(0, 10_000)
            conexion.execute(update(checkpoints_proyeccion).values(posicion=1))
            assert proyector.aplicar(conexion, eventos[3:]) == []
            with pytest.raises(HuecoEnProyeccion, match="stock"):
                proyector.aplicar(conexion, eventos[3:], estricto=True)
            assert proyector.aplicar(conexion, eventos[1:]) == ["stock"]
    finally:
        aplicacion.cerrar()


def test_emitir_una_factura_de_cinco_lineas_cuesta_pocas_sentencias(url_base: str) -> None:
    aplicacion = abrir(url_base)
    try:
        sembrar(aplicacion)
        for producto in ("CAFE", "PAN", "TE"):
            for costo in ("1.00", "2.00"):
                aplicacion.inventario.registrar_ingreso(RegistrarIngreso(producto, "B1", 5, costo))
        proyector = aplicacion.embebido
        assert proyector is not None
        sentencias: list[str] = []

        def observador(
            conexion: Connection, almacenados: Any, dominio: Any, movidas: int | None
        ) -> None:
            with contar_sentencias(aplicacion.engine) as contadas:
                proyector.observador(conexion, almacenados, dominio, movidas)
            sentencias.extend(contadas)

        aplicacion.observadores[0] = observador
        lineas = [("CAFE", 4), ("PAN", 1), ("CAFE", 4), ("PAN", 1), ("TE", 7)]
        aplicacion.facturas.crear_factura(
            CrearFactura("P1", "B1", tuple(LineaFacturaCmd(p, c) for p, c in lineas), CLIENTE)
        )
        print(f"\nSentencias de las proyecciones por factura de 5 líneas: {len(sentencias)}")
        print("\n".join(" ".join(s.split())[:90] for s in sentencias))
        # One statement per table a factura touches, whatever its number of lines; the
        # reports' tables (daily sales, documents, tarifa groups, lines) wait for a report.
        assert len(sentencias) <= 6, sentencias
        assert not [s for s in sentencias if "vista_reporte" in s or "ventas_diarias" in s]
    finally:
        aplicacion.cerrar()


@todos_los_backends
def test_cajeros_concurrentes_dejan_lo_mismo_que_una_reconstruccion(url_base: str) -> None:
    """Embedded projections under concurrent commands: the running balances, the lots and
    the daily sums end exactly as a replay of the log in commit order."""
    aplicacion = abrir(url_base)
    try:
        sembrar(aplicacion)
        for costo in ("1.00", "2.50", "3.75"):
            for producto in ("CAFE", "PAN"):
                aplicacion.inventario.registrar_ingreso(RegistrarIngreso(producto, "B1", 8, costo))

        emitidas: list[str] = []

        def cajero(semilla: int) -> None:
            for i in range(4):
                lineas = (LineaFacturaCmd("CAFE", 1 + (semilla + i) % 2), LineaFacturaCmd("PAN", 1))
                with contextlib.suppress(ErrorDeDominio):  # a conflict that outlived its retries
                    comando = CrearFactura("P1", "B1", lineas, CLIENTE)
                    emitidas.append(aplicacion.facturas.crear_factura(comando).id)

        hilos = [threading.Thread(target=cajero, args=(n,)) for n in range(4)]
        for hilo in hilos:
            hilo.start()
        for hilo in hilos:
            hilo.join()
        al_dia(aplicacion)
        incremental = volcar(aplicacion.engine)
        assert len(emitidas) > 8
        assert sorted(f[0] for f in incremental["vista_facturas"]) == sorted(emitidas)
        reconstruir(aplicacion.engine)
        assert volcar(aplicacion.engine) == incremental
    finally:
        aplicacion.cerrar()


# -- rebuilding side by side ----------------------------------------------------------------


def test_las_proyecciones_se_reparten_sin_separar_las_que_leen_los_mismos_eventos() -> None:
    grupos = repartir(crear_proyecciones(), 2)
    assert [[p.nombre for p in g] for g in grupos] == [
        ["facturas", "notas_credito", "ventas_diarias", "xml_comprobantes", "reportes"],
        ["stock", "lotes", "kardex"],
    ]
    assert [[p.nombre for p in g] for g in repartir(crear_proyecciones(), 1)] == [list(NOMBRES)]
    solas = repartir(crear_proyecciones(["facturas", "ventas_diarias"]), 2)
    assert [[p.nombre for p in g] for g in solas] == [["facturas", "ventas_diarias"]]


@todos_los_backends
def test_reconstruir_en_dos_procesos_da_lo_mismo(url_base: str) -> None:
    aplicacion = historia(url_base)
    try:
        engine = aplicacion.engine
        assert procesos_utiles(engine, 2) == (2 if threading.active_count() == 1 else 1)
        al_dia(aplicacion)
        incremental = volcar(engine)
        avances: list[tuple[int, int]] = []
        total = reconstruir(engine, lote=4, procesos=2, progreso=lambda *a: avances.append(a))
        assert volcar(engine) == incremental
        assert total == len(aplicacion.consultas.eventos(limite=1000))
        # The bar shows what every projection has applied, up to the whole log.
        assert avances[-1] == (total, total)
        assert [h for h, _ in avances] == sorted(h for h, _ in avances)
        assert reconstruir(engine, ["kardex", "ventas_diarias"], lote=3, procesos=2) == total
        assert volcar(engine) == incremental
    finally:
        aplicacion.cerrar()


def test_en_sqlite_un_lote_se_descarta_si_otro_movio_el_checkpoint(
    url_base: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch computed outside the write lock is written only if its projections'
    checkpoints are where it started; else it is read again, and nothing is doubled."""
    from prometeo.infrastructure.proyecciones import reconstruccion

    aplicacion = historia(url_base)
    try:
        engine = aplicacion.engine
        al_dia(aplicacion)
        incremental = volcar(engine)
        reconstruir(engine, ["stock"], lote=1000, procesos=1)
        with engine.begin() as conexion:  # stock starts over, as at a rebuild's start
            conexion.execute(delete(crear_proyecciones(["stock"])[0].tablas[0]))
            conexion.execute(
                update(checkpoints_proyeccion)
                .where(checkpoints_proyeccion.c.nombre == "stock")
                .values(posicion=0)
            )
        leer = reconstruccion._leer_tramo
        lecturas: list[int] = []

        def leer_y_adelantarse(*args: Any) -> Any:
            leido = leer(*args)
            lecturas.append(leido[0].desde)
            if len(lecturas) == 2:  # another catch-up applies this very batch meanwhile
                reconstruccion._un_lote(engine, Proyector(crear_proyecciones(["stock"])), 5)
            return leido

        monkeypatch.setattr(reconstruccion, "_leer_tramo", leer_y_adelantarse)
        proyector = Proyector(crear_proyecciones(["stock"]))
        reconstruccion.ponerse_al_dia(engine, proyector, lote=5)
        # Read at 0, at 5 (the other one reads 5 too and writes it), and again from 10.
        assert lecturas[:4] == [0, 5, 5, 10]
        assert volcar(engine) == incremental
    finally:
        aplicacion.cerrar()


def test_en_sqlite_lo_confirmado_mientras_se_calcula_el_ultimo_lote_no_se_pierde(
    url_base: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command that commits while a rebuild computes its last batch outside the write
    lock finds the projection behind and leaves it alone: the rebuild must apply it."""
    from prometeo.infrastructure.proyecciones import reconstruccion

    aplicacion = historia(url_base)
    try:
        engine = aplicacion.engine
        leer = reconstruccion._leer_tramo
        vendidos: list[int] = []

        def leer_y_comprar(*args: Any) -> Any:
            leido = leer(*args)
            if leido[0].hasta == leido[0].ultima and not vendidos:
                vendidos.append(1)
                aplicacion.inventario.registrar_ingreso(RegistrarIngreso("PAN", "B1", 3, "1.00"))
            return leido

        monkeypatch.setattr(reconstruccion, "_leer_tramo", leer_y_comprar)
        reconstruir(engine, ["stock", "kardex"], lote=1000, procesos=1)
        monkeypatch.setattr(reconstruccion, "_leer_tramo", leer)
        assert vendidos
        # The next command finds every checkpoint at the log's end and projects itself.
        aplicacion.inventario.registrar_ingreso(RegistrarIngreso("PAN", "B1", 1, "2.00"))
        al_dia(aplicacion)
        incremental = volcar(engine)
        reconstruir(engine, procesos=1)
        assert volcar(engine) == incremental
    finally:
        aplicacion.cerrar()


# -- the command line -----------------------------------------------------------------------


def test_projections_rebuild_por_la_linea_de_comandos(
    url_base: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    historia(url_base).cerrar()
    aplicacion = al_dia(abrir(url_base, MANANA))
    antes = volcar(aplicacion.engine)
    aplicacion.cerrar()
    monkeypatch.setenv("PROMETEO_DATABASE_URL", url_base)
    runner = CliRunner()
    todas = runner.invoke(cli, ["projections", "rebuild", "--lote", "7", "--procesos", "2"])
    assert todas.exit_code == 0, todas.output
    assert "eventos/s" in todas.output
    una = runner.invoke(cli, ["projections", "rebuild", "kardex", "--lote", "5"])
    assert una.exit_code == 0, una.output
    assert "Reconstruidas: kardex." in una.output
    en_uno = runner.invoke(cli, ["projections", "rebuild", "--procesos", "1"])
    assert en_uno.exit_code == 0, en_uno.output
    aplicacion = abrir(url_base, MANANA)
    assert volcar(aplicacion.engine) == antes
    aplicacion.cerrar()
    desconocida = runner.invoke(cli, ["projections", "rebuild", "inventario"])
    assert desconocida.exit_code == 2
    assert "Proyección desconocida: inventario" in desconocida.output
    assert all(nombre in desconocida.output for nombre in NOMBRES)


def test_primer_dia_sin_proyecciones_se_pone_al_dia_al_arrancar(url_base: str) -> None:
    """A database whose read models missed events (e.g. written before an upgrade) is
    caught up by bootstrap before the first command."""
    aplicacion = abrir(url_base)
    dia_uno(aplicacion)
    al_dia(aplicacion)
    esperado = volcar(aplicacion.engine)
    with aplicacion.engine.begin() as conexion:
        for proyeccion in crear_proyecciones():
            for tabla in proyeccion.tablas:
                conexion.execute(delete(tabla))
        conexion.execute(delete(checkpoints_proyeccion))
    aplicacion.cerrar()
    aplicacion = abrir(url_base)
    # The embedded read models are current before the first command...
    cp = checkpoints_proyeccion
    with aplicacion.engine.connect() as conexion:
        puntos = dict(conexion.execute(select(cp.c.nombre, cp.c.posicion)).all())
        ultima = almacen_eventos(conexion).ultima_posicion()
    assert {puntos[n] for n in EMBEBIDAS} == {ultima}
    # ...and the reports' before the first report.
    aplicacion.reportes.ventas_diarias(FiltroReporte())
    assert volcar(aplicacion.engine) == esperado
    aplicacion.cerrar()


# -- rebuild = incremental, after a random history -----------------------------------------


@pytest.mark.parametrize("url_base", ["sqlite", "postgresql"], indirect=True)
def test_reconstruir_da_lo_mismo_que_lo_incremental(url_base: str) -> None:
    @given(st.lists(operaciones, min_size=20, max_size=50))
    @settings(
        max_examples=12,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    def probar(jugadas: list[tuple[Any, ...]]) -> None:
        historia = Historia(url_base)
        try:
            for jugada in jugadas:
                historia.jugar(jugada)
            historia.comprobar_contra_el_dominio()
            engine = historia.aplicacion.engine
            al_dia(historia.aplicacion)
            incremental = volcar(engine)
            reconstruir(engine, lote=7)  # small batches split commands: both paths run
            assert volcar(engine) == incremental
            reconstruir(engine)
            assert volcar(engine) == incremental
        finally:
            historia.aplicacion.cerrar()

    probar()
