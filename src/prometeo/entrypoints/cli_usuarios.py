"""`prometeo usuario ...`: the people who sign in on the web screens.

The password is asked twice on a terminal without echo, or read from the first line of
standard input (scripts: `printf '%s\\n' "$CLAVE" | prometeo usuario crear ...`) or of
`--clave-archivo`. It is never printed, logged, nor repeated in an error."""

from __future__ import annotations

import getpass
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from prometeo.application.acceso import Rol
from prometeo.application.personas import clave_valida
from prometeo.bootstrap import (
    crear_usuario,
    desactivar_usuario,
    listar_usuarios,
    reactivar_usuario,
)
from prometeo.domain.errores import Duplicado, NoEncontrado

usuarios = typer.Typer(
    help="Personas que ingresan a las pantallas web: crear, listar, desactivar, reactivar.",
    no_args_is_help=True,
)
consola = Console()
errores = Console(stderr=True)


def leer_clave(archivo: Path | None) -> str:
    """The new password: from `archivo`, from a terminal (asked twice, hidden) or from
    the first line of standard input. ValueError when it is invalid or the two differ."""
    if archivo is not None:
        lineas = archivo.read_text(encoding="utf-8").splitlines()
        return clave_valida(lineas[0] if lineas else "")
    if sys.stdin.isatty():
        clave = getpass.getpass("Contraseña: ")
        clave_valida(clave)
        if getpass.getpass("Repita la contraseña: ") != clave:
            raise ValueError("Las dos contraseñas no coinciden")
        return clave
    return clave_valida(sys.stdin.readline().rstrip("\r\n"))


@usuarios.command("crear")
def crear(
    nombre: Annotated[str, typer.Argument(help="Nombre de usuario (con él ingresa).")],
    rol: Annotated[Rol, typer.Option("--rol", help="admin, cajero, bodeguero o contador.")],
    clave_archivo: Annotated[
        Path | None,
        typer.Option(
            "--clave-archivo",
            exists=True,
            dir_okay=False,
            help="Archivo cuya primera línea es la contraseña (sin él: se pregunta, o se lee "
            "de la entrada estándar).",
        ),
    ] = None,
) -> None:
    """Crea un usuario para las pantallas web (solo se guarda el hash argon2 de su clave)."""
    try:
        clave = leer_clave(clave_archivo)
        vista = crear_usuario(nombre, rol, clave)
    except (ValueError, Duplicado) as error:
        errores.print(f"[red]{error}[/red]", highlight=False)
        raise typer.Exit(2) from None
    consola.print(f"Usuario «{vista.nombre}» creado con rol {vista.rol.value}.", highlight=False)


@usuarios.command("listar")
def listar() -> None:
    """Lista los usuarios (nunca su contraseña)."""
    tabla = Table("Usuario", "Rol", "Activo", "Creado")
    for v in listar_usuarios():
        tabla.add_row(v.nombre, v.rol.value, "sí" if v.activo else "no", _fecha(v.creado_en))
    consola.print(tabla)


@usuarios.command("desactivar")
def desactivar(
    nombre: Annotated[str, typer.Argument(help="Nombre de usuario.")],
) -> None:
    """Desactiva un usuario: ya no puede ingresar y sus sesiones abiertas terminan."""
    try:
        vista = desactivar_usuario(nombre)
    except NoEncontrado:
        errores.print(f"[red]No hay un usuario «{nombre}»[/red]", highlight=False)
        raise typer.Exit(1) from None
    consola.print(f"Usuario «{vista.nombre}» desactivado.", highlight=False)


@usuarios.command("reactivar")
def reactivar(
    nombre: Annotated[str, typer.Argument(help="Nombre de usuario.")],
) -> None:
    """Reactiva un usuario desactivado: vuelve a ingresar con su misma contraseña."""
    try:
        vista = reactivar_usuario(nombre)
    except NoEncontrado:
        errores.print(f"[red]No hay un usuario «{nombre}»[/red]", highlight=False)
        raise typer.Exit(1) from None
    consola.print(f"Usuario «{vista.nombre}» reactivado.", highlight=False)


def _fecha(momento: datetime) -> str:
    return f"{momento:%Y-%m-%d %H:%M}"


def registrar(app: typer.Typer) -> None:
    app.add_typer(usuarios, name="usuario")
