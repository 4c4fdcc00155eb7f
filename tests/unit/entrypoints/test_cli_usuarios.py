"""`prometeo usuario ...` and the demo's users: the password is read, never shown, and
only its argon2 hash is stored."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from entorno_api import HOY
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from prometeo.entrypoints.cli import app as cli

CLAVE = "una-clave-larga-7"


@pytest.fixture
def entorno(url_api: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("PROMETEO_DATABASE_URL", url_api)
    monkeypatch.setenv("PROMETEO_HOY", HOY.isoformat())
    monkeypatch.setenv("PROMETEO_SQLITE_SYNCHRONOUS", "NORMAL")
    return url_api


def _hashes(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conexion:
            return [f[0] for f in conexion.execute(text("SELECT hash_clave FROM usuarios"))]
    finally:
        engine.dispose()


def test_crear_lee_la_clave_de_la_entrada_y_no_la_muestra(entorno: str) -> None:
    runner = CliRunner()
    creado = runner.invoke(cli, ["usuario", "crear", "Ana", "--rol", "cajero"], input=CLAVE + "\n")
    assert creado.exit_code == 0, creado.output
    assert "Ana" in creado.output
    assert CLAVE not in creado.output
    [hash_clave] = _hashes(entorno)
    assert hash_clave.startswith("$argon2id$")
    assert CLAVE not in hash_clave
    repetido = runner.invoke(cli, ["usuario", "crear", "ana", "--rol", "admin"], input=CLAVE + "\n")
    assert repetido.exit_code == 2
    corta = runner.invoke(cli, ["usuario", "crear", "bob", "--rol", "admin"], input="corta\n")
    assert corta.exit_code == 2
    assert "corta" not in corta.output
    listado = runner.invoke(cli, ["usuario", "listar"])
    assert "Ana" in listado.output
    assert "$argon2" not in listado.output
    assert runner.invoke(cli, ["usuario", "desactivar", "ANA"]).exit_code == 0
    assert runner.invoke(cli, ["usuario", "desactivar", "nadie"]).exit_code == 1
    assert "| no " in runner.invoke(cli, ["usuario", "listar"]).output.replace("│", "|")
    assert runner.invoke(cli, ["usuario", "reactivar", "ana"]).exit_code == 0
    assert "| no " not in runner.invoke(cli, ["usuario", "listar"]).output.replace("│", "|")
    assert runner.invoke(cli, ["usuario", "reactivar", "nadie"]).exit_code == 1


def test_crear_con_clave_en_archivo(entorno: str, tmp_path: Path) -> None:
    archivo = tmp_path / "clave"
    archivo.write_text(CLAVE + "\n", encoding="utf-8")
    resultado = CliRunner().invoke(
        cli, ["usuario", "crear", "bodega1", "--rol", "bodeguero", "--clave-archivo", str(archivo)]
    )
    assert resultado.exit_code == 0, resultado.output
    assert len(_hashes(entorno)) == 1


def test_la_demo_crea_un_usuario_por_rol_una_vez(entorno: str, tmp_path: Path) -> None:
    archivo = tmp_path / "claves-demo"
    runner = CliRunner()
    primera = runner.invoke(cli, ["demo", "--claves-archivo", str(archivo)])
    assert primera.exit_code == 0, primera.output
    lineas = archivo.read_text(encoding="utf-8").splitlines()
    assert [linea.split(":")[0] for linea in lineas] == ["cajero", "bodeguero", "contador", "admin"]
    assert stat.S_IMODE(archivo.stat().st_mode) == 0o600
    # Saved, not shown: `make run` shows them from the file, once.
    assert str(archivo) in primera.output.replace("\n", "")
    assert not any(linea.split(": ")[1] in primera.output for linea in lineas)
    segunda = runner.invoke(cli, ["demo", "--claves-archivo", str(archivo)])
    assert "ya existían" in segunda.output
    assert archivo.read_text(encoding="utf-8").splitlines() == lineas
    assert len(_hashes(entorno)) == 4
