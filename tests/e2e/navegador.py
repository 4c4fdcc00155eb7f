"""Debian's chromium driven by Playwright (sync API), for the web screens' tests: never a
browser Playwright downloads (`playwright install`), only /usr/bin/chromium, which the
Makefile and .ci/run install when missing. Screenshots go to tests/e2e/capturas/ (not in
git; CI keeps the folder as an artifact)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CAPTURAS = Path(__file__).parent / "capturas"
ARGUMENTOS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# axe-core's impact levels that fail a screen.
IMPACTOS_GRAVES = frozenset({"serious", "critical"})


def exigir_chromium() -> None:
    """Skip without /usr/bin/chromium (or fail with PROMETEO_REQUIRE_SERVICES=1, as CI,
    whose .ci/run installs it)."""
    if CHROMIUM.exists():
        return
    razon = f"{CHROMIUM} no está instalado (apt-get install -y chromium)"
    if os.environ.get("PROMETEO_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{razon} y PROMETEO_REQUIRE_SERVICES=1")
    pytest.skip(razon)


@contextmanager
def chromium() -> Iterator[Browser]:
    exigir_chromium()
    with sync_playwright() as playwright:
        navegador = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGUMENTOS)
        try:
            yield navegador
        finally:
            navegador.close()


def capturar(pagina: Page, nombre: str) -> Path:
    """A full-page screenshot, tests/e2e/capturas/<nombre>.png."""
    CAPTURAS.mkdir(exist_ok=True)
    ruta = CAPTURAS / f"{nombre}.png"
    pagina.screenshot(path=str(ruta), full_page=True)
    return ruta


def violaciones_graves(pagina: Page) -> list[dict[str, Any]]:
    """axe-core's serious or critical violations on the page as it is now."""
    resultado = Axe().run(pagina)
    return [v for v in resultado.response["violations"] if v.get("impact") in IMPACTOS_GRAVES]


def version_chromium() -> str:
    return subprocess.run(
        [str(CHROMIUM), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
