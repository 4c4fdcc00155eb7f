"""The reports use case: checks a report's filters, reads it through the reports port and
turns it, whole, into the table its files are written from."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import TypeVar

from prometeo.application.consultas import ConsultasCatalogo, VentaDiaria
from prometeo.application.reportes import (
    Celda,
    Columna,
    ConsultasReportes,
    FiltroReporte,
    ReporteCliente,
    ReporteValoracion,
    TablaReporte,
    VentaPorProducto,
    VentaPorTarifa,
)
from prometeo.domain.errores import ReglaIncumplida, ReglasIncumplidas
from prometeo.domain.reloj import Reloj

T = TypeVar("T")

NOMBRES_REPORTES = (
    "ventas-por-tarifa",
    "ventas-por-producto",
    "ventas-diarias",
    "cliente",
    "valoracion-stock",
)
# A whole report is read a page of the port's largest size at a time.
_PAGINA = 1000


def rango_invertido(desde: date, hasta: date) -> ReglasIncumplidas:
    return ReglasIncumplidas(
        [
            ReglaIncumplida(
                "RangoDeFechasValido",
                f"La fecha desde ({desde.isoformat()}) es posterior a hasta ({hasta.isoformat()})",
            )
        ]
    )


def todas(pagina: Callable[[int, int], list[T]]) -> Iterator[T]:
    """Every item of a paged read, `pagina(limite, desplazamiento)`, page after page."""
    desplazamiento = 0
    while True:
        items = pagina(_PAGINA, desplazamiento)
        yield from items
        if len(items) < _PAGINA:
            return
        desplazamiento += _PAGINA


class ServicioReportes:
    """Every report, its filters checked first: a period that ends before it starts, or
    a sucursal, bodega or cliente that does not exist, is an error that names it, never
    an empty report."""

    def __init__(
        self, consultas: ConsultasReportes, catalogo: ConsultasCatalogo, reloj: Reloj
    ) -> None:
        self._consultas = consultas
        self._catalogo = catalogo
        self._reloj = reloj

    def _revisar(self, filtro: FiltroReporte) -> None:
        if filtro.desde is not None and filtro.hasta is not None and filtro.desde > filtro.hasta:
            raise rango_invertido(filtro.desde, filtro.hasta)
        if filtro.sucursal_id is not None:
            self._catalogo.sucursal(filtro.sucursal_id)

    def hoy(self) -> date:
        """The business's today, by the clock every report reads."""
        return self._reloj.hoy()

    def ventas_por_tarifa(self, filtro: FiltroReporte) -> list[VentaPorTarifa]:
        self._revisar(filtro)
        return self._consultas.ventas_por_tarifa(filtro)

    def ventas_por_producto(
        self, filtro: FiltroReporte, limite: int = 100, desplazamiento: int = 0
    ) -> list[VentaPorProducto]:
        self._revisar(filtro)
        return self._consultas.ventas_por_producto(filtro, limite, desplazamiento)

    def ventas_diarias(
        self, filtro: FiltroReporte, limite: int = 100, desplazamiento: int = 0
    ) -> list[VentaDiaria]:
        self._revisar(filtro)
        return self._consultas.ventas_diarias(filtro, limite, desplazamiento)

    def cliente(
        self, cliente_id: str, filtro: FiltroReporte, limite: int = 100, desplazamiento: int = 0
    ) -> ReporteCliente:
        """The customer's documents (a page) and the totals of the whole period."""
        self._revisar(filtro)
        cliente = self._catalogo.cliente(cliente_id)
        return ReporteCliente(
            cliente,
            self._consultas.documentos_de_cliente(cliente_id, filtro, limite, desplazamiento),
            self._consultas.totales_de_cliente(cliente_id, filtro),
        )

    def valoracion_stock(
        self,
        fecha: date | None = None,
        bodega_id: str | None = None,
        sucursal_id: str | None = None,
        limite: int = 100,
        desplazamiento: int = 0,
    ) -> ReporteValoracion:
        """At the end of `fecha` (today by default): a page of product balances and every
        bodega's total."""
        self._revisar(FiltroReporte(sucursal_id=sucursal_id))
        if bodega_id is not None:
            self._catalogo.bodega(bodega_id)
        dia = self._reloj.hoy() if fecha is None else fecha
        c = self._consultas
        return ReporteValoracion(
            dia,
            c.valoracion_stock(dia, bodega_id, sucursal_id, limite, desplazamiento),
            c.valoracion_por_bodega(dia, bodega_id, sucursal_id),
        )

    # -- whole reports as tables ----------------------------------------------------------

    def tabla(
        self,
        nombre: str,
        filtro: FiltroReporte,
        *,
        cliente_id: str | None = None,
        fecha: date | None = None,
        bodega_id: str | None = None,
    ) -> TablaReporte:
        """The whole report `nombre` (one of NOMBRES_REPORTES) as a table."""
        if nombre == "ventas-por-tarifa":
            return _tabla_tarifas(self.ventas_por_tarifa(filtro))
        if nombre == "ventas-por-producto":
            self._revisar(filtro)
            c = self._consultas
            return _tabla_productos(todas(lambda n, d: c.ventas_por_producto(filtro, n, d)))
        if nombre == "ventas-diarias":
            self._revisar(filtro)
            c = self._consultas
            return _tabla_diarias(todas(lambda n, d: c.ventas_diarias(filtro, n, d)))
        if nombre == "cliente":
            if cliente_id is None:
                raise ReglasIncumplidas(
                    [ReglaIncumplida("ClienteRequerido", "El reporte cliente necesita un cliente")]
                )
            return self._tabla_cliente(cliente_id, filtro)
        if nombre == "valoracion-stock":
            return self._tabla_valoracion(fecha, bodega_id, filtro.sucursal_id)
        raise ReglasIncumplidas(
            [
                ReglaIncumplida(
                    "ReporteConocido",
                    f"No existe el reporte {nombre}; los reportes son: "
                    + ", ".join(NOMBRES_REPORTES),
                )
            ]
        )

    def _tabla_cliente(self, cliente_id: str, filtro: FiltroReporte) -> TablaReporte:
        primera = self.cliente(cliente_id, filtro, _PAGINA, 0)
        c = self._consultas
        documentos = todas(lambda n, d: c.documentos_de_cliente(cliente_id, filtro, n, d))
        return TablaReporte(
            f"Compras y créditos de {primera.cliente.razon_social}",
            (
                Columna("tipo"),
                Columna("numero"),
                Columna("fecha", "fecha"),
                Columna("estado"),
                Columna("subtotal", "dinero"),
                Columna("iva", "dinero"),
                Columna("total", "dinero"),
            ),
            [(d.tipo, d.numero, d.fecha, d.estado, d.subtotal, d.iva, d.total) for d in documentos],
        )

    def _tabla_valoracion(
        self, fecha: date | None, bodega_id: str | None, sucursal_id: str | None
    ) -> TablaReporte:
        primera = self.valoracion_stock(fecha, bodega_id, sucursal_id, 1, 0)
        c = self._consultas
        items = todas(lambda n, d: c.valoracion_stock(primera.fecha, bodega_id, sucursal_id, n, d))
        filas: list[tuple[Celda, ...]] = [
            (
                v.bodega_codigo,
                v.bodega_nombre,
                v.producto_codigo,
                v.producto_nombre,
                v.cantidad,
                v.valor,
            )
            for v in items
        ]
        return TablaReporte(
            f"Valoración del stock al {primera.fecha.isoformat()}",
            (
                Columna("bodega_codigo"),
                Columna("bodega_nombre"),
                Columna("producto_codigo"),
                Columna("producto_nombre"),
                Columna("cantidad", "cantidad"),
                Columna("valor", "dinero"),
            ),
            filas,
        )


