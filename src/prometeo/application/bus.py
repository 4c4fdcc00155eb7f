"""The in-process message bus: after a command commits, its events reach the handlers
that react to them (warnings, notifications...). Reactions never undo the command: a
handler that fails is logged and the others still run."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from prometeo.application.unidad_de_trabajo import EventoConfirmado
from prometeo.domain.events.base import EventoDominio
from prometeo.domain.events.inventario import StockBajo

E = TypeVar("E", bound=EventoDominio)

logger = logging.getLogger("prometeo.messagebus")
logger_inventario = logging.getLogger("prometeo.inventario")


class BusDeMensajes:
    """Dispatches committed events to the handlers subscribed to their class (or to any of
    its base classes, so a handler of EventoDominio sees every event)."""

    def __init__(self) -> None:
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
                    logger.exception(
                        "El manejador %s falló con el evento %s (stream %s, versión %s)",
                        getattr(manejador, "__qualname__", repr(manejador)),
                        evento.tipo,
                        confirmado.stream_id,
                        confirmado.version,
                    )


def avisar_stock_bajo(evento: StockBajo) -> None:
    """The stock of a product in a bodega fell to or below its minimum: time to restock."""
    logger_inventario.warning(
        "Stock bajo del producto %s en la bodega %s: quedan %s unidades, el mínimo es %s",
        evento.producto_id,
        evento.bodega_id,
        evento.cantidad,
        evento.stock_minimo,
    )


def crear_bus_de_mensajes() -> BusDeMensajes:
    """A bus with the default reactions of prometeo."""
    bus = BusDeMensajes()
    bus.suscribir(StockBajo, avisar_stock_bajo)
    return bus
