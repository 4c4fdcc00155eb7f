"""CPU time of other processes (a server and its workers, database backends), read from
Linux's /proc: where the machine's cores went during a timed window."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

PROC = Path("/proc")


def disponible() -> bool:
    return (PROC / "self" / "stat").exists()


def arbol(pid: int) -> list[int]:
    """`pid` and every process below it (uvicorn's workers are children of `serve`)."""
    pids, pendientes = [], [pid]
    while pendientes:
        actual = pendientes.pop()
        pids.append(actual)
        try:
            hijos = (PROC / str(actual) / "task" / str(actual) / "children").read_text()
        except OSError:  # it has ended
            continue
        pendientes.extend(int(h) for h in hijos.split())
    return pids


def segundos(pids: Iterable[int]) -> dict[int, float]:
    """CPU seconds (user + system) each process has used so far; ended ones are left out."""
    por_tick = 1 / os.sysconf("SC_CLK_TCK")
    tiempos = {}
    for pid in pids:
        try:
            estado = (PROC / str(pid) / "stat").read_text()
        except OSError:
            continue
        # After the command name, which may hold spaces, in parentheses: utime and stime
        # are the 14th and 15th fields of the line.
        campos = estado.rsplit(")", 1)[1].split()
        tiempos[pid] = (int(campos[11]) + int(campos[12])) * por_tick
    return tiempos


def entre(antes: dict[int, float], despues: dict[int, float]) -> float:
    """CPU seconds used between two readings; a process born in between counts whole."""
    return sum(t - antes.get(pid, 0.0) for pid, t in despues.items())
