"""Fixtures of the domain tests (builders live in negocio.py)."""

from __future__ import annotations

import pytest
from negocio import Negocio


@pytest.fixture
def negocio() -> Negocio:
    return Negocio()
