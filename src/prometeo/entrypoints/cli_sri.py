"""`prometeo sri ...`: the electronic documents from the command line (registered on the
Typer app in cli.py). With PROMETEO_SRI_ENVIO=separado this is the only signer; with
embebido the server signs too, and the two never sign one document twice."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from prometeo.bootstrap import (
    SimuladorSri,
    bootstrap,
    comprobantes_pendientes,
    crear_firma_de_prueba,
    estado_sri,
    servir_simulador_sri,
)

sri = typer.Typer(help="Comprobantes electrónicos del SRI.", no_args_is_help=True)
consola = Console()


@sri.command("enviar")
def enviar(
    una_vez: Annotated[
        bool, typer.Option("--una-vez", help="Hace lo que toca ahora y termina.")
    ] = False,
    intervalo: Annotated[
        float, typer.Option("--intervalo", min=0.1, help="Segundos entre rondas en reposo.")
    ] = 1.0,
) -> None:
    """Firma los comprobantes emitidos que esperan (PENDIENTE), en orden de emisión, y los
    lleva por la Recepción y la Autorización del SRI (PROMETEO_SRI_URL o, sin ella, el
    ambiente del emisor).

    Necesita PROMETEO_FIRMA_ARCHIVO y PROMETEO_FIRMA_CLAVE (o PROMETEO_FIRMA_CLAVE_ARCHIVO).
    Con --una-vez firma todo lo pendiente, hace lo que toca ahora con el SRI y termina;
    sin él sigue hasta Ctrl+C."""
    aplicacion = bootstrap()
    firmador, despachador = aplicacion.firmador, aplicacion.despachador
    assert firmador is not None
    assert despachador is not None
    try:
        estado = firmador.comprobar()
        if estado.certificado != "ok":
            motivo = estado.detalle or "sin PROMETEO_FIRMA_ARCHIVO no hay con qué firmar"
            consola.print(f"[red]No se puede firmar: {motivo}[/red]")
            raise typer.Exit(1)
        total = comprobantes_pendientes(aplicacion)
        firmados = no_validos = enviados = consultados = 0
        with Progress(
            TextColumn("Firmando"), BarColumn(), MofNCompleteColumn(), console=consola
        ) as progreso:
            tarea = progreso.add_task("firma", total=total)
            while True:
                ronda = firmador.ronda()
                if ronda is None:
                    consola.print(f"[red]Firma detenida: {firmador.estado.detalle}[/red]")
                    raise typer.Exit(1)
                firmados += ronda.firmados
                no_validos += ronda.no_validos
                progreso.advance(tarea, ronda.firmados + ronda.no_validos + ronda.ya_firmados)
                despacho = despachador.ronda()
                enviados += despacho.enviados
                consultados += despacho.consultados
                if despacho.sin_arriendo and una_vez:
                    consola.print(
                        "[yellow]Otro proceso está despachando al SRI (prometeo serve o "
                        "prometeo sri enviar): aquí solo se firmó.[/yellow]"
                    )
                    break
                if ronda.firmados or despacho.enviados or despacho.consultados:
                    continue
                if una_vez:
                    break
                time.sleep(intervalo)
        consola.print(
            f"[green]{firmados} comprobantes firmados; {enviados} enviados al SRI y "
            f"{consultados} consultas de autorización.[/green]"
        )
        if despachador.ultimo_error:
            consola.print(f"[yellow]El SRI no respondió: {despachador.ultimo_error}[/yellow]")
        if no_validos:
            consola.print(
                f"[red]{no_validos} comprobantes no cumplen el esquema del SRI y esperan "
                "una corrección de prometeo (véanse en GET /api/v1/comprobantes).[/red]"
            )
            raise typer.Exit(1)
    finally:
        aplicacion.cerrar()


@sri.command("certificado-prueba")
def certificado_prueba(
    archivo: Annotated[Path, typer.Option("--archivo", help="El .p12 a crear.")],
    clave_archivo: Annotated[
        Path, typer.Option("--clave-archivo", help="Dónde guardar su contraseña.")
    ],
) -> None:
    """Crea, si no existe, un certificado de PRUEBA (sin validez legal, de una autoridad de
    prueba propia) para el RUC del emisor registrado: para demostraciones, nunca para el SRI."""
    aplicacion = bootstrap()
    try:
        ruc = crear_firma_de_prueba(aplicacion, archivo, clave_archivo)
    finally:
        aplicacion.cerrar()
    if ruc is None:
        consola.print(f"El certificado de prueba {archivo} ya existe.")
    else:
        consola.print(
            f"[yellow]Certificado de PRUEBA (sin validez legal) para el RUC {ruc} en "
            f"{archivo}; su contraseña, en {clave_archivo}.[/yellow]"
        )


@sri.command("simulador")
def simulador(
    host: Annotated[str, typer.Option("--host", help="Dirección en la que escuchar.")] = (
        "127.0.0.1"
    ),
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Puerto (0: uno libre).")
    ] = 8081,
    demora: Annotated[
        float,
        typer.Option(
            "--demora", min=0, help="Segundos que un comprobante recibido pasa EN PROCESO."
        ),
    ] = 0.5,
) -> None:
    """Sirve un SIMULADOR local de los servicios web del SRI (recepción y autorización),
    sin validez tributaria: para pruebas y demostraciones, nunca en lugar del SRI.
    Verifica el esquema y la firma, y se programa por HTTP (POST /simulador/programar)."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    def anunciar(simulado: SimuladorSri) -> None:
        consola.print(
            "[bold yellow]SIMULADOR del SRI — sin validez[/bold yellow] "
            "(no es el SRI: nada de lo que autoriza vale ante el SRI)\n"
            f"  Recepción:    {simulado.url_recepcion}\n"
            f"  Autorización: {simulado.url_autorizacion}\n"
            f"  Control:      POST {simulado.url}/simulador/programar\n"
            "Ctrl+C para detener.",
            highlight=False,
            soft_wrap=True,
        )

    try:
        servir_simulador_sri(host, port, demora, anunciar)
    except KeyboardInterrupt:
        consola.print("Simulador del SRI detenido.")


@sri.command("estado")
def estado() -> None:
    """Muestra cuántos comprobantes hay en cada estado del SRI y la cola del despachador:
    cuándo se vuelve a mirar cada documento, sus fallos seguidos y el último error."""
    aplicacion = bootstrap()
    try:
        cuenta, cola = estado_sri(aplicacion)
    finally:
        aplicacion.cerrar()
    resumen = Table("Estado del SRI", "Comprobantes")
    for nombre in sorted(cuenta):
        resumen.add_row(nombre, str(cuenta[nombre]))
    consola.print(resumen)
    if not cola:
        consola.print("[green]La cola del despachador está vacía.[/green]")
        return
    tabla = Table("Documento", "Tipo", "Próximo intento", "Fallos seguidos", "Último error")
    for p in cola:
        proximo = p.proximo.isoformat(timespec="seconds") if p.proximo else "detenido"
        tabla.add_row(p.documento_id, p.tipo, proximo, str(p.intentos), p.ultimo_error or "")
    consola.print(tabla)


def registrar(app: typer.Typer) -> None:
    app.add_typer(sri, name="sri")
