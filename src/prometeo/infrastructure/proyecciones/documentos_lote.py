"""What a batch of events does to a table of documents keyed by `documento_id` (the daily
sales' and the reports'): the rows it read, created, changed and deleted, written back
in one statement of each kind. A row created and deleted within the batch is never
written."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import Connection, Delete, Select, Table, bindparam, delete, select

from prometeo.infrastructure.proyecciones.escritura import actualizar_por_clave, insertar
from prometeo.infrastructure.sql.sentencias import ejecutar

Fila = dict[str, Any]


@cache
def _leer(tabla: Table) -> Select[Any]:
    return select(tabla).where(tabla.c.documento_id.in_(bindparam("ids", expanding=True)))


@cache
def _borrar(tabla: Table) -> Delete:
    return delete(tabla).where(tabla.c.documento_id == bindparam("documento_id"))


@dataclass
class DocumentosDelLote:
    """The documents a batch of events works on: `filas` by id, read or created; written
    back by `escribir` once the whole batch is applied."""

    tabla: Table
    filas: dict[str, Fila] = field(default_factory=dict)
    nuevos: set[str] = field(default_factory=set)
    cambiados: set[str] = field(default_factory=set)
    borrados: set[str] = field(default_factory=set)

    def cargar(self, conexion: Connection, ids: Iterable[str]) -> None:
        """Read the rows of these documents (those the batch did not create)."""
        pendientes = sorted(set(ids) - set(self.filas) - {""})
        if pendientes:
            for fila in conexion.execute(_leer(self.tabla), {"ids": pendientes}):
                self.filas[fila.documento_id] = dict(fila._mapping)

    def crear(self, fila: Fila) -> None:
        self.filas[fila["documento_id"]] = fila
        self.nuevos.add(fila["documento_id"])

    def cambiar(self, id: str) -> None:
        self.cambiados.add(id)

    def borrar(self, id: str) -> None:
        del self.filas[id]
        self.cambiados.discard(id)
        if id in self.nuevos:
            self.nuevos.discard(id)
        else:
            self.borrados.add(id)

    def escribir(self, conexion: Connection) -> None:
        insertar(conexion, self.tabla, [self.filas[i] for i in sorted(self.nuevos)])
        actualizar_por_clave(
            conexion,
            self.tabla,
            ("documento_id",),
            [self.filas[i] for i in sorted(self.cambiados - self.nuevos)],
        )
        if self.borrados:
            ejecutar(
                conexion, _borrar(self.tabla), [{"documento_id": i} for i in sorted(self.borrados)]
            )
