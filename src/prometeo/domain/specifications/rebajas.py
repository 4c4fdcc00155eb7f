"""Who may sell for less: a price below the product's list price, or a discount (per line
or over the whole factura) beyond the share a seller may give on his own, needs a role that
may authorize it. The caller says whether the seller may; these rules say what is a
rebaja."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from prometeo.domain.errores import ReglaIncumplida, ReglasIncumplidas
from prometeo.domain.services.totales import DescuentoGlobal

# The line discount and global discount a seller may give without authorization, in % of
# the value they apply to (PROMETEO_DESCUENTO_MAXIMO_CAJERO).
DESCUENTO_MAXIMO_SIN_AUTORIZACION = Decimal("10")

_CIEN = Decimal(100)
_QUIEN = "solo un rol que autoriza rebajas (admin) puede"


@dataclass(frozen=True, slots=True)
class LineaPorVender:
    """What a rebaja is judged on: the line as asked and its product's list price."""

    codigo: str
    cantidad: Decimal
    precio_unitario: Decimal
    descuento: Decimal
    precio_lista: Decimal

    @property
    def neto(self) -> Decimal:
        return self.cantidad * self.precio_unitario - self.descuento


def rebajas_de_lineas(
    lineas: Iterable[LineaPorVender], maximo: Decimal = DESCUENTO_MAXIMO_SIN_AUTORIZACION
) -> list[ReglaIncumplida]:
    """Every line sold below its list price or with a discount beyond `maximo` %."""
    errores = []
    for linea in lineas:
        if linea.precio_unitario < linea.precio_lista:
            errores.append(
                ReglaIncumplida(
                    "PrecioDeListaAutorizado",
                    f"El precio {linea.precio_unitario.normalize():f} de {linea.codigo} es "
                    f"menor que su precio de lista {linea.precio_lista.normalize():f}: {_QUIEN} "
                    "venderlo así",
                )
            )
        if linea.descuento > linea.cantidad * linea.precio_unitario * maximo / _CIEN:
            errores.append(
                ReglaIncumplida(
                    "DescuentoAutorizado",
                    f"El descuento {linea.descuento.normalize():f} de la línea de "
                    f"{linea.codigo} supera el {maximo.normalize():f} % de su valor: {_QUIEN} "
                    "darlo",
                )
            )
    return errores


def rebaja_global(
    descuento: DescuentoGlobal | None,
    subtotal: Decimal,
    maximo: Decimal = DESCUENTO_MAXIMO_SIN_AUTORIZACION,
) -> list[ReglaIncumplida]:
    """A global discount beyond `maximo` % of the `subtotal` it applies to."""
    if descuento is None:
        return []
    valor = Decimal(descuento.valor)
    excede = valor > maximo if descuento.tipo == "PORCENTAJE" else valor > subtotal * maximo / _CIEN
    if not excede:
        return []
    return [
        ReglaIncumplida(
            "DescuentoAutorizado",
            f"El descuento global supera el {maximo.normalize():f} % del subtotal: {_QUIEN} darlo",
        )
    ]


def exigir_sin_rebajas(errores: list[ReglaIncumplida]) -> None:
    if errores:
        raise ReglasIncumplidas(errores)
