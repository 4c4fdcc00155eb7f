"""First come, first served: the writers of one process queue for SQLite's write lock.

SQLite admits one writer at a time; a writer that finds the database locked sleeps with
back-off in its busy handler, and newer requests barge in, so under load a few requests
wait seconds while others pass. A ticket lock hands the write lock over in arrival order
(requests wait about as long as the queue ahead of them, no more)."""

from __future__ import annotations

import threading
from collections import deque


class TurnoEscritura:
    """A FIFO lock that hands itself over: releasing it wakes only the next waiter, which
    then owns it (waking every waiter on each commit made 15 threads fight the holder for
    the GIL only to find it was not their turn)."""

    def __init__(self) -> None:
        self._candado = threading.Lock()
        self._ocupado = False
        self._esperando: deque[threading.Lock] = deque()

    def tomar(self) -> None:
        with self._candado:
            if not self._ocupado:
                self._ocupado = True
                return
            senal = threading.Lock()
            senal.acquire()
            self._esperando.append(senal)
        senal.acquire()  # released by `soltar` when this thread's turn comes: it owns it

    def soltar(self) -> None:
        with self._candado:
            if self._esperando:
                self._esperando.popleft().release()
            else:
                self._ocupado = False
