"""`prometeo aparcados`: the events the followers of the log gave up on, with their error;
`reintentar` does their effect again once the cause is fixed, `descartar` forgets one
(registered on the Typer app in cli.py)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from prometeo.bootstrap import (
    BrokerNoConfigurado,
    EventoNoEncontrado,
    InfraestructuraNoResponde,
    SeguidorDesconocido,
    descartar_evento_aparcado,
    eventos_aparcados,
    reintentar_eventos_aparcados,
)

consola = Console()
aparcados = typer.Typer(
    help="Eventos que un seguidor del historial (relay, worker) aparcó tras reintentarlos.",
    no_args_is_help=False,
)
Seguidor = Annotated[
    str | None,
    typer.Option("--seguidor", help="Solo los de este seguidor (rabbitmq, proyecciones)."),
]


@aparcados.callback(invoke_without_command=True)
def listar(contexto: typer.Context, seguidor: Seguidor = None) -> None:
    """Lista los eventos aparcados: los que un seguidor no pudo procesar tras reintentar."""
    if contexto.invoked_subcommand is not None:
        contexto.obj = seguidor  # `prometeo aparcados --seguidor S reintentar` means S too
        return
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


@aparcados.command("reintentar")
def reintentar(
    contexto: typer.Context,
    seguidor: Seguidor = None,
    posicion: Annotated[
        int | None, typer.Option("--posicion", min=1, help="Solo el de esta posición.")
    ] = None,
) -> None:
    """Reintenta los eventos aparcados, una vez corregida la causa.

    El relay los vuelve a publicar; de las proyecciones, se reconstruyen las que los leen.
    Los que vuelven a fallar siguen aparcados con su nuevo error (código de salida 1)."""
    try:
        resultados = reintentar_eventos_aparcados(seguidor or contexto.obj, posicion)
    except (SeguidorDesconocido, BrokerNoConfigurado, EventoNoEncontrado) as error:
        consola.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    except InfraestructuraNoResponde as error:
        consola.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None
    if not resultados:
        consola.print("[green]No hay eventos aparcados que reintentar.[/green]")
        return
    for resultado in resultados:
        evento = resultado.aparcado
        que = f"{evento.seguidor}, posición {evento.posicion} ({evento.tipo})"
        if resultado.error is None:
            consola.print(f"[green]reintentado:[/green] {que}")
        else:
            consola.print(f"[red]sigue fallando:[/red] {que}: {resultado.error}")
    if any(resultado.error is not None for resultado in resultados):
        raise typer.Exit(1)


@aparcados.command("descartar")
def descartar(
    seguidor: Annotated[str, typer.Option("--seguidor", help="El seguidor que lo aparcó.")],
    posicion: Annotated[int, typer.Option("--posicion", min=1, help="Su posición.")],
) -> None:
    """Olvida un evento aparcado sin reintentarlo (cuando ya se resolvió de otra forma)."""
    if descartar_evento_aparcado(seguidor, posicion):
        consola.print(f"Descartado: {seguidor}, posición {posicion}.")
        return
    consola.print(f"[red]El seguidor {seguidor} no tiene aparcado el evento {posicion}.[/red]")
    raise typer.Exit(1)


def registrar(app: typer.Typer) -> None:
    app.add_typer(aparcados, name="aparcados")
