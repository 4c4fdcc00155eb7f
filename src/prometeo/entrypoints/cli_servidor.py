"""Commands of `prometeo` that serve and seed: `serve`, `demo` and `token` (registered
on the Typer app in cli.py)."""

from __future__ import annotations

import gc
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from prometeo.application.acceso import Rol
from prometeo.bootstrap import (
    Aplicacion,
    Settings,
    actualizar_esquema,
    bootstrap,
    crear_servicios,
    crear_token,
    listar_tokens,
    metricas_de_varios_procesos,
    revocar_token,
)
from prometeo.domain.errores import Duplicado, NoEncontrado
from prometeo.entrypoints.demo import cargar_demo, crear_usuarios_demo

if TYPE_CHECKING:
    from fastapi import FastAPI

consola = Console()
errores = Console(stderr=True)
FABRICA_APP = "prometeo.entrypoints.cli_servidor:crear_app_servidor"


def congelar_montaje() -> None:
    """Move everything built so far (modules, the app, its routes and schemas: most of the
    process's objects) out of the garbage collector's reach. A full collection otherwise
    walks them all, a pause during which no request advances, and under load it lands on
    the slowest answers of POST /api/v1/facturas. What requests create later is collected
    as usual."""
    gc.collect()
    gc.freeze()


def crear_app_servidor() -> FastAPI:
    """What each worker process of `serve --workers N` runs: its own bootstrap and app."""
    from prometeo.entrypoints.api.app import crear_app

    aplicacion = bootstrap(Settings(), migrar_esquema=False, volcado_aparte=True)
    iniciar_hilos(aplicacion)
    app = crear_app(aplicacion, propia=True)
    congelar_montaje()
    return app


def iniciar_hilos(aplicacion: Aplicacion) -> None:
    """The server's background threads. The reports' read models are caught up in one
    soon after sales commit (embedded mode; each worker may run one: the projections'
    checkpoints keep every event applied once). With PROMETEO_SRI_ENVIO=embebido the
    server also signs emitted documents in a thread of its own (several workers may each
    run one: a document is still signed once) and sends them to the SRI in another (one
    per database: the dispatcher holds a lease)."""
    if aplicacion.diferidas is not None:
        aplicacion.diferidas.iniciar()
    if aplicacion.settings.sri_envio != "embebido":
        return
    if aplicacion.firmador is not None:
        aplicacion.firmador.iniciar()
    if aplicacion.despachador is not None:
        aplicacion.despachador.iniciar()


def serve(
    host: Annotated[str, typer.Option("--host", help="Dirección en la que escuchar.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Puerto.")] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=64, help="Procesos de la API.")
    ] = 1,
) -> None:
    """Sirve la API HTTP (PROMETEO_DATABASE_URL, PROMETEO_ADMIN_TOKEN...)."""
    # Imported here: the other commands need neither the web stack nor the server.
    import uvicorn

    from prometeo.entrypoints.api.app import crear_app

    # Defaults for SQLite (benchmarks/parte5_http.py measures them, figures in
    # benchmarks/PERFIL.md): one process, because SQLite admits one writer at a time, so
    # more processes only add the hand-over of the turn file between them (turnos.py);
    # uvicorn on uvloop and httptools (h11 parses each request in Python, on the event
    # loop); its access log kept (cheap next to a request). How many commands run in threads
    # at once: hilos.py.
    settings = Settings()
    # Once, before any worker starts: workers must not race to create the schema.
    actualizar_esquema(settings)
    # /metrics adds up every worker's metrics (PROMETHEUS_MULTIPROC_DIR, set before the
    # workers start and import prometheus_client).
    with metricas_de_varios_procesos(workers):
        if workers > 1:
            # Each worker process imports the factory and bootstraps itself.
            uvicorn.run(FABRICA_APP, factory=True, host=host, port=port, workers=workers)
            return
        aplicacion = bootstrap(settings, migrar_esquema=False, volcado_aparte=True)
        iniciar_hilos(aplicacion)
        try:
            app = crear_app(aplicacion)
            congelar_montaje()
            uvicorn.run(app, host=host, port=port)
        finally:
            aplicacion.cerrar()


