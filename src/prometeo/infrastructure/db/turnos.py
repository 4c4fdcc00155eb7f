"""First come, first served: the writers of one process queue for SQLite's write lock.

SQLite admits one writer at a time; a writer that finds the database locked sleeps with
back-off in its busy handler, and newer requests barge in, so under load a few requests
wait seconds while others pass. A ticket lock hands the write lock over in arrival order
(requests wait about as long as the queue ahead of them, no more)."""

from __future__ import annotations

import threading


class TurnoEscritura:
    """A FIFO ticket lock."""

    def __init__(self) -> None:
        self._condicion = threading.Condition()
        self._siguiente = 0
        self._atendiendo = 0

    def tomar(self) -> None:
        with self._condicion:
            turno = self._siguiente
            self._siguiente += 1
            self._condicion.wait_for(lambda: self._atendiendo == turno)

    def soltar(self) -> None:
        with self._condicion:
            self._atendiendo += 1
            self._condicion.notify_all()
