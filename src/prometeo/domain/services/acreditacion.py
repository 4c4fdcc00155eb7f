"""How a nota de crédito's requested lines land on the factura's lines.

A requested product may appear on several factura lines: units and value are taken from
them in order, each up to what is left to credit on it. Quantity credits are valued at
the line's net unit price so that, summed over every nota of the factura, they add up to
exactly the line's value when all its units come back (the rounding telescopes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, Decimal

from prometeo.domain.aggregates.factura import Factura, LineaFactura
from prometeo.domain.errores import ValorInvalido
from prometeo.domain.events.nota_credito import LineaNotaCredito
from prometeo.domain.value_objects.dinero import Cantidad, Dinero, redondear2, redondear6


@dataclass(frozen=True, slots=True)
class SolicitudLineaCredito:
    """A line as the user asks for it: a product and either units or a value. `numero`
    is its place in the request (1, 2...), which names it in a refusal: a person knows
    the line they wrote, not the product's id."""

    producto_id: str
    cantidad: Cantidad | None = None
    valor: Dinero | None = None
    numero: int | None = None

    @property
    def nombre(self) -> str:
        if self.numero is not None:
            return f"La línea {self.numero} de la nota de crédito"
        return f"La línea del producto {self.producto_id}"

    def __post_init__(self) -> None:
        if (self.cantidad is None) == (self.valor is None):
            raise ValorInvalido(
                "LineaNotaCreditoValida",
                f"{self.nombre} debe indicar una cantidad o un valor, no ambos",
            )
        if self.valor is not None and self.valor.monto <= 0:
            raise ValorInvalido(
                "LineaNotaCreditoValida",
                f"{self.nombre} debe acreditar un valor mayor que cero",
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


def _iva_acumulado(linea: LineaFactura, valor: Decimal) -> Decimal:
    """The share of the line's IVA that crediting `valor` of its base in all carries:
    round2(valor × iva / base), so each credit's IVA is the difference between two of these
    (it telescopes) and the whole base carries exactly the line's IVA."""
    base = linea.base_imponible or Decimal(0)
    if base == 0:
        return Decimal("0.00")
    return redondear2(valor * (linea.iva or Decimal(0)) / base)


def _precio_y_descuento(
    linea: LineaFactura, cantidad: Decimal, monto: Decimal
) -> tuple[Decimal, Decimal]:
    """The credit line's unit price and descuento ≥ 0 with round2(cantidad × precio) −
    descuento = monto: the factura line's price, unless its rounding left the units'
    value a cent or two short of `monto` (the last units of a line whose value rounded
    up); then the smallest 6-decimal price that covers it. A value-only line is one unit
    priced at its value."""
    if cantidad == 0:
        return monto, Decimal("0.00")
    precio = linea.precio_unitario
    if redondear2(cantidad * precio) < monto:
        precio = (monto / cantidad).quantize(Decimal("0.000001"), rounding=ROUND_CEILING)
    return precio, redondear2(cantidad * precio) - monto


def _ajustar_iva_por_tarifa(
    factura: Factura, lineas: list[LineaNotaCredito], valor: dict[int, Decimal]
) -> list[LineaNotaCredito]:
    """Keep each tarifa's credited IVA within what the factura charged: the nota takes no
    more than what earlier notas left of it, and the nota that credits a tarifa's last
    value takes exactly what is left. Credits by line shares already do both when every
    earlier nota carried its IVA per line (then this changes nothing); notas stored before
    that were allotted to lines by value on load, and this evens out the cents they
    missed or overshot, on this nota's own lines (largest first, never below zero)."""
    ajustadas = list(lineas)
    for tarifa in dict.fromkeys(ln.tarifa_iva for ln in lineas):
        de_tarifa = [ln for ln in factura.lineas if ln.tarifa_iva == tarifa]
        disponible = max(
            sum(((ln.iva or Decimal(0)) - ln.iva_acreditado for ln in de_tarifa), Decimal(0)),
            Decimal("0.00"),
        )
        indices = [i for i, ln in enumerate(ajustadas) if ln.tarifa_iva == tarifa]
        tomado = sum((ajustadas[i].iva or Decimal(0) for i in indices), Decimal("0.00"))
        completa = all(valor[ln.numero_linea] == (ln.base_imponible or 0) for ln in de_tarifa)
        objetivo = disponible if completa else min(tomado, disponible)
        diferencia = objetivo - tomado
        for i in sorted(indices, key=lambda i: -ajustadas[i].valor):
            if diferencia == 0:
                break
            actual = ajustadas[i].iva or Decimal("0.00")
            nuevo = max(actual + diferencia, Decimal("0.00"))
            diferencia -= nuevo - actual
            ajustadas[i] = replace(ajustadas[i], iva=nuevo)
    return ajustadas


def acreditar(factura: Factura, solicitudes: Sequence[SolicitudLineaCredito]) -> Acreditacion:
    """Spread the requested lines over the factura's lines; report whatever exceeds what is
    left to credit (by quantity or by value) or names a product the factura lacks.

    A credit by quantity is valued at the line's net unit price (telescoping, so its units
    add up to the line's base) but never above round2(cantidad × precio); the credit that
    returns a line's last units takes exactly what is left of its base. Every credit
    carries the IVA share of the base it credits (see `_iva_acumulado`), so all the notas
    of a factura never credit more base or IVA than it has, and exactly that when all of
    it is credited."""
    cantidad = {ln.numero_linea: ln.cantidad_acreditada for ln in factura.lineas}
    valor = {ln.numero_linea: ln.valor_acreditado for ln in factura.lineas}
    iva_previo = {ln.numero_linea: ln.iva_acreditado for ln in factura.lineas}
    resultado: list[LineaNotaCredito] = []
    problemas: list[str] = []
    for solicitud in solicitudes:
        lineas = [ln for ln in factura.lineas if ln.producto_id == solicitud.producto_id]
        if not lineas:
            # Named by its place in the request: the id may be anything the caller sent.
            problemas.append(
                f"{solicitud.nombre} pide un producto que no consta en la factura {factura.numero}"
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
                if cantidad[n] + toma == ln.cantidad:
                    monto = max(base - valor[n], Decimal("0.00"))
                else:
                    monto = min(
                        _valor_por_cantidad(ln, cantidad[n], toma),
                        redondear2(toma * ln.precio_unitario),
                    )
                cantidad[n] += toma
            else:
                toma = min(base - valor[n], falta)
                if toma <= 0:
                    continue
                monto = toma
            iva = max(
                min(
                    _iva_acumulado(ln, valor[n] + monto) - iva_previo[n],
                    (ln.iva or Decimal(0)) - iva_previo[n],
                ),
                Decimal("0.00"),
            )
            iva_previo[n] += iva
            valor[n] += monto
            falta -= toma
            unidades = toma if solicitud.cantidad is not None else Decimal(0)
            precio, descuento = _precio_y_descuento(ln, unidades, monto)
            resultado.append(
                LineaNotaCredito(
                    n,
                    ln.producto_id,
                    unidades,
                    monto,
                    ln.tarifa_iva,
                    costo_unitario,
                    codigo=ln.codigo,
                    descripcion=ln.descripcion,
                    precio_unitario=precio,
                    descuento=descuento,
                    porcentaje_iva=ln.porcentaje_iva,
                    iva=iva,
                    codigo_auxiliar=ln.codigo_auxiliar,
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
    resultado = _ajustar_iva_por_tarifa(factura, resultado, valor)
    for ln in factura.lineas:
        if valor[ln.numero_linea] > (ln.base_imponible or Decimal(0)):
            problemas.append(
                f"La línea {ln.numero_linea} ({ln.codigo}) acumularía {valor[ln.numero_linea]} "
                f"acreditados, más que su valor {ln.base_imponible}"
            )
    return Acreditacion(tuple(resultado), tuple(problemas))
