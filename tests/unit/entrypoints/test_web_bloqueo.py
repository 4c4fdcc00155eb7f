"""The pause after failed sign-ins, on a fake clock."""

from __future__ import annotations

from prometeo.entrypoints.web.bloqueo import (
    FALLOS_POR_DIRECCION,
    FALLOS_POR_USUARIO,
    VENTANA,
    BloqueoIngresos,
)


class Reloj:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_cinco_fallos_de_un_usuario_lo_pausan_quince_minutos() -> None:
    reloj = Reloj()
    bloqueo = BloqueoIngresos(reloj)
    for _ in range(FALLOS_POR_USUARIO - 1):
        bloqueo.fallo("Ana", "10.0.0.1")
    assert bloqueo.espera("ana", "10.0.0.1") == 0
    bloqueo.fallo("ana", "10.0.0.2")
    assert bloqueo.espera("ANA", "10.0.0.3") == VENTANA  # by name, from any address
    assert bloqueo.espera("bob", "10.0.0.1") == 0  # another name is not paused
    reloj.t += VENTANA
    assert bloqueo.espera("ana", "10.0.0.1") == 0


def test_un_acierto_borra_los_fallos_del_nombre() -> None:
    bloqueo = BloqueoIngresos(Reloj())
    for _ in range(FALLOS_POR_USUARIO - 1):
        bloqueo.fallo("ana", "10.0.0.1")
    bloqueo.acierto("ana")
    bloqueo.fallo("ana", "10.0.0.1")
    assert bloqueo.espera("ana", "10.0.0.1") == 0


def test_muchos_nombres_desde_una_direccion_la_pausan() -> None:
    bloqueo = BloqueoIngresos(Reloj())
    for i in range(FALLOS_POR_DIRECCION):
        bloqueo.fallo(f"usuario{i}", "10.0.0.9")
    assert bloqueo.espera("otro", "10.0.0.9") > 0
    assert bloqueo.espera("otro", "10.0.0.8") == 0
