"""Discount prorating and the totals of a document, per SRI's rounding (HALF_UP, once)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from prometeo.domain.errores import ValorInvalido
from prometeo.domain.value_objects.dinero import a_decimal, redondear2
from prometeo.domain.value_objects.tarifa_iva import TarifaIva, iva_de

CERO = Decimal("0.00")


def repartir(total: Decimal, numeradores: Sequence[int], denominador: int) -> list[Decimal]:
    """Split `total` (2 decimals, not negative) into cents by largest remainders, the exact
    share of part i being numeradores[i] / denominador cents (integers: exact, and cheap):
    each part is its exact share rounded down to the cent, and the cents still missing go
    one each to the parts with the largest remainders (the first one, on a tie). With
    non-negative exact shares whose sum rounds to `total`, the parts add up to `total`
    exactly, none is negative, and each lies within 0.01 of its exact share (so it never
    exceeds a bound on the cent grid that its exact share respects)."""
    centavos = [n // denominador for n in numeradores]
    faltan = int(total.scaleb(2)) - sum(centavos)
    if not 0 <= faltan <= len(centavos):
        raise ValueError(f"Cannot split {total} over shares adding up to {sum(numeradores)}")
    restos = [n - c * denominador for n, c in zip(numeradores, centavos, strict=True)]
    orden = sorted(range(len(centavos)), key=lambda i: (-restos[i], i))
    for i in orden[:faltan]:
        centavos[i] += 1
    return [Decimal(c).scaleb(-2) for c in centavos]


def _decimales(valores: Sequence[Decimal]) -> int:
    """How many decimals the most precise of `valores` has (0 for integers)."""
    return max((-e for v in valores if isinstance(e := v.as_tuple().exponent, int)), default=0)


def _enteros(valores: Sequence[Decimal], decimales: int) -> list[int]:
    """Each value × 10^decimales, exactly (none has more decimals than that)."""
    return [int(v.scaleb(decimales)) for v in valores]


def prorratear(total: Decimal, pesos: Sequence[Decimal]) -> list[Decimal]:
    """Split `total` (2 decimals, not negative) over `pesos` (not negative) in proportion,
    by largest remainders: the shares add up to `total` exactly, none is negative, each is
    within 0.01 of its exact proportional share and, when `total` does not exceed the sum
    of the weights, none exceeds its weight (given weights on the cent grid)."""
    if not pesos:
        return []
    k = max(_decimales(pesos), _decimales([total]))
    enteros = _enteros(pesos, k)
    suma = sum(enteros)
    total_entero = int(total.scaleb(k))
    if suma == 0:
        return repartir(total, [total_entero * 100] + [0] * (len(pesos) - 1), 10**k)
    # Share i in cents = total × peso_i / suma × 100, over one common denominator.
    return repartir(total, [total_entero * e * 100 for e in enteros], suma * 10**k)


@dataclass(frozen=True, slots=True)
class DescuentoGlobal:
    """A discount over the whole document: a percentage (0–100) or an amount."""

    tipo: Literal["PORCENTAJE", "MONTO"]
    valor: Decimal

    def __post_init__(self) -> None:
        valor = a_decimal(self.valor, "DescuentoGlobalValido", "El descuento global")
        if self.tipo == "PORCENTAJE" and not 0 <= valor <= 100:
            raise ValorInvalido(
                "DescuentoGlobalValido",
                f"El porcentaje de descuento debe estar entre 0 y 100: {valor}",
            )
        if self.tipo == "MONTO" and (valor < 0 or valor != redondear2(valor)):
            raise ValorInvalido(
                "DescuentoGlobalValido",
                f"El descuento global debe ser un monto no negativo con 2 decimales: {valor}",
            )
        if self.tipo not in ("PORCENTAJE", "MONTO"):
            raise ValorInvalido(
                "DescuentoGlobalValido", f"Tipo de descuento desconocido: {self.tipo}"
            )
        object.__setattr__(self, "valor", valor)

    def monto_sobre(self, subtotal: Decimal) -> Decimal:
        if self.tipo == "PORCENTAJE":
            return redondear2(subtotal * self.valor / 100)
        return self.valor


@dataclass(frozen=True, slots=True)
class LineaParaTotales:
    numero_linea: int
    cantidad: Decimal
    precio_unitario: Decimal
    descuento: Decimal
    tarifa_iva: str

    @property
    def bruto(self) -> Decimal:
        return self.cantidad * self.precio_unitario

    @property
    def subtotal(self) -> Decimal:
        """round2(cantidad × precio_unitario − descuento)."""
        return redondear2(self.bruto - self.descuento)


@dataclass(frozen=True, slots=True)
class TotalLinea:
    """A line's amounts: its subtotal, share of the global discount, base, and its IVA at
    its tarifa's percentage (the lines' IVA adds up to the IVA of their tarifa)."""

    numero_linea: int
    subtotal: Decimal
    descuento_global: Decimal
    base_imponible: Decimal
    tarifa_iva: str
    porcentaje_iva: Decimal = Decimal(0)
    iva: Decimal = CERO


@dataclass(frozen=True, slots=True)
class Totales:
    """Every amount of a document, each rounded once to cents."""

    lineas: tuple[TotalLinea, ...]
    bases_por_tarifa: tuple[tuple[str, Decimal], ...]
    iva_por_tarifa: tuple[tuple[str, Decimal], ...]
    subtotal_sin_impuestos: Decimal
    total_descuento: Decimal
    descuento_global: Decimal
    iva: Decimal
    propina: Decimal
    importe_total: Decimal


def totales_por_tarifa(
    bases: Sequence[tuple[str, Decimal]],
    porcentajes: Mapping[str, Decimal] | None = None,
) -> tuple[tuple[tuple[str, Decimal], ...], tuple[tuple[str, Decimal], ...]]:
    """Group bases by tarifa and compute IVA per group: round2(sum of bases × rate). The
    rate is `porcentajes`' (what a document stored) or else the table's."""
    agrupadas: dict[str, Decimal] = {}
    for tarifa, base in bases:
        agrupadas[tarifa] = agrupadas.get(tarifa, CERO) + base
    orden = sorted(agrupadas, key=int)
    return (
        tuple((t, agrupadas[t]) for t in orden),
        tuple((t, iva_de(agrupadas[t], porcentaje_de(t, porcentajes))) for t in orden),
    )


def iva_por_linea(bases: Sequence[tuple[str, Decimal]]) -> list[tuple[Decimal, Decimal]]:
    """(percentage, IVA) of each (tarifa, base): within each tarifa the IVA of that tarifa,
    round2(sum of bases × rate), split over its lines by largest remainders of their exact
    IVA (base × rate), so the lines add up to it exactly and each is within 0.01 of its own
    base × rate, never negative."""
    resultado: list[tuple[Decimal, Decimal]] = [(Decimal(0), CERO)] * len(bases)
    grupos: dict[str, list[int]] = {}
    for i, (codigo, _) in enumerate(bases):
        grupos.setdefault(codigo, []).append(i)
    for codigo, indices in grupos.items():
        tarifa = TarifaIva.de_codigo(codigo)
        total = tarifa.iva_de(sum((bases[i][1] for i in indices), CERO))
        # Line i's exact IVA in cents = base_i × porcentaje / 100 × 100, as integers over one
        # common denominator.
        suyas = [bases[i][1] for i in indices]
        k = max(_decimales(suyas), _decimales([tarifa.porcentaje]))
        tasa = int(tarifa.porcentaje.scaleb(k))
        numeradores = [b * tasa for b in _enteros(suyas, k)]
        for i, iva in zip(indices, repartir(total, numeradores, 10 ** (2 * k)), strict=True):
            resultado[i] = (tarifa.porcentaje, iva)
    return resultado


def porcentaje_de(codigo: str, porcentajes: Mapping[str, Decimal] | None = None) -> Decimal:
    """The percentage a document stored for `codigo`, or the table's."""
    if porcentajes is not None and codigo in porcentajes:
        return porcentajes[codigo]
    return TarifaIva.de_codigo(codigo).porcentaje


