"""Catching up and rebuilding read models from the event log.

A rebuild empties the chosen projections, puts their checkpoints at 0 and replays the
log in batches, one transaction each; commands committed meanwhile are picked up by the
next batches (the embedded observer leaves a projection that is behind alone), so the
result equals a full replay. Readers see the tables fill up while it runs."""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import (
    BigInteger,
    Connection,
    Engine,
    Select,
    bindparam,
    delete,
    literal_column,
    select,
    update,
)

from prometeo.infrastructure.db.almacen_eventos import almacen_eventos
from prometeo.infrastructure.db.engine import ruta_sqlite
from prometeo.infrastructure.db.tablas import eventos
from prometeo.infrastructure.db.turnos import TurnoEscritura, turno_de_escritura
from prometeo.infrastructure.proyecciones.base import Proyeccion
from prometeo.infrastructure.proyecciones.proyector import Proyector
from prometeo.infrastructure.proyecciones.registro import crear_proyecciones
from prometeo.infrastructure.proyecciones.tablas import checkpoints_proyeccion
from prometeo.infrastructure.serializacion import CodecEventos
from prometeo.infrastructure.sql.sentencias import escrituras_capturadas, leer, preparar, repetir

# (events applied so far, events to apply in all)
Progreso = Callable[[int, int], None]

LOTE = 5000


class _Leido(NamedTuple):
    posicion: int
    stream_id: str
    version: int
    tipo: str
    version_esquema: int
    datos: str


@cache
def _leer(tipos: tuple[str, ...]) -> Select[Any]:
    """The events of these types in a range of positions, in log order: only what
    projecting reads of each (no metadata, no timestamps to parse). The type names are
    written into the SQL (they are class names: identifiers), so that it compiles once."""
    assert all(t.isidentifier() for t in tipos)
    return (
        select(*(eventos.c[c] for c in _Leido._fields))
        .where(
            eventos.c.posicion > bindparam("desde", type_=BigInteger),
            eventos.c.posicion <= bindparam("hasta", type_=BigInteger),
            eventos.c.tipo.in_([literal_column(f"'{t}'") for t in tipos]),
        )
        .order_by(eventos.c.posicion)
    )


class _Tramo(NamedTuple):
    desde: int  # the batch covers the positions desde + 1 ... hasta
    hasta: int
    ultima: int  # the log's last position when the batch was read


def _leer_tramo(
    conexion: Connection, proyector: Proyector, puntos: dict[str, int], lote: int
) -> tuple[_Tramo, Sequence[Any]]:
    """The next `lote` positions after the furthest-behind checkpoint, and the events
    among them that some projection reads. Every position up to the log's last one is
    committed (positions are handed out under a lock and commit in order), so the range
    has no holes."""
    desde = min(puntos.values(), default=0)
    ultima = almacen_eventos(conexion).ultima_posicion()
    hasta = max(min(desde + lote, ultima), desde)
    almacenados: Sequence[Any] = []
    if hasta > desde:
        filas = leer(conexion, _leer(proyector.tipos_leidos), {"desde": desde, "hasta": hasta})
        almacenados = list(map(_Leido._make, filas))
    return _Tramo(desde, hasta, ultima), almacenados


def _un_lote(engine: Engine, proyector: Proyector, lote: int) -> _Tramo:
    """One batch in one transaction, the checkpoints locked throughout."""
    with engine.begin() as conexion:
        puntos = proyector.checkpoints(conexion, bloquear=True)
        tramo, almacenados = _leer_tramo(conexion, proyector, puntos, lote)
        if tramo.hasta > tramo.desde:
            proyector.aplicar(
                conexion, almacenados, puntos=puntos, tramo=(tramo.desde + 1, tramo.hasta)
            )
    return tramo


