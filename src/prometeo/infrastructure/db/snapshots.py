"""Snapshots: the state of an aggregate at a version, one row per stream (the latest)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, insert, select, update

from prometeo.infrastructure.db.tablas import snapshots

_ULTIMO = select(
    snapshots.c.stream_id, snapshots.c.version, snapshots.c.version_esquema, snapshots.c.datos
).where(snapshots.c.stream_id == bindparam("stream_id"))
_REEMPLAZAR = (
    update(snapshots)
    .where(
        snapshots.c.stream_id == bindparam("b_stream_id"),
        snapshots.c.version < bindparam("b_version"),
    )
    .values(
        version=bindparam("b_version"),
        version_esquema=bindparam("b_version_esquema"),
        datos=bindparam("b_datos"),
        tomado_en=bindparam("b_tomado_en"),
    )
)
_INSERTAR = insert(snapshots)


@dataclass(frozen=True, slots=True)
class Snapshot:
    stream_id: str
    version: int
    version_esquema: int
    datos: str


class AlmacenSnapshotsSql:
    """Latest snapshot per stream, on the caller's connection and transaction."""

    def __init__(self, conexion: Connection) -> None:
        self.conexion = conexion

    def ultimo(self, stream_id: str) -> Snapshot | None:
        fila = self.conexion.execute(_ULTIMO, {"stream_id": stream_id}).first()
        return Snapshot(*fila) if fila else None

    def guardar(self, snapshot: Snapshot, tomado_en: datetime) -> None:
        """Replace the stream's snapshot (only by a newer one)."""
        valores = {
            "version": snapshot.version,
            "version_esquema": snapshot.version_esquema,
            "datos": snapshot.datos,
            "tomado_en": tomado_en,
        }
        actualizados = self.conexion.execute(
            _REEMPLAZAR,
            {"b_stream_id": snapshot.stream_id, **{f"b_{k}": v for k, v in valores.items()}},
        ).rowcount
        if actualizados == 0 and self.ultimo(snapshot.stream_id) is None:
            self.conexion.execute(_INSERTAR, {"stream_id": snapshot.stream_id, **valores})
