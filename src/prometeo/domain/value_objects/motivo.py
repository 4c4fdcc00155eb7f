"""The reason a nota de crédito modifies a factura."""

from __future__ import annotations

from dataclasses import dataclass

from prometeo.domain.errores import ValorInvalido

LARGO_MAXIMO_MOTIVO = 300


@dataclass(frozen=True, slots=True)
class MotivoModificacion:
    """Why a document is modified or annulled: not blank, at most 300 characters (SRI)."""

    texto: str

    def __post_init__(self) -> None:
        texto = self.texto.strip() if isinstance(self.texto, str) else ""
        if not texto:
            raise ValorInvalido("MotivoModificacionValido", "El motivo no puede estar vacío")
        if len(texto) > LARGO_MAXIMO_MOTIVO:
            raise ValorInvalido(
                "MotivoModificacionValido",
                f"El motivo tiene {len(texto)} caracteres; el máximo es {LARGO_MAXIMO_MOTIVO}",
            )
        object.__setattr__(self, "texto", texto)

    def __str__(self) -> str:
        return self.texto