def _un_lote_en_dos_fases(
    engine: Engine, proyector: Proyector, lote: int, turno: TurnoEscritura | None = None
) -> _Tramo | None:
    """SQLite (one writer at a time): the batch is read, decoded and projected in a read
    transaction, its writes collected; then, holding the write lock only for that, the
    writes run and the checkpoints move, if they are still where the batch started. A
    projection's tables are a function of its checkpoint (only whoever moves the
    checkpoint writes them, in the same transaction), so an unchanged checkpoint means
    the rows the batch read are still there. If one moved (another rebuild, a worker),
    nothing is written and None is returned: the caller reads the batch again."""
    lectura = engine.connect().execution_options(sqlite_begin="DEFERRED")
    with lectura as conexion, conexion.begin():
        puntos = proyector.checkpoints(conexion)
        tramo, almacenados = _leer_tramo(conexion, proyector, puntos, lote)
        if tramo.hasta <= tramo.desde:
            return tramo
        with escrituras_capturadas(conexion) as escrituras:
            nombres = proyector.aplicar(
                conexion,
                almacenados,
                puntos=puntos,
                tramo=(tramo.desde + 1, tramo.hasta),
                fijar=False,
            )
    # Bound after the read transaction ends (a reader left open keeps WAL checkpoints from
    # resetting the log) and before the write lock is taken.
    preparadas = preparar(engine.dialect, escrituras)
    with _turno(engine, turno), engine.begin() as conexion:
        ahora = proyector.checkpoints(conexion, bloquear=True)
        if any(ahora[n] != puntos[n] for n in nombres):
            return None
        repetir(conexion, preparadas)
        proyector.fijar_checkpoints(conexion, nombres, tramo.hasta)
        # Commands committed since the read skipped these projections (behind then): the
        # log's end as of now, under the write lock, says whether there is more to do.
        # Once a checkpoint is left at the very end, the next command's observer takes it.
        return tramo._replace(ultima=almacen_eventos(conexion).ultima_posicion())


_TURNOS: dict[tuple[int, str], TurnoEscritura | None] = {}


@contextmanager
def _turno(engine: Engine, propio: TurnoEscritura | None = None) -> Iterator[None]:
    """The writers' turn of the database file (see turnos.py), taken around a batch's
    write transaction: the other group's process, and the commands of any process, wait
    for it on the lock file and get it the moment it is released, instead of sleeping in
    SQLite's busy handler (its back-off oversleeps by milliseconds per batch). `propio`:
    the turn of the process's commands, queued with them in arrival order."""
    clave = (os.getpid(), str(engine.url))
    if propio is None and clave not in _TURNOS:
        _TURNOS[clave] = turno_de_escritura(engine)
    turno = propio or _TURNOS[clave]
    if turno is None:  # a server: its own locks order the writers
        yield
        return
    turno.tomar()
    try:
        yield
    finally:
        turno.soltar()  # projections only: no events, nobody's aggregates go stale


# A batch makes tens of thousands of short-lived objects (events, rows). With the default
# threshold the cyclic garbage collector runs again and again in a rebuild, and its older
# generations walk the whole heap each time to find nothing to free: events and rows hold no
# reference cycles (reference counting frees them). So while batches run the collector
# waits for this many new container objects before its first generation runs.
UMBRAL_GC = 50_000


class _RecolectorEspaciado:
    """Raises the collector's first threshold while any catch-up runs in this process and
    puts back what it was when the last one ends (a threshold of 0, the collector
    turned off, is left alone)."""

    def __init__(self) -> None:
        self._cerrojo = threading.Lock()
        self._activos = 0
        self._antes: tuple[int, int, int] = gc.get_threshold()

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._cerrojo:
            if self._activos == 0:
                self._antes = gc.get_threshold()
                if 0 < self._antes[0] < UMBRAL_GC:
                    gc.set_threshold(UMBRAL_GC, *self._antes[1:])
            self._activos += 1
        try:
            yield
        finally:
            with self._cerrojo:
                self._activos -= 1
                if self._activos == 0:
                    gc.set_threshold(*self._antes)


recolector_espaciado = _RecolectorEspaciado()


def ponerse_al_dia(
    engine: Engine,
    proyector: Proyector,
    *,
    lote: int = LOTE,
    progreso: Progreso | None = None,
    turno: TurnoEscritura | None = None,
) -> int:
    """Apply every stored event the projections have not applied yet, `lote` positions
    of the log per transaction, reading and decoding only the events some projection
    reads (each once); returns how many positions of the log were gone through. On
    SQLite the write transactions take `turno` when given (the turn the process's
    commands take), else a turn of their own on the lock file."""
    with recolector_espaciado():
        return _ponerse_al_dia(engine, proyector, lote=lote, progreso=progreso, turno=turno)


