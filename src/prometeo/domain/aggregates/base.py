"""What every aggregate root shares: version, pending events, replay."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Any, ClassVar, Self

from prometeo.domain.events.base import EventoDominio


class Agregado(ABC):
    """An aggregate root: methods check the rules, then record an event; applying an event
    is the only way state changes, so a replay and the live object cannot drift apart."""

    TIPO_STREAM: ClassVar[str]
    # Bumped when the aggregate's state changes shape: older snapshots are then ignored.
    VERSION_SNAPSHOT: ClassVar[int] = 1

    def __init__(self, id: str) -> None:
        self.id = id
        self.version = 0
        self._pendientes: list[EventoDominio] = []

    @property
    def stream_id(self) -> str:
        return f"{self.TIPO_STREAM}-{self.id}"

    @abstractmethod
    def _aplicar(self, evento: EventoDominio) -> None:
        """Change state according to one event. Never validates: events are facts."""

    def _registrar(self, evento: EventoDominio) -> None:
        self._aplicar(evento)
        self.version += 1
        self._pendientes.append(evento)

    @property
    def eventos_pendientes(self) -> tuple[EventoDominio, ...]:
        return tuple(self._pendientes)

    def recolectar_eventos(self) -> list[EventoDominio]:
        """Hand over the new events (to the unit of work) and forget them."""
        eventos, self._pendientes = self._pendientes, []
        return eventos

    def aplicar_historia(self, eventos: Iterable[EventoDominio]) -> Self:
        """Apply already stored events (after a snapshot, or from the start)."""
        for evento in eventos:
            self._aplicar(evento)
            self.version += 1
        return self

    @classmethod
    def reconstruir(cls, id: str, eventos: Iterable[EventoDominio]) -> Self:
        """The aggregate as its stored events say it is."""
        return cls(id).aplicar_historia(eventos)

    def _estado(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if k != "_pendientes"}

    def __eq__(self, otro: object) -> bool:
        if type(otro) is not type(self):
            return NotImplemented
        assert isinstance(otro, Agregado)
        return self._estado() == otro._estado()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(id={self.id!r}, version={self.version})"
