"""Reading the catalog (reference data) outside any command: a short read-only
transaction that never takes SQLite's write lock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from prometeo.infrastructure.db.catalogo import CacheCatalogo, RepositorioCatalogoSql


class LectorCatalogo:
    """Hands out the catalog repository on a connection of its own for reads."""

    def __init__(self, engine: Engine, cache: CacheCatalogo | None = None) -> None:
        self._engine = engine
        self._cache = cache

    @contextmanager
    def leer(self) -> Iterator[RepositorioCatalogoSql]:
        # DEFERRED: a reader must not queue behind (or block) the writers of facturas.
        with self._engine.connect().execution_options(sqlite_begin="DEFERRED") as conexion:
            yield RepositorioCatalogoSql(conexion, self._cache)
