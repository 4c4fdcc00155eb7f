"""The event store on SQLite: BEGIN IMMEDIATE already holds the write lock, so the
position reservation cannot wait; both statements go straight to the driver."""

from __future__ import annotations

from collections.abc import Sequence

from prometeo.infrastructure.db.almacen_eventos.base import AlmacenEventosSql, EventoNuevo, fila
from prometeo.infrastructure.db.tablas import eventos
from prometeo.infrastructure.sql.ejecucion import ejecutar_sql
from prometeo.infrastructure.sql.sentencias import procesador_bind

_RESERVAR = "UPDATE posicion_global SET ultima = ultima + ? WHERE id = 1 RETURNING ultima"
_INSERTAR = (
    "INSERT INTO eventos (posicion, evento_id, stream_id, tipo_stream, version, tipo, "
    "version_esquema, datos, metadatos, ocurrido_en) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


class AlmacenEventosSqlite(AlmacenEventosSql):
    def _reservar_e_insertar(
        self, nuevos: Sequence[EventoNuevo], checkpoints: Sequence[str]
    ) -> tuple[int, int | None]:
        cuantos = len(nuevos)
        filas = ejecutar_sql(self.conexion, _RESERVAR, [(cuantos,)], filas=True)
        ultima = int(filas[0][0]) - cuantos
        # Timestamps are stored as text in SQLAlchemy's format, converted as it would.
        fecha = procesador_bind(eventos.c.ocurrido_en.type, self.conexion.dialect)
        ejecutar_sql(
            self.conexion,
            _INSERTAR,
            [
                (ultima + i, *valores[:-1], fecha(valores[-1]) if fecha else valores[-1])
                for i, valores in enumerate(map(fila, nuevos), start=1)
            ],
        )
        return ultima, None
