"""The command line: `prometeo ...` (same PROMETEO_* settings as the server)."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console

from prometeo.bootstrap import (
    Aplicacion,
    Settings,
    actualizar_esquema,
    bootstrap,
    crear_relay,
    crear_worker,
    refrescar_metricas,
    servir_metricas,
    sin_conexion,
)
from prometeo.entrypoints import (
    cli_espanol,
    cli_proyecciones,
    cli_reportes,
    cli_seguimiento,
    cli_servidor,
    cli_sri,
    cli_usuarios,
)
from prometeo.entrypoints.api.validacion import que_se_espera

app = typer.Typer(
    help="prometeo: facturación e inventario.",
    no_args_is_help=True,
    # Typer's shell-completion options describe themselves only in English.
    add_completion=False,
)
db = typer.Typer(help="Base de datos.", no_args_is_help=True)
app.add_typer(db, name="db")
app.add_typer(cli_proyecciones.proyecciones, name="projections")
cli_servidor.registrar(app)  # serve, demo, token
cli_seguimiento.registrar(app)  # aparcados
cli_sri.registrar(app)  # sri enviar
cli_reportes.registrar(app)  # reporte
cli_usuarios.registrar(app)  # usuario
consola = Console()


@app.callback()
def _configuracion_valida() -> None:
    """Every command first checks the PROMETEO_* settings: a bad one stops it with a
    clear message, never a traceback (and never a secret's value)."""
    try:
        Settings()
    except ValidationError as error:
        for problema in error.errors():
            campo = "PROMETEO_" + str(problema["loc"][0]).upper() if problema["loc"] else ""
            # pydantic's English ("Input should be...") said in Spanish, as the API does.
            mensaje = que_se_espera(problema)
            dicho = mensaje if campo in mensaje else f"{campo}: {mensaje}"
            Console(stderr=True).print(f"[red]Configuración inválida:[/red] {dicho}")
        raise typer.Exit(2) from None


# The options the log's followers (relay, worker) share.
Lote = Annotated[int, typer.Option("--lote", min=1, help="Eventos por lote.")]
Intervalo = Annotated[
    float, typer.Option("--intervalo", min=0.01, help="Segundos entre consultas en reposo.")
]
PuertoMetricas = Annotated[
    int, typer.Option("--puerto-metricas", min=0, help="Sirve /metrics aquí (0: no).")
]


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
    lote: Lote = 500,
    intervalo: Intervalo = 0.5,
    puerto_metricas: PuertoMetricas = 0,
) -> None:
    """Publica los eventos guardados en RabbitMQ (outbox → PROMETEO_EXCHANGE), en orden.

    Si el broker no responde, reintenta con espera exponencial (también con --una-vez)."""
    aplicacion = _aplicacion_con_broker()
    try:
        if puerto_metricas:
            servir_metricas(aplicacion, puerto_metricas)
        with _detener_con_senales() as detener:
            publicados = crear_relay(aplicacion, lote=lote).ejecutar(
                una_vez=una_vez, intervalo=intervalo, detener=detener
            )
        consola.print(f"Relay terminado: {publicados} eventos publicados.")
    finally:
        aplicacion.cerrar()


@app.command("worker")
def worker(
    una_vez: Annotated[
        bool, typer.Option("--una-vez", help="Proyecta lo pendiente y termina.")
    ] = False,
    lote: Lote = 500,
    intervalo: Intervalo = 0.5,
    puerto_metricas: PuertoMetricas = 0,
) -> None:
    """Mantiene los modelos de lectura siguiendo el registro de eventos (modo distribuido).

    Sigue desde el checkpoint de cada proyección; varios workers pueden correr a la vez."""
    _configurar_registro()
    aplicacion = bootstrap(Settings())
    try:
        if puerto_metricas:
            servir_metricas(aplicacion, puerto_metricas)
        seguidor = crear_worker(aplicacion, lote=lote)

        def tanda() -> int:
            hechos = seguidor.seguir_pendientes()
            refrescar_metricas(aplicacion)
            return hechos

        logging.getLogger("prometeo.worker").info("Siguiendo el registro de eventos")
        with _detener_con_senales() as detener:
            proyectados = seguidor.ejecutar(
                una_vez=una_vez, intervalo=intervalo, detener=detener, tanda=tanda
            )
        consola.print(f"Worker detenido: {proyectados} eventos seguidos.")
    finally:
        aplicacion.cerrar()


def _configurar_registro() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # pika logs every failed connection attempt with a traceback; ours say it in one line.
    logging.getLogger("pika").setLevel(logging.CRITICAL)


def _aplicacion_con_broker() -> Aplicacion:
    _configurar_registro()
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


def main() -> None:
    """The `prometeo` command: the Typer app, its help and its usage errors in Spanish
    (cli_espanol), with a database or broker that cannot be reached said in one Spanish
    line (what failed and what to check), never a traceback nor a password."""
    try:
        cli_espanol.ejecutar(app)
    except Exception as error:
        mensaje = sin_conexion(error)
        if mensaje is None:
            raise
        Console(stderr=True).print(f"[red]{mensaje}[/red]", highlight=False)
        raise SystemExit(1) from None
