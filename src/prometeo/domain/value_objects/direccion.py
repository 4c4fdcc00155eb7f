"""A postal address as the SRI prints it (dirMatriz, dirEstablecimiento, direccionComprador)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from prometeo.domain.errores import ValorInvalido

LONGITUD_MAXIMA_DIRECCION = 300


def tiene_caracteres_de_control(texto: str) -> bool:
    """True when the text holds a line break, tab or other control character, which the
    SRI schemas (pattern [^\\n]*) and printed documents do not take."""
    return any(unicodedata.category(caracter) == "Cc" for caracter in texto)


@dataclass(frozen=True, slots=True)
class Direccion:
    """An address: one line of 1 to 300 characters, without surrounding spaces."""

    texto: str

    def __post_init__(self) -> None:
        if not isinstance(self.texto, str):
            raise ValorInvalido(
                "DireccionValida", f"La dirección debe ser un texto: {self.texto!r}"
            )
        texto = self.texto.strip()
        if not texto:
            raise ValorInvalido("DireccionValida", "La dirección no puede estar vacía")
        if len(texto) > LONGITUD_MAXIMA_DIRECCION:
            raise ValorInvalido(
                "DireccionValida",
                f"La dirección tiene {len(texto)} caracteres; el máximo es "
                f"{LONGITUD_MAXIMA_DIRECCION}",
            )
        if tiene_caracteres_de_control(texto):
            raise ValorInvalido(
                "DireccionValida",
                "La dirección debe ser una sola línea, sin saltos de línea ni tabuladores",
            )
        object.__setattr__(self, "texto", texto)

    def __str__(self) -> str:
        return self.texto
