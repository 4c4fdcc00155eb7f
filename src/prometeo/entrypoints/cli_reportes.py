"""`prometeo reporte NOMBRE ...`: a report as a table on the terminal, or as a CSV or XLSX
file (written here, at the edge, with a progress bar over its rows)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.measure import Measurement
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.rule import Rule
from rich.table import Table

from prometeo.application.reportes import FiltroReporte, TablaReporte
from prometeo.application.servicios.reportes import NOMBRES_REPORTES
from prometeo.bootstrap import Settings, bootstrap
from prometeo.domain.errores import NoEncontrado, ReglasIncumplidas
from prometeo.entrypoints.archivos_reporte import FORMATOS, archivo, texto

consola = Console()
errores = Console(stderr=True)

_Fecha = Annotated[
    str | None,
    typer.Option(
        help="Fecha de emisión AAAA-MM-DD (incluida).", show_default=False, metavar="FECHA"
    ),
]
_NUMERICAS = frozenset({"dinero", "cantidad", "porcentaje", "entero"})


def _fecha(valor: str | None, opcion: str) -> date | None:
    if valor is None:
        return None
    try:
        return date.fromisoformat(valor)
    except ValueError:
        errores.print(f"[red]Error:[/red] {opcion} debe ser una fecha AAAA-MM-DD: {valor!r}.")
        raise typer.Exit(2) from None


def _formato_de(formato: str | None, salida: Path | None) -> str | None:
    """The file format asked for, or the one `salida`'s extension names; None: a table."""
    elegido = formato or (salida.suffix.lstrip(".").lower() if salida is not None else None)
    if elegido is not None and elegido not in FORMATOS:
        errores.print(
            f"[red]Error:[/red] formato desconocido: {elegido}; use --formato csv o xlsx."
        )
        raise typer.Exit(2)
    if elegido == "xlsx" and salida is None:
        errores.print("[red]Error:[/red] un XLSX necesita --salida ARCHIVO.")
        raise typer.Exit(2)
    return elegido


def reporte(
    nombre: Annotated[
        str,
        typer.Argument(help=f"Uno de: {', '.join(NOMBRES_REPORTES)}.", metavar="NOMBRE"),
    ],
    desde: _Fecha = None,
    hasta: _Fecha = None,
    sucursal: Annotated[
        str | None, typer.Option(help="Solo esta sucursal.", show_default=False, metavar="ID")
    ] = None,
    cliente: Annotated[
        str | None,
        typer.Option(help="El cliente (reporte cliente).", show_default=False, metavar="ID"),
    ] = None,
    fecha: Annotated[
        str | None,
        typer.Option(
            help="Al cierre de este día (valoracion-stock; hoy si falta).",
            show_default=False,
            metavar="FECHA",
        ),
    ] = None,
    bodega: Annotated[
        str | None,
        typer.Option(help="Solo esta bodega (valoracion-stock).", show_default=False, metavar="ID"),
    ] = None,
    formato: Annotated[
        str | None,
        typer.Option(help="csv o xlsx (sin él: una tabla en pantalla).", show_default=False),
    ] = None,
    salida: Annotated[
        Path | None, typer.Option(help="Archivo a escribir (CSV sin él: a la salida estándar).")
    ] = None,
) -> None:
    """Muestra un reporte o lo guarda como CSV o XLSX."""
    if nombre not in NOMBRES_REPORTES:
        errores.print(
            f"[red]Error:[/red] no existe el reporte {nombre}; los reportes son: "
            + ", ".join(NOMBRES_REPORTES)
        )
        raise typer.Exit(2)
    filtro = FiltroReporte(_fecha(desde, "--desde"), _fecha(hasta, "--hasta"), sucursal)
    al = _fecha(fecha, "--fecha")
    elegido = _formato_de(formato, salida)
    aplicacion = bootstrap(Settings())
    try:
        tabla = aplicacion.reportes.tabla(
            nombre, filtro, cliente_id=cliente, fecha=al, bodega_id=bodega
        )
    except ReglasIncumplidas as error:
        for e in error.errores:
            errores.print(f"[red]{e.regla}:[/red] {e.mensaje}")
        raise typer.Exit(2) from None
    except NoEncontrado as error:
        errores.print(f"[red]Error:[/red] {error}")
        raise typer.Exit(2) from None
    finally:
        aplicacion.cerrar()
    if elegido is None:
        _mostrar(tabla)
        return
    contenido = _escribir(tabla, elegido)
    if salida is None:
        sys.stdout.buffer.write(contenido)
        sys.stdout.flush()
        return
    salida.write_bytes(contenido)
    errores.print(f"Reporte {nombre}: {len(tabla.filas)} filas en {salida}.")


def _escribir(tabla: TablaReporte, formato: str) -> bytes:
    """The file's bytes, with a progress bar over its rows (on standard error, so that a
    CSV on standard output stays clean)."""
    with Progress(
        TextColumn(f"[bold]Escribiendo {formato.upper()}[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        console=errores,
        transient=True,
    ) as progreso:
        tarea = progreso.add_task("filas", total=len(tabla.filas))
        return archivo(tabla, formato, lambda hechas: progreso.update(tarea, completed=hechas))


def _mostrar(tabla: TablaReporte) -> None:
    """The report as a table when the terminal is wide enough for every amount and code
    whole; otherwise each row as a card, one `Título  valor` per line (a folded amount is
    misread)."""
    vista = _tabla_rich(tabla)
    # The narrowest the table can be with no word split: names may wrap, amounts not.
    justa = Measurement.get(consola, consola.options.update_width(10_000), vista).minimum
    if justa <= consola.width:
        consola.print(vista)
        return
    consola.print(f"[bold]{tabla.titulo}[/bold]")
    for fila in tabla.filas:
        tarjeta = Table.grid(padding=(0, 2))
        tarjeta.add_column(style="bold")
        tarjeta.add_column()
        for valor, columna in zip(fila, tabla.columnas, strict=True):
            tarjeta.add_row(columna.titulo, texto(valor, columna))
        consola.print(Rule(style="dim"))
        consola.print(tarjeta)


def _tabla_rich(tabla: TablaReporte) -> Table:
    vista = Table(title=tabla.titulo)
    for columna in tabla.columnas:
        # Codes never wrap (a split code reads as two); on a terminal too narrow for
        # every column, numbers fold rather than vanish.
        vista.add_column(
            columna.titulo,
            justify="right" if columna.tipo in _NUMERICAS else "left",
            no_wrap=columna.nombre.endswith("codigo"),
            overflow="fold",
        )
    for fila in tabla.filas:
        vista.add_row(*(texto(v, c) for v, c in zip(fila, tabla.columnas, strict=True)))
    return vista


def registrar(app: typer.Typer) -> None:
    app.command("reporte")(reporte)
