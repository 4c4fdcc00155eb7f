"""The event store: one table of events, appended atomically across streams.

Concurrency control is the unique (stream_id, version) key: a writer whose expected
version is stale collides with the event another writer stored first, and the whole
append fails as ConcurrencyError. Global positions are handed out under the row lock of
`posicion_global`, held until commit, so positions become visible in commit order: a
reader that follows positions never skips an event that committed late."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Integer, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from prometeo.domain.errors import ConcurrencyError
from prometeo.infrastructure.db.tablas import eventos, posicion_global

_COLUMNAS = (
    eventos.c.posicion,
    eventos.c.evento_id,
    eventos.c.stream_id,
    eventos.c.tipo_stream,
    eventos.c.version,
    eventos.c.tipo,
    eventos.c.version_esquema,
    eventos.c.datos,
    eventos.c.metadatos,
    eventos.c.ocurrido_en,
)


# Built once: building a statement per call costs more than running it on SQLite.
_POR_STREAM = (
    select(*_COLUMNAS)
    .where(eventos.c.stream_id == bindparam("stream_id"), eventos.c.version > bindparam("desde"))
    .order_by(eventos.c.version)
)
_TODOS = (
    select(*_COLUMNAS)
    .where(eventos.c.posicion > bindparam("desde"))
    .order_by(eventos.c.posicion)
    .limit(bindparam("limite", type_=Integer, literal_execute=True))
)
_INSERTAR = insert(eventos)
_ULTIMA = select(posicion_global.c.ultima).where(posicion_global.c.id == 1)
_BLOQUEAR = _ULTIMA.with_for_update()
_FIJAR = update(posicion_global).where(posicion_global.c.id == 1).values(ultima=bindparam("ultima"))
# One statement takes the lock and reserves the positions (SQLite ≥ 3.35, PostgreSQL).
_RESERVAR = (
    update(posicion_global)
    .where(posicion_global.c.id == 1)
    .values(ultima=posicion_global.c.ultima + bindparam("cuantos"))
    .returning(posicion_global.c.ultima)
)
_VERSION = select(func.coalesce(func.max(eventos.c.version), 0)).where(
    eventos.c.stream_id == bindparam("stream_id")
)


@dataclass(frozen=True, slots=True)
class EventoNuevo:
    """An event ready to be stored: already encoded, with its stream and version."""

    evento_id: str
    stream_id: str
    tipo_stream: str
    version: int
    tipo: str
    version_esquema: int
    datos: str
    metadatos: str
    ocurrido_en: datetime


@dataclass(frozen=True, slots=True)
class EventoAlmacenado:
    """An event as stored, with its global position."""

    posicion: int
    evento_id: str
    stream_id: str
    tipo_stream: str
    version: int
    tipo: str
    version_esquema: int
    datos: str
    metadatos: str
    ocurrido_en: datetime


class EventStoreSql:
    """The event store on one open connection (inside the caller's transaction)."""

    def __init__(self, conexion: Connection) -> None:
        self.conexion = conexion

    def agregar(self, nuevos: Sequence[EventoNuevo]) -> list[EventoAlmacenado]:
        """Append events to one or several streams, all or nothing. Each stream's events
        must continue its version sequence; a stale version raises ConcurrencyError."""
        if not nuevos:
            return []
        reservar = self.conexion.dialect.update_returning
        if reservar:
            ultima = self.conexion.execute(_RESERVAR, {"cuantos": len(nuevos)}).scalar_one() - len(
                nuevos
            )
        else:  # MariaDB/MySQL: no UPDATE ... RETURNING
            ultima = self.conexion.execute(_BLOQUEAR).scalar_one()
        almacenados = [
            EventoAlmacenado(
                ultima + i,
                e.evento_id,
                e.stream_id,
                e.tipo_stream,
                e.version,
                e.tipo,
                e.version_esquema,
                e.datos,
                e.metadatos,
                e.ocurrido_en,
            )
            for i, e in enumerate(nuevos, start=1)
        ]
        try:
            self.conexion.execute(
                _INSERTAR,
                [
                    {
                        "posicion": a.posicion,
                        "evento_id": a.evento_id,
                        "stream_id": a.stream_id,
                        "tipo_stream": a.tipo_stream,
                        "version": a.version,
                        "tipo": a.tipo,
                        "version_esquema": a.version_esquema,
                        "datos": a.datos,
                        "metadatos": a.metadatos,
                        "ocurrido_en": a.ocurrido_en,
                    }
                    for a in almacenados
                ],
            )
        except IntegrityError as error:
            if _es_conflicto_de_version(error):
                streams = sorted({e.stream_id for e in nuevos})
                raise ConcurrencyError(
                    f"Otro proceso modificó {', '.join(streams)} al mismo tiempo; reintente"
                ) from error
            raise
        if not reservar:
            self.conexion.execute(_FIJAR, {"ultima": ultima + len(nuevos)})
        return almacenados

    def leer_stream(self, stream_id: str, desde_version: int = 0) -> list[EventoAlmacenado]:
        """The stream's events with version > desde_version, in version order."""
        filas = self.conexion.execute(_POR_STREAM, {"stream_id": stream_id, "desde": desde_version})
        return [_almacenado(fila) for fila in filas]

    def leer_todos(self, desde_posicion: int = 0, limite: int = 1000) -> list[EventoAlmacenado]:
        """Events with posicion > desde_posicion, in commit order, at most `limite`."""
        filas = self.conexion.execute(_TODOS, {"desde": desde_posicion, "limite": limite})
        return [_almacenado(fila) for fila in filas]

    def recorrer(self, desde_posicion: int = 0, lote: int = 1000) -> Iterator[EventoAlmacenado]:
        """Every event after a position, in commit order, read in batches."""
        while True:
            eventos_lote = self.leer_todos(desde_posicion, lote)
            yield from eventos_lote
            if len(eventos_lote) < lote:
                return
            desde_posicion = eventos_lote[-1].posicion

    def version(self, stream_id: str) -> int:
        """The stream's current version (0 when it has no events)."""
        return int(self.conexion.execute(_VERSION, {"stream_id": stream_id}).scalar_one())

    def ultima_posicion(self) -> int:
        return int(self.conexion.execute(_ULTIMA).scalar_one())


def _almacenado(fila: Any) -> EventoAlmacenado:
    return EventoAlmacenado(*fila)


def _es_conflicto_de_version(error: IntegrityError) -> bool:
    texto = str(error.orig).lower()
    return "stream_id_version" in texto or "eventos.stream_id, eventos.version" in texto
