"""Idempotency keys: a client that retries a write (after a timeout, a dropped
connection) with the same `Idempotency-Key` gets the first answer again, and the write is
done once.

A key is claimed before the command runs, by a `dueno` (this attempt). The command's own
transaction marks the claim as done (see Metadatos.idempotencia), so a command counts as
done exactly when it committed: an attempt whose claim was taken over by another (its
process seemed dead) cannot commit. The answer is stored right after."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import StrEnum

LARGO_MAXIMO_CLAVE = 255


class EstadoReclamo(StrEnum):
    """What claiming a key found."""

    NUEVA = "nueva"  # claimed now by this attempt: run the command
    REPETIDA = "repetida"  # answered before: give that answer again
    EN_CURSO = "en_curso"  # another attempt is running it now
    OTRO_CUERPO = "otro_cuerpo"  # the key was used for a different request
    SIN_RESPUESTA = "sin_respuesta"  # done, but its answer was never stored


@dataclass(frozen=True, slots=True)
class RespuestaGuardada:
    """The first answer to a key: status, content type and body, byte for byte."""

    estado_http: int
    tipo_contenido: str | None
    cuerpo: bytes


@dataclass(frozen=True, slots=True)
class ReservaIdempotencia:
    """A key claimed by one attempt (`dueno`), carried by the command's metadata."""

    id: str
    dueno: str


@dataclass(frozen=True, slots=True)
class Reclamo:
    estado: EstadoReclamo
    reserva: ReservaIdempotencia | None = None
    respuesta: RespuestaGuardada | None = None


class ClaveIdempotenciaPerdida(RuntimeError):
    """The attempt no longer holds its key (another attempt took it over): its command
    must not commit."""


class RegistroIdempotencia(ABC):
    """Where keys and their first answers are kept (at least 24 hours)."""

    @abstractmethod
    def reclamar(self, alcance: str, clave: str, huella: str) -> Reclamo:
        """Claim `clave` within `alcance` (who calls) for the request whose digest is
        `huella`."""

    @abstractmethod
    def cerrar(self, reserva: ReservaIdempotencia, respuesta: RespuestaGuardada) -> None:
        """The attempt answered `respuesta`. Kept as the key's answer when it is final:
        the command committed (any answer but a server error), or nothing was done and
        the request was refused for good (a 4xx other than 401, 403, 409, 413, 429).
        Otherwise the key is given back, to be used again, or, if the command did commit,
        left done without an answer."""
