"""Registers the shared fixtures (defined in bases_de_datos.py) and marks the tests.

Helpers are imported by tests from uniquely named modules (bases_de_datos, negocio, ...):
several conftest.py files outside packages would all be the module `conftest`."""

from pathlib import Path

import pytest

# The shared contract suites are plain modules: let pytest explain their failed asserts.
pytest.register_assert_rewrite("contrato_unidad_de_trabajo", "contrato_lecturas")

from bases_de_datos import engine, url_base  # noqa: E402

__all__ = ["engine", "url_base"]

PRUEBAS = Path(__file__).parent
# By folder, so that a new file cannot forget its marker (tests/test_marcadores.py checks).
MARCA_DE_LA_CARPETA = {"integration": pytest.mark.integration, "e2e": pytest.mark.e2e}
SERVIDORES = {"postgresql", "mariadb"}


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(PRUEBAS):
            marca = MARCA_DE_LA_CARPETA.get(item.path.relative_to(PRUEBAS).parts[0])
            if marca is not None:
                item.add_marker(marca)
        # Elsewhere, a test parametrized onto a database server needs that server too.
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("url_base") in SERVIDORES:
            item.add_marker(pytest.mark.integration)
