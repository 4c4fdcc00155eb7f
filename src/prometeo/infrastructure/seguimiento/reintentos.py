"""Retrying parked events by hand (`prometeo aparcados reintentar`), once whatever made
them fail is fixed.

Each follower knows how to do its effect again for the events it parked: its Reintentador
(the relay publishes them again; the projections rebuild the read models that read them).
A retry reads each parked event back from the log, hands them over, forgets those done
and keeps the others with the error they failed with this time. An error of the
infrastructure (the database or the broker away) stops the retry and is raised: what was
done is forgotten, the rest stays parked as it was."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Engine

from prometeo.infrastructure.db.almacen_eventos import EventoAlmacenado
from prometeo.infrastructure.seguimiento.aparcados import (
    EventoAparcado,
    anotar_error,
    descartar_aparcado,
    describir_error,
)
from prometeo.infrastructure.seguimiento.seguidor import RegistroDeEventos

Reintentado = Callable[[int], None]
FalloDeNuevo = Callable[[int, BaseException], None]


class Reintentador(Protocol):
    """Does a follower's effect again for some of its parked events (in log order), and
    reports each one through `hecho(posicion)` or `fallo(posicion, error)`. Raises the
    errors of the infrastructure instead of reporting them."""

    def reintentar(
        self, eventos: Sequence[EventoAlmacenado], hecho: Reintentado, fallo: FalloDeNuevo
    ) -> None: ...


@dataclass(frozen=True, slots=True)
class Reintento:
    """How retrying a parked event went: `error` is None when it was done (and is no longer
    parked), else what it failed with again (it stays parked with it)."""

    aparcado: EventoAparcado
    error: str | None


class EventoNoEncontrado(LookupError):
    """A parked event's position holds no event in the log (the log was emptied)."""


def reintentar_aparcados(
    engine: Engine,
    registro: RegistroDeEventos,
    aparcados: Sequence[EventoAparcado],
    reintentador: Reintentador,
) -> list[Reintento]:
    """Retry `aparcados`, all parked by the follower `reintentador` works for."""
    por_posicion = {a.posicion: a for a in aparcados}
    resultados: list[Reintento] = []

    def hecho(posicion: int) -> None:
        aparcado = por_posicion[posicion]
        descartar_aparcado(engine, aparcado.seguidor, posicion)
        resultados.append(Reintento(aparcado, None))

    def fallo(posicion: int, error: BaseException) -> None:
        aparcado = por_posicion[posicion]
        anotar_error(engine, aparcado.seguidor, posicion, error)
        resultados.append(Reintento(aparcado, describir_error(error)))

    eventos = [_leer(registro, posicion) for posicion in sorted(por_posicion)]
    if eventos:
        reintentador.reintentar(eventos, hecho, fallo)
    return resultados


def _leer(registro: RegistroDeEventos, posicion: int) -> EventoAlmacenado:
    # Positions are handed out without gaps: the one event after posicion - 1 is it.
    eventos = registro.leer_todos(posicion - 1, 1)
    if not eventos or eventos[0].posicion != posicion:
        raise EventoNoEncontrado(f"No hay ningún evento en la posición {posicion} del historial")
    return eventos[0]
