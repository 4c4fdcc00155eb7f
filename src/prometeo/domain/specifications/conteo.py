"""Rules of a physical count (conteo físico): what it counted, and whether the stock it is
compared with is the one the counters saw."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from prometeo.domain.errores import ReglaIncumplida, ReglasIncumplidas, ValorInvalido
from prometeo.domain.specifications.base import Specification
from prometeo.domain.value_objects.dinero import Cantidad, a_decimal


def cantidad_contada(valor: object, lugar: int) -> Decimal:
    """A counted quantity: a number, zero or more (an empty shelf is counted as 0), with
    up to 6 decimals. `lugar` (1, 2...) names the line of the count in a refusal."""
    numero = a_decimal(valor, "CantidadContadaValida", f"La cantidad contada de la línea {lugar}")
    if numero.is_zero():
        return Decimal(0)
    try:
        return Cantidad(numero).valor
    except ValorInvalido as error:
        raise ValorInvalido(
            "CantidadContadaValida",
            f"Línea {lugar} del conteo: {error.errores[0].mensaje} (cero o más, con hasta 6 "
            "decimales)",
        ) from None


class ProductosDelConteoDistintos(Specification[Sequence[str]]):
    """Each product appears once in a count: two lines of one product are two answers to
    one question."""

    def _repetidos(self, candidate: Sequence[str]) -> list[str]:
        return sorted(p for p, veces in Counter(candidate).items() if veces > 1)

    def is_satisfied_by(self, candidate: Sequence[str]) -> bool:
        return not self._repetidos(candidate)

    def mensaje(self, candidate: Sequence[str]) -> str:
        return "Un producto se cuenta una sola vez; aparecen más de una vez: " + ", ".join(
            self._repetidos(candidate)
        )


class ConteoConProductos(Specification[Sequence[str]]):
    """A count counts at least one product."""

    def is_satisfied_by(self, candidate: Sequence[str]) -> bool:
        return bool(candidate)

    def mensaje(self, candidate: Sequence[str]) -> str:
        return "El conteo debe incluir al menos un producto"


@dataclass(frozen=True, slots=True)
class ProductoMovido:
    """A counted product whose stock moved after the counting began: how many movements
    its inventario stream got since then."""

    codigo_producto: str
    movimientos: int


class ConteoSinMovimientos(Specification[Sequence[ProductoMovido]]):
    """No counted product moved (a sale, an entry, a transfer...) after the counting
    began: its stock now is not what the counters saw. Such a count is refused unless it
    is told to compare with the stock at the count's time (`usar_stock_al_contar`)."""

    def is_satisfied_by(self, candidate: Sequence[ProductoMovido]) -> bool:
        return not candidate

    def mensaje(self, candidate: Sequence[ProductoMovido]) -> str:
        detalle = ", ".join(f"{m.codigo_producto} ({m.movimientos})" for m in candidate)
        return (
            "Estos productos tuvieron movimientos después de empezar el conteo: "
            f"{detalle}. Cuéntelos de nuevo, o pida comparar con el stock que había al "
            "contar (usar_stock_al_contar)"
        )


def exigir_lineas_de_conteo(productos: Sequence[str]) -> None:
    """Refuse, naming every rule broken, a count without products or with a repeated one."""
    errores: list[ReglaIncumplida] = []
    for regla in (ConteoConProductos(), ProductosDelConteoDistintos()):
        errores += regla.incumplidas(productos)
    if errores:
        raise ReglasIncumplidas(errores)