def demo(
    claves_archivo: Annotated[
        Path | None,
        typer.Option(
            "--claves-archivo",
            dir_okay=False,
            help="Guarda aquí (solo legible por su dueño) las contraseñas de los usuarios "
            "de demostración, en vez de mostrarlas.",
        ),
    ] = None,
) -> None:
    """Carga datos de demostración en PROMETEO_DATABASE_URL (una sola vez) y crea los
    usuarios cajero, bodeguero, contador y admin para las pantallas web."""
    aplicacion = bootstrap(Settings())
    try:
        servicios = crear_servicios(aplicacion)
        resumen = cargar_demo(servicios)
        claves = crear_usuarios_demo(servicios)
    finally:
        aplicacion.cerrar()
    if not resumen.cargado:
        consola.print("[yellow]Los datos de demostración ya estaban cargados.[/yellow]")
    else:
        consola.print(
            f"[green]Datos de demostración cargados:[/green] {resumen.sucursales} sucursales, "
            f"{resumen.productos} productos, {resumen.clientes} clientes, "
            f"facturas {', '.join(resumen.facturas)}."
        )
    if claves and claves_archivo is not None:
        # Whoever asked for the file shows them from it (`make run` does, once, beside the
        # token): printed here too they appeared twice, and in the terminal's history.
        _guardar_claves(claves_archivo, claves)
        consola.print(
            f"Usuarios de demostración creados ({', '.join(claves)}); sus contraseñas están "
            f"en {claves_archivo}.",
            highlight=False,
        )
    elif claves:
        consola.print("Usuarios de demostración (usuario: contraseña):", highlight=False)
        for nombre, clave in claves.items():
            consola.print(f"    {nombre}: {clave}", highlight=False)
    elif claves_archivo is not None and claves_archivo.exists():
        consola.print(
            f"Los usuarios de demostración ya existían; sus contraseñas están en {claves_archivo}.",
            highlight=False,
        )
    else:
        consola.print("Los usuarios de demostración ya existían.")


def _guardar_claves(archivo: Path, claves: dict[str, str]) -> None:
    """usuario: contraseña, one a line, in a file only its owner may read."""
    anterior = os.umask(0o077)
    try:
        with archivo.open("w", encoding="utf-8") as salida:
            for nombre, clave in claves.items():
                salida.write(f"{nombre}: {clave}\n")
        archivo.chmod(0o600)
    finally:
        os.umask(anterior)


tokens = typer.Typer(
    help="Tokens de acceso: `prometeo token --rol R --nombre N` crea uno; `listar`, `revocar`.",
    invoke_without_command=True,
)


@tokens.callback()
def token(
    ctx: typer.Context,
    rol: Annotated[
        Rol | None, typer.Option("--rol", help="admin, cajero, bodeguero o contador.")
    ] = None,
    nombre: Annotated[str | None, typer.Option("--nombre", help="Quién usará el token.")] = None,
    dias: Annotated[
        int | None,
        typer.Option("--dias", min=1, max=36500, help="Vence en tantos días (sin él, no vence)."),
    ] = None,
) -> None:
    """Crea un token de acceso y lo imprime (solo se guarda su hash)."""
    if ctx.invoked_subcommand is not None:
        return
    if rol is None or nombre is None:
        errores.print(
            "[red]Para crear un token indique --rol y --nombre[/red] (o use `prometeo token "
            "listar` o `prometeo token revocar ID_O_NOMBRE`)"
        )
        raise typer.Exit(2)
    expira_en = None if dias is None else datetime.now(UTC) + timedelta(days=dias)
    try:
        emitido = crear_token(nombre, rol, expira_en=expira_en)
    except (ValueError, Duplicado) as error:
        errores.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    vence = "" if emitido.expira_en is None else f", vence {emitido.expira_en:%Y-%m-%d %H:%M} UTC"
    errores.print(
        f"Token {emitido.id} de rol {emitido.rol.value} para «{emitido.nombre}»{vence}; guárdelo:"
    )
    # Alone on stdout, so that scripts can capture it.
    print(emitido.token)


@tokens.command("listar")
def listar() -> None:
    """Lista los tokens emitidos (nunca su secreto): vigencia y último uso."""
    tabla = Table("Id", "Nombre", "Rol", "Creado", "Vence", "Revocado", "Último uso")
    for v in listar_tokens():
        tabla.add_row(
            v.id, v.nombre, v.rol.value, _fecha(v.creado_en), _fecha(v.expira_en),
            _fecha(v.revocado_en), _fecha(v.ultimo_uso),
        )  # fmt: skip
    consola.print(tabla)


@tokens.command("revocar")
def revocar(
    id_o_nombre: Annotated[str, typer.Argument(help="El id del token o su nombre.")],
) -> None:
    """Revoca un token: desde ya no vale."""
    try:
        vista = revocar_token(id_o_nombre)
    except NoEncontrado:
        errores.print(f"[red]No hay un token con id o nombre «{id_o_nombre}»[/red]")
        raise typer.Exit(1) from None
    consola.print(f"Token «{vista.nombre}» ({vista.id}) revocado el {_fecha(vista.revocado_en)}.")


def _fecha(momento: datetime | None) -> str:
    return "" if momento is None else f"{momento:%Y-%m-%d %H:%M}"


def registrar(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("demo")(demo)
    app.add_typer(tokens, name="token")
