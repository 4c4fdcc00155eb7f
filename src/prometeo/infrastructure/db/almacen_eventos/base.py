"""The event store: one table of events, appended atomically across streams, one class per
backend (sqlite.py, postgres.py, mysql.py) behind `AlmacenEventosSql`; `almacen_eventos`
picks it for a connection.

Concurrency control is the unique (stream_id, version) key: a writer whose expected
version is stale collides with the event another writer stored first, and the whole
append fails as ErrorDeConcurrencia. Global positions are handed out under the row lock of
`posicion_global`, held until commit, so positions become visible in commit order: a
reader that follows positions never skips an event that committed late."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from operator import attrgetter
from typing import Any

from sqlalchemy import Connection, Integer, bindparam, func, select
from sqlalchemy.exc import IntegrityError

from prometeo.domain.errores import ErrorDeConcurrencia
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


# Built once: building a statement costs more than running it on SQLite.
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
# What loading an aggregate reads of each event: no ids, metadata or timestamps to parse.
_DATOS_POR_STREAM = (
    select(eventos.c.tipo, eventos.c.version_esquema, eventos.c.datos)
    .where(eventos.c.stream_id == bindparam("stream_id"), eventos.c.version > bindparam("desde"))
    .order_by(eventos.c.version)
)
# The last version a stream had before an instant, and its events up to a version.
_VERSION_ANTES = select(func.coalesce(func.max(eventos.c.version), 0)).where(
    eventos.c.stream_id == bindparam("stream_id"), eventos.c.ocurrido_en < bindparam("antes")
)
_DATOS_HASTA = _DATOS_POR_STREAM.where(eventos.c.version <= bindparam("hasta"))
ULTIMA = select(posicion_global.c.ultima).where(posicion_global.c.id == 1)
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


# An EventoNuevo's values in column order (everything but the position).
CAMPOS = tuple(f.name for f in fields(EventoNuevo))
fila: Callable[[EventoNuevo], tuple[Any, ...]] = attrgetter(*CAMPOS)


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


class AlmacenEventosSql(ABC):
    """The event store on one open connection (inside the caller's transaction)."""

    def __init__(self, conexion: Connection) -> None:
        self.conexion = conexion

    def agregar(self, nuevos: Sequence[EventoNuevo]) -> list[EventoAlmacenado]:
        """Append events to one or several streams, all or nothing. Each stream's events
        must continue its version sequence; a stale version raises ErrorDeConcurrencia."""
        return self.agregar_moviendo(nuevos, ())[0]

    def agregar_moviendo(
        self, nuevos: Sequence[EventoNuevo], checkpoints: Sequence[str]
    ) -> tuple[list[EventoAlmacenado], int | None]:
        """`agregar`, and the projections' `checkpoints` that sit right before the batch
        moved to its end in the same statement where the backend can: how many moved, or
        None when they were left to the projector (see Proyector.observador)."""
        if not nuevos:
            return [], None
        try:
            ultima, movidos = self._reservar_e_insertar(nuevos, checkpoints)
        except IntegrityError as error:
            if _es_conflicto_de_version(error):
                streams = sorted({e.stream_id for e in nuevos})
                raise ErrorDeConcurrencia(
                    f"Otro proceso modificó {', '.join(streams)} al mismo tiempo; reintente",
                    streams,
                ) from error
            raise
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
        return almacenados, movidos

    @abstractmethod
    def _reservar_e_insertar(
        self, nuevos: Sequence[EventoNuevo], checkpoints: Sequence[str]
    ) -> tuple[int, int | None]:
        """Reserve positions for `nuevos` under the position lock and insert them; the
        position before the first, and how many `checkpoints` moved (None: not moved)."""

    def leer_stream(self, stream_id: str, desde_version: int = 0) -> list[EventoAlmacenado]:
        """The stream's events with version > desde_version, in version order."""
        filas = self.conexion.execute(_POR_STREAM, {"stream_id": stream_id, "desde": desde_version})
        return [_almacenado(fila) for fila in filas]

    def leer_datos_stream(
        self, stream_id: str, desde_version: int = 0
    ) -> Sequence[tuple[str, int, str]]:
        """(tipo, version_esquema, datos) of the stream's events with version >
        desde_version, in version order: only what decoding them needs (a replay of a long
        stream spends more building EventoAlmacenado rows than reading them)."""
        parametros = {"stream_id": stream_id, "desde": desde_version}
        filas: Sequence[tuple[str, int, str]] = self.conexion.execute(
            _DATOS_POR_STREAM, parametros
        ).all()
        return filas

    def version_antes(self, stream_id: str, instante: datetime) -> int:
        """The version the stream had before `instante` (a UTC datetime): the last one
        of its events stored earlier; 0 when none."""
        parametros = {"stream_id": stream_id, "antes": instante}
        return int(self.conexion.execute(_VERSION_ANTES, parametros).scalar_one())

    def leer_datos_hasta(
        self, stream_id: str, desde_version: int, hasta_version: int
    ) -> Sequence[tuple[str, int, str]]:
        """`leer_datos_stream`, only up to `hasta_version` (included)."""
        parametros = {"stream_id": stream_id, "desde": desde_version, "hasta": hasta_version}
        filas: Sequence[tuple[str, int, str]] = self.conexion.execute(
            _DATOS_HASTA, parametros
        ).all()
        return filas

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
        return int(self.conexion.execute(ULTIMA).scalar_one())


def _almacenado(fila: Any) -> EventoAlmacenado:
    return EventoAlmacenado(*fila)


def _es_conflicto_de_version(error: IntegrityError) -> bool:
    texto = str(error.orig).lower()
    return "stream_id_version" in texto or "eventos.stream_id, eventos.version" in texto
