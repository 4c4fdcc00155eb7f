"""The event store (see base.py), one module per backend."""

from sqlalchemy import Connection

from prometeo.infrastructure.db.almacen_eventos.base import (
    AlmacenEventosSql,
    EventoAlmacenado,
    EventoNuevo,
)
from prometeo.infrastructure.db.almacen_eventos.mysql import AlmacenEventosMysql
from prometeo.infrastructure.db.almacen_eventos.postgres import AlmacenEventosPostgres
from prometeo.infrastructure.db.almacen_eventos.sqlite import AlmacenEventosSqlite

_POR_DIALECTO: dict[str, type[AlmacenEventosSql]] = {
    "sqlite": AlmacenEventosSqlite,
    "postgresql": AlmacenEventosPostgres,
    "mysql": AlmacenEventosMysql,
    "mariadb": AlmacenEventosMysql,
}


def almacen_eventos(conexion: Connection) -> AlmacenEventosSql:
    """The event store of this connection's backend, in its transaction."""
    return _POR_DIALECTO[conexion.dialect.name](conexion)


__all__ = [
    "AlmacenEventosMysql",
    "AlmacenEventosPostgres",
    "AlmacenEventosSql",
    "AlmacenEventosSqlite",
    "EventoAlmacenado",
    "EventoNuevo",
    "almacen_eventos",
]
