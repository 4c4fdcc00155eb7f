"""The in-memory fakes keep the unit of work's contract (the same suite the SQL unit of
work passes on every backend), so the service tests that use them mean something."""

from __future__ import annotations

import pytest
from fakes import AlmacenEnMemoria, CatalogoEnMemoria, FakeUnidadDeTrabajo

from contrato_unidad_de_trabajo import ContratoUnidadDeTrabajo
from prometeo.application.unidad_de_trabajo import Metadatos


class TestFakeUnidadDeTrabajo(ContratoUnidadDeTrabajo):
    @pytest.fixture(autouse=True)
    def _almacen_vacio(self) -> None:
        self.almacen = AlmacenEnMemoria()
        self.catalogo = CatalogoEnMemoria()

    def unidad(self, metadatos: Metadatos | None = None) -> FakeUnidadDeTrabajo:
        return FakeUnidadDeTrabajo(self.almacen, self.catalogo, metadatos)

    def metadatos_guardados(self, stream_id: str) -> list[Metadatos]:
        return [m for c, m in self.almacen.metadatos if c.stream_id == stream_id]
