"""Read models kept out of the commands' transactions: the reports'.

Only reports read `ventas_diarias` and `reportes` (DIFERIDAS in registro.py), and a
command never needs them to decide anything, so in embedded mode a command's transaction
does not write them: they follow the log like a worker's projections, in batches, and
every read of their tables first brings them to the log's last position as it is then
(`al_dia`). A report therefore shows every document committed before it was asked for,
as if they had moved with each command, while the cashiers' commands skip half of the
read-model writes. A thread (`iniciar`) catches up soon after commands commit, so that a
report seldom has more than a moment's worth of events to apply.

The catch-up is the rebuild's (`ponerse_al_dia`): at most once per projection, guarded by
the projections' own checkpoints, so this process's thread, its readers and any other
process may run it at once and every event is still applied exactly once, in log order,
with the rows a full rebuild would give."""

from __future__ import annotations

import logging
import threading
from functools import cache
from typing import Any

from sqlalchemy import Engine, Select, func, select

from prometeo.infrastructure.db.tablas import posicion_global
from prometeo.infrastructure.db.turnos import TurnoEscritura
from prometeo.infrastructure.proyecciones.proyector import Proyector
from prometeo.infrastructure.proyecciones.reconstruccion import ponerse_al_dia
from prometeo.infrastructure.proyecciones.tablas import checkpoints_proyeccion
from prometeo.infrastructure.seguimiento import conexion_de_lectura, describir_error
from prometeo.infrastructure.sri.hilo_de_fondo import HiloDeFondo

logger = logging.getLogger("prometeo.proyecciones")

# After a wake-up the thread waits this long before catching up, so that one catch-up
# takes the events of every command committed meanwhile (one write transaction for many).
DEMORA = 1.0
# With nothing waking it (commands of other processes), it looks again this often.
INTERVALO = 10.0


@cache
def _atraso(nombres: tuple[str, ...]) -> Select[Any]:
    """The log's last position, and the lowest checkpoint and how many exist of these
    projections, in one read (built once: a report asks before every read)."""
    cp = checkpoints_proyeccion
    return select(
        select(posicion_global.c.ultima).scalar_subquery(),
        select(func.min(cp.c.posicion)).where(cp.c.nombre.in_(nombres)).scalar_subquery(),
        select(func.count()).where(cp.c.nombre.in_(nombres)).scalar_subquery(),
    )


def atrasadas(engine: Engine, proyector: Proyector) -> bool:
    """Whether the log holds events some of these projections have not applied. It only
    reads: a report that finds them current never queues for the write lock, and a
    process that starts never locks the checkpoints that other processes' commands move."""
    nombres = tuple(proyector.nombres)
    with conexion_de_lectura(engine) as conexion:
        ultima, minima, filas = conexion.execute(_atraso(nombres)).one()
    return filas < len(nombres) or int(minima or 0) < int(ultima or 0)


class ProyeccionesDiferidas(HiloDeFondo):
    """The deferred projections of one process: `al_dia()` before reading their tables,
    `despertar()` when commands that write their events commit."""

    NOMBRE_HILO = "proyecciones-diferidas"

    def __init__(
        self,
        engine: Engine,
        proyector: Proyector,
        *,
        turno: TurnoEscritura | None = None,
        demora: float = DEMORA,
        intervalo: float = INTERVALO,
    ) -> None:
        super().__init__()
        self.engine = engine
        self.proyector = proyector
        self.demora = demora
        self.intervalo = intervalo
        self._turno = turno
        # One catch-up at a time in this process: a reader arriving while the thread
        # catches up waits for it and then finds (almost) nothing left.
        self._una_a_la_vez = threading.Lock()

    @property
    def nombres(self) -> list[str]:
        return self.proyector.nombres

    def al_dia(self) -> None:
        """Return once these projections have applied every event committed so far."""
        if not atrasadas(self.engine, self.proyector):
            return
        with self._una_a_la_vez:
            ponerse_al_dia(self.engine, self.proyector, turno=self._turno)

    def _bucle(self) -> None:
        # At once on starting: what other processes (a CLI command, a server that stopped)
        # committed meanwhile is not left waiting for a sale or a report.
        self._ronda()
        while not self._parar.is_set():
            self._despertar.wait(self.intervalo)
            if self._parar.is_set():
                return
            # Gather the commands that commit in the next moment into the same catch-up.
            self._parar.wait(self.demora)
            self._despertar.clear()
            self._ronda()

    def _ronda(self) -> None:
        try:
            self.al_dia()
        except Exception as error:
            # The next wake-up, or the next report, tries again from the checkpoints.
            logger.warning(
                "No se pudieron poner al día las proyecciones %s: %s",
                ", ".join(self.nombres),
                describir_error(error),
            )
