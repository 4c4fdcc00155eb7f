"""A follower's durable checkpoint, one row per name in `checkpoints_seguidor`: the last
global position whose effect is done. Everything after it is still to do.

Advancing is a compare-and-set from the position the follower started at: a second
follower running with the same name (each would redo what the other did) is stopped with
CheckpointMovido instead of being allowed to interleave."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from prometeo.infrastructure.db.tablas import checkpoints_seguidor, posicion_global

_cs = checkpoints_seguidor


class CheckpointMovido(RuntimeError):
    """Another follower with the same name advanced the checkpoint meanwhile: two followers
    must not share one checkpoint (each would redo what the other already did)."""


class CheckpointSeguidor:
    """Reads and advances the checkpoint of one named follower. `leer`, `avanzar` and
    `pendientes` are each their own short transaction (nothing is held open while the
    handler talks to the outside); `avanzar_en` joins the caller's transaction."""

    # How the error calls a second follower with this name (the relay says "relay").
    quien = "seguidor"

    def __init__(self, engine: Engine, nombre: str) -> None:
        self.engine = engine
        self.nombre = nombre

    def leer(self) -> int:
        """The last position done (0 before the first)."""
        with conexion_de_lectura(self.engine) as conexion:
            return posicion_de(conexion, self.nombre)

    def avanzar(self, desde: int, hasta: int) -> None:
        """Move the checkpoint from `desde` to `hasta`, in a transaction of its own;
        CheckpointMovido when it was not at `desde`."""
        if hasta == desde:
            return
        with self.engine.begin() as conexion:
            self.avanzar_en(conexion, desde, hasta)

    def avanzar_en(self, conexion: Connection, desde: int, hasta: int) -> None:
        """`avanzar` inside the caller's transaction (it commits or rolls back with it)."""
        if hasta == desde:
            return
        if desde == 0 and self._crear(conexion, hasta):
            return
        cambiadas = conexion.execute(
            update(_cs)
            .where(_cs.c.nombre == self.nombre)
            .where(_cs.c.posicion == desde)
            .values(posicion=hasta)
        ).rowcount
        if cambiadas != 1:
            raise CheckpointMovido(
                f"El checkpoint {self.nombre!r} ya no está en {desde}: "
                f"¿hay otro {self.quien} con el mismo nombre?"
            )

    def pendientes(self) -> int:
        """How many stored events this follower has not done yet."""
        with conexion_de_lectura(self.engine) as conexion:
            return pendientes_de(conexion, self.nombre)

    def _crear(self, conexion: Connection, hasta: int) -> bool:
        existe = conexion.execute(select(_cs.c.posicion).where(_cs.c.nombre == self.nombre)).first()
        if existe is not None:
            return False
        try:
            conexion.execute(insert(_cs).values(nombre=self.nombre, posicion=hasta))
        except IntegrityError as error:
            raise CheckpointMovido(
                f"Otro {self.quien} creó el checkpoint {self.nombre!r} al mismo tiempo"
            ) from error
        return True


def conexion_de_lectura(engine: Engine) -> Connection:
    """A connection for reading only. On SQLite a plain (deferred) BEGIN is enough to read;
    the engine's default, BEGIN IMMEDIATE, would take the write lock and make commands wait
    for the follower."""
    return engine.connect().execution_options(sqlite_begin="DEFERRED")


def posicion_de(conexion: Connection, nombre: str) -> int:
    """The checkpoint of follower `nombre`, read on an open connection (0 without one)."""
    posicion = conexion.execute(
        select(_cs.c.posicion).where(_cs.c.nombre == nombre)
    ).scalar_one_or_none()
    return int(posicion or 0)


def pendientes_de(conexion: Connection, nombre: str) -> int:
    """The backlog of follower `nombre`: last stored position − its checkpoint."""
    ultima = conexion.execute(
        select(posicion_global.c.ultima).where(posicion_global.c.id == 1)
    ).scalar_one()
    return max(0, int(ultima) - posicion_de(conexion, nombre))
