"""What every catalog entity does with its fields: each checked by its rule, every broken
rule reported together, the checked values set on the frozen entity."""

from __future__ import annotations

from collections.abc import Callable

from prometeo.domain.errores import RevisionDeReglas, ValorInvalido
from prometeo.domain.value_objects.texto_sri import CampoSri


def fijar_campos(entidad: object, **verificaciones: Callable[[], object]) -> None:
    """Check every field of a frozen entity, then set each to its checked value: every
    broken rule is reported together, and nothing is set unless all hold."""
    revision = RevisionDeReglas()
    valores = {campo: revision.revisar(verificar) for campo, verificar in verificaciones.items()}
    revision.exigir()
    for campo, valor in valores.items():
        object.__setattr__(entidad, campo, valor)


class _SinCambio:
    """The value of a field a change does not name (None may be a change: clearing it)."""

    _instancia: _SinCambio | None = None

    def __new__(cls) -> _SinCambio:
        if cls._instancia is None:
            cls._instancia = super().__new__(cls)
        return cls._instancia

    def __repr__(self) -> str:
        return "SIN_CAMBIO"


SIN_CAMBIO: object = _SinCambio()


def booleano(valor: object, regla: str, campo: str) -> bool:
    """A yes/no field: a bool, never a 0/1 or a text that looks like one."""
    if not isinstance(valor, bool):
        raise ValorInvalido(regla, f"{campo} debe ser sí o no (true o false): {valor!r}")
    return valor


def si(valor: object, cumple: bool, regla: str, mensaje: str) -> object:
    """The value unchanged when it `cumple` its rule; ValorInvalido otherwise."""
    if not cumple:
        raise ValorInvalido(regla, mensaje)
    return valor


def id_valido(valor: object, campo: str = "El id") -> str:
    """An id: one visible line of at most 100 characters (IdValido)."""
    return CampoSri(campo, "IdValido", 100).validar(valor)
