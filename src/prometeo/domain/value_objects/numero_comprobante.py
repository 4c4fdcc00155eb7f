"""Document numbers: establecimiento-punto-secuencial, e.g. 001-001-000000123."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from prometeo.domain.errores import ValorInvalido

_FORMATO = re.compile(r"^(\d{3})-(\d{3})-(\d{9})$")
SECUENCIAL_MAXIMO = 999_999_999


class TipoComprobante(StrEnum):
    """SRI's codDoc of the documents prometeo issues."""

    FACTURA = "01"
    NOTA_CREDITO = "04"


@dataclass(frozen=True, slots=True, order=True)
class NumeroComprobante:
    """The number printed on a document; secuencial is 1..999999999."""

    establecimiento: str
    punto_emision: str
    secuencial: int

    def __post_init__(self) -> None:
        for nombre, codigo in (
            ("establecimiento", self.establecimiento),
            ("punto de emisión", self.punto_emision),
        ):
            if not (isinstance(codigo, str) and re.fullmatch(r"\d{3}", codigo)) or codigo == "000":
                raise ValorInvalido(
                    "NumeroComprobanteValido",
                    f"El código de {nombre} debe tener 3 dígitos entre 001 y 999: {codigo!r}",
                )
        if isinstance(self.secuencial, bool) or not isinstance(self.secuencial, int):
            raise ValorInvalido("NumeroComprobanteValido", "El secuencial debe ser un entero")
        if not 1 <= self.secuencial <= SECUENCIAL_MAXIMO:
            raise ValorInvalido(
                "NumeroComprobanteValido",
                f"El secuencial debe estar entre 1 y {SECUENCIAL_MAXIMO}: {self.secuencial}",
            )

    @classmethod
    def parse(cls, texto: str) -> NumeroComprobante:
        coincide = _FORMATO.match(texto.strip()) if isinstance(texto, str) else None
        if coincide is None:
            raise ValorInvalido(
                "NumeroComprobanteValido",
                f"El número {texto!r} no tiene el formato 001-001-000000001",
            )
        return cls(coincide[1], coincide[2], int(coincide[3]))

    def __str__(self) -> str:
        return f"{self.establecimiento}-{self.punto_emision}-{self.secuencial:09d}"