def _tabla_tarifas(ventas: list[VentaPorTarifa]) -> TablaReporte:
    return TablaReporte(
        "Ventas por tarifa de IVA",
        (
            Columna("mes"),
            Columna("codigo_porcentaje"),
            Columna("base", "dinero"),
            Columna("iva", "dinero"),
            Columna("total", "dinero"),
        ),
        [(v.mes, v.codigo_porcentaje, v.base, v.iva, v.total) for v in ventas],
    )


def _tabla_productos(ventas: Iterator[VentaPorProducto]) -> TablaReporte:
    return TablaReporte(
        "Ventas por producto",
        (
            Columna("producto_codigo"),
            Columna("producto_nombre"),
            Columna("cantidad", "cantidad"),
            Columna("ventas", "dinero"),
            Columna("costo", "dinero"),
            Columna("margen", "dinero"),
            Columna("margen_porcentaje", "porcentaje"),
        ),
        [
            (
                v.producto_codigo,
                v.producto_nombre,
                v.cantidad,
                v.ventas,
                v.costo,
                v.margen,
                v.margen_porcentaje,
            )
            for v in ventas
        ],
    )


def _tabla_diarias(ventas: Iterator[VentaDiaria]) -> TablaReporte:
    return TablaReporte(
        "Ventas diarias",
        (
            Columna("fecha", "fecha"),
            Columna("sucursal_codigo"),
            Columna("facturas", "entero"),
            Columna("subtotal", "dinero"),
            Columna("iva", "dinero"),
            Columna("total", "dinero"),
            Columna("costo", "dinero"),
            Columna("notas_credito", "entero"),
            Columna("subtotal_notas", "dinero"),
            Columna("iva_notas", "dinero"),
            Columna("total_notas", "dinero"),
            Columna("costo_notas", "dinero"),
            Columna("total_neto", "dinero"),
        ),
        [
            (
                v.fecha,
                v.sucursal_codigo,
                v.facturas,
                v.subtotal,
                v.iva,
                v.total,
                v.costo,
                v.notas_credito,
                v.subtotal_notas,
                v.iva_notas,
                v.total_notas,
                v.costo_notas,
                v.total_neto,
            )
            for v in ventas
        ],
    )
