"""Property-based tests of the whole HTTP API from its own OpenAPI document
(schemathesis): no input yields a 5xx, and every response conforms to the schema.

Each operation gets a bounded, derandomized run of generated requests, valid ones and
invalid ones, all with an admin token on one database that fills up as they go.
(Driven through Hypothesis directly: schemathesis' lazy pytest loader does not run on
pytest 9.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from prometeo.bootstrap import bootstrap
from prometeo.entrypoints.api.app import crear_app
from prometeo.infrastructure.settings import Settings

TOKEN = "token-schemathesis-0123456789abcdefghijklmnopqrstuvwxyz"
EJEMPLOS_POR_OPERACION = 25
# A schema-valid request may still break a business rule (an unknown RUC check digit, a
# sale beyond the stock...): the domain answers 422 by design, so "valid data must be
# accepted" does not hold here. And "invalid data must be rejected" misfires: a mutation
# that drops the Authorization header is undone by the token every call carries, and
# one that adds a query parameter with no value never reaches the wire. (Unknown and
# repeated parameters are refused: see test_api_errores.py.) Every other check runs: no
# 5xx, documented status codes, content types, headers and response schemas.
EXCLUIDAS = [positive_data_acceptance, negative_data_rejection]


@pytest.fixture(scope="module")
def app_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    ruta = tmp_path_factory.mktemp("schemathesis") / "api.db"
    wired = bootstrap(
        Settings(
            database_url=f"sqlite:///{ruta}",
            hoy=date(2026, 11, 29),
            admin_token=TOKEN,
            broker_url=None,
            sqlite_synchronous="NORMAL",
        )
    )
    app = crear_app(wired)
    # The fuzzer's own requests with broken tokens all come from one address: the limit on
    # bad tokens (tested in test_api_seguridad.py) would answer everything after them 429.
    app.state.limitador_fallos.permitidos = 10**9
    yield app
    wired.cerrar()


@pytest.mark.parametrize("modo", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_la_api_cumple_su_esquema(app_api: FastAPI, modo: GenerationMode) -> None:
    esquema = schemathesis.openapi.from_asgi("/openapi.json", app_api)
    fallas: list[str] = []
    operaciones = 0
    for resultado in esquema.get_all_operations():
        operacion = resultado.ok()
        operaciones += 1

        @settings(
            max_examples=EJEMPLOS_POR_OPERACION,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(caso=operacion.as_strategy(generation_mode=modo))
        def probar(caso: schemathesis.Case) -> None:
            caso.call_and_validate(
                headers={"Authorization": f"Bearer {TOKEN}"}, excluded_checks=EXCLUIDAS
            )

        try:
            probar()
        except Unsatisfiable:
            # Nothing to break in an operation without parameters (GET /health).
            assert modo is GenerationMode.NEGATIVE, operacion.label
        except Exception as error:
            fallas.append(f"{operacion.label}: {error}")
    assert operaciones >= 25
    assert not fallas, "\n\n".join(fallas)
