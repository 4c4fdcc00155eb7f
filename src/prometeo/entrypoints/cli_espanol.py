"""The command line in Spanish: the help Typer writes itself and the errors of its
parser (Typer vendors its own Click, whose texts are English literals, not gettext
messages). This module is the one seam that knows Typer's internals;
tests/unit/entrypoints/test_cli_en_espanol.py fails loudly if they move."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin

import typer
from pydantic import ValidationError
from rich.console import Console
from typer import rich_utils
from typer._click import exceptions as excepciones
from typer._click.formatting import HelpFormatter
from typer.core import TyperOption

from prometeo.entrypoints.api.validacion import que_se_espera

AYUDA = "Muestra esta ayuda y termina."

# Typer reads these module constants each time it draws a help screen or an error.
TEXTOS_DE_TYPER = {
    "ARGUMENTS_PANEL_TITLE": "Argumentos",
    "OPTIONS_PANEL_TITLE": "Opciones",
    "COMMANDS_PANEL_TITLE": "Comandos",
    "ERRORS_PANEL_TITLE": "Error",
    "ABORTED_TEXT": "Cancelado.",
    "DEFAULT_STRING": "[por omisión: {}]",
    "REQUIRED_LONG_STRING": "[obligatorio]",
    "ENVVAR_STRING": "[variable de entorno: {}]",
    "DEPRECATED_STRING": "(obsoleto) ",
    "RICH_HELP": "Pruebe [blue]'{command_path} {help_option}'[/] para ver la ayuda.",
}


def textos_en_espanol() -> None:
    """Typer's own words on a help screen, in Spanish. A name Typer no longer has stops
    here, loudly, instead of leaving English behind silently."""
    for nombre, texto in TEXTOS_DE_TYPER.items():
        if not hasattr(rich_utils, nombre):
            raise RuntimeError(f"typer.rich_utils ya no tiene {nombre}: revise cli_espanol")
        setattr(rich_utils, nombre, texto)


_NO_ES_UNO_DE = re.compile(r"Value error, (?P<valor>.*) is not one of (?P<opciones>.*?)\.?$")
_SOBRA = re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<sobra>.*)\)")
_NO_EXISTE_COMANDO = re.compile(
    r"No such command (?P<nombre>'[^']*')\.(?: Did you mean (?P<sugerencia>.*)\?)?"
)
_NECESITA_VALOR = re.compile(r"Option (?P<opcion>.*) requires an argument\.")


class _Formateador(HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "Uso: " if prefix is None else prefix)


class _Contexto(typer.Context):
    """A command's context whose help formatter writes "Uso:" where Click writes "Usage:"."""

    formatter_class = _Formateador


def ayuda_en_espanol(comando: Any) -> None:
    """Every command's --help option described in Spanish (the option is built, and
    cached by the command, the first time it is asked for), its usage line's
    placeholders too."""
    contexto = typer.Context(comando, info_name=comando.name)
    opcion = comando.get_help_option(contexto)
    if opcion is not None:
        opcion.help = AYUDA
        opcion.metavar = ""  # a flag: no value, no type to show
    comando.context_class = _Contexto
    # What the usage line shows in place of the options and of a group's subcommand.
    comando.options_metavar = "[OPCIONES]"
    if hasattr(comando, "subcommand_metavar"):
        comando.subcommand_metavar = "COMANDO [ARGUMENTOS]..."
    for parametro in getattr(comando, "params", []):
        nombre = _tipo_en_espanol(parametro)
        # Options only: an argument's metavar is its name on the usage line.
        if isinstance(parametro, TyperOption) and parametro.metavar is None and nombre is not None:
            parametro.metavar = nombre
    for hijo in getattr(comando, "commands", {}).values():
        ayuda_en_espanol(hijo)


# What a help screen shows for each type of value, where Typer writes <int>, <float
# range>, <bool>...: Spanish words (a flag shows none: it takes no value).
_TIPOS: dict[type, str] = {int: "ENTERO", float: "NÚMERO", str: "TEXTO", Path: "RUTA", bool: ""}


