"""The report files at the edge: CSV cells as the API writes them, and XLSX number cells
that hold a Decimal's own digits (openpyxl alone would pass them through a float), a
progress callback per row, and sheet names Excel accepts."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import openpyxl

from prometeo.application.reportes import Columna, TablaReporte
from prometeo.entrypoints.archivos_reporte import a_csv, a_xlsx, archivo

# 17 significant digits: "%.16g" (openpyxl's way with a Decimal) would round it.
GRANDE = Decimal("123456789012345.67")
TABLA = TablaReporte(
    "Compras: María / Pérez [2026]",
    (
        Columna("nombre"),
        Columna("fecha", "fecha"),
        Columna("cantidad", "cantidad"),
        Columna("valor", "dinero"),
        Columna("margen", "porcentaje"),
        Columna("n", "entero"),
    ),
    [
        ("Café, molido", date(2026, 11, 29), Decimal("2.500000"), GRANDE, None, 3),
        ('Pan "de agua"', date(2026, 12, 1), Decimal("0.333333"), Decimal("-1.5"), Decimal(7), 0),
    ],
)


def test_csv_con_los_textos_de_la_api() -> None:
    assert a_csv(TABLA).decode("utf-8").splitlines() == [
        "nombre,fecha,cantidad,valor,margen,n",
        '"Café, molido",2026-11-29,2.5,123456789012345.67,,3',
        '"Pan ""de agua""",2026-12-01,0.333333,-1.50,7.00,0',
    ]


def test_xlsx_con_los_digitos_exactos_y_sus_formatos() -> None:
    contenido = a_xlsx(TABLA)
    with zipfile.ZipFile(io.BytesIO(contenido)) as libro:
        xml = libro.read("xl/worksheets/sheet1.xml").decode()
    assert "<v>123456789012345.67</v>" in xml
    assert "<v>-1.50</v>" in xml
    assert "<v>0.333333</v>" in xml
    hoja = openpyxl.load_workbook(io.BytesIO(contenido)).active
    assert hoja.title == "Compras  María   Pérez  2026 "
    # A spreadsheet's headings are for people (the CSV keeps the field names).
    assert [c.value for c in hoja[1]] == ["Nombre", "Fecha", "Cantidad", "Valor", "Margen", "N"]
    assert hoja["A1"].font.bold
    assert hoja["D2"].data_type == "n"
    assert (hoja["D2"].number_format, hoja["E3"].number_format) == ("0.00", "0.00")
    assert hoja["E3"].value == 7
    assert hoja["E2"].value is None
    assert hoja["B3"].value.date() == date(2026, 12, 1)
    assert hoja["C3"].value == 0.333333


def test_cada_fila_escrita_avanza_el_progreso() -> None:
    for formato in ("csv", "xlsx"):
        avances: list[int] = []
        archivo(TABLA, formato, avances.append)
        assert avances == [1, 2], formato