def _ponerse_al_dia(
    engine: Engine,
    proyector: Proyector,
    *,
    lote: int,
    progreso: Progreso | None,
    turno: TurnoEscritura | None = None,
) -> int:
    dos_fases = engine.dialect.name == "sqlite"
    if dos_fases:  # every checkpoint row exists before the read transactions look for it
        with _turno(engine, turno), engine.begin() as conexion:
            proyector.checkpoints(conexion, bloquear=True)
    leidos = 0
    total: int | None = None
    while True:
        if dos_fases:
            tramo = _un_lote_en_dos_fases(engine, proyector, lote, turno)
            if tramo is None:
                continue
        else:
            tramo = _un_lote(engine, proyector, lote)
        if total is None:
            total = max(tramo.ultima - tramo.desde, 0)
        leidos += tramo.hasta - tramo.desde
        total = max(total, leidos)
        if progreso is not None:
            progreso(leidos, total)
        if tramo.hasta >= tramo.ultima:
            return leidos


def reconstruir(
    engine: Engine,
    nombres: Sequence[str] | None = None,
    progreso: Progreso | None = None,
    *,
    codec: CodecEventos | None = None,
    lote: int = LOTE,
    procesos: int | None = None,
) -> int:
    """Empty the named projections (all by default) and replay the whole log into them;
    returns how many events were replayed. Unknown names raise ProyeccionDesconocida
    before anything is touched.

    Projections that read no event type in common are independent: with `procesos` > 1
    (by default, as many as there are CPUs, up to 2) they are rebuilt side by side, one
    group per process (see `_en_paralelo`); each group keeps its own checkpoints, so the
    result, and what readers and the embedded observer see meanwhile, is the same as
    one process's."""
    proyector = Proyector(crear_proyecciones(nombres), codec)
    with _turno(engine), engine.begin() as conexion:
        proyector.checkpoints(conexion, bloquear=True)
        for proyeccion in proyector.proyecciones:
            for tabla in proyeccion.tablas:
                conexion.execute(delete(tabla))
        conexion.execute(
            update(checkpoints_proyeccion)
            .where(checkpoints_proyeccion.c.nombre.in_(proyector.nombres))
            .values(posicion=0)
        )
        ultima = almacen_eventos(conexion).ultima_posicion()
    grupos = repartir(proyector.proyecciones, procesos_utiles(engine, procesos))
    if len(grupos) < 2 or ultima <= lote:
        return ponerse_al_dia(engine, proyector, lote=lote, progreso=progreso)
    proyectores = [Proyector(grupo, proyector.codec) for grupo in grupos]
    return _en_paralelo(engine, proyectores, lote=lote, progreso=progreso)


# -- side by side ---------------------------------------------------------------------------
#
# A rebuild is CPU-bound (decoding, building rows) and projections that share no event type
# share no table and no checkpoint, so two groups can replay the log at once, each reading
# and decoding only its own types. The other groups run in processes forked from this one
# (the projections, the codec and its upcasters are inherited as they are), each with its
# own connections; on SQLite the two-phase batches keep the write lock short, so the
# processes overlap instead of queueing for it. Forking is only done where it is safe: on
# Linux, from a process with a single thread, on a database that is not in memory.


def procesos_utiles(engine: Engine, procesos: int | None) -> int:
    """How many processes a rebuild may use: `procesos`, or by default the CPUs this
    process may run on (up to 2); 1 where forking is not safe."""
    if procesos is None:
        procesos = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1, 2)
    if procesos < 2:
        return 1
    en_memoria = engine.dialect.name == "sqlite" and ruta_sqlite(engine) is None
    seguro = (
        sys.platform == "linux"
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        and not multiprocessing.current_process().daemon
        and not en_memoria
    )
    return procesos if seguro else 1


