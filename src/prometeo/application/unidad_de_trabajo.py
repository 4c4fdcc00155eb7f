"""The unit of work port: one database transaction per command."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self
from uuid import uuid4

from prometeo.application.idempotencia import ReservaIdempotencia
from prometeo.domain.events.base import EventoDominio
from prometeo.domain.repositories import (
    RepositorioCatalogo,
    RepositorioFacturas,
    RepositorioInventarios,
    RepositorioNotasCredito,
    RepositorioSecuencias,
)


@dataclass(frozen=True, slots=True)
class Metadatos:
    """Stored with every event: who did it, and which request (correlation) and which
    message (causation) caused it."""

    usuario: str = "sistema"
    correlation_id: str = field(default_factory=lambda: str(uuid4()))
    causation_id: str | None = None
    # The id of the token that asked (names are for people and may be reused).
    token_id: str | None = None
    # The idempotency key this command runs under, marked done in its own transaction
    # (not stored with the events).
    idempotencia: ReservaIdempotencia | None = None


class BaseDeDatosOcupada(RuntimeError):
    """The database did not let this command write within its time (another writer held
    it too long): nothing was written; try again later."""


@dataclass(frozen=True, slots=True)
class EventoConfirmado:
    """An event as committed: which stream and version it belongs to."""

    stream_id: str
    version: int
    evento: EventoDominio


class UnidadDeTrabajo(ABC):
    """Hands out repositories; `commit` stores the new events of every aggregate they
    handed out (streams in sorted order), due snapshots and catalog changes, atomically.
    Leaving the `with` block without committing rolls everything back."""

    facturas: RepositorioFacturas
    notas_credito: RepositorioNotasCredito
    inventarios: RepositorioInventarios
    secuencias: RepositorioSecuencias
    catalogo: RepositorioCatalogo

    def __init__(self, metadatos: Metadatos | None = None) -> None:
        self.metadatos = metadatos or Metadatos()
        self.confirmados: list[EventoConfirmado] = []

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        tipo: type[BaseException] | None,
        error: BaseException | None,
        traza: TracebackType | None,
    ) -> None:
        self.rollback()

    @abstractmethod
    def reservar(self, streams: Sequence[str]) -> None:
        """Before anything is read: wait for, and then keep out until this transaction
        ends, the other writers that reserved any of these streams. A retry after a
        conflict reserves the streams it collided on, so that writers of one hot stream
        take turns instead of colliding again. Where writers are serialized anyway (one
        process, one SQLite writer) there is nothing to do."""

    @abstractmethod
    def commit(self) -> None:
        """Store everything or nothing; ErrorDeConcurrencia when a stream moved meanwhile.
        After it, `confirmados` lists the committed events in append order."""

    @abstractmethod
    def rollback(self) -> None:
        """Discard everything not committed (a no-op after commit)."""
