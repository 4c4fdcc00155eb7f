"""The words a product is found by, and the search over them: by code, barcode or words
of the name, each word typed matching the start of one of the product's words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

LARGO_PALABRA = 40
_SEPARADORES = re.compile(r"[^0-9a-z]+")


def normalizar(texto: str) -> list[str]:
    """The words of a text in lower case without accents (ñ is n), in order: what a
    search compares, so "Café" is found by "cafe" and "CAFÉ"."""
    sin_tildes = unicodedata.normalize("NFKD", texto.casefold())
    ascii_ = "".join(c for c in sin_tildes if not unicodedata.combining(c))
    return [p[:LARGO_PALABRA] for p in _SEPARADORES.split(ascii_) if p]


def palabras_de(codigo: str, nombre: str, codigos_barra: Iterable[str]) -> set[str]:
    """Every word a product is found by: of its name, its code and its barcodes (each
    code also whole, without separators, so "P-001" is found by "p001")."""
    palabras = set(normalizar(nombre))
    for texto in (codigo, *codigos_barra):
        partes = normalizar(texto)
        palabras.update(partes)
        if partes:
            palabras.add("".join(partes)[:LARGO_PALABRA])
    return palabras


def rango(prefijo: str) -> tuple[str, str]:
    """The words that start with `prefijo` (made of 0-9 and a-z) are those >= the first
    value and < the second: its last character moved one up. Both bounds compare the same
    under any collation that orders ASCII letters and digits as ASCII does, ignoring case."""
    return prefijo, prefijo[:-1] + chr(ord(prefijo[-1]) + 1)
