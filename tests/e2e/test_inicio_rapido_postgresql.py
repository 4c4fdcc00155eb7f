"""The README's PostgreSQL quickstart, run as written (with a role and database of its
own, so as not to touch anyone's): its block is taken from the README itself, the
installed environment stands for `make instalar`, and the server and relay it starts in
the background answer. Also: an unreachable database is one Spanish line, not a
traceback."""

from __future__ import annotations

import os
import re
import subprocess
import time
import uuid
from pathlib import Path

import httpx
import pytest
from servidor_real import comando_prometeo, puerto_libre

from bases_de_datos import exigir_servicio

RAIZ = Path(__file__).resolve().parents[2]
_BLOQUE = re.compile(
    r"<!-- inicio-rapido-postgresql -->\s*```sh\n(.*?)```\s*<!-- fin-inicio-rapido-postgresql -->",
    re.S,
)


def _bloque_del_readme() -> str:
    encontrado = _BLOQUE.search((RAIZ / "README.md").read_text(encoding="utf-8"))
    assert encontrado, "el README perdió el bloque del inicio rápido con PostgreSQL"
    return encontrado.group(1)


def _psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-c", sql],
        check=True,
        capture_output=True,
    )


def test_el_inicio_rapido_del_readme_funciona_copiado(tmp_path: Path) -> None:
    exigir_servicio("postgresql")
    nombre = f"prometeo_rapido_{uuid.uuid4().hex[:8]}"
    puerto = puerto_libre()
    guion = (
        _bloque_del_readme()
        # Its own role and database, dropped afterwards.
        .replace("ROLE prometeo ", f"ROLE {nombre} ")
        .replace("DATABASE prometeo OWNER prometeo", f"DATABASE {nombre} OWNER {nombre}")
        .replace("@127.0.0.1:5432/prometeo", f"@127.0.0.1:5432/{nombre}")
        .replace("postgresql://prometeo:", f"postgresql://{nombre}:")
        # This test's environment is the installed one: `make instalar` and activating it.
        .replace("make instalar\n", "")
        .replace(". .venv/bin/activate\n", "")
        .replace("--port 8000", f"--port {puerto}")
        .replace("--puerto-metricas 9101", f"--puerto-metricas {puerto_libre()}")
    )
    assert "make instalar" not in guion
    # The background processes log to files (a pipe they kept open would hold the shell's
    # output open) and leave their pids for the test to stop them.
    guion = guion.replace(
        " &\nprometeo relay", " > serve.log 2>&1 &\necho $! > serve.pid\nprometeo relay"
    )
    assert guion.endswith(" &\n"), guion[-80:]
    guion = guion[: -len(" &\n")] + " > relay.log 2>&1 &\necho $! > relay.pid\n"
    entorno = {k: v for k, v in os.environ.items() if not k.startswith("PROMETEO_")}
    entorno["PATH"] = f"{Path(comando_prometeo()[0]).parent}{os.pathsep}{entorno['PATH']}"
    entorno["PROMETEO_SRI_URL"] = "http://127.0.0.1:9"  # never the real SRI from a test
    try:
        salida = subprocess.run(
            ["bash", "-e", "-c", guion],
            cwd=tmp_path,
            env=entorno,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert salida.returncode == 0, salida.stdout + salida.stderr
        token_caja = salida.stdout.strip().splitlines()[-1]
        assert len(token_caja) >= 43, salida.stdout
        limite = time.monotonic() + 60
        while True:
            try:
                salud = httpx.get(f"http://127.0.0.1:{puerto}/health", timeout=2)
                if salud.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < limite, "el servidor del inicio rápido no respondió"
            time.sleep(0.2)
        productos = httpx.get(
            f"http://127.0.0.1:{puerto}/api/v1/productos",
            headers={"Authorization": f"Bearer {token_caja}"},
            timeout=10,
        )
        assert productos.status_code == 200
        assert productos.json()["items"], "prometeo demo no cargó productos"
    finally:
        for pid in ("serve.pid", "relay.pid"):
            archivo = tmp_path / pid
            if archivo.exists():
                subprocess.run(["kill", archivo.read_text().strip()], check=False)
        time.sleep(1)
        _psql(f"DROP DATABASE IF EXISTS {nombre} WITH (FORCE)")
        _psql(f"DROP ROLE IF EXISTS {nombre}")


@pytest.mark.parametrize(
    ("url", "empieza", "muestra"),
    [
        (
            "postgresql://nadie:secreta@127.0.0.1:5432/ninguna",
            "No se pudo conectar con la base de datos",
            "nadie:***@127.0.0.1",
        ),
        ("xx", "PROMETEO_DATABASE_URL no es una URL de base de datos válida", "(xx)"),
    ],
)
def test_una_base_inalcanzable_o_mal_escrita_es_una_linea_en_espanol(
    url: str, empieza: str, muestra: str
) -> None:
    entorno = {k: v for k, v in os.environ.items() if not k.startswith("PROMETEO_")}
    entorno["PROMETEO_DATABASE_URL"] = url
    salida = subprocess.run(
        [*comando_prometeo(), "db", "upgrade"],
        env=entorno,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert salida.returncode == 1
    texto = " ".join((salida.stdout + salida.stderr).split())
    assert texto.startswith(empieza), texto
    assert "Traceback" not in texto
    assert "secreta" not in texto
    assert muestra in texto
