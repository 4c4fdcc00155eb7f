"""The in-process message bus: after a command commits, its events reach the handlers
that react to them (warnings, notifications...). Reactions never undo the command: a
handler that fails is logged, counted (through the optional `al_fallar` port, which the
composition root wires to a metric) and the others still run.

The bus is best effort and in memory: a reaction that must happen (signing a comprobante,
mailing it) follows the event log with a checkpoint instead (infrastructure/seguimiento)."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from prometeo.application.unidad_de_trabajo import EventoConfirmado
from prometeo.domain.events.base import EventoDominio
from prometeo.domain.events.inventario import StockBajo

E = TypeVar("E", bound=EventoDominio)

logger = logging.getLogger("prometeo.messagebus")
logger_inventario = logging.getLogger("prometeo.inventario")


class AlFallarManejador(Protocol):
    """Told of every handler failure: the handler's name and the event type's name."""

    def __call__(self, manejador: str, tipo_evento: str) -> None: ...


class BusDeMensajes:
    """Dispatches committed events to the handlers subscribed to their class (or to any of
    its base classes, so a handler of EventoDominio sees every event)."""

    def __init__(self, al_fallar: AlFallarManejador | None = None) -> None:
        self.al_fallar = al_fallar
        self._manejadores: defaultdict[type[EventoDominio], list[Callable[[Any], None]]] = (
            defaultdict(list)
        )

    def suscribir(self, tipo: type[E], manejador: Callable[[E], None]) -> None:
        """Call `manejador` with every committed event of class `tipo`."""
        self._manejadores[tipo].append(manejador)

    def manejadores(self, tipo: type[EventoDominio]) -> tuple[Callable[[Any], None], ...]:
        """The handlers an event of class `tipo` reaches, most specific class first."""
        return tuple(
            manejador for clase in tipo.__mro__ for manejador in self._manejadores.get(clase, ())
        )

    def publicar(self, eventos: Sequence[EventoConfirmado]) -> None:
        """Hand each committed event, in commit order, to its handlers."""
        for confirmado in eventos:
            evento = confirmado.evento
            for manejador in self.manejadores(type(evento)):
                try:
                    manejador(evento)
                except Exception:
                    nombre = getattr(manejador, "__qualname__", repr(manejador))
                    logger.exception(
                        "El manejador %s falló con el evento %s (stream %s, versión %s)",
                        nombre,
                        evento.tipo,
                        confirmado.stream_id,
                        confirmado.version,
                    )
                    self._contar_fallo(nombre, evento.tipo)

    def _contar_fallo(self, manejador: str, tipo_evento: str) -> None:
        if self.al_fallar is None:
            return
        try:
            self.al_fallar(manejador, tipo_evento)
        except Exception:  # counting must never break the other reactions
            logger.exception("No se pudo contar el fallo del manejador %s", manejador)


def avisar_stock_bajo(evento: StockBajo) -> None:
    """The stock of a product in a bodega fell to or below its minimum: time to restock."""
    logger_inventario.warning(
        "Stock bajo del producto %s en la bodega %s: quedan %s unidades, el mínimo es %s",
        evento.producto_id,
        evento.bodega_id,
        evento.cantidad,
        evento.stock_minimo,
    )


def crear_bus_de_mensajes(al_fallar: AlFallarManejador | None = None) -> BusDeMensajes:
    """A bus with the default reactions of prometeo; `al_fallar` counts failing handlers."""
    bus = BusDeMensajes(al_fallar)
    bus.suscribir(StockBajo, avisar_stock_bajo)
    return bus
