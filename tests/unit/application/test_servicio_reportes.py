"""ServicioReportes over a fake reports port: filters checked before anything is read,
unknown sucursal/bodega/cliente named, today's date by default, and whole reports read a
page at a time into tables."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from escenario import BODEGA, CLIENTE, HOY, SUCURSAL, Escenario
from fakes import ConsultasCatalogoEnMemoria

from prometeo.application.consultas import VentaDiaria
from prometeo.application.reportes import (
    ConsultasReportes,
    DocumentoDeCliente,
    FiltroReporte,
    TotalesCliente,
    ValoracionBodega,
    ValoracionProducto,
    VentaPorProducto,
    VentaPorTarifa,
)
from prometeo.application.servicios.reportes import ServicioReportes
from prometeo.domain.errores import NoEncontrado, ReglasIncumplidas


class ReportesFalsos(ConsultasReportes):
    """Canned answers; every read is written down, with its arguments."""

    def __init__(self, productos: int = 0) -> None:
        self.leidas: list[tuple[object, ...]] = []
        self.productos = [
            VentaPorProducto(
                f"p{i}", f"P{i:05}", f"Producto {i}", Decimal(1), Decimal(2), Decimal(1)
            )
            for i in range(productos)
        ]

    def ventas_por_tarifa(self, filtro: FiltroReporte) -> list[VentaPorTarifa]:
        self.leidas.append(("tarifa", filtro))
        return [VentaPorTarifa("2026-11", "4", Decimal("90.00"), Decimal("13.50"))]

    def ventas_por_producto(
        self, filtro: FiltroReporte, limite: int = 100, desplazamiento: int = 0
    ) -> list[VentaPorProducto]:
        self.leidas.append(("producto", limite, desplazamiento))
        return self.productos[desplazamiento : desplazamiento + limite]

    def documentos_de_cliente(
        self, cliente_id: str, filtro: FiltroReporte, limite: int = 100, desplazamiento: int = 0
    ) -> list[DocumentoDeCliente]:
        self.leidas.append(("documentos", cliente_id, limite, desplazamiento))
        if desplazamiento:
            return []
        return [
            DocumentoDeCliente(
                "FACTURA", "F1", "001-001-000000001", HOY, "EMITIDA",
                Decimal("10.00"), Decimal("1.50"), Decimal("11.50"),
            )
        ]  # fmt: skip

    def totales_de_cliente(self, cliente_id: str, filtro: FiltroReporte) -> TotalesCliente:
        self.leidas.append(("totales", cliente_id))
        return TotalesCliente(Decimal("11.50"), Decimal("1.00"))

    def valoracion_stock(
        self,
        fecha: date,
        bodega_id: str | None,
        sucursal_id: str | None,
        limite: int = 100,
        desplazamiento: int = 0,
    ) -> list[ValoracionProducto]:
        self.leidas.append(("valoracion", fecha, bodega_id, sucursal_id, limite, desplazamiento))
        if desplazamiento:
            return []
        return [ValoracionProducto("b", "B1", "B 1", "p", "P", "Pan", Decimal("2"), Decimal("1"))]

    def valoracion_por_bodega(
        self, fecha: date, bodega_id: str | None, sucursal_id: str | None
    ) -> list[ValoracionBodega]:
        self.leidas.append(("bodegas", fecha))
        return [
            ValoracionBodega("b", "B1", "B 1", Decimal("1.00")),
            ValoracionBodega("c", "B2", "B 2", Decimal("2.50")),
        ]

    def ventas_diarias(
        self, filtro: FiltroReporte, limite: int = 100, desplazamiento: int = 0
    ) -> list[VentaDiaria]:
        self.leidas.append(("diarias", limite, desplazamiento))
        if desplazamiento:
            return []
        cero = Decimal("0.00")
        return [VentaDiaria(HOY, SUCURSAL, 1, Decimal("10.00"), cero, Decimal("10.00"), cero)]


def servicio(falsos: ReportesFalsos) -> ServicioReportes:
    tienda = Escenario().sembrar()
    return ServicioReportes(falsos, ConsultasCatalogoEnMemoria(tienda.catalogo), tienda.reloj)


def test_un_periodo_que_termina_antes_de_empezar_se_rechaza_sin_leer() -> None:
    falsos = ReportesFalsos()
    reportes = servicio(falsos)
    invertido = FiltroReporte(desde=HOY, hasta=HOY - timedelta(days=1))
    for leer in (
        lambda: reportes.ventas_por_tarifa(invertido),
        lambda: reportes.ventas_por_producto(invertido),
        lambda: reportes.ventas_diarias(invertido),
        lambda: reportes.cliente(CLIENTE, invertido),
        lambda: reportes.tabla("ventas-por-producto", invertido),
    ):
        with pytest.raises(ReglasIncumplidas) as error:
            leer()
        assert error.value.reglas == ("RangoDeFechasValido",)
    assert falsos.leidas == []
    assert reportes.ventas_por_tarifa(FiltroReporte(desde=HOY, hasta=HOY))


def test_una_sucursal_bodega_o_cliente_desconocido_se_nombra() -> None:
    falsos = ReportesFalsos()
    reportes = servicio(falsos)
    with pytest.raises(NoEncontrado) as error:
        reportes.ventas_por_tarifa(FiltroReporte(sucursal_id="no-existe"))
    assert error.value.id == "no-existe"
    with pytest.raises(NoEncontrado):
        reportes.cliente("nadie", FiltroReporte())
    with pytest.raises(NoEncontrado):
        reportes.valoracion_stock(bodega_id="no-existe")
    with pytest.raises(NoEncontrado):
        reportes.valoracion_stock(sucursal_id="no-existe")
    assert falsos.leidas == []
    assert reportes.ventas_por_tarifa(FiltroReporte(sucursal_id=SUCURSAL))


def test_la_valoracion_es_al_dia_de_hoy_si_no_se_indica_la_fecha() -> None:
    falsos = ReportesFalsos()
    reporte = servicio(falsos).valoracion_stock(bodega_id=BODEGA, limite=5, desplazamiento=10)
    assert reporte.fecha == HOY
    assert falsos.leidas[0] == ("valoracion", HOY, BODEGA, None, 5, 10)
    assert reporte.total == Decimal("3.50")
    otra = date(2026, 1, 31)
    assert servicio(falsos).valoracion_stock(otra).fecha == otra


def test_el_reporte_de_un_cliente_trae_su_pagina_y_los_totales_del_periodo() -> None:
    falsos = ReportesFalsos()
    reporte = servicio(falsos).cliente(CLIENTE, FiltroReporte(), 7, 3)
    assert reporte.cliente.razon_social == "María Pérez"
    assert ("documentos", CLIENTE, 7, 3) in falsos.leidas
    assert reporte.totales.neto == Decimal("10.50")


def test_un_reporte_entero_se_lee_pagina_por_pagina() -> None:
    falsos = ReportesFalsos(productos=2500)
    tabla = servicio(falsos).tabla("ventas-por-producto", FiltroReporte())
    assert len(tabla.filas) == 2500
    assert tabla.filas[-1][0] == "P02499"
    assert falsos.leidas == [
        ("producto", 1000, 0),
        ("producto", 1000, 1000),
        ("producto", 1000, 2000),
    ]
    assert [c.nombre for c in tabla.columnas][-2:] == ["margen", "margen_porcentaje"]
    assert tabla.filas[0][-2:] == (Decimal(1), Decimal("50.00"))


def test_cada_reporte_tiene_su_tabla() -> None:
    reportes = servicio(ReportesFalsos())
    todo = FiltroReporte()
    tarifas = reportes.tabla("ventas-por-tarifa", todo)
    assert tarifas.filas == [
        ("2026-11", "4", Decimal("90.00"), Decimal("13.50"), Decimal("103.50"))
    ]
    assert reportes.tabla("ventas-diarias", todo).filas[0][-1] == Decimal("10.00")
    cliente = reportes.tabla("cliente", todo, cliente_id=CLIENTE)
    assert cliente.titulo == "Compras y créditos de María Pérez"
    assert cliente.filas == [
        ("FACTURA", "001-001-000000001", HOY, "EMITIDA",
         Decimal("10.00"), Decimal("1.50"), Decimal("11.50")),
    ]  # fmt: skip
    valoracion = reportes.tabla("valoracion-stock", todo)
    assert valoracion.titulo == f"Valoración del stock al {HOY.isoformat()}"
    assert valoracion.filas == [("B1", "B 1", "P", "Pan", Decimal("2"), Decimal("1"))]
    with pytest.raises(ReglasIncumplidas) as error:
        reportes.tabla("cliente", todo)
    assert error.value.reglas == ("ClienteRequerido",)
    with pytest.raises(ReglasIncumplidas) as error:
        reportes.tabla("ventas-por-mes", todo)
    assert error.value.reglas == ("ReporteConocido",)


def test_el_margen_es_un_porcentaje_de_las_ventas_y_no_existe_sin_ventas() -> None:
    venta = VentaPorProducto("p", "P", "Pan", Decimal(3), Decimal("90.00"), Decimal("41.67"))
    assert venta.margen == Decimal("48.33")
    assert venta.margen_porcentaje == Decimal("53.70")
    perdida = VentaPorProducto("p", "P", "Pan", Decimal(1), Decimal("2.00"), Decimal("3.00"))
    assert perdida.margen_porcentaje == Decimal("-50.00")
    devuelto = VentaPorProducto("p", "P", "Pan", Decimal(0), Decimal("0.00"), Decimal("0.00"))
    assert devuelto.margen_porcentaje is None
