"""`prometeo reporte` through bootstrap on a SQLite file: a table on the terminal, CSV
to standard output or a file, XLSX to a file, and bad input refused with exit code 2."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from apoyo_reportes import DICIEMBRE, historia
from rich.console import Console
from typer.testing import CliRunner

from prometeo.entrypoints import cli_reportes
from prometeo.entrypoints.cli import app


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'reportes.db'}"
    historia(url).cerrar()
    monkeypatch.setenv("PROMETEO_DATABASE_URL", url)
    monkeypatch.setenv("PROMETEO_HOY", DICIEMBRE.isoformat())
    return url


def test_un_reporte_en_pantalla_como_tabla(base: str) -> None:
    resultado = CliRunner().invoke(
        app, ["reporte", "ventas-por-tarifa", "--hasta", "2026-11-30"], env={"COLUMNS": "200"}
    )
    assert resultado.exit_code == 0, resultado.output
    assert "Ventas por tarifa de IVA" in resultado.output
    assert "103.50" in resultado.output
    assert "2026-12" not in resultado.output


def test_en_una_terminal_angosta_cada_fila_es_una_tarjeta(
    base: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 13 columns do not fit in 80 characters without splitting amounts: one card per row.
    monkeypatch.setattr(cli_reportes, "consola", Console(width=80))
    resultado = CliRunner().invoke(
        app, ["reporte", "ventas-diarias", "--desde", "2026-11-01", "--hasta", "2026-11-30"]
    )
    assert resultado.exit_code == 0, resultado.output
    lineas = resultado.output.splitlines()
    assert "┃" not in resultado.output
    assert any(ln.split() == ["Sucursal", "001"] for ln in lineas)
    assert sum(ln.startswith("Total neto") for ln in lineas) >= 1
    # Narrow but enough for its amounts whole: still a table (names may wrap).
    monkeypatch.setattr(cli_reportes, "consola", Console(width=80))
    tabla = CliRunner().invoke(app, ["reporte", "ventas-por-tarifa", "--hasta", "2026-11-30"])
    assert "┃ Mes" in tabla.output


def test_csv_a_la_salida_estandar(base: str) -> None:
    resultado = CliRunner().invoke(
        app, ["reporte", "ventas-por-producto", "--formato", "csv", "--sucursal", "S2"]
    )
    assert resultado.exit_code == 0, resultado.output
    assert resultado.stdout.splitlines() == [
        "producto_codigo,producto_nombre,cantidad,ventas,costo,margen,margen_porcentaje",
        "TE,TE,3,7.00,3.00,4.00,57.14",
    ]


def test_xlsx_y_csv_a_un_archivo(base: str, tmp_path: Path) -> None:
    xlsx = tmp_path / "tarifas.xlsx"
    resultado = CliRunner().invoke(
        app, ["reporte", "ventas-por-tarifa", "--desde", "2026-11-01", "--salida", str(xlsx)]
    )
    assert resultado.exit_code == 0, resultado.output
    assert "4 filas" in resultado.output
    hoja = openpyxl.load_workbook(xlsx).active
    assert [c.value for c in hoja[3]] == ["2026-11", "4", 90, 13.5, 103.5]
    assert hoja["C3"].number_format == "0.00"

    csv = tmp_path / "valoracion.txt"
    al_29 = ["--fecha", "2026-11-29", "--formato", "csv", "--salida", str(csv)]
    resultado = CliRunner().invoke(app, ["reporte", "valoracion-stock", *al_29])
    assert resultado.exit_code == 0, resultado.output
    assert csv.read_text(encoding="utf-8").splitlines()[1:] == [
        "B1,Bodega B1,CAF,CAFE,5,25.00",
        "B1,Bodega B1,PAN,PAN,90,45.00",
    ]
    cliente = CliRunner().invoke(app, ["reporte", "cliente", "--cliente", "C1", "--formato", "csv"])
    assert cliente.exit_code == 0, cliente.output
    assert len(cliente.stdout.splitlines()) == 5


@pytest.mark.parametrize(
    ("argumentos", "dicho"),
    [
        (["ventas-por-mes"], "no existe el reporte ventas-por-mes"),
        (
            ["ventas-diarias", "--desde", "2026-12-31", "--hasta", "2026-12-01"],
            "RangoDeFechasValido",
        ),
        (["ventas-diarias", "--desde", "31/12/2026"], "--desde debe ser una fecha"),
        (["cliente"], "ClienteRequerido"),
        (["cliente", "--cliente", "NADIE"], "NADIE"),
        (["ventas-por-tarifa", "--formato", "pdf"], "formato desconocido"),
        (["ventas-por-tarifa", "--formato", "xlsx"], "necesita --salida"),
    ],
)
def test_lo_que_no_se_puede_se_dice_con_salida_2(
    base: str, argumentos: list[str], dicho: str
) -> None:
    resultado = CliRunner().invoke(app, ["reporte", *argumentos], env={"COLUMNS": "200"})
    assert resultado.exit_code == 2, resultado.output
    assert dicho in resultado.output
