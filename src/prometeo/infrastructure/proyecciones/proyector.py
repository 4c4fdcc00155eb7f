"""Running projections over batches of stored events, each event at most once.

Every projection has a checkpoint: the global position of the last event it applied.
Positions are handed out without gaps and in commit order, so a projection may apply a
batch only when its checkpoint reaches the batch (it has seen everything before it); the
events at or below its checkpoint it skips. A projection that is behind (being rebuilt,
or fed by a worker) is left alone by the embedded observer: `ponerse_al_dia` brings it up
to date from the log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import Connection, bindparam, select, update

from prometeo.domain.events.base import EventoDominio
from prometeo.infrastructure.db.almacen_eventos import EventoAlmacenado
from prometeo.infrastructure.proyecciones.base import EventoProyectado, Proyeccion
from prometeo.infrastructure.proyecciones.escritura import insertar_si_falta
from prometeo.infrastructure.proyecciones.tablas import checkpoints_proyeccion
from prometeo.infrastructure.serializacion import CodecEventos
from prometeo.infrastructure.sql.sentencias import contar

_cp = checkpoints_proyeccion
_FIJAR = (
    update(_cp)
    .where(_cp.c.nombre.in_(bindparam("nombres", expanding=True)))
    .values(posicion=bindparam("fin"))
)


class Almacenado(Protocol):
    """What projecting needs of a stored event (an EventoAlmacenado has it all; a rebuild
    reads only these columns)."""

    @property
    def posicion(self) -> int: ...
    @property
    def stream_id(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def tipo(self) -> str: ...
    @property
    def version_esquema(self) -> int: ...
    @property
    def datos(self) -> str: ...


class HuecoEnProyeccion(RuntimeError):
    """A batch starts after events a projection has not applied yet."""


class Proyector:
    """Keeps a set of read models in step with the event log. In embedded mode its
    `observador` runs inside every command's transaction, so whoever wrote reads their own
    writes; a rebuild or a worker feeds it batches read from the log."""

    def __init__(
        self, proyecciones: Sequence[Proyeccion], codec: CodecEventos | None = None
    ) -> None:
        nombres = [p.nombre for p in proyecciones]
        if len(set(nombres)) != len(nombres):
            raise ValueError(f"Proyecciones repetidas: {', '.join(nombres)}")
        self.proyecciones = tuple(proyecciones)
        self.codec = codec or CodecEventos()
        self._tipos = frozenset(t.__name__ for p in proyecciones for t in p.tipos)
        # Built once: the observer runs them in every command.
        self._mover = (
            update(_cp)
            .where(
                _cp.c.nombre.in_([bindparam(f"nombre_{i}", n) for i, n in enumerate(nombres)]),
                _cp.c.posicion == bindparam("antes"),
            )
            .values(posicion=bindparam("despues"))
        )
        self._leer = select(_cp.c.nombre, _cp.c.posicion).where(_cp.c.nombre.in_(nombres))
        # Locked in name order: catch-ups of overlapping sets of projections (the reports'
        # thread, a rebuild, a worker, bootstrap's) then never wait on each other in a
        # cycle. Without the order PostgreSQL locks them in the order it finds them, which
        # changes as updates move the rows.
        self._bloquear = self._leer.order_by(_cp.c.nombre).with_for_update()

    @property
    def nombres(self) -> list[str]:
        return [p.nombre for p in self.proyecciones]

    # -- embedded mode ---------------------------------------------------------------------

    def observador(
        self,
        conexion: Connection,
        almacenados: Sequence[EventoAlmacenado],
        dominio: Sequence[EventoDominio],
        movidas: int | None = None,
    ) -> None:
        """The unit of work's hook: project the events a command has just stored in this
        transaction (for events read back from the log, use `aplicar`). The common case
        costs one statement for the checkpoints, moving every checkpoint that sits right
        before the batch to its end; on PostgreSQL the append has already done it in its
        own statement, and `movidas` says how many moved."""
        if not almacenados or not self.proyecciones:
            return
        primera, ultima = almacenados[0].posicion, almacenados[-1].posicion
        if movidas is None:
            mover = {"antes": primera - 1, "despues": ultima}
            movidas = contar(conexion, self._mover, mover)
        if movidas == len(self.proyecciones):
            listas = list(self.proyecciones)
        else:
            # These events are new to everyone: a checkpoint now at `ultima` is one just
            # moved; one further behind belongs to a rebuild or a worker, which will
            # bring its projection here from the log.
            puntos = self.checkpoints(conexion, primera=primera, ultima=ultima)
            listas = [p for p in self.proyecciones if puntos[p.nombre] == ultima]
        if listas:
            self._aplicar_a(conexion, listas, self._proyectados(almacenados, dominio), None)

    # -- batches read from the log ---------------------------------------------------------

    def aplicar(
        self,
        conexion: Connection,
        almacenados: Sequence[Almacenado],
        dominio: Sequence[EventoDominio | None] | None = None,
        *,
        puntos: dict[str, int] | None = None,
        estricto: bool = False,
        tramo: tuple[int, int] | None = None,
        fijar: bool = True,
    ) -> list[str]:
        """Apply a batch of consecutive stored events (decoded here when `dominio` does not
        give them) to every projection that has not applied them, and move those
        checkpoints to the batch's end; returns their names. Events at or below a
        checkpoint are skipped, so a batch applied twice changes nothing. A projection
        whose checkpoint is short of the batch is skipped, or raises HuecoEnProyeccion
        when `estricto` (a worker then retries after catching up).

        `tramo` = (first, last) names the positions the batch covers when it holds only
        the events of `tipos_leidos` in that range (every event of those types there, and
        maybe none): the checkpoints then move to `last`. With `fijar` false they are not
        moved (the caller moves them, see `fijar_checkpoints`)."""
        if tramo is not None:
            primera, ultima = tramo
        elif almacenados:
            primera, ultima = almacenados[0].posicion, almacenados[-1].posicion
        else:
            return []
        if ultima < primera:
            return []
        if puntos is None:
            puntos = self.checkpoints(conexion, bloquear=True)
        listas: list[Proyeccion] = []
        for proyeccion in self.proyecciones:
            punto = puntos[proyeccion.nombre]
            if punto < primera - 1:
                if estricto:
                    raise HuecoEnProyeccion(
                        f"La proyección {proyeccion.nombre} va en la posición {punto}; "
                        f"faltan los eventos anteriores a {primera}"
                    )
            elif punto < ultima:
                listas.append(proyeccion)
        if not listas:
            return []
        if almacenados:
            self._aplicar_a(conexion, listas, self._proyectados(almacenados, dominio), puntos)
        nombres = [p.nombre for p in listas]
        if fijar:
            self.fijar_checkpoints(conexion, nombres, ultima)
        return nombres

    @staticmethod
    def fijar_checkpoints(conexion: Connection, nombres: Sequence[str], fin: int) -> None:
        """Move these projections' checkpoints to `fin`."""
        if nombres:
            conexion.execute(_FIJAR, {"nombres": list(nombres), "fin": fin})

    @property
    def tipos_leidos(self) -> tuple[str, ...]:
        """The names of the event types some projection reads (the others can be skipped
        without being read)."""
        return tuple(sorted(self._tipos))

    def posiciones(self, conexion: Connection) -> dict[str, int]:
        """Each projection's checkpoint as stored (0 for one that has none yet: it has
        applied nothing); only reads."""
        puntos = dict(conexion.execute(self._leer).all())
        return {nombre: int(puntos.get(nombre, 0)) for nombre in self.nombres}

    def checkpoints(
        self,
        conexion: Connection,
        *,
        bloquear: bool = False,
        primera: int = 1,
        ultima: int = 0,
    ) -> dict[str, int]:
        """Each projection's checkpoint, locked when `bloquear` (so that two catch-ups
        never apply the same events). A projection without one gets it now: at `ultima`
        when the log starts at `primera` = 1 with this very batch, else at 0 (behind)."""
        consulta = self._bloquear if bloquear else self._leer
        puntos: dict[str, int] = dict(conexion.execute(consulta).all())
        faltan = [n for n in self.nombres if n not in puntos]
        if faltan:
            inicial = ultima if primera == 1 else 0
            insertar_si_falta(
                conexion,
                _cp,
                ("nombre",),
                [{"nombre": n, "posicion": inicial} for n in faltan],
            )
            puntos = dict(conexion.execute(consulta).all())
        return puntos

    def _aplicar_a(
        self,
        conexion: Connection,
        listas: Sequence[Proyeccion],
        eventos: Sequence[EventoProyectado],
        puntos: dict[str, int] | None,
    ) -> None:
        """Hand each projection its events of the batch (those after its checkpoint when
        `puntos` gives them; all otherwise), routed in one pass over the batch."""
        cubos: list[list[EventoProyectado]] = [[] for _ in listas]
        rutas: dict[type[EventoDominio], list[list[EventoProyectado]]] = {}
        for proyectado in eventos:
            clase = type(proyectado.evento)
            destinos = rutas.get(clase)
            if destinos is None:
                destinos = rutas[clase] = [
                    c for p, c in zip(listas, cubos, strict=True) if clase in p.tipos
                ]
            for cubo in destinos:
                cubo.append(proyectado)
        for proyeccion, suyos in zip(listas, cubos, strict=True):
            if puntos is not None:
                punto = puntos[proyeccion.nombre]
                if suyos and suyos[0].posicion <= punto:
                    suyos = [e for e in suyos if e.posicion > punto]
            if suyos:
                proyeccion.aplicar(conexion, suyos)

    def _proyectados(
        self,
        almacenados: Sequence[Almacenado],
        dominio: Sequence[EventoDominio | None] | None,
    ) -> list[EventoProyectado]:
        """The batch's events that some projection reads, each decoded at most once."""
        tipos, decodificar = self._tipos, self.codec.decodificar
        if not dominio:
            return [
                EventoProyectado(
                    a.posicion,
                    a.stream_id,
                    a.version,
                    decodificar(a.tipo, a.version_esquema, a.datos),
                )
                for a in almacenados
                if a.tipo in tipos
            ]
        proyectados = []
        for almacenado, evento in zip(almacenados, dominio, strict=True):
            if almacenado.tipo not in tipos:
                continue
            if evento is None:
                evento = decodificar(almacenado.tipo, almacenado.version_esquema, almacenado.datos)
            proyectados.append(
                EventoProyectado(
                    almacenado.posicion, almacenado.stream_id, almacenado.version, evento
                )
            )
        return proyectados
