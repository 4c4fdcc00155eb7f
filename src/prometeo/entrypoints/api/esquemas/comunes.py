"""Building blocks of the request and response bodies: how numbers, dates, ids and texts
are accepted, how amounts are written back, and the shape of an error (problem+json)."""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)

from prometeo.domain.value_objects.dinero import CENTAVO, LIMITE

# The longest text any field of the domain takes is 300 characters (SRI); a little
# slack lets the domain give its own, more precise, message.
LARGO_MAXIMO_TEXTO = 1000
_LARGO_MAXIMO_NUMERO = 60
_PATRON_NUMERO = r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$"
_NUMERO_EN_TEXTO = re.compile(_PATRON_NUMERO, re.ASCII)


def _convertir_numero(valor: object) -> Decimal:
    """A JSON number or a string with a decimal number, as an exact Decimal. Booleans,
    non-finite numbers and values beyond the domain's limit are refused here; the
    domain refuses the rest (negative quantities, too many decimals...) by rule."""
    if isinstance(valor, bool):
        raise ValueError("debe ser un número, no un valor lógico")
    try:
        if isinstance(valor, int):
            if abs(valor) >= LIMITE:
                raise ValueError(f"excede el máximo permitido ({LIMITE})")
            numero = Decimal(valor)
        elif isinstance(valor, float):
            if not math.isfinite(valor):
                raise ValueError("debe ser un número finito")
            # repr() is the shortest text that round-trips: 0.1 stays 0.1, not 0.1000...055.
            numero = Decimal(repr(valor))
        elif isinstance(valor, str):
            if len(valor) > _LARGO_MAXIMO_NUMERO or not _NUMERO_EN_TEXTO.fullmatch(valor):
                raise ValueError(
                    f'debe ser un número decimal sin exponente (p. ej. "12.50"): {valor[:40]!r}'
                )
            numero = Decimal(valor.strip())
        elif isinstance(valor, Decimal):
            numero = valor
        else:
            raise ValueError("debe ser un número o un texto con un número decimal")
        if not numero.is_finite():
            raise ValueError("debe ser un número finito")
        if numero.copy_abs() >= LIMITE:
            raise ValueError(f"excede el máximo permitido ({LIMITE})")
    except (InvalidOperation, ArithmeticError):
        raise ValueError(f"no es un número: {str(valor)[:40]!r}") from None
    return numero


Numero = Annotated[
    Decimal,
    BeforeValidator(_convertir_numero),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number"},
                {"type": "string", "pattern": _PATRON_NUMERO},
            ],
            "description": 'Número decimal exacto; se recomienda enviarlo como texto ("12.50").',
        }
    ),
]


# A document dated in year 1 or 9999 is a typing error, not a sale; and date arithmetic
# near the ends of the calendar (a term of 365 days after 9999-12-31) would overflow.
FECHA_MINIMA = date(1900, 1, 1)
FECHA_MAXIMA = date(2999, 12, 31)


def _fecha(valor: object) -> date:
    if isinstance(valor, date):
        fecha = valor
    elif not isinstance(valor, str) or len(valor) != 10:
        raise ValueError("debe ser una fecha con el formato AAAA-MM-DD")
    else:
        try:
            fecha = date.fromisoformat(valor)
        except ValueError:
            raise ValueError(f"no es una fecha válida AAAA-MM-DD: {valor!r}") from None
    if not FECHA_MINIMA <= fecha <= FECHA_MAXIMA:
        raise ValueError(f"debe estar entre {FECHA_MINIMA} y {FECHA_MAXIMA}")
    return fecha


Fecha = Annotated[
    date,
    BeforeValidator(_fecha),
    WithJsonSchema({"type": "string", "format": "date", "examples": ["2026-11-29"]}),
]


def _texto_seguro(valor: str) -> str:
    """Refuses what no database column can hold (NUL, unpaired surrogates)."""
    if "\x00" in valor:
        raise ValueError("no puede contener el carácter nulo")
    try:
        valor.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contiene caracteres que no son UTF-8 válido") from None
    return valor


def _identificador(valor: str) -> str:
    if not valor.strip() or not valor.isprintable():
        raise ValueError("debe ser un identificador de una sola línea, sin caracteres de control")
    return _texto_seguro(valor)


Texto = Annotated[
    str,
    StringConstraints(max_length=LARGO_MAXIMO_TEXTO),
    AfterValidator(_texto_seguro),
]
Id = Annotated[
    str,
    StringConstraints(min_length=1, max_length=100),
    AfterValidator(_identificador),
    Field(examples=["3f0c1a52-7b8e-4d5a-9a51-2f3e4c5d6e7f"]),
]


def dinero(valor: Decimal) -> str:
    """An amount as the API writes it: exactly 2 decimals."""
    return str(valor.quantize(CENTAVO, rounding=ROUND_HALF_UP))


def dinero_opcional(valor: Decimal | None) -> str | None:
    return None if valor is None else dinero(valor)


def numero(valor: Decimal) -> str:
    """A quantity as the API writes it: exact, without exponent nor trailing zeros."""
    return format(valor.normalize(), "f")


def precio(valor: Decimal) -> str:
    """A unit price or cost: exact (up to 6 decimals), never fewer than 2 ("2.00",
    "2.125", "2.285714")."""
    normalizado = valor.normalize()
    exponente = normalizado.as_tuple().exponent
    assert isinstance(exponente, int)
    return format(normalizado if exponente < -2 else valor.quantize(CENTAVO), "f")


class Entrada(BaseModel):
    """A request body: unknown fields are refused (a typo must not pass unnoticed)."""

    model_config = ConfigDict(extra="forbid")


class Salida(BaseModel):
    """A response body."""


class ErrorRegla(BaseModel):
    """Una regla incumplida: el nombre de la Specification y un mensaje en español."""

    regla: str = Field(examples=["StockSuficienteParaFactura"])
    mensaje: str = Field(examples=["Stock insuficiente de CAF en la bodega: hay 3, se piden 7"])


class Problema(BaseModel):
    """Un error (RFC 9457, application/problem+json) con todas las reglas incumplidas."""

    type: str = Field(examples=["urn:prometeo:problema:reglas-incumplidas"])
    title: str = Field(examples=["Reglas de negocio incumplidas"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["La solicitud incumple 1 regla de negocio"])
    errores: list[ErrorRegla] = Field(default_factory=list)


def ejemplos(*valores: dict[str, Any]) -> ConfigDict:
    """A model_config that documents example bodies in the OpenAPI document."""
    return ConfigDict(json_schema_extra={"examples": list(valores)})
