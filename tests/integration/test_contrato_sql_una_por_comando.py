"""The unit of work's contract on SQLite with PROMETEO_GRUPO_COMMIT=false: each unit of
work its own transaction (the default is a savepoint of a transaction shared with the
commands that arrive with it; alone in a test, each batch holds one command). Group
commit is SQLite's only, so this suite runs on SQLite alone."""

from __future__ import annotations

from typing import ClassVar

import pytest

# Imported under a name pytest does not collect: the base suite runs in its own module.
from test_contrato_sql import TestUnidadDeTrabajoSql as _ContratoSql

pytestmark = pytest.mark.parametrize("url_base", ["sqlite"], indirect=True)


class TestUnidadDeTrabajoSqlUnaPorComando(_ContratoSql):
    ajustes: ClassVar[dict[str, object]] = {"grupo_commit": False}

    def test_cada_unidad_es_su_propia_transaccion(self) -> None:
        assert self.aplicacion.grupo is None
