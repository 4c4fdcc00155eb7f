"""The reason a nota de crédito modifies a factura."""

from __future__ import annotations

from dataclasses import dataclass

from prometeo.domain.value_objects.texto_sri import MOTIVO

LARGO_MAXIMO_MOTIVO = MOTIVO.maximo


@dataclass(frozen=True, slots=True)
class MotivoModificacion:
    """Why a document is modified or annulled: one line, not blank, at most 300
    characters (the SRI's motivo; see texto_sri)."""

    texto: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "texto", MOTIVO.validar(self.texto))

    def __str__(self) -> str:
        return self.texto
