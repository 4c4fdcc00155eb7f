"""A refused write, told to a person: the same Spanish messages the JSON API gives (each
broken rule by name), for a screen to show beside the form with role="alert". Nothing
was changed when one of these is raised: the unit of work committed nothing."""

from __future__ import annotations

from dataclasses import dataclass

from prometeo.application.unidad_de_trabajo import BaseDeDatosOcupada
from prometeo.domain.errores import (
    Duplicado,
    ErrorDeConcurrencia,
    NoEncontrado,
    ReglasIncumplidas,
)


@dataclass(frozen=True, slots=True)
class Aviso:
    """One thing to tell: the rule's name (for tests and for the field it concerns) and
    its message."""

    regla: str
    mensaje: str


# What a screen may catch around a command: a rule, a missing or duplicate reference,
# another writer first, a database too busy right now.
RECHAZOS: tuple[type[Exception], ...] = (
    ReglasIncumplidas,
    NoEncontrado,
    Duplicado,
    ErrorDeConcurrencia,
    BaseDeDatosOcupada,
)


def avisos_de(error: Exception) -> list[Aviso]:
    """The messages of one of RECHAZOS (any other error is not the person's to fix and
    is raised again by the caller)."""
    if isinstance(error, ReglasIncumplidas):
        return [Aviso(e.regla, e.mensaje) for e in error.errores]
    if isinstance(error, Duplicado):
        return [Aviso(error.regla, error.mensaje)]
    if isinstance(error, NoEncontrado):
        return [Aviso("Existe", f"{error!s}. Quizá se eliminó o el enlace es antiguo.")]
    if isinstance(error, ErrorDeConcurrencia):
        return [
            Aviso(
                "SinCambiosSimultaneos",
                "Otra persona u otra pestaña cambió esto al mismo tiempo. Revise cómo quedó "
                "y vuelva a intentarlo.",
            )
        ]
    return [
        Aviso(
            "BaseDeDatosDisponible",
            "El sistema está ocupado en este momento. Espere unos segundos y vuelva a "
            "intentarlo; no se guardó nada.",
        )
    ]
