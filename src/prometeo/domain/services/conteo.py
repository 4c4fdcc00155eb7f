"""A physical count (conteo físico) of several products in one bodega: every product's
difference posted together, or none of them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial

from prometeo.domain.aggregates.inventario import Inventario
from prometeo.domain.errores import RevisionDeReglas
from prometeo.domain.events.inventario import StockAjustado
from prometeo.domain.specifications.conteo import ConteoSinMovimientos, ProductoMovido


@dataclass(frozen=True, slots=True)
class ProductoContado:
    """One line of a count: the product's inventario as it is now (what the difference is
    posted to) and as it was when the counting began (the same object when the count
    gave no starting time), and what the counters found."""

    actual: Inventario
    al_contar: Inventario
    contada: Decimal
    codigo_producto: str
    stock_minimo: Decimal = Decimal(0)

    @property
    def movimientos_despues(self) -> int:
        """Events its inventario got after the counting began."""
        return self.actual.version - self.al_contar.version


@dataclass(frozen=True, slots=True)
class AjusteDeConteo:
    """What a count posted for one product: the stock it was compared with and the
    difference (negative: a shortage); `evento` is None when there was none."""

    producto_id: str
    contada: Decimal
    esperada: Decimal
    evento: StockAjustado | None

    @property
    def diferencia(self) -> Decimal:
        return self.contada - self.esperada


def registrar_conteo(
    contados: Sequence[ProductoContado],
    fecha: date,
    *,
    documento: str,
    documento_id: str,
    usar_stock_al_contar: bool = False,
    codigo_bodega: str | None = None,
) -> tuple[AjusteDeConteo, ...]:
    """Post each product's difference between what was counted and the stock the counters
    saw, as its own StockAjustado (nothing for a product without one), dated `fecha`.

    A product that moved after the counting began refuses the whole count
    (ConteoSinMovimientos), unless `usar_stock_al_contar`: then its difference is taken
    against its stock at that moment (`al_contar`) and posted now, to the queue as it is.
    Every broken rule of every product is reported together; the caller stores nothing
    unless this returns (one transaction: all products or none)."""
    movidos = [
        ProductoMovido(c.codigo_producto, c.movimientos_despues)
        for c in contados
        if c.movimientos_despues > 0
    ]
    revision = RevisionDeReglas()
    if not usar_stock_al_contar:
        revision.revisar(lambda: ConteoSinMovimientos().exigir(movidos))

    a_ajustar = [c for c in contados if usar_stock_al_contar or not c.movimientos_despues]
    # Every product's other rules are checked too, before any is posted, so that one
    # refusal names all that is wrong with the count and no aggregate is touched.
    for contado in a_ajustar:
        revision.revisar(
            partial(
                contado.actual.revisar_ajuste,
                contado.contada,
                contado.al_contar.stock,
                fecha,
                codigo_producto=contado.codigo_producto,
                codigo_bodega=codigo_bodega,
            )
        )
    revision.exigir()
    return tuple(
        AjusteDeConteo(
            contado.actual.producto_id,
            contado.contada,
            contado.al_contar.stock,
            contado.actual.ajustar(
                contado.contada,
                contado.al_contar.stock,
                fecha,
                documento=documento,
                documento_id=documento_id,
                stock_minimo=contado.stock_minimo,
                codigo_producto=contado.codigo_producto,
                codigo_bodega=codigo_bodega,
            ),
        )
        for contado in a_ajustar
    )