def repartir(proyecciones: Sequence[Proyeccion], procesos: int) -> list[list[Proyeccion]]:
    """The projections in at most `procesos` groups, those that read a common event type
    always together (so each event is decoded by one process only), the groups balanced
    by how many event types they read; in their given order within each group."""
    componentes: list[tuple[set[type[Any]], list[Proyeccion]]] = []
    for proyeccion in proyecciones:
        tipos, miembros = set(proyeccion.tipos), [proyeccion]
        for otro in [c for c in componentes if c[0] & tipos]:
            componentes.remove(otro)
            tipos |= otro[0]
            miembros = otro[1] + miembros
        componentes.append((tipos, miembros))
    grupos: list[tuple[int, list[Proyeccion]]] = [(0, []) for _ in range(max(procesos, 1))]
    for tipos, miembros in sorted(componentes, key=lambda c: -len(c[0])):
        peso, grupo = min(grupos, key=lambda g: g[0])
        grupos[grupos.index((peso, grupo))] = (peso + len(tipos), grupo + miembros)
    orden = {p.nombre: i for i, p in enumerate(proyecciones)}
    return [sorted(grupo, key=lambda p: orden[p.nombre]) for _, grupo in grupos if grupo]


# Connection pools inherited from the parent: kept referenced in a child so that nothing
# there ever closes (or says goodbye on) a connection the parent is using.
_HEREDADOS: list[Any] = []


def _en_hijo(engine: Engine, proyector: Proyector, lote: int, indice: int, enviar: Any) -> None:
    _HEREDADOS.append(engine.pool)
    engine.dispose(close=False)
    try:
        leidos = ponerse_al_dia(
            engine,
            proyector,
            lote=lote,
            progreso=lambda hechos, total: enviar.send(("avance", indice, hechos, total)),
        )
        enviar.send(("fin", indice, leidos))
    except BaseException as error:  # handed to the parent, which raises it
        try:
            enviar.send(("error", indice, error))
        except Exception:
            enviar.send(("error", indice, RuntimeError(repr(error))))
    finally:
        engine.dispose()


def _en_paralelo(
    engine: Engine,
    proyectores: Sequence[Proyector],
    *,
    lote: int,
    progreso: Progreso | None,
) -> int:
    """Catch every group up at once: the first in this process, each other in a child.
    Progress reports the events every projection has applied (the slowest group's)."""
    contexto = multiprocessing.get_context("fork")
    recibir, enviar = contexto.Pipe(duplex=False)
    hijos = [
        contexto.Process(
            target=_en_hijo,
            args=(engine, proyector, lote, indice, enviar),
            name=f"prometeo-reconstruir-{indice}",
            daemon=True,
        )
        for indice, proyector in enumerate(proyectores)
        if indice > 0
    ]
    avances = [(0, 0)] * len(proyectores)
    leidos: dict[int, int] = {}

    def informar(indice: int, hechos: int, total: int) -> None:
        avances[indice] = (hechos, total)
        if progreso is not None:
            progreso(min(h for h, _ in avances), max(t for _, t in avances))

    def escuchar(espera: float) -> None:
        # Until every child has said it is done (after that, EOF is all there is to read).
        while len(leidos.keys() - {0}) < len(hijos) and recibir.poll(espera):
            try:
                mensaje = recibir.recv()
            except EOFError:
                for hijo in hijos:
                    hijo.join(5)
                codigos = ", ".join(str(h.exitcode) for h in hijos)
                raise RuntimeError(
                    f"Un proceso de la reconstrucción terminó sin acabarla (código {codigos})"
                ) from None
            if mensaje[0] == "avance":
                informar(*mensaje[1:])
            elif mensaje[0] == "fin":
                leidos[mensaje[1]] = mensaje[2]
            else:
                raise mensaje[2]
            espera = 0

    try:
        for hijo in hijos:
            hijo.start()
        enviar.close()  # the children hold it: EOF here when all of them are gone

        def avanzar(hechos: int, total: int) -> None:
            informar(0, hechos, total)
            escuchar(0)

        leidos[0] = ponerse_al_dia(engine, proyectores[0], lote=lote, progreso=avanzar)
        while len(leidos) < len(proyectores):
            escuchar(1.0)
    except BaseException:
        for hijo in hijos:
            if hijo.is_alive():
                hijo.terminate()
        raise
    finally:
        for hijo in hijos:
            hijo.join()
        recibir.close()
    return max(leidos.values())
