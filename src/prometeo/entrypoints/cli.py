"""The command line: `prometeo ...` (same PROMETEO_* settings as the server)."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from prometheus_client import start_http_server
from rich.console import Console

from prometeo.bootstrap import (
    Aplicacion,
    Settings,
    actualizar_esquema,
    bootstrap,
    crear_consumidor,
    crear_manejador_worker,
    crear_relay,
)
from prometeo.entrypoints import cli_proyecciones, cli_servidor

app = typer.Typer(help="prometeo: facturación e inventario.", no_args_is_help=True)
db = typer.Typer(help="Base de datos.", no_args_is_help=True)
app.add_typer(db, name="db")
app.add_typer(cli_proyecciones.proyecciones, name="projections")
cli_servidor.registrar(app)  # serve, demo, token
consola = Console()


@db.command("upgrade")
def db_upgrade() -> None:
    """Aplica las migraciones pendientes a PROMETEO_DATABASE_URL."""
    if actualizar_esquema():
        consola.print("[green]Esquema actualizado.[/green]")
    else:
        consola.print("[green]El esquema ya está al día.[/green]")


@app.command("relay")
def relay(
    una_vez: Annotated[
        bool, typer.Option("--una-vez", help="Publica lo pendiente y termina.")
    ] = False,
    lote: Annotated[int, typer.Option("--lote", min=1, help="Eventos por lote.")] = 500,
    intervalo: Annotated[
        float, typer.Option("--intervalo", min=0.01, help="Segundos entre consultas en reposo.")
    ] = 0.5,
    puerto_metricas: Annotated[
        int, typer.Option("--puerto-metricas", min=0, help="Sirve /metrics aquí (0: no).")
    ] = 0,
) -> None:
    """Publica los eventos guardados en RabbitMQ (outbox → PROMETEO_EXCHANGE), en orden.

    Si el broker no responde, reintenta con espera exponencial (también con --una-vez)."""
    aplicacion = _aplicacion_con_broker()
    try:
        if puerto_metricas:
            start_http_server(puerto_metricas, registry=aplicacion.metricas.registro)
        with _detener_con_senales() as detener:
            publicados = crear_relay(aplicacion, lote=lote).ejecutar(
                una_vez=una_vez, intervalo=intervalo, detener=detener
            )
        consola.print(f"Relay terminado: {publicados} eventos publicados.")
    finally:
        aplicacion.cerrar()


@app.command("worker")
def worker(
    cola: Annotated[str, typer.Option("--cola", help="Cola a consumir.")] = "prometeo.proyecciones",
    prefetch: Annotated[int, typer.Option("--prefetch", min=1)] = 10,
    reintentos: Annotated[
        int, typer.Option("--reintentos", min=0, help="Reintentos antes de la cola de muertos.")
    ] = 3,
) -> None:
    """Consume los eventos publicados y se los entrega al manejador de proyecciones."""
    aplicacion = _aplicacion_con_broker()
    try:
        manejador = crear_manejador_worker(aplicacion)
        consumidor = crear_consumidor(
            aplicacion, manejador, cola=cola, prefetch=prefetch, reintentos=reintentos
        )
        with _detener_con_senales() as detener:
            consumidor.ejecutar(detener)
        consola.print("Worker detenido.")
    finally:
        aplicacion.cerrar()


def _aplicacion_con_broker() -> Aplicacion:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # pika logs every failed connection attempt with a traceback; ours say it in one line.
    logging.getLogger("pika").setLevel(logging.CRITICAL)
    settings = Settings()
    if not settings.broker_url:
        consola.print("[red]PROMETEO_BROKER_URL no está definido: hace falta un broker.[/red]")
        raise typer.Exit(2)
    return bootstrap(settings)


@contextmanager
def _detener_con_senales() -> Iterator[threading.Event]:
    """An event set by SIGINT or SIGTERM, so that a long-running command ends cleanly."""
    detener = threading.Event()
    anteriores = {
        senal: signal.signal(senal, lambda _senal, _marco: detener.set())
        for senal in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield detener
    finally:
        for senal, anterior in anteriores.items():
            signal.signal(senal, anterior)
