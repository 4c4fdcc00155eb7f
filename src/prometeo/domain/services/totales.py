"""Discount prorating and the totals of a document, per SRI's rounding (HALF_UP, once)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from prometeo.domain.errores import ValorInvalido
from prometeo.domain.value_objects.dinero import a_decimal, redondear2
from prometeo.domain.value_objects.tarifa_iva import TarifaIva

CERO = Decimal("0.00")


def prorratear(total: Decimal, pesos: Sequence[Decimal]) -> list[Decimal]:
    """Split `total` (2 decimals) over `pesos` in proportion, each share rounded to cents;
    the rounding remainder goes to the largest weight (the first one, on a tie), so the
    shares add up to `total` exactly."""
    suma = sum(pesos, Decimal(0))
    if not pesos:
        return []
    if suma == 0:
        partes = [CERO for _ in pesos]
        partes[0] = redondear2(total)
        return partes
    partes = [redondear2(total * peso / suma) for peso in pesos]
    mayor = max(range(len(pesos)), key=lambda i: (pesos[i], -i))
    partes[mayor] += total - sum(partes, Decimal(0))
    return partes


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
    numero_linea: int
    subtotal: Decimal
    descuento_global: Decimal
    base_imponible: Decimal
    tarifa_iva: str


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
) -> tuple[tuple[tuple[str, Decimal], ...], tuple[tuple[str, Decimal], ...]]:
    """Group bases by tarifa and compute IVA per group: round2(sum of bases × rate)."""
    agrupadas: dict[str, Decimal] = {}
    for tarifa, base in bases:
        agrupadas[tarifa] = agrupadas.get(tarifa, CERO) + base
    orden = sorted(agrupadas, key=int)
    return (
        tuple((t, agrupadas[t]) for t in orden),
        tuple((t, TarifaIva.de_codigo(t).iva_de(agrupadas[t])) for t in orden),
    )


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
    por_linea = tuple(
        TotalLinea(linea.numero_linea, sub, parte, sub - parte, linea.tarifa_iva)
        for linea, sub, parte in zip(lineas, subtotales, partes, strict=True)
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
