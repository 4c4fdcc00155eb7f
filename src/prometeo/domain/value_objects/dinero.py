"""Money, unit prices and quantities: Decimal only, rounded once with ROUND_HALF_UP.

Amounts (totals, discounts, bases, costs of goods) carry exactly 2 decimals; unit
values (precio unitario, costo unitario) and quantities carry up to 6, as SRI's schemas
allow. A float never becomes money: it is rejected, not converted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Self, TypeAlias

from prometeo.domain.errores import ValorInvalido

CENTAVO = Decimal("0.01")
MICRO = Decimal("0.000001")
# SRI's schemas allow 14 digits for amounts and 18 (6 decimals) for quantities and unit
# values: anything at or above a trillion is a typing error, not a sale.
LIMITE = Decimal("1000000000000")

Numero: TypeAlias = Decimal | int | str


def con_miles(numero: int | float | Decimal) -> str:
    """A whole number as Spanish text writes it: groups of thousands split by a space
    (1 087, 1 000 000 000 000), never by the English comma; fractions are rounded away."""
    return f"{numero:,.0f}".replace(",", " ")


def redondear2(valor: Decimal) -> Decimal:
    """Round an amount to cents, half up (SRI recomputes totals this way)."""
    return valor.quantize(CENTAVO, rounding=ROUND_HALF_UP)


def redondear6(valor: Decimal) -> Decimal:
    """Round a unit value or quantity to 6 decimals, half up."""
    return valor.quantize(MICRO, rounding=ROUND_HALF_UP)


def a_decimal(valor: object, regla: str, nombre: str) -> Decimal:
    """Turn an int, str or Decimal into a finite, bounded Decimal; floats are refused."""
    if isinstance(valor, bool) or not isinstance(valor, Decimal | int | str):
        raise ValorInvalido(regla, f"{nombre} debe ser un número decimal exacto, no {valor!r}")
    try:
        numero = Decimal(valor.strip() if isinstance(valor, str) else valor)
    except InvalidOperation:
        raise ValorInvalido(regla, f"{nombre} no es un número: {valor!r}") from None
    if not numero.is_finite():
        raise ValorInvalido(regla, f"{nombre} debe ser un número finito")
    if abs(numero) >= LIMITE:
        raise ValorInvalido(regla, f"{nombre} excede el máximo permitido ({LIMITE})")
    if numero.as_tuple().exponent > 0:  # type: ignore[operator]
        numero = numero.quantize(Decimal(1))
    # -0 becomes 0; no arithmetic here, so no rounding to the context's 28 digits.
    return numero.copy_abs() if numero.is_zero() else numero


def _decimales(numero: Decimal) -> int:
    """Significant decimals, exactly (normalize() would round to the context's 28 digits)."""
    if numero.is_zero():
        return 0
    _, digitos, exponente = numero.as_tuple()
    assert isinstance(exponente, int)
    ceros = len(digitos) - len("".join(map(str, digitos)).rstrip("0"))
    return max(0, -(exponente + ceros))


def _a_lo_sumo_6(numero: Decimal, regla: str, texto: str) -> Decimal:
    """The number with at most 6 decimals, dropping trailing zeros beyond the 6th (SRI's
    schema allows no more); more significant decimals break `regla`."""
    exponente = numero.as_tuple().exponent
    assert isinstance(exponente, int)
    if exponente >= -6:  # the usual case: nothing to count
        return numero
    if _decimales(numero) > 6:
        raise ValorInvalido(regla, f"{texto} {numero} tiene más de 6 decimales")
    return numero.quantize(MICRO)


@dataclass(frozen=True, slots=True, order=True)
class Dinero:
    """An amount in US dollars with exactly two decimals."""

    monto: Decimal

    def __init__(self, monto: Numero) -> None:
        numero = a_decimal(monto, "MontoValido", "El monto")
        if _decimales(numero) > 2:
            raise ValorInvalido("MontoValido", f"El monto {numero} tiene más de 2 decimales")
        object.__setattr__(self, "monto", numero.quantize(CENTAVO))

    @classmethod
    def redondear(cls, valor: Numero) -> Self:
        """The amount rounded half up to cents."""
        return cls(redondear2(a_decimal(valor, "MontoValido", "El monto")))

    @classmethod
    def cero(cls) -> Self:
        return cls(0)

    def __add__(self, otro: Dinero) -> Dinero:
        return Dinero(self.monto + otro.monto)

    def __sub__(self, otro: Dinero) -> Dinero:
        return Dinero(self.monto - otro.monto)

    def __neg__(self) -> Dinero:
        return Dinero(-self.monto)

    def __bool__(self) -> bool:
        return bool(self.monto)

    def es_negativo(self) -> bool:
        return self.monto < 0

    def __str__(self) -> str:
        return str(self.monto)


def sumar(montos: list[Dinero] | tuple[Dinero, ...]) -> Dinero:
    """Exact sum of amounts (the empty sum is 0.00)."""
    return Dinero(sum((m.monto for m in montos), Decimal(0)))


@dataclass(frozen=True, slots=True, order=True)
class Precio:
    """A unit value (precio or costo unitario): not negative, up to 6 decimals."""

    valor: Decimal

    def __init__(
        self, valor: Numero, regla: str = "PrecioValido", nombre: str = "El precio unitario"
    ) -> None:
        numero = a_decimal(valor, regla, nombre)
        if numero < 0:
            raise ValorInvalido(regla, f"{nombre} {numero} no puede ser negativo")
        object.__setattr__(self, "valor", _a_lo_sumo_6(numero, regla, nombre))

    @classmethod
    def costo(cls, valor: Numero) -> Self:
        """A unit cost (what goods cost the business), refused as a cost: CostoValido,
        "El costo unitario", never the price a customer pays."""
        return cls(valor, "CostoValido", "El costo unitario")

    @classmethod
    def redondear(cls, valor: Numero) -> Self:
        """The unit value rounded half up to 6 decimals."""
        return cls(redondear6(a_decimal(valor, "PrecioValido", "El precio unitario")))

    def por(self, cantidad: Cantidad) -> Dinero:
        """round2(cantidad × precio): the value of that many units."""
        return Dinero(redondear2(self.valor * cantidad.valor))

    def __str__(self) -> str:
        return str(self.valor)


@dataclass(frozen=True, slots=True, order=True)
class Cantidad:
    """A quantity of goods: a number (CantidadValida), greater than zero
    (CantidadPositiva), with up to 6 decimals (CantidadConHasta6Decimales)."""

    valor: Decimal

    def __init__(self, valor: Numero) -> None:
        numero = a_decimal(valor, "CantidadValida", "La cantidad")
        if numero <= 0:
            raise ValorInvalido(
                "CantidadPositiva", f"La cantidad debe ser mayor que cero: {numero}"
            )
        object.__setattr__(
            self, "valor", _a_lo_sumo_6(numero, "CantidadConHasta6Decimales", "La cantidad")
        )

    def __add__(self, otra: Cantidad) -> Cantidad:
        return Cantidad(self.valor + otra.valor)

    def __str__(self) -> str:
        return str(self.valor)
