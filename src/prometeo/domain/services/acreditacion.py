"""How a nota de crédito's requested lines land on the factura's lines.

A requested product may appear on several factura lines: units and value are taken from
them in order, each up to what is left to credit on it. Quantity credits are valued at
the line's net unit price so that, summed over every nota of the factura, they add up to
exactly the line's value when all its units come back (the rounding telescopes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from prometeo.domain.aggregates.factura import Factura, LineaFactura
from prometeo.domain.errores import ValorInvalido
from prometeo.domain.events.nota_credito import LineaNotaCredito
from prometeo.domain.value_objects.dinero import Cantidad, Dinero, redondear2, redondear6


@dataclass(frozen=True, slots=True)
class SolicitudLineaCredito:
    """A line as the user asks for it: a product and either units or a value."""

    producto_id: str
    cantidad: Cantidad | None = None
    valor: Dinero | None = None

    def __post_init__(self) -> None:
        if (self.cantidad is None) == (self.valor is None):
            raise ValorInvalido(
                "LineaNotaCreditoValida",
                f"La línea del producto {self.producto_id} debe indicar una cantidad o un "
                "valor, no ambos",
            )
        if self.valor is not None and self.valor.monto <= 0:
            raise ValorInvalido(
                "LineaNotaCreditoValida",
                f"El valor a acreditar del producto {self.producto_id} debe ser mayor que cero",
            )

    @property
    def pedido(self) -> Decimal:
        """Units asked for, or the value (USD) for a value-only line."""
        if self.cantidad is not None:
            return self.cantidad.valor
        assert self.valor is not None
        return self.valor.monto


@dataclass(frozen=True, slots=True)
class Acreditacion:
    lineas: tuple[LineaNotaCredito, ...]
    problemas: tuple[str, ...]


def _valor_por_cantidad(linea: LineaFactura, previa: Decimal, nueva: Decimal) -> Decimal:
    base = linea.base_imponible or Decimal(0)
    return redondear2((previa + nueva) * base / linea.cantidad) - redondear2(
        previa * base / linea.cantidad
    )


def acreditar(factura: Factura, solicitudes: Sequence[SolicitudLineaCredito]) -> Acreditacion:
    """Spread the requested lines over the factura's lines; report whatever exceeds what is
    left to credit (by quantity or by value) or names a product the factura lacks."""
    cantidad = {ln.numero_linea: ln.cantidad_acreditada for ln in factura.lineas}
    valor = {ln.numero_linea: ln.valor_acreditado for ln in factura.lineas}
    resultado: list[LineaNotaCredito] = []
    problemas: list[str] = []
    for solicitud in solicitudes:
        lineas = [ln for ln in factura.lineas if ln.producto_id == solicitud.producto_id]
        if not lineas:
            problemas.append(
                f"El producto {solicitud.producto_id} no consta en la factura {factura.numero}"
            )
            continue
        falta = solicitud.pedido
        for ln in lineas:
            n = ln.numero_linea
            base = ln.base_imponible or Decimal(0)
            costo_unitario = redondear6((ln.costo or Decimal(0)) / ln.cantidad)
            if solicitud.cantidad is not None:
                toma = min(ln.cantidad - cantidad[n], falta)
                if toma <= 0:
                    continue
                monto = _valor_por_cantidad(ln, cantidad[n], toma)
                cantidad[n] += toma
            else:
                toma = min(base - valor[n], falta)
                if toma <= 0:
                    continue
                monto = toma
            valor[n] += monto
            falta -= toma
            resultado.append(
                LineaNotaCredito(
                    n,
                    ln.producto_id,
                    toma if solicitud.cantidad is not None else Decimal(0),
                    monto,
                    ln.tarifa_iva,
                    costo_unitario,
                )
            )
            if falta == 0:
                break
        if falta > 0:
            unidad = "unidades" if solicitud.cantidad is not None else "USD"
            problemas.append(
                f"Del producto {lineas[0].codigo} se piden acreditar {falta.normalize():f} "
                f"{unidad} más de lo que queda por acreditar en la factura {factura.numero}"
            )
    for ln in factura.lineas:
        if valor[ln.numero_linea] > (ln.base_imponible or Decimal(0)):
            problemas.append(
                f"La línea {ln.numero_linea} ({ln.codigo}) acumularía {valor[ln.numero_linea]} "
                f"acreditados, más que su valor {ln.base_imponible}"
            )
    return Acreditacion(tuple(resultado), tuple(problemas))
