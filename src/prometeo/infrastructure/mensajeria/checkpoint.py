"""The relay's durable checkpoint: the last global position it published (and the broker
confirmed), kept like every follower's in `checkpoints_seguidor` (see
infrastructure/seguimiento/checkpoint.py). Everything after it in the event log is the
outbox's pending part."""

from __future__ import annotations

from sqlalchemy import Connection

from prometeo.infrastructure.seguimiento.checkpoint import (
    CheckpointMovido,
    CheckpointSeguidor,
    conexion_de_lectura,
    pendientes_de,
    posicion_de,
)

__all__ = [
    "CheckpointMovido",
    "CheckpointRelay",
    "conexion_de_lectura",
    "pendientes_de_publicar",
    "posicion_publicada",
]


class CheckpointRelay(CheckpointSeguidor):
    """The checkpoint of one named relay (a second relay with the same name is stopped
    with CheckpointMovido)."""

    quien = "relay"


def posicion_publicada(conexion: Connection, nombre: str) -> int:
    """The checkpoint of relay `nombre`, read on an open connection."""
    return posicion_de(conexion, nombre)


def pendientes_de_publicar(conexion: Connection, nombre: str) -> int:
    """The outbox backlog of relay `nombre`: last stored position − its checkpoint."""
    return pendientes_de(conexion, nombre)
