"""Fixtures of the application tests: a shop wired with in-memory fakes."""

from __future__ import annotations

import pytest
from escenario import Escenario


@pytest.fixture
def vacio() -> Escenario:
    """No catalog at all."""
    return Escenario()


@pytest.fixture
def tienda() -> Escenario:
    """The shop with its catalog, no stock yet."""
    return Escenario().sembrar()
