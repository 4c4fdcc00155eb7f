"""Markers are honest: every test under tests/integration is `integration` and every one
under tests/e2e is `e2e` (tests/conftest.py marks them by folder), so selecting by marker
and selecting by folder (`make unit`, `make integration`, `make e2e`) agree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PRUEBAS = Path(__file__).parent


@pytest.mark.parametrize("carpeta", ["integration", "e2e"])
def test_toda_prueba_de_la_carpeta_lleva_su_marcador(carpeta: str) -> None:
    assert list((PRUEBAS / carpeta).glob("**/test_*.py")), f"tests/{carpeta} sin pruebas"
    orden = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
    recogidas = subprocess.run(
        [*orden, "-m", f"not {carpeta}", str(PRUEBAS / carpeta)],
        capture_output=True,
        text=True,
        cwd=PRUEBAS.parent,
        check=False,
    )
    # Otherwise it lists, per file, the tests that `-m "not {carpeta}"` would still run
    # (or, with another exit code, why the folder could not be collected).
    assert recogidas.returncode == pytest.ExitCode.NO_TESTS_COLLECTED, (
        recogidas.stdout + recogidas.stderr
    )
