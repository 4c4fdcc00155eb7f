"""A report as a file, at the edge: CSV (UTF-8, comma, one header row) and XLSX (openpyxl),
from the one tabular shape every report has (application.reportes.TablaReporte). The
HTTP API and the command line write their files here.

Exact numbers in both: CSV cells are the API's own texts ("133.20"). In XLSX a number
cell is written as the Decimal's own digits: openpyxl would format a Decimal with
"%.16g", i.e. through a float; here the cell gets the exact text with the number type
(`_numero`, the one place that knows it; tests/unit/entrypoints/test_archivos_reporte.py
fails if openpyxl changes how that is written). Amounts carry the format 0.00."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from prometeo.application.reportes import Celda, Columna, TablaReporte
from prometeo.entrypoints.api.esquemas.comunes import dinero, numero

TIPO_CSV = "text/csv; charset=utf-8"
TIPO_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATOS = ("csv", "xlsx")

# Called after each row written, with how many so far (a progress bar's step).
Avance = Callable[[int], None]
_FORMATO_EXCEL = {"dinero": "0.00", "porcentaje": "0.00", "fecha": "yyyy-mm-dd"}
# Excel's own rules for a sheet's name: at most 31 characters, none of these.
_LARGO_HOJA = 31
_PROHIBIDOS_HOJA = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def texto(valor: Celda, columna: Columna) -> str:
    """A cell as the API writes it: amounts with 2 decimals, quantities exact, dates ISO."""
    if valor is None:
        return ""
    if isinstance(valor, Decimal):
        return numero(valor) if columna.tipo == "cantidad" else dinero(valor)
    if isinstance(valor, date):
        return valor.isoformat()
    return str(valor)


def _filas(tabla: TablaReporte, avance: Avance | None) -> Iterable[tuple[Celda, ...]]:
    for hechas, fila in enumerate(tabla.filas, start=1):
        yield fila
        if avance is not None:
            avance(hechas)


def a_csv(tabla: TablaReporte, avance: Avance | None = None) -> bytes:
    salida = io.StringIO()
    escritor = csv.writer(salida, lineterminator="\r\n")
    escritor.writerow([c.nombre for c in tabla.columnas])
    for fila in _filas(tabla, avance):
        escritor.writerow([texto(v, c) for v, c in zip(fila, tabla.columnas, strict=True)])
    return salida.getvalue().encode("utf-8")


def _numero(hoja: WriteOnlyWorksheet, valor: Decimal, formato: str | None) -> Cell:
    """A number cell holding the Decimal's exact digits (no float on the way)."""
    celda = WriteOnlyCell(hoja, value=format(valor, "f"))
    celda.data_type = "n"
    if formato is not None:
        celda.number_format = formato
    return celda


def _celda(hoja: WriteOnlyWorksheet, valor: Celda, columna: Columna) -> object:
    formato = _FORMATO_EXCEL.get(columna.tipo)
    if isinstance(valor, Decimal):
        if columna.tipo in ("dinero", "porcentaje"):
            valor = Decimal(dinero(valor))
        return _numero(hoja, valor, formato)
    if isinstance(valor, date) and formato is not None:
        # A calendar day: Excel cells have no time zone.
        dia = datetime(valor.year, valor.month, valor.day)  # noqa: DTZ001
        celda = WriteOnlyCell(hoja, value=dia)
        celda.number_format = formato
        return celda
    return valor


def a_xlsx(tabla: TablaReporte, avance: Avance | None = None) -> bytes:
    libro = Workbook(write_only=True)
    hoja = libro.create_sheet(tabla.titulo.translate(_PROHIBIDOS_HOJA)[:_LARGO_HOJA])
    negrita = Font(bold=True)
    encabezado = []
    for columna in tabla.columnas:
        celda = WriteOnlyCell(hoja, value=columna.titulo)
        celda.font = negrita
        encabezado.append(celda)
    hoja.append(encabezado)
    for fila in _filas(tabla, avance):
        hoja.append([_celda(hoja, v, c) for v, c in zip(fila, tabla.columnas, strict=True)])
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def archivo(tabla: TablaReporte, formato: str, avance: Avance | None = None) -> bytes:
    """The report in `formato` (one of FORMATOS)."""
    return a_xlsx(tabla, avance) if formato == "xlsx" else a_csv(tabla, avance)
