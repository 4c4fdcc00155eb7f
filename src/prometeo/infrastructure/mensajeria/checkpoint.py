"""The relay's durable checkpoint: the last global position it published (and the broker
confirmed). Everything after it in the event log is the outbox's pending part."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from prometeo.infrastructure.db.tablas import posicion_global, relay_checkpoint

__all__ = [
    "CheckpointMovido",
    "CheckpointRelay",
    "conexion_de_lectura",
    "pendientes_de_publicar",
    "posicion_publicada",
    "relay_checkpoint",
]


class CheckpointMovido(RuntimeError):
    """Another relay with the same name advanced the checkpoint meanwhile: two relays must
    not share one checkpoint (each would publish what the other already did)."""


class CheckpointRelay:
    """Reads and advances the checkpoint of one named relay. Every call is its own short
    transaction: nothing is held open while talking to the broker."""

    def __init__(self, engine: Engine, nombre: str) -> None:
        self.engine = engine
        self.nombre = nombre

    def leer(self) -> int:
        """The last published position (0 before the first publication)."""
        with conexion_de_lectura(self.engine) as conexion:
            return posicion_publicada(conexion, self.nombre)

    def avanzar(self, desde: int, hasta: int) -> None:
        """Move the checkpoint from `desde` to `hasta`; CheckpointMovido when it was not at
        `desde` (another relay is running with the same name)."""
        if hasta == desde:
            return
        with self.engine.begin() as conexion:
            if desde == 0 and self._crear(conexion, hasta):
                return
            cambiadas = conexion.execute(
                update(relay_checkpoint)
                .where(relay_checkpoint.c.nombre == self.nombre)
                .where(relay_checkpoint.c.posicion == desde)
                .values(posicion=hasta)
            ).rowcount
            if cambiadas != 1:
                raise CheckpointMovido(
                    f"El checkpoint del relay {self.nombre!r} ya no está en {desde}: "
                    "¿hay otro relay publicando con el mismo nombre?"
                )

    def pendientes(self) -> int:
        """How many stored events the relay has not published yet (the outbox backlog)."""
        with conexion_de_lectura(self.engine) as conexion:
            return pendientes_de_publicar(conexion, self.nombre)

    def _crear(self, conexion: Connection, hasta: int) -> bool:
        existe = conexion.execute(
            select(relay_checkpoint.c.posicion).where(relay_checkpoint.c.nombre == self.nombre)
        ).first()
        if existe is not None:
            return False
        try:
            conexion.execute(insert(relay_checkpoint).values(nombre=self.nombre, posicion=hasta))
        except IntegrityError as error:
            raise CheckpointMovido(
                f"Otro relay creó el checkpoint {self.nombre!r} al mismo tiempo"
            ) from error
        return True


def conexion_de_lectura(engine: Engine) -> Connection:
    """A connection for reading only. On SQLite a plain (deferred) BEGIN is enough to read;
    the engine's default, BEGIN IMMEDIATE, would take the write lock and make commands wait
    for the relay."""
    return engine.connect().execution_options(sqlite_begin="DEFERRED")


def posicion_publicada(conexion: Connection, nombre: str) -> int:
    """The checkpoint of relay `nombre`, read on an open connection."""
    posicion = conexion.execute(
        select(relay_checkpoint.c.posicion).where(relay_checkpoint.c.nombre == nombre)
    ).scalar_one_or_none()
    return int(posicion or 0)


def pendientes_de_publicar(conexion: Connection, nombre: str) -> int:
    """The outbox backlog of relay `nombre`: last stored position − its checkpoint."""
    ultima = conexion.execute(
        select(posicion_global.c.ultima).where(posicion_global.c.id == 1)
    ).scalar_one()
    return max(0, int(ultima) - posicion_publicada(conexion, nombre))
