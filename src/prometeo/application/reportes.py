"""The reports an owner and an accountant ask for (issue 18): sales per tarifa de IVA per
month (formulario 104), sales per product with cost of goods and margin, a customer's
purchases and credits, stock valuation at a date, and the daily sales. Each is a query
over a read model through the `ConsultasReportes` port; `ServicioReportes` checks the
filters and turns any report into a `TablaReporte`, the one shape the files (CSV, XLSX)
and the command line's table are written from.

Money and quantities are Decimal throughout; every amount has 2 decimals."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from prometeo.application.consultas import ClienteVista, VentaDiaria

_CENTAVO = Decimal("0.01")
_CIEN = Decimal(100)


@dataclass(frozen=True, slots=True)
class FiltroReporte:
    """The period (both days included; None: unbounded) and, optionally, one sucursal."""

    desde: date | None = None
    hasta: date | None = None
    sucursal_id: str | None = None


@dataclass(frozen=True, slots=True)
class VentaPorTarifa:
    """One month's sales of one codigoPorcentaje de IVA, net of the notas de crédito
    emitted that month: base imponible and IVA as the documents state them."""

    mes: str  # YYYY-MM
    codigo_porcentaje: str
    base: Decimal
    iva: Decimal

    @property
    def total(self) -> Decimal:
        return self.base + self.iva


@dataclass(frozen=True, slots=True)
class VentaPorProducto:
    """A product's net sales in the period: units, base (after every discount) and FIFO
    cost of the goods that left, less what notas de crédito credited and (with devolución)
    brought back."""

    producto_id: str
    producto_codigo: str
    producto_nombre: str
    cantidad: Decimal
    ventas: Decimal
    costo: Decimal

    @property
    def margen(self) -> Decimal:
        return self.ventas - self.costo

    @property
    def margen_porcentaje(self) -> Decimal | None:
        """The margin as a percentage of sales (2 decimals); None with no net sales."""
        if self.ventas == 0:
            return None
        return (self.margen * _CIEN / self.ventas).quantize(_CENTAVO, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class DocumentoDeCliente:
    """A factura or nota de crédito of a customer, with its own (positive) amounts."""

    tipo: Literal["FACTURA", "NOTA_CREDITO"]
    documento_id: str
    numero: str
    fecha: date
    estado: str  # EMITIDA, or ANULADA (a factura: counts in no total)
    subtotal: Decimal
    iva: Decimal
    total: Decimal


@dataclass(frozen=True, slots=True)
class TotalesCliente:
    """What the customer bought (facturas not annulled) and was credited (notas)."""

    compras: Decimal = Decimal("0.00")
    creditos: Decimal = Decimal("0.00")

    @property
    def neto(self) -> Decimal:
        return self.compras - self.creditos


@dataclass(frozen=True, slots=True)
class ReporteCliente:
    cliente: ClienteVista
    documentos: list[DocumentoDeCliente]
    totales: TotalesCliente


@dataclass(frozen=True, slots=True)
class ValoracionProducto:
    """A product's balance in a bodega at a date, as the kardex's last movement up to it."""

    bodega_id: str
    bodega_codigo: str
    bodega_nombre: str
    producto_id: str
    producto_codigo: str
    producto_nombre: str
    cantidad: Decimal
    valor: Decimal


@dataclass(frozen=True, slots=True)
class ValoracionBodega:
    bodega_id: str
    bodega_codigo: str
    bodega_nombre: str
    valor: Decimal


@dataclass(frozen=True, slots=True)
class ReporteValoracion:
    fecha: date
    items: list[ValoracionProducto]
    bodegas: list[ValoracionBodega]

    @property
    def total(self) -> Decimal:
        return sum((b.valor for b in self.bodegas), Decimal("0.00"))


class ConsultasReportes(ABC):
    """The port the reports read through (read models only). Lists come a page at a time
    (`limite` ≤ 1000 after `desplazamiento`) in an order that never ties."""

    @abstractmethod
    def ventas_por_tarifa(self, filtro: FiltroReporte) -> list[VentaPorTarifa]:
        """Whole, by month then codigo: at most a few rows per month."""

    @abstractmethod
    def ventas_por_producto(
        self, filtro: FiltroReporte, limite: int = 100, desplazamiento: int = 0
    ) -> list[VentaPorProducto]:
        """By product code."""

    @abstractmethod
    def documentos_de_cliente(
        self, cliente_id: str, filtro: FiltroReporte, limite: int = 100, desplazamiento: int = 0
    ) -> list[DocumentoDeCliente]:
        """By date; on one day facturas before notas, each by number."""

    @abstractmethod
    def totales_de_cliente(self, cliente_id: str, filtro: FiltroReporte) -> TotalesCliente: ...

    @abstractmethod
    def valoracion_stock(
        self,
        fecha: date,
        bodega_id: str | None,
        sucursal_id: str | None,
        limite: int = 100,
        desplazamiento: int = 0,
    ) -> list[ValoracionProducto]:
        """Balances other than zero, by bodega code then product code."""

    @abstractmethod
    def valoracion_por_bodega(
        self, fecha: date, bodega_id: str | None, sucursal_id: str | None
    ) -> list[ValoracionBodega]:
        """Whole, by bodega code: one row per bodega with stock value."""

    @abstractmethod
    def ventas_diarias(
        self, filtro: FiltroReporte, limite: int = 100, desplazamiento: int = 0
    ) -> list[VentaDiaria]:
        """By date, then sucursal."""


# -- the tabular shape of every report (files and the command line) --------------------------

TipoColumna = Literal["texto", "fecha", "dinero", "cantidad", "porcentaje", "entero"]
Celda = str | int | Decimal | date | None


# Column headings as a person reads them (a spreadsheet, the terminal); a CSV keeps the
# field names of the JSON, for programs.
_TITULOS = {
    "producto_codigo": "Código",
    "producto_nombre": "Producto",
    "bodega_codigo": "Bodega",
    "bodega_nombre": "Nombre de la bodega",
    "codigo_porcentaje": "Tarifa IVA",
    "margen_porcentaje": "Margen %",
    "sucursal_id": "Sucursal",
    "sucursal_codigo": "Sucursal",
    "numero": "Número",
    "iva": "IVA",
    "notas_credito": "Notas de crédito",
    "iva_notas": "IVA notas",
}


@dataclass(frozen=True, slots=True)
class Columna:
    nombre: str
    tipo: TipoColumna = "texto"

    @property
    def titulo(self) -> str:
        """The heading a person reads."""
        return _TITULOS.get(self.nombre, self.nombre.replace("_", " ").capitalize())


@dataclass(frozen=True, slots=True)
class TablaReporte:
    """A whole report as a table: named, typed columns and its rows (Decimal for money,
    quantities and percentages; never float)."""

    titulo: str
    columnas: tuple[Columna, ...]
    filas: list[tuple[Celda, ...]] = field(default_factory=list)
