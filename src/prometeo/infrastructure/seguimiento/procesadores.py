"""The two ways a follower's handler keeps its checkpoint (both are `Procesador`s).

- ConCheckpointPropio: the effect is outside this database (RabbitMQ, the SRI, mail). The
  handler does it and reports each event done through `hecho`; the checkpoint row in
  `checkpoints_seguidor` is advanced afterwards, in its own transaction, to the last event
  reported (or, when the handler returns, to the batch's end), also when the handler
  failed halfway. A crash between the effect and that update does the effect again on
  restart: the far side must tolerate duplicates (message id = event id; the SRI's clave
  de acceso).
- EnLaMismaTransaccion: the effect is in this database (read models, a local state). The
  follower opens one transaction per batch; the handler writes its effect AND moves its
  own checkpoint in it, so both commit or neither does (like a tracking row), and an
  event is never applied twice."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from prometeo.infrastructure.db.almacen_eventos import EventoAlmacenado
from prometeo.infrastructure.seguimiento.aparcados import EventoAparcado, registrar_aparcado
from prometeo.infrastructure.seguimiento.checkpoint import CheckpointSeguidor

Hecho = Callable[[int], None]


class Manejador(Protocol):
    """Does an external effect for each event, in order, and calls `hecho(posicion)` once
    that event's effect is safely done. Must be idempotent (at least once)."""

    def manejar(self, eventos: Sequence[EventoAlmacenado], hecho: Hecho) -> None: ...


class ManejadorTransaccional(Protocol):
    """Does its effect in the caller's transaction and keeps its own checkpoint there."""

    def posicion(self, conexion: Connection) -> int:
        """The last position applied."""
        ...

    def manejar(
        self, conexion: Connection, desde: int, eventos: Sequence[EventoAlmacenado]
    ) -> None:
        """Apply the events not applied yet and move the checkpoint to the last one."""
        ...

    def saltar(self, conexion: Connection, desde: int, evento: EventoAlmacenado) -> None:
        """Move the checkpoint past `evento` without applying it."""
        ...


class ConCheckpointPropio:
    """A Procesador for an external effect, with its checkpoint in `checkpoints_seguidor`."""

    def __init__(self, checkpoint: CheckpointSeguidor, manejador: Manejador) -> None:
        self.checkpoint = checkpoint
        self.manejador = manejador

    def posicion(self) -> int:
        return self.checkpoint.leer()

    def procesar(self, desde: int, eventos: Sequence[EventoAlmacenado]) -> None:
        hasta = desde

        def hecho(posicion: int) -> None:
            nonlocal hasta
            hasta = posicion

        try:
            self.manejador.manejar(eventos, hecho)
            hasta = eventos[-1].posicion
        finally:
            # Even when the handler failed halfway: what it reported done stays done.
            self.checkpoint.avanzar(desde, hasta)

    def aparcar(
        self, seguidor: str, desde: int, evento: EventoAlmacenado, error: BaseException
    ) -> EventoAparcado | None:
        def saltar(conexion: Connection) -> None:
            self.checkpoint.avanzar_en(conexion, desde, evento.posicion)

        return aparcar_en(self.checkpoint.engine, seguidor, evento, error, saltar)


class EnLaMismaTransaccion:
    """A Procesador for an effect in this database: one transaction per call holds the
    effect and the checkpoint."""

    def __init__(self, engine: Engine, manejador: ManejadorTransaccional) -> None:
        self.engine = engine
        self.manejador = manejador

    def posicion(self) -> int:
        with self.engine.begin() as conexion:
            return self.manejador.posicion(conexion)

    def procesar(self, desde: int, eventos: Sequence[EventoAlmacenado]) -> None:
        with self.engine.begin() as conexion:
            self.manejador.manejar(conexion, desde, eventos)

    def aparcar(
        self, seguidor: str, desde: int, evento: EventoAlmacenado, error: BaseException
    ) -> EventoAparcado | None:
        def saltar(conexion: Connection) -> None:
            self.manejador.saltar(conexion, desde, evento)

        return aparcar_en(self.engine, seguidor, evento, error, saltar)


def aparcar_en(
    engine: Engine,
    seguidor: str,
    evento: EventoAlmacenado,
    error: BaseException,
    saltar: Callable[[Connection], None],
) -> EventoAparcado | None:
    """Park `evento` and move the checkpoint past it (`saltar`) in one transaction; None
    when the row was there already."""
    try:
        with engine.begin() as conexion:
            aparcado = registrar_aparcado(conexion, seguidor, evento, error)
            saltar(conexion)
    except IntegrityError:
        return None
    return aparcado
