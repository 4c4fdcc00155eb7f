"""How many commands run in threads at once.

FastAPI runs blocking work in anyio's thread pool (40 threads). On SQLite the writers of a
process take turns (a FIFO queue: one command at a time holds the write lock), so with
many cajeros most threads sit in the queue, all of them woken at every turn and each
taking the GIL from the one thread that holds the lock, CPU spent on no progress.
Commands therefore hold a place of their own limiter while they run, and only a few run at
once; the rest wait on the event loop, in arrival order, for free. Reads keep the default
pool: they never wait behind the queue.

So there are two kinds of route and one way to write each: a read is a plain function
(FastAPI runs it in the default pool); a command (every POST, PUT, PATCH or DELETE) is a
coroutine that hands its whole blocking part, the command and the read that answers it,
to `Contexto.comando` (seguridad.py), which runs it here."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from anyio import CapacityLimiter, to_thread

from prometeo.bootstrap import Servicios

T = TypeVar("T")

# SQLite: the one command holding the write lock, one answering (reading its document back)
# and two ready to take the lock the moment it is released.
PLAZAS_SQLITE = 4
# SQLite with group commit: a command that has had its turn waits for its batch's COMMIT
# (without the GIL), and a batch holds the commands that queued during the one before; a
# place per cajero lets every one of them join the next batch.
PLAZAS_GRUPO = 16
# PostgreSQL and MariaDB run writers concurrently; more than the engine's pool holds (5 + 10
# overflow by default) would only wait for a connection there.
PLAZAS_SERVIDOR = 15


def limitador_comandos(servicios: Servicios) -> CapacityLimiter:
    """The limiter for an application's commands (usable from any event loop)."""
    if servicios.comandos_en_grupo:
        return CapacityLimiter(PLAZAS_GRUPO)
    return CapacityLimiter(PLAZAS_SQLITE if servicios.escritores_en_turno else PLAZAS_SERVIDOR)


async def en_hilo(limitador: CapacityLimiter, trabajo: Callable[[], T]) -> T:
    """Run `trabajo` in the thread pool once `limitador` has a place for it."""
    return await to_thread.run_sync(trabajo, limiter=limitador)
