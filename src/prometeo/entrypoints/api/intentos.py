"""Failed tokens, per client address: past a few in a short while, that address is
answered 429 without even looking at its tokens, so guessing tokens is slow and a flood of
bad ones costs no database reads."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

FALLOS_PERMITIDOS = 10
VENTANA = 60.0  # seconds over which failures count
_DIRECCIONES_MAXIMAS = 10_000  # addresses remembered (the oldest are forgotten first)


class LimitadorFallos:
    def __init__(
        self,
        permitidos: int = FALLOS_PERMITIDOS,
        ventana: float = VENTANA,
        reloj: Callable[[], float] = time.monotonic,
    ) -> None:
        self.permitidos = permitidos
        self._ventana = ventana
        self._reloj = reloj
        self._fallos: OrderedDict[str, deque[float]] = OrderedDict()
        self._candado = threading.Lock()

    def espera(self, direccion: str) -> float:
        """Seconds `direccion` must wait before its tokens are looked at again (0: none)."""
        with self._candado:
            fallos = self._vigentes(direccion)
            if fallos is None or len(fallos) < self.permitidos:
                return 0.0
            return max(fallos[0] + self._ventana - self._reloj(), 0.0)

    def fallo(self, direccion: str) -> None:
        with self._candado:
            fallos = self._vigentes(direccion)
            if fallos is None:
                fallos = self._fallos[direccion] = deque()
                if len(self._fallos) > _DIRECCIONES_MAXIMAS:
                    self._fallos.popitem(last=False)
            fallos.append(self._reloj())
            self._fallos.move_to_end(direccion)

    def acierto(self, direccion: str) -> None:
        with self._candado:
            self._fallos.pop(direccion, None)

    def _vigentes(self, direccion: str) -> deque[float] | None:
        fallos = self._fallos.get(direccion)
        if fallos is None:
            return None
        limite = self._reloj() - self._ventana
        while fallos and fallos[0] <= limite:
            fallos.popleft()
        return fallos
