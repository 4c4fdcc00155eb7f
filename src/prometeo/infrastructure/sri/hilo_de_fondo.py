"""What the signer and the SRI dispatcher share as background threads: started once,
woken early by `despertar()` (a document just emitted or signed), stopped by `parar()`,
which wakes a waiting loop so that it ends at once."""

from __future__ import annotations

import threading


class HiloDeFondo:
    """Subclasses run their rounds in `_bucle` until `_parar` is set, waiting on
    `_despertar` between rounds."""

    NOMBRE_HILO = "fondo"

    def __init__(self) -> None:
        self._parar = threading.Event()
        self._despertar = threading.Event()
        self._hilo: threading.Thread | None = None

    def _bucle(self) -> None:
        raise NotImplementedError

    def despertar(self) -> None:
        """Start a round now instead of at the next poll."""
        self._despertar.set()

    def iniciar(self) -> None:
        self._hilo = threading.Thread(target=self._bucle, name=self.NOMBRE_HILO, daemon=True)
        self._hilo.start()

    def parar(self) -> None:
        self._parar.set()
        self._despertar.set()
        if self._hilo is not None:
            self._hilo.join(timeout=10)
