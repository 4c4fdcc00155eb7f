"""Errors the domain raises. Every business-rule failure carries the rules it broke."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReglaIncumplida:
    """One broken business rule: the Specification's class name and a Spanish message."""

    regla: str
    mensaje: str


class DomainError(Exception):
    """Base of every error the business model raises."""


class ReglasIncumplidas(DomainError):
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


class ConcurrencyError(DomainError):
    """Another writer changed a stream after we read it (expected version is stale)."""


class NoEncontrado(DomainError):
    """An id that names nothing (a factura, producto, bodega... that does not exist)."""

    def __init__(self, que: str, id: str) -> None:
        self.que = que
        self.id = id
        super().__init__(f"No existe {que} con id {id}")


class Duplicado(DomainError):
    """Reference data that must be unique already exists (a product code, a sucursal...)."""

    def __init__(self, regla: str, mensaje: str) -> None:
        self.regla = regla
        self.mensaje = mensaje
        super().__init__(mensaje)
