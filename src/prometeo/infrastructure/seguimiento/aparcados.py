"""Parked events: what a follower gave up on after its retries. The follower records the
event here and moves its checkpoint past it in the same transaction, so an event is either
done, still to do, or parked with its error; never silently lost.

The error text is the exception's class and message only: no SQL parameters (they carry
business data) and no credentials in URLs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import StatementError

from prometeo.infrastructure.db.almacen_eventos import EventoAlmacenado
from prometeo.infrastructure.db.tablas import eventos_aparcados

_ea = eventos_aparcados
_MAXIMO_ERROR = 2000
# user:password@ in any URL-like text (a driver error may quote its DSN).
_CREDENCIALES = re.compile(r"(?P<esquema>[a-zA-Z][\w+.-]*://)[^/@\s]+@")


@dataclass(frozen=True, slots=True)
class EventoAparcado:
    """An event a follower skipped, with why and when."""

    seguidor: str
    posicion: int
    evento_id: str
    tipo: str
    error: str
    aparcado_en: datetime


def describir_error(error: BaseException) -> str:
    """What is stored of an error: its class and message, without SQL parameters or URL
    credentials, at most a couple of thousand characters."""
    origen: BaseException = error
    if isinstance(error, StatementError) and error.orig is not None:
        origen = error.orig  # its own str() appends the statement and its parameters
    texto = str(origen).strip()
    texto = _CREDENCIALES.sub(r"\g<esquema>***@", texto)
    descripcion = f"{type(origen).__name__}: {texto}" if texto else type(origen).__name__
    return descripcion[:_MAXIMO_ERROR]


def registrar_aparcado(
    conexion: Connection, seguidor: str, evento: EventoAlmacenado, error: BaseException
) -> EventoAparcado:
    """Record, in the caller's transaction, that `seguidor` parked `evento`."""
    aparcado = EventoAparcado(
        seguidor=seguidor,
        posicion=evento.posicion,
        evento_id=evento.evento_id,
        tipo=evento.tipo,
        error=describir_error(error),
        aparcado_en=datetime.now(UTC),
    )
    conexion.execute(
        insert(_ea).values(
            seguidor=aparcado.seguidor,
            posicion=aparcado.posicion,
            evento_id=aparcado.evento_id,
            tipo=aparcado.tipo,
            error=aparcado.error,
            aparcado_en=aparcado.aparcado_en,
        )
    )
    return aparcado


def listar_aparcados(engine: Engine, seguidor: str | None = None) -> list[EventoAparcado]:
    """The parked events (of one follower, or of all), by follower and position."""
    consulta = select(
        _ea.c.seguidor,
        _ea.c.posicion,
        _ea.c.evento_id,
        _ea.c.tipo,
        _ea.c.error,
        _ea.c.aparcado_en,
    ).order_by(_ea.c.seguidor, _ea.c.posicion)
    if seguidor is not None:
        consulta = consulta.where(_ea.c.seguidor == seguidor)
    with engine.connect().execution_options(sqlite_begin="DEFERRED") as conexion:
        filas: Sequence[tuple[str, int, str, str, str, datetime]] = conexion.execute(consulta).all()
    return [EventoAparcado(s, int(p), i, t, e, _con_zona(a)) for s, p, i, t, e, a in filas]


def contar_aparcados(conexion: Connection) -> dict[str, int]:
    """How many events each follower has parked (followers with none are absent)."""
    filas = conexion.execute(
        select(_ea.c.seguidor, func.count()).group_by(_ea.c.seguidor).order_by(_ea.c.seguidor)
    ).all()
    return {seguidor: int(cuantos) for seguidor, cuantos in filas}


def anotar_error(engine: Engine, seguidor: str, posicion: int, error: BaseException) -> None:
    """A parked event failed again (when retried by hand): keep it, with its new error."""
    with engine.begin() as conexion:
        conexion.execute(
            update(_ea)
            .where(_ea.c.seguidor == seguidor, _ea.c.posicion == posicion)
            .values(error=describir_error(error))
        )


def descartar_aparcado(engine: Engine, seguidor: str, posicion: int) -> bool:
    """Forget a parked event (once it was dealt with by hand); False when there was none."""
    with engine.begin() as conexion:
        borradas = conexion.execute(
            delete(_ea).where(_ea.c.seguidor == seguidor, _ea.c.posicion == posicion)
        ).rowcount
    return bool(borradas)


def _con_zona(momento: datetime) -> datetime:
    # SQLite and MariaDB hand back naive timestamps: they were stored in UTC.
    return momento if momento.tzinfo is not None else momento.replace(tzinfo=UTC)
