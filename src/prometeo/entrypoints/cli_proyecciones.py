"""`prometeo projections ...`: the read models (rebuilding them from the event log)."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from prometeo.bootstrap import (
    LOTE_RECONSTRUCCION,
    NOMBRES_PROYECCIONES,
    reconstruir_proyecciones,
)
from prometeo.domain.value_objects.dinero import con_miles

proyecciones = typer.Typer(help="Proyecciones (modelos de lectura).", no_args_is_help=True)
consola = Console()
errores = Console(stderr=True)


class _EventosPorSegundo(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{con_miles(task.speed or 0)} eventos/s", style="progress.data.speed")


@proyecciones.command("rebuild")
def rebuild(
    nombre: Annotated[
        str | None,
        typer.Argument(
            help=f"Proyección a reconstruir ({', '.join(NOMBRES_PROYECCIONES)}); "
            "sin nombre, todas.",
            metavar="NOMBRE",
            show_default=False,
        ),
    ] = None,
    lote: Annotated[
        int, typer.Option("--lote", min=1, help="Eventos por transacción.")
    ] = LOTE_RECONSTRUCCION,
    procesos: Annotated[
        int | None,
        typer.Option(
            "--procesos",
            min=1,
            help="Procesos en paralelo (por omisión, uno por CPU, hasta 2).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Vacía las proyecciones y las vuelve a llenar desde el registro de eventos."""
    if nombre is not None and nombre not in NOMBRES_PROYECCIONES:
        errores.print(
            f"[red]Proyección desconocida: {nombre}.[/red] "
            f"Las proyecciones válidas son: {', '.join(NOMBRES_PROYECCIONES)}"
        )
        raise typer.Exit(2)
    nombres = list(NOMBRES_PROYECCIONES) if nombre is None else [nombre]
    inicio = time.perf_counter()
    with Progress(
        TextColumn("[bold]Reconstruyendo[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        _EventosPorSegundo(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=consola,
    ) as progreso:
        tarea = progreso.add_task("reconstruir", total=None)

        def avanzar(hechos: int, total: int) -> None:
            progreso.update(tarea, completed=hechos, total=total)

        eventos = reconstruir_proyecciones(nombres, avanzar, lote=lote, procesos=procesos)
    segundos = time.perf_counter() - inicio
    ritmo = eventos / segundos if segundos > 0 else 0.0
    consola.print(
        f"[green]Reconstruidas: {', '.join(nombres)}.[/green] {eventos} eventos en "
        f"{segundos:.1f} s ({con_miles(ritmo)} eventos/s)."
    )
