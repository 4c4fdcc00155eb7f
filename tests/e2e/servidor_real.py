"""The real `prometeo serve` process, started on a free port and stopped cleanly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx

HOY = date(2026, 11, 29)
TOKEN_ADMIN = "admin-e2e-0123456789abcdefghijklmnopqrstuvwxyz"
_ESPERA_ARRANQUE = 60.0


def comando_prometeo() -> list[str]:
    """The installed console script, or the module when there is none."""
    script = Path(sys.executable).with_name("prometeo")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from prometeo.entrypoints.cli import main; main()"]


def entorno(url: str, **extra: str) -> dict[str, str]:
    variables = {k: v for k, v in os.environ.items() if not k.startswith("PROMETEO_")}
    variables.update(
        PROMETEO_DATABASE_URL=url,
        PROMETEO_ADMIN_TOKEN=TOKEN_ADMIN,
        PROMETEO_HOY=HOY.isoformat(),
        # Never the real SRI from a test: a closed local port unless a test says otherwise.
        PROMETEO_SRI_URL="http://127.0.0.1:9",
    )
    variables.update(extra)
    return variables


def ejecutar(
    url: str, *argumentos: str, timeout: float = 120, **variables: str
) -> subprocess.CompletedProcess[str]:
    """Run `prometeo <argumentos>` on the database at `url`."""
    return subprocess.run(
        [*comando_prometeo(), *argumentos],
        env=entorno(url, **variables),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def crear_usuario(url: str, nombre: str, rol: str, clave: str) -> None:
    """`prometeo usuario crear` on the database at `url`, the password typed on stdin
    (and never echoed)."""
    creado = subprocess.run(
        [*comando_prometeo(), "usuario", "crear", nombre, "--rol", rol],
        input=clave + "\n",
        env=entorno(url),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert creado.returncode == 0, creado.stderr
    assert clave not in creado.stdout + creado.stderr


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        puerto: int = s.getsockname()[1]
        return puerto


@dataclass
class Servidor:
    base: str
    proceso: subprocess.Popen[bytes]
    registro: Path

    def cliente(self, token: str = TOKEN_ADMIN, **opciones: object) -> httpx.Client:
        return httpx.Client(
            base_url=self.base,
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
            **opciones,  # type: ignore[arg-type]
        )


@contextmanager
def servidor(
    url: str, directorio: Path, *, workers: int = 1, **variables: str
) -> Iterator[Servidor]:
    """`prometeo serve` on `url` (with extra PROMETEO_* `variables`), ready (GET /health
    answers 200) when entered."""
    puerto = puerto_libre()
    registro = directorio / f"servidor-{puerto}.log"
    with registro.open("wb") as salida:
        proceso = subprocess.Popen(
            [
                *comando_prometeo(),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(puerto),
                "--workers",
                str(workers),
            ],
            env=entorno(url, **variables),
            stdout=salida,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{puerto}"
    try:
        _esperar_salud(base, proceso, registro)
        yield Servidor(base, proceso, registro)
    finally:
        _detener(proceso)


def _esperar_salud(base: str, proceso: subprocess.Popen[bytes], registro: Path) -> None:
    limite = time.monotonic() + _ESPERA_ARRANQUE
    while time.monotonic() < limite:
        if proceso.poll() is not None:
            raise AssertionError(f"El servidor terminó al arrancar:\n{registro.read_text()}")
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"El servidor no respondió a tiempo:\n{registro.read_text()}")


def _detener(proceso: subprocess.Popen[bytes]) -> None:
    if proceso.poll() is None:
        proceso.send_signal(signal.SIGTERM)
        try:
            proceso.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proceso.kill()
            proceso.wait(timeout=10)
