"""A postal address as the SRI prints it (dirMatriz, dirEstablecimiento, direccionComprador)."""

from __future__ import annotations

from dataclasses import dataclass

from prometeo.domain.value_objects.texto_sri import DIRECCION

LONGITUD_MAXIMA_DIRECCION = DIRECCION.maximo


@dataclass(frozen=True, slots=True)
class Direccion:
    """An address: one line of 1 to 300 characters, without surrounding spaces (an SRI
    text: see texto_sri)."""

    texto: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "texto", DIRECCION.validar(self.texto))

    def __str__(self) -> str:
        return self.texto
