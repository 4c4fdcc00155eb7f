"""Errors the domain raises. Every business-rule failure carries the rules it broke."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True, slots=True)
class ReglaIncumplida:
    """One broken business rule: the Specification's class name and a Spanish message."""

    regla: str
    mensaje: str


class ErrorDeDominio(Exception):
    """Base of every error the business model raises."""


class ReglasIncumplidas(ErrorDeDominio):
    """A validation failed: lists every broken rule at once, not only the first."""

    def __init__(self, errores: Iterable[ReglaIncumplida]) -> None:
        self.errores: tuple[ReglaIncumplida, ...] = tuple(errores)
        if not self.errores:
            raise ValueError("ReglasIncumplidas necesita al menos una regla incumplida")
        super().__init__("; ".join(f"{e.regla}: {e.mensaje}" for e in self.errores))

    @property
    def reglas(self) -> tuple[str, ...]:
        return tuple(e.regla for e in self.errores)


class ValorInvalido(ReglasIncumplidas):
    """A value object rejected its input on construction."""

    def __init__(self, regla: str, mensaje: str) -> None:
        super().__init__([ReglaIncumplida(regla, mensaje)])


class OperacionNoPermitida(ReglasIncumplidas):
    """The aggregate's state does not allow the operation: a factura that is no longer a
    draft gets no lines, an emitted nota is not emitted again, a punto with no secuencial
    left hands out no number. The input may be valid; the moment is not."""

    def __init__(self, regla: str, mensaje: str) -> None:
        super().__init__([ReglaIncumplida(regla, mensaje)])

    @classmethod
    def varias(cls, errores: Iterable[ReglaIncumplida]) -> OperacionNoPermitida:
        """Several rules of the moment broken at once (reported together)."""
        error = cls.__new__(cls)
        ReglasIncumplidas.__init__(error, errores)
        return error


class RevisionDeReglas:
    """Checks that do not depend on one another, run all before any is reported: a
    request with a negative price and an unknown tarifa names both rules, not the first.
    A rule of the moment (OperacionNoPermitida) is not gathered: it stops at once."""

    def __init__(self) -> None:
        self.fallos: list[ReglasIncumplidas] = []

    def revisar(self, verificacion: Callable[[], T]) -> T | None:
        """The check's result, or None with its broken rules kept for `exigir`."""
        try:
            return verificacion()
        except OperacionNoPermitida:
            raise
        except ReglasIncumplidas as error:
            self.fallos.append(error)
            return None

    def exigir(self) -> None:
        """Raise every rule broken so far together (one failed check: its own error, as
        it was raised), or return quietly."""
        if len(self.fallos) == 1:
            raise self.fallos[0]
        if self.fallos:
            raise ReglasIncumplidas(e for fallo in self.fallos for e in fallo.errores)


def ambas(primera: Callable[[], T], segunda: Callable[[], U]) -> tuple[T, U]:
    """Both checks' results; when either fails, every rule both broke, together."""
    revision = RevisionDeReglas()
    uno = revision.revisar(primera)
    otro = revision.revisar(segunda)
    revision.exigir()
    return uno, otro  # type: ignore[return-value]  # neither is None once exigir passed


class ErrorDeConcurrencia(ErrorDeDominio):
    """Another writer changed a stream after we read it (expected version is stale).
    `streams` names the streams the failed attempt was writing, when known."""

    def __init__(self, mensaje: str, streams: Iterable[str] = ()) -> None:
        self.streams: tuple[str, ...] = tuple(streams)
        super().__init__(mensaje)


class NoEncontrado(ErrorDeDominio):
    """An id that names nothing (a factura, producto, bodega... that does not exist)."""

    def __init__(self, que: str, id: str) -> None:
        self.que = que
        self.id = id
        super().__init__(f"No existe {que} con id {id}")


class Duplicado(ErrorDeDominio):
    """Reference data that must be unique already exists (a product code, a sucursal...)."""

    def __init__(self, regla: str, mensaje: str) -> None:
        self.regla = regla
        self.mensaje = mensaje
        super().__init__(mensaje)
