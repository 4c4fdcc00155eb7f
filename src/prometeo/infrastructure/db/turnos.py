"""First come, first served: the writers of one process queue for SQLite's write lock,
and the processes that share the database file take turns through a lock file.

SQLite admits one writer at a time; a writer that finds the database locked sleeps with
back-off in its busy handler, and newer requests barge in, so under load a few requests
wait seconds while others pass. A ticket lock hands the write lock over in arrival order
(requests wait about as long as the queue ahead of them, no more).

Between processes (`prometeo serve --workers N`, a CLI command while the server runs) the
holder of the turn also holds an exclusive `flock` on a file next to the database (only
its owner may open it); a process waiting for it asks again after pauses of a fraction of
a millisecond to a few (a blocking flock could not be given up, and no writer waits
forever: past its limit it gives up with BaseDeDatosOcupada, nothing written). The file
also counts the commits made under it, so that a process learns, when its turn comes,
whether another process wrote since its own last turn (its cached aggregates may then be
stale: see CacheAgregados)."""

from __future__ import annotations

import os
import threading
import time
from collections import deque

from sqlalchemy import Engine

from prometeo.application.unidad_de_trabajo import BaseDeDatosOcupada
from prometeo.infrastructure.db.engine import ruta_sqlite

try:  # POSIX; elsewhere the processes fall back on SQLite's busy handler
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

_CONTADOR = 8  # bytes: the commits made under the lock file, little-endian
# How long a writer waits for its turn before giving up (PROMETEO_ESPERA_ESCRITURA).
ESPERA_MAXIMA = 15.0
_PAUSA_INICIAL = 0.0002
_PAUSA_MAXIMA = 0.005


class ColaDeTurnos:
    """The threads of one process, served in arrival order: a FIFO lock that hands itself
    over. Releasing it wakes only the next waiter, which then owns it (waking every waiter
    on each release makes them all take the GIL from the holder only to find it is not
    their turn)."""

    def __init__(self) -> None:
        self._candado = threading.Lock()
        self._ocupado = False
        self._esperando: deque[threading.Lock] = deque()

    def tomar(self, espera_maxima: float) -> None:
        """Wait for the turn, at most `espera_maxima` seconds (BaseDeDatosOcupada after
        that)."""
        with self._candado:
            if not self._ocupado:
                self._ocupado = True
                return
            senal = threading.Lock()
            senal.acquire()
            self._esperando.append(senal)
        # Released by `pasar` when this thread's turn comes: it then owns it.
        if senal.acquire(timeout=espera_maxima):
            return
        with self._candado:
            if senal in self._esperando:
                self._esperando.remove(senal)
                raise _ocupada(espera_maxima)
        # Handed over just as the wait ended: the turn is this thread's. Taking it (rather
        # than passing it on) keeps a holder for whatever the giver left open (group
        # commit hands over an open transaction).
        senal.acquire()

    def pasar(self) -> None:
        """Give the turn to the next waiter (or leave it free)."""
        with self._candado:
            if self._esperando:
                self._esperando.popleft().release()
            else:
                self._ocupado = False

    def esperando(self) -> int:
        """How many threads wait for the turn now."""
        with self._candado:
            return len(self._esperando)

    def ceder(self) -> bool:
        """Give the turn to the next waiter if there is one (True); otherwise keep it."""
        with self._candado:
            if not self._esperando:
                return False
            self._esperando.popleft().release()
            return True


class TurnoEscritura:
    """The turn of this process's writers (a ColaDeTurnos). With `archivo`, the turn also
    holds an exclusive lock on that file, shared with the other processes that use it."""

    def __init__(self, archivo: str | None = None, espera_maxima: float = ESPERA_MAXIMA) -> None:
        self.espera_maxima = espera_maxima
        self._cola = ColaDeTurnos()
        self._archivo = archivo if fcntl is not None else None
        self._fd: int | None = None
        self._pid = 0
        self._vista: int | None = None  # the commit count this process last knew

    def tomar(self) -> bool:
        """Wait for the turn, at most `espera_maxima` seconds (BaseDeDatosOcupada after
        that); True if another process committed since this one last held it (or if it
        never did)."""
        limite = time.monotonic() + self.espera_maxima
        self._cola.tomar(self.espera_maxima)
        if self._archivo is None:
            return False
        try:
            fd = self._descriptor()
            _bloquear(fd, limite, self.espera_maxima)
            contador = int.from_bytes(os.pread(fd, _CONTADOR, 0).ljust(_CONTADOR, b"\0"), "little")
        except BaseException:
            self._cola.pasar()
            raise
        ajeno = contador != self._vista
        self._vista = contador
        return ajeno

    def soltar(self, escribio: bool = False) -> None:
        """Give the turn to the next waiter; `escribio`: this turn committed something."""
        try:
            if self._archivo is not None and self._fd is not None:
                if escribio and self._vista is not None:
                    self._vista += 1
                    os.pwrite(self._fd, self._vista.to_bytes(_CONTADOR, "little"), 0)
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._cola.pasar()

    def _descriptor(self) -> int:
        # Opened once per process: a forked child must not share its parent's open file
        # (flock belongs to the open file, so parent and child would not exclude each other).
        if self._fd is None or self._pid != os.getpid():
            assert self._archivo is not None
            # Owner only: another local user could otherwise hold the turn forever.
            self._fd = os.open(self._archivo, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self._pid = os.getpid()
            self._vista = None
        return self._fd

    def cerrar(self) -> None:
        if self._fd is not None and self._pid == os.getpid():
            os.close(self._fd)
        self._fd = None


def turno_de_escritura(
    engine: Engine, espera_maxima: float = ESPERA_MAXIMA
) -> TurnoEscritura | None:
    """The turn of SQLite's writers: in this process, and with every other process that
    opens the same file, through `<database>-turno` next to it (None for a server)."""
    if engine.dialect.name != "sqlite":
        return None
    ruta = ruta_sqlite(engine)
    archivo = os.path.abspath(f"{ruta}-turno") if ruta is not None else None
    return TurnoEscritura(archivo, espera_maxima)


def _bloquear(fd: int, limite: float, espera_maxima: float) -> None:
    """Take the file's lock before `limite` (monotonic), or BaseDeDatosOcupada. Polled:
    a blocking flock cannot be given up. Most turns are free at once; a busy one is asked
    again after a pause that doubles up to _PAUSA_MAXIMA."""
    pausa = _PAUSA_INICIAL
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= limite:
                raise _ocupada(espera_maxima) from None
            time.sleep(pausa)
            pausa = min(pausa * 2, _PAUSA_MAXIMA)


def _ocupada(espera: float) -> BaseDeDatosOcupada:
    return BaseDeDatosOcupada(
        f"Otra escritura ocupa la base de datos desde hace más de {espera:g} s; nada se "
        "guardó: reintente en un momento"
    )
