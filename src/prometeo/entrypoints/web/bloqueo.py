"""The pause after failed sign-ins: past FALLOS_POR_USUARIO failures for one user name, or
FALLOS_POR_DIRECCION from one address, within VENTANA seconds, sign-ins for that name (or
from that address) are refused, without looking at the password, until the oldest of
those failures is VENTANA old. Kept in the process's memory (a restart forgets it), like
the API's limit on bad tokens (api/intentos.py), whose counter it reuses."""

from __future__ import annotations

import time
from collections.abc import Callable

from prometeo.entrypoints.api.intentos import LimitadorFallos

FALLOS_POR_USUARIO = 5
# Higher: several people of a shop may share one address (the shop's router).
FALLOS_POR_DIRECCION = 20
VENTANA = 15 * 60.0


class BloqueoIngresos:
    def __init__(self, reloj: Callable[[], float] = time.monotonic) -> None:
        self._usuarios = LimitadorFallos(FALLOS_POR_USUARIO, VENTANA, reloj)
        self._direcciones = LimitadorFallos(FALLOS_POR_DIRECCION, VENTANA, reloj)

    def espera(self, usuario: str, direccion: str) -> float:
        """Seconds before this name may try again from this address (0: it may now)."""
        return max(self._usuarios.espera(_clave(usuario)), self._direcciones.espera(direccion))

    def fallo(self, usuario: str, direccion: str) -> None:
        self._usuarios.fallo(_clave(usuario))
        self._direcciones.fallo(direccion)

    def acierto(self, usuario: str) -> None:
        """A right password clears the name's failures (not the address's: another name
        guessed from there still counts)."""
        self._usuarios.acierto(_clave(usuario))


def _clave(usuario: str) -> str:
    return usuario.strip().casefold()
