"""The command line speaks Spanish to people: its numbers, help and errors."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from prometeo.entrypoints.cli_proyecciones import _EventosPorSegundo


def test_el_ritmo_de_la_reconstruccion_separa_los_miles_con_un_espacio() -> None:
    tarea: Any = SimpleNamespace(speed=1087.4)
    assert _EventosPorSegundo().render(tarea).plain == "1 087 eventos/s"
