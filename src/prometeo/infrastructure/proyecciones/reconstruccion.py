"""Catching up and rebuilding read models from the event log.

A rebuild empties the chosen projections, puts their checkpoints at 0 and replays the
log in batches, one transaction each; commands committed meanwhile are picked up by the
next batches (the embedded observer leaves a projection that is behind alone), so the
result equals a full replay. Readers see the tables fill up while it runs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from sqlalchemy import Engine, Integer, bindparam, delete, select, update

from prometeo.infrastructure.db.event_store import EventStoreSql
from prometeo.infrastructure.db.tablas import eventos
from prometeo.infrastructure.proyecciones.base import Proyeccion
from prometeo.infrastructure.proyecciones.facturas import ProyeccionFacturas
from prometeo.infrastructure.proyecciones.kardex import ProyeccionKardex
from prometeo.infrastructure.proyecciones.lotes import ProyeccionLotes
from prometeo.infrastructure.proyecciones.notas_credito import ProyeccionNotasCredito
from prometeo.infrastructure.proyecciones.proyector import Proyector
from prometeo.infrastructure.proyecciones.stock import ProyeccionStock
from prometeo.infrastructure.proyecciones.tablas import checkpoints_proyeccion
from prometeo.infrastructure.proyecciones.ventas import ProyeccionVentasDiarias
from prometeo.infrastructure.serializacion import CodecEventos


class _Leido(NamedTuple):
    posicion: int
    stream_id: str
    version: int
    tipo: str
    version_esquema: int
    datos: str


_LEER = (
    select(*(eventos.c[c] for c in _Leido._fields))
    .where(eventos.c.posicion > bindparam("desde"))
    .order_by(eventos.c.posicion)
    .limit(bindparam("limite", type_=Integer, literal_execute=True))
)

# (events applied so far, events to apply in all)
Progreso = Callable[[int, int], None]

LOTE = 2000

_CLASES: tuple[type[Proyeccion], ...] = (
    ProyeccionStock,
    ProyeccionLotes,
    ProyeccionKardex,
    ProyeccionFacturas,
    ProyeccionNotasCredito,
    ProyeccionVentasDiarias,
)
NOMBRES = tuple(c.nombre for c in _CLASES)


class ProyeccionDesconocida(ValueError):
    """A projection name that does not exist."""

    def __init__(self, desconocidas: Sequence[str]) -> None:
        self.desconocidas = tuple(desconocidas)
        super().__init__(
            f"Proyección desconocida: {', '.join(desconocidas)}. "
            f"Las proyecciones válidas son: {', '.join(NOMBRES)}"
        )


def crear_proyecciones(nombres: Sequence[str] | None = None) -> list[Proyeccion]:
    """The projections named (all of them, in dependency-free order, by default)."""
    if nombres is None:
        return [clase() for clase in _CLASES]
    desconocidas = [n for n in nombres if n not in NOMBRES]
    if desconocidas:
        raise ProyeccionDesconocida(desconocidas)
    return [clase() for clase in _CLASES if clase.nombre in nombres]


def ponerse_al_dia(
    engine: Engine,
    proyector: Proyector,
    *,
    lote: int = LOTE,
    progreso: Progreso | None = None,
) -> int:
    """Apply every stored event the projections have not applied yet, `lote` events per
    transaction, each decoded once; returns how many events were read."""
    leidos = 0
    total: int | None = None
    while True:
        with engine.begin() as conexion:
            puntos = proyector.checkpoints(conexion, bloquear=True)
            desde = min(puntos.values(), default=0)
            if total is None:
                total = max(EventStoreSql(conexion).ultima_posicion() - desde, 0)
            # Only what projecting reads of each event (no metadata, no timestamps to parse).
            almacenados = [
                _Leido(*fila) for fila in conexion.execute(_LEER, {"desde": desde, "limite": lote})
            ]
            if almacenados:
                proyector.aplicar(conexion, almacenados, puntos=puntos)
        leidos += len(almacenados)
        total = max(total, leidos)
        if progreso is not None:
            progreso(leidos, total)
        if len(almacenados) < lote:
            return leidos


def reconstruir(
    engine: Engine,
    nombres: Sequence[str] | None = None,
    progreso: Progreso | None = None,
    *,
    codec: CodecEventos | None = None,
    lote: int = LOTE,
) -> int:
    """Empty the named projections (all by default) and replay the whole log into them;
    returns how many events were replayed. Unknown names raise ProyeccionDesconocida
    before anything is touched."""
    proyector = Proyector(crear_proyecciones(nombres), codec)
    with engine.begin() as conexion:
        proyector.checkpoints(conexion, bloquear=True)
        for proyeccion in proyector.proyecciones:
            for tabla in proyeccion.tablas:
                conexion.execute(delete(tabla))
        conexion.execute(
            update(checkpoints_proyeccion)
            .where(checkpoints_proyeccion.c.nombre.in_(proyector.nombres))
            .values(posicion=0)
        )
    return ponerse_al_dia(engine, proyector, lote=lote, progreso=progreso)