def _tipo_en_espanol(parametro: Any) -> str | None:
    descriptor = getattr(parametro, "type_descriptor", None)
    anotacion = getattr(descriptor, "annotation", None)
    if get_origin(anotacion) in (Union, UnionType):
        anotacion = next((a for a in get_args(anotacion) if a is not type(None)), None)
    return _TIPOS.get(anotacion) if isinstance(anotacion, type) else None


def _lista(opciones: str) -> str:
    antes, separador, ultima = opciones.rpartition(", ")
    return f"{antes} o {ultima}" if separador else opciones


def _invalido(error: excepciones.BadParameter) -> str:
    """What is wrong with a parameter's value, in Spanish."""
    causa = error.__cause__
    if isinstance(causa, ValidationError) and causa.errors():
        detalle = causa.errors()[0]
        coincide = _NO_ES_UNO_DE.match(str(detalle.get("msg", "")))
        if coincide:
            return f"{coincide['valor']} no es válido; debe ser uno de: " + _lista(
                coincide["opciones"]
            )
        return que_se_espera(detalle)
    return error.message


def _nombre(error: excepciones.BadParameter) -> str:
    parametro = error.param
    if parametro is None:
        return "el valor"
    if getattr(parametro, "param_type_name", "") == "argument":
        # As the help shows it: its metavar, or its name in capitals.
        return f"el argumento {parametro.metavar or (parametro.name or '').upper()}"
    return f"la opción {parametro.get_error_hint()}"


def mensaje(error: excepciones.ClickException) -> str:
    """A parser error as one Spanish sentence."""
    if isinstance(error, excepciones.MissingParameter):
        return f"Falta {_nombre(error)}."
    if isinstance(error, excepciones.BadParameter):
        return f"Valor no válido para {_nombre(error)}: {_invalido(error)}."
    if isinstance(error, excepciones.NoSuchOption):
        posibles = sorted(error.possibilities or ())
        sugerencia = f" (¿quiso decir {_lista(', '.join(posibles))}?)" if posibles else ""
        return f"No existe la opción {error.option_name}{sugerencia}."
    texto = error.format_message()
    comando = _NO_EXISTE_COMANDO.fullmatch(texto)
    if comando:
        sugerencia = comando["sugerencia"]
        quiso = f" (¿quiso decir {sugerencia}?)" if sugerencia else ""
        return f"No existe el comando {comando['nombre']}{quiso}."
    for patron, traduccion in (
        (_SOBRA, "Sobra el argumento ({sobra})."),
        (_NECESITA_VALOR, "La opción {opcion} necesita un valor."),
    ):
        coincide = patron.fullmatch(texto)
        if coincide:
            return traduccion.format(**coincide.groupdict())
    if texto == "Missing command.":
        return "Falta el comando."
    return texto


def ejecutar(app: typer.Typer, argumentos: Sequence[str] | None = None) -> None:
    """Run the command line, its help and its errors in Spanish: a wrong invocation says
    what is wrong and how to ask for help, and exits with 2 (as Click does)."""
    textos_en_espanol()
    comando = typer.main.get_command(app)
    ayuda_en_espanol(comando)
    errores = Console(stderr=True)
    try:
        resultado = comando.main(
            args=list(argumentos) if argumentos is not None else None,
            prog_name="prometeo",
            standalone_mode=False,
        )
    except excepciones.NoArgsIsHelpError as error:
        errores.print(error.format_message(), markup=False, highlight=False)
        sys.exit(2)
    except excepciones.UsageError as error:
        ruta = error.ctx.command_path if error.ctx is not None else "prometeo"
        errores.print(f"[red]Error:[/red] {mensaje(error)}", highlight=False)
        errores.print(f"Pruebe '{ruta} --help' para ver la ayuda.", markup=False)
        sys.exit(error.exit_code)
    except excepciones.ClickException as error:
        errores.print(f"[red]Error:[/red] {mensaje(error)}", highlight=False)
        sys.exit(error.exit_code)
    except typer.Abort:
        errores.print("[red]Cancelado.[/red]")
        sys.exit(1)
    sys.exit(resultado if isinstance(resultado, int) else 0)
