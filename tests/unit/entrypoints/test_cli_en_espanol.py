"""The command line speaks Spanish to people: its numbers, help and errors."""

from __future__ import annotations

import inspect
from types import SimpleNamespace
from typing import Any

import pytest
from typer import rich_utils
from typer._click.formatting import HelpFormatter

from prometeo.entrypoints.cli import app
from prometeo.entrypoints.cli_espanol import TEXTOS_DE_TYPER, ejecutar
from prometeo.entrypoints.cli_proyecciones import _EventosPorSegundo


def test_el_ritmo_de_la_reconstruccion_separa_los_miles_con_un_espacio() -> None:
    tarea: Any = SimpleNamespace(speed=1087.4)
    assert _EventosPorSegundo().render(tarea).plain == "1 087 eventos/s"


def salida(
    argumentos: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str]:
    """The exit code and everything `prometeo ARGUMENTOS` wrote, on one line per line."""
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit) as fin:
        ejecutar(app, argumentos)
    capturado = capsys.readouterr()
    codigo = fin.value.code
    assert isinstance(codigo, int)
    return codigo, capturado.out + capturado.err


@pytest.mark.parametrize(
    "argumentos", [["--help"], ["projections", "rebuild", "--help"], ["relay", "--help"]]
)
def test_la_ayuda_esta_en_espanol(
    argumentos: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    codigo, texto = salida(argumentos, capsys, monkeypatch)

    assert codigo == 0
    assert "Muestra esta ayuda y termina." in texto
    assert "Uso: prometeo" in texto
    assert "Opciones" in texto
    for ingles in ("Show this message", "Usage:", "Options", "[OPTIONS]", "completion"):
        assert ingles not in texto
    # Value types in Spanish words, not Click's <int range>, <float>, <bool>...
    assert "<int" not in texto
    assert "<float" not in texto
    assert "<bool>" not in texto
    if argumentos[0] != "--help":
        assert "ENTERO" in texto


@pytest.mark.parametrize(
    ("argumentos", "mensaje"),
    [
        (
            ["projections", "rebuild", "--lote", "x"],
            "Valor no válido para la opción '--lote': debe ser un número entero.",
        ),
        (
            ["projections", "rebuild", "--lote", "0"],
            "Valor no válido para la opción '--lote': debe ser mayor o igual que 1.",
        ),
        (
            ["projections", "rebuild", "--nope"],
            "No existe la opción --nope (¿quiso decir --lote?).",
        ),
        (["projections", "rebuild", "a", "b"], "Sobra el argumento (b)."),
        (["projections", "rebuild", "--lote"], "La opción '--lote' necesita un valor."),
        (["nada"], "No existe el comando 'nada'."),
        (["token", "revocar"], "Falta el argumento ID_O_NOMBRE."),
        (
            ["token", "--rol", "x", "--nombre", "y"],
            "'x' no es válido; debe ser uno de: 'admin', 'cajero', 'bodeguero' o 'contador'.",
        ),
    ],
)
def test_los_errores_de_uso_estan_en_espanol(
    argumentos: list[str],
    mensaje: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    codigo, texto = salida(argumentos, capsys, monkeypatch)

    assert codigo == 2
    assert mensaje in texto
    assert "para ver la ayuda" in texto
    for ingles in ("Invalid value", "No such", "Usage:", "Try '", "Got unexpected", "Input should"):
        assert ingles not in texto


def test_typer_aun_tiene_cada_texto_que_se_traduce() -> None:
    # The seam over Typer's internals: a renamed constant would leave English behind.
    for nombre in TEXTOS_DE_TYPER:
        assert hasattr(rich_utils, nombre), nombre
    assert "prefix" in inspect.signature(HelpFormatter.write_usage).parameters


def test_una_configuracion_invalida_se_explica_en_espanol(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROMETEO_PLAZO_NOTA_CREDITO_DIAS", "abc")
    codigo, texto = salida(["db", "upgrade"], capsys, monkeypatch)

    assert codigo == 2
    assert "PROMETEO_PLAZO_NOTA_CREDITO_DIAS: debe ser un número entero" in texto
    assert "Input should" not in texto
