"""The event store on MariaDB/MySQL: no UPDATE ... RETURNING, so SELECT ... FOR UPDATE
takes the position lock, then the rows and the new last position are written."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, insert, update

from prometeo.infrastructure.db.almacen_eventos.base import (
    CAMPOS,
    ULTIMA,
    AlmacenEventosSql,
    EventoNuevo,
    fila,
)
from prometeo.infrastructure.db.tablas import eventos, posicion_global

_INSERTAR = insert(eventos)
_BLOQUEAR = ULTIMA.with_for_update()
_FIJAR = update(posicion_global).where(posicion_global.c.id == 1).values(ultima=bindparam("ultima"))


class AlmacenEventosMysql(AlmacenEventosSql):
    def _reservar_e_insertar(
        self, nuevos: Sequence[EventoNuevo], checkpoints: Sequence[str]
    ) -> tuple[int, int | None]:
        ultima = int(self.conexion.execute(_BLOQUEAR).scalar_one())
        self.conexion.execute(
            _INSERTAR,
            [
                {"posicion": ultima + i, **dict(zip(CAMPOS, fila(e), strict=True))}
                for i, e in enumerate(nuevos, start=1)
            ],
        )
        self.conexion.execute(_FIJAR, {"ultima": ultima + len(nuevos)})
        return ultima, None
