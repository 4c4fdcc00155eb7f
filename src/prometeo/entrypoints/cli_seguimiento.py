"""`prometeo aparcados`: the events the followers of the log gave up on, with their error
(registered on the Typer app in cli.py)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from prometeo.bootstrap import eventos_aparcados

consola = Console()


def aparcados(
    seguidor: Annotated[
        str | None, typer.Option("--seguidor", help="Solo los de este seguidor.")
    ] = None,
) -> None:
    """Lista los eventos aparcados: los que un seguidor no pudo procesar tras reintentar."""
    filas = eventos_aparcados(seguidor)
    if not filas:
        consola.print("[green]No hay eventos aparcados.[/green]")
        return
    tabla = Table("Seguidor", "Posición", "Evento", "Tipo", "Aparcado en", "Error")
    for fila in filas:
        tabla.add_row(
            fila.seguidor,
            str(fila.posicion),
            fila.evento_id,
            fila.tipo,
            fila.aparcado_en.isoformat(timespec="seconds"),
            fila.error,
        )
    consola.print(tabla)


def registrar(app: typer.Typer) -> None:
    app.command("aparcados")(aparcados)
