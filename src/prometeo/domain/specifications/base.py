"""The Specification pattern: rules that read as sentences and combine with & | ~."""

from __future__ import annotations

from typing import Generic, TypeVar

from prometeo.domain.errores import ReglaIncumplida, ReglasIncumplidas

T = TypeVar("T", contravariant=True)


class Specification(Generic[T]):
    """A business rule about a candidate. Subclasses implement `is_satisfied_by` and
    `mensaje` (Spanish, says what is wrong); the rule's name is its class name."""

    def is_satisfied_by(self, candidate: T) -> bool:
        raise NotImplementedError

    def mensaje(self, candidate: T) -> str:
        return f"No se cumple la regla {self.nombre}"

    @property
    def nombre(self) -> str:
        return type(self).__name__

    def incumplidas(self, candidate: T) -> list[ReglaIncumplida]:
        """Every rule that fails for the candidate (empty when it is satisfied)."""
        if self.is_satisfied_by(candidate):
            return []
        return [ReglaIncumplida(self.nombre, self.mensaje(candidate))]

    def exigir(self, candidate: T) -> None:
        """Raise one ReglasIncumplidas naming every failed rule, or return quietly."""
        errores = self.incumplidas(candidate)
        if errores:
            raise ReglasIncumplidas(errores)

    def __and__(self, otra: Specification[T]) -> Specification[T]:
        return And(self, otra)

    def __or__(self, otra: Specification[T]) -> Specification[T]:
        return Or(self, otra)

    def __invert__(self) -> Specification[T]:
        return Not(self)


class And(Specification[T]):
    """Both rules hold; when not, reports the failures of both (not only the first)."""

    def __init__(self, izquierda: Specification[T], derecha: Specification[T]) -> None:
        self.izquierda = izquierda
        self.derecha = derecha

    def is_satisfied_by(self, candidate: T) -> bool:
        return not self.incumplidas(candidate)

    def incumplidas(self, candidate: T) -> list[ReglaIncumplida]:
        return self.izquierda.incumplidas(candidate) + self.derecha.incumplidas(candidate)


class Or(Specification[T]):
    """Either rule holds; when neither does, reports both failures."""

    def __init__(self, izquierda: Specification[T], derecha: Specification[T]) -> None:
        self.izquierda = izquierda
        self.derecha = derecha

    def is_satisfied_by(self, candidate: T) -> bool:
        return self.izquierda.is_satisfied_by(candidate) or self.derecha.is_satisfied_by(candidate)

    def incumplidas(self, candidate: T) -> list[ReglaIncumplida]:
        if self.is_satisfied_by(candidate):
            return []
        return self.izquierda.incumplidas(candidate) + self.derecha.incumplidas(candidate)


class Not(Specification[T]):
    """The opposite rule."""

    def __init__(self, interna: Specification[T]) -> None:
        self.interna = interna

    @property
    def nombre(self) -> str:
        return f"No{self.interna.nombre}"

    def is_satisfied_by(self, candidate: T) -> bool:
        return not self.interna.is_satisfied_by(candidate)

    def mensaje(self, candidate: T) -> str:
        return f"Se esperaba que no se cumpliera la regla {self.interna.nombre}"


def todas(*reglas: Specification[T]) -> Specification[T]:
    """All the rules together (reports every failure)."""
    combinada = reglas[0]
    for regla in reglas[1:]:
        combinada = combinada & regla
    return combinada
