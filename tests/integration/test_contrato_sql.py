"""The SQL unit of work keeps the unit of work's contract (the suite the in-memory fakes
pass too) on SQLite, PostgreSQL and MariaDB, wired by `bootstrap` as prometeo runs it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import ClassVar

import pytest
from sqlalchemy import select

from bases_de_datos import todos_los_backends
from contrato_unidad_de_trabajo import ContratoUnidadDeTrabajo
from prometeo.application.unidad_de_trabajo import Metadatos
from prometeo.bootstrap import Aplicacion, bootstrap
from prometeo.infrastructure.db import tablas
from prometeo.infrastructure.db.unidad_de_trabajo import UnidadDeTrabajoSql
from prometeo.infrastructure.settings import Settings

pytestmark = todos_los_backends


class TestUnidadDeTrabajoSql(ContratoUnidadDeTrabajo):
    """As `prometeo serve` runs it: aggregate and catalog caches, projections in the
    command's transaction, snapshots every 50 events."""

    ajustes: ClassVar[dict[str, object]] = {}

    @pytest.fixture(autouse=True)
    def _aplicacion(self, url_base: str) -> Iterator[None]:
        settings = Settings(
            database_url=url_base, broker_url=None, sqlite_synchronous="NORMAL", **self.ajustes
        )
        self.aplicacion: Aplicacion = bootstrap(settings)
        yield
        self.aplicacion.cerrar()

    def unidad(self, metadatos: Metadatos | None = None) -> UnidadDeTrabajoSql:
        return self.aplicacion.unidad_de_trabajo(metadatos)

    def metadatos_guardados(self, stream_id: str) -> list[Metadatos]:
        eventos = tablas.eventos
        consulta = (
            select(eventos.c.metadatos)
            .where(eventos.c.stream_id == stream_id)
            .order_by(eventos.c.version)
        )
        with self.aplicacion.engine.connect() as conexion:
            return [Metadatos(**json.loads(fila)) for fila in conexion.scalars(consulta)]


class TestUnidadDeTrabajoSqlSinCache(TestUnidadDeTrabajoSql):
    """No aggregate cache and a snapshot every two events: every load goes through the
    latest snapshot and the events after it."""

    ajustes: ClassVar[dict[str, object]] = {"cache_agregados": 0, "snapshot_cada": 2}
