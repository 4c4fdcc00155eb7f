"""WAL checkpoints off the commit path (SQLite).

In WAL mode SQLite copies the log back into the database file when it passes
`wal_autocheckpoint` pages (1,000 by default), inside whichever commit crosses the mark:
that commit also pays an fsync of the database file with synchronous=FULL while every
other writer waits behind it in the queue. A thread of the process runs PASSIVE
checkpoints instead (they never block readers or the writer); the connections keep a far
automatic checkpoint as a safety net should the thread stop."""

from __future__ import annotations

import logging
import sqlite3
import threading

log = logging.getLogger(__name__)

# Pages of WAL after which a commit checkpoints by itself (the net under the thread).
AUTOCHECKPOINT_RED = 10_000
_CHECKPOINT = "PRAGMA wal_checkpoint(PASSIVE)"


class VolcadoWal:
    """Checkpoints one SQLite database file every `intervalo` seconds, from its own
    connection, until `parar`."""

    def __init__(self, ruta: str, intervalo: float = 0.25) -> None:
        self.ruta = ruta
        self.intervalo = intervalo
        self._parar = threading.Event()
        self._hilo: threading.Thread | None = None

    @property
    def activo(self) -> bool:
        return self._hilo is not None and self._hilo.is_alive()

    def iniciar(self) -> None:
        if self.activo:
            return
        self._parar.clear()
        self._hilo = threading.Thread(target=self._bucle, name="checkpoint-wal", daemon=True)
        self._hilo.start()

    def parar(self) -> None:
        """Stop the thread and checkpoint what is left."""
        self._parar.set()
        if self._hilo is not None:
            self._hilo.join(10)
            self._hilo = None
        try:
            self.ejecutar()
        except sqlite3.Error as error:  # the database may be gone already (tests, shutdown)
            log.debug("Último checkpoint del WAL no realizado: %s", error)

    def ejecutar(self) -> tuple[int, int, int]:
        """One PASSIVE checkpoint: (busy, frames in the WAL, frames copied back)."""
        conexion = sqlite3.connect(self.ruta, timeout=30)
        try:
            fila = conexion.execute(_CHECKPOINT).fetchone()
        finally:
            conexion.close()
        busy, marcos, copiados = fila
        return int(busy), int(marcos), int(copiados)

    def _bucle(self) -> None:
        conexion = sqlite3.connect(self.ruta, timeout=30, check_same_thread=False)
        try:
            while not self._parar.wait(self.intervalo):
                try:
                    conexion.execute(_CHECKPOINT).fetchone()
                except sqlite3.Error as error:  # e.g. a migration holding a lock: next time
                    log.warning("Checkpoint del WAL fallido, se reintenta: %s", error)
        finally:
            conexion.close()
