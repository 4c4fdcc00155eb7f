"""The broker's state for /health, with a fake connection attempt: asking never waits for
the broker, many callers share one probe, and the state is refreshed at most once per
interval, in the background."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from prometeo.infrastructure.salud import SondaBroker


class ConexionFalsa:
    """A connection attempt that waits for the test to let it finish, counting attempts."""

    def __init__(self) -> None:
        self.intentos = 0
        self.soltar = threading.Event()
        self.falla: Exception | None = None

    def __call__(self) -> None:
        self.intentos += 1
        self.soltar.wait(30)
        if self.falla is not None:
            raise self.falla


class RelojFalso:
    def __init__(self) -> None:
        self.ahora = 1000.0

    def __call__(self) -> float:
        return self.ahora


def hasta(condicion: Callable[[], bool], que: str) -> None:
    limite = time.monotonic() + 10
    while not condicion():
        assert time.monotonic() < limite, f"no se cumplió a tiempo: {que}"
        time.sleep(0.005)


def test_preguntar_no_espera_al_broker_y_todos_comparten_una_sonda() -> None:
    conexion = ConexionFalsa()
    sonda = SondaBroker(conexion, intervalo=5, reloj=RelojFalso())

    # The probe is stuck in its handshake: every caller answers at once with what is known.
    estados = [sonda.estado() for _ in range(50)]

    assert set(estados) == {"comprobando"}
    hasta(lambda: conexion.intentos == 1, "la sonda empezó")
    conexion.soltar.set()
    hasta(lambda: sonda.estado() == "ok", "la sonda terminó")
    assert conexion.intentos == 1


def test_el_estado_se_renueva_en_segundo_plano_a_lo_sumo_una_vez_por_intervalo() -> None:
    conexion, reloj = ConexionFalsa(), RelojFalso()
    conexion.soltar.set()
    sonda = SondaBroker(conexion, intervalo=5, reloj=reloj)
    sonda.estado()
    hasta(lambda: sonda.estado() == "ok", "la primera sonda")

    conexion.falla = ConnectionRefusedError("broker caído")
    reloj.ahora += 4.9
    assert sonda.estado() == "ok"  # still fresh: no new attempt
    assert conexion.intentos == 1

    reloj.ahora += 0.1
    assert sonda.estado() == "ok"  # stale: this call starts a probe, and does not wait for it
    hasta(lambda: sonda.estado() == "error", "la caída vista")
    assert conexion.intentos == 2

    conexion.falla = None
    reloj.ahora += 5
    sonda.estado()
    hasta(lambda: sonda.estado() == "ok", "la vuelta vista")
    assert conexion.intentos == 3


def test_sin_broker_configurado_no_hay_sonda() -> None:
    sonda = SondaBroker.para(None)
    assert sonda.estado() == "no configurado"