def calcular_totales(
    lineas: Sequence[LineaParaTotales],
    descuento_global: DescuentoGlobal | None = None,
    propina: Decimal = CERO,
) -> Totales:
    """The totals of a factura: line subtotals, the global discount prorated by subtotal,
    IVA per tarifa group, and importe_total = subtotal + IVA + propina."""
    subtotales = [linea.subtotal for linea in lineas]
    suma = sum(subtotales, CERO)
    monto_global = descuento_global.monto_sobre(suma) if descuento_global else CERO
    partes = prorratear(monto_global, subtotales)
    ivas_lineas = iva_por_linea(
        [
            (linea.tarifa_iva, sub - parte)
            for linea, sub, parte in zip(lineas, subtotales, partes, strict=True)
        ]
    )
    por_linea = tuple(
        TotalLinea(linea.numero_linea, sub, parte, sub - parte, linea.tarifa_iva, pct, iva)
        for linea, sub, parte, (pct, iva) in zip(
            lineas, subtotales, partes, ivas_lineas, strict=True
        )
    )
    bases, ivas = totales_por_tarifa([(t.tarifa_iva, t.base_imponible) for t in por_linea])
    subtotal = sum((t.base_imponible for t in por_linea), CERO)
    iva = sum((i for _, i in ivas), CERO)
    descuento_lineas = sum((linea.descuento for linea in lineas), CERO)
    return Totales(
        lineas=por_linea,
        bases_por_tarifa=bases,
        iva_por_tarifa=ivas,
        subtotal_sin_impuestos=subtotal,
        total_descuento=descuento_lineas + monto_global,
        descuento_global=monto_global,
        iva=iva,
        propina=propina,
        importe_total=subtotal + iva + propina,
    )
