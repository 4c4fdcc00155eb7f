"""The rules a factura must satisfy to be emitted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from prometeo.domain.aggregates.factura import EstadoFactura, Factura
from prometeo.domain.entities.producto import Producto
from prometeo.domain.errores import ReglaIncumplida
from prometeo.domain.services.totales import Totales
from prometeo.domain.specifications.base import Specification, todas
from prometeo.domain.specifications.catalogo_activo import CatalogoInactivo
from prometeo.domain.specifications.fechas import (
    FechaAutorizacionValida,
    FechaCaducidadValida,
    FechaEmisionNoFutura,
    FechaEmisionValida,
)
from prometeo.domain.specifications.inventario import unidades_vencidas
from prometeo.domain.value_objects.dinero import LIMITE, con_miles, redondear2
from prometeo.domain.value_objects.tarifa_iva import TarifaIva

LIMITE_CONSUMIDOR_FINAL = Decimal("50.00")
PROPINA_MAXIMA = Decimal("0.10")


@dataclass(frozen=True)
class ContextoEmisionFactura:
    """A factura about to be emitted, with what the rules need to know around it:
    today's date and the stock of each of its products in its bodega that it may take
    (sellable on its date: expired lots excluded, see `stock_para`)."""

    factura: Factura
    hoy: date
    stock_disponible: Mapping[str, Decimal]
    limite_consumidor_final: Decimal = LIMITE_CONSUMIDOR_FINAL
    # The bodega's code, as its people name it in messages (unknown: its id).
    codigo_bodega: str | None = None
    # The date it would be emitted with, when not the factura's own (a parked draft).
    fecha: date | None = None
    # What of its catalog (products, punto, bodega) has been deactivated.
    inactivo: CatalogoInactivo = field(default_factory=CatalogoInactivo)
    # Its products as the catalog has them now (their tarifas by day), when known.
    productos: Mapping[str, Producto] = field(default_factory=dict)
    # Units of each product that expired before the factura's date: not for sale.
    vencidas: Mapping[str, Decimal] = field(default_factory=dict)
    totales: Totales = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "totales", self.factura.totales())

    @property
    def fecha_emision(self) -> date:
        return self.fecha or self.factura.fecha_emision

    @property
    def fecha_autorizacion(self) -> date | None:
        return self.factura.fecha_autorizacion

    @property
    def fecha_caducidad(self) -> date | None:
        return self.factura.fecha_caducidad

    def cantidades_por_producto(self) -> dict[str, Decimal]:
        """Units requested per product, adding up lines of the same product."""
        pedidas: dict[str, Decimal] = {}
        for linea in self.factura.lineas:
            pedidas[linea.producto_id] = pedidas.get(linea.producto_id, Decimal(0)) + linea.cantidad
        return pedidas

    @property
    def bodega(self) -> str:
        """The factura's bodega as a person names it: its code."""
        return self.codigo_bodega or self.factura.bodega_id

    def codigo_de(self, producto_id: str) -> str:
        """A product as a person names it: its code on the factura's lines."""
        return next(
            (ln.codigo for ln in self.factura.lineas if ln.producto_id == producto_id),
            producto_id,
        )

    def faltantes(self) -> dict[str, tuple[Decimal, Decimal]]:
        """Products whose stock is short: producto → (requested, available)."""
        return {
            producto: (pedida, self.stock_disponible.get(producto, Decimal(0)))
            for producto, pedida in self.cantidades_por_producto().items()
            if pedida > self.stock_disponible.get(producto, Decimal(0))
        }


class FacturaEnBorrador(Specification[ContextoEmisionFactura]):
    """Only a draft is emitted (a number, once assigned, is never reassigned)."""

    def is_satisfied_by(self, candidate: ContextoEmisionFactura) -> bool:
        return candidate.factura.estado is EstadoFactura.BORRADOR

    def mensaje(self, candidate: ContextoEmisionFactura) -> str:
        f = candidate.factura
        return f"La factura {f.numero or f.id} ya está {f.estado.value}; no se puede emitir"


class FacturaTieneLineas(Specification[ContextoEmisionFactura]):
    def is_satisfied_by(self, candidate: ContextoEmisionFactura) -> bool:
        return bool(candidate.factura.lineas)

    def mensaje(self, candidate: ContextoEmisionFactura) -> str:
        return "La factura debe tener al menos una línea"


class DescuentoGlobalValido(Specification[ContextoEmisionFactura]):
    """The global discount does not exceed the sum of the line subtotals."""

    def is_satisfied_by(self, candidate: ContextoEmisionFactura) -> bool:
        t = candidate.totales
        return t.descuento_global <= sum((linea.subtotal for linea in t.lineas), Decimal(0))

    def mensaje(self, candidate: ContextoEmisionFactura) -> str:
        t = candidate.totales
        suma = sum((linea.subtotal for linea in t.lineas), Decimal(0))
        return f"El descuento global {t.descuento_global} excede el subtotal de las líneas {suma}"


class ConsumidorFinalDentroDelLimite(Specification[ContextoEmisionFactura]):
    """A factura to consumidor final may not exceed USD 50.00 (RCV art. 19)."""

    def is_satisfied_by(self, candidate: ContextoEmisionFactura) -> bool:
        if not candidate.factura.comprador.es_consumidor_final:
            return True
        return candidate.totales.importe_total <= candidate.limite_consumidor_final

    def mensaje(self, candidate: ContextoEmisionFactura) -> str:
        return (
            f"Una factura a consumidor final no puede superar USD "
            f"{candidate.limite_consumidor_final}; esta suma {candidate.totales.importe_total}. "
            "Identifique al comprador"
        )


class ImporteTotalDentroDelLimite(Specification[ContextoEmisionFactura]):
    """importe_total stays below 10^12, the bound of every amount (SRI: 12 integer digits;
    the read models keep it in 64-bit cents)."""

    def is_satisfied_by(self, candidate: ContextoEmisionFactura) -> bool:
        return candidate.totales.importe_total < LIMITE

    def mensaje(self, candidate: ContextoEmisionFactura) -> str:
        return (
            f"El importe total {candidate.totales.importe_total} debe ser menor que USD "
            f"{con_miles(LIMITE)}"
        )


class PropinaDentroDelLimite(Specification[ContextoEmisionFactura]):
    """The propina is at most 10 % of the subtotal sin impuestos, as the SRI's own
    invoicer caps it."""

    def maximo(self, candidate: ContextoEmisionFactura) -> Decimal:
        return redondear2(candidate.totales.subtotal_sin_impuestos * PROPINA_MAXIMA)

    def is_satisfied_by(self, candidate: ContextoEmisionFactura) -> bool:
        return candidate.totales.propina <= self.maximo(candidate)

    def mensaje(self, candidate: ContextoEmisionFactura) -> str:
        return (
            f"La propina {candidate.totales.propina} supera el 10 % del subtotal "
            f"{candidate.totales.subtotal_sin_impuestos} (máximo {self.maximo(candidate)})"
        )


class PagosCuadranConTotal(Specification[ContextoEmisionFactura]):
    """The payments given add up to importe_total (none given: one payment for all)."""

    def is_satisfied_by(self, candidate: ContextoEmisionFactura) -> bool:
        pagos = candidate.factura.pagos
        return not pagos or sum((p.total for p in pagos), Decimal(0)) == (
            candidate.totales.importe_total
        )

    def mensaje(self, candidate: ContextoEmisionFactura) -> str:
        suma = sum((p.total for p in candidate.factura.pagos), Decimal(0))
        return (
            f"Los pagos suman {suma} y el importe total de la factura es "
            f"{candidate.totales.importe_total}"
        )


class TarifaIvaVigente(Specification[ContextoEmisionFactura]):
    """Every line's IVA tarifa may be sold on the factura's date (TARIFAS_IVA's vigencias:
    code 2 only until 2024-03-31, code 4 from 2024-04-01, code 8 only on decreed days)."""

    def _no_vigentes(self, candidate: ContextoEmisionFactura) -> list[TarifaIva]:
        codigos = sorted({linea.tarifa_iva for linea in candidate.factura.lineas}, key=int)
        tarifas = [TarifaIva.de_codigo(codigo) for codigo in codigos]
        return [t for t in tarifas if not t.vigente_en(candidate.fecha_emision)]

    def is_satisfied_by(self, candidate: ContextoEmisionFactura) -> bool:
        return not self._no_vigentes(candidate)

    def mensaje(self, candidate: ContextoEmisionFactura) -> str:
        return "; ".join(
            t.mensaje_no_vigente(candidate.fecha_emision) for t in self._no_vigentes(candidate)
        )


class CatalogoActivo(Specification[ContextoEmisionFactura]):
    """Nothing inactive takes part in the sale: each broken part named by its own rule
    (ProductoActivo, PuntoEmisionActivo, BodegaActiva)."""

    def is_satisfied_by(self, candidate: ContextoEmisionFactura) -> bool:
        return not candidate.inactivo.reglas()

    def incumplidas(self, candidate: ContextoEmisionFactura) -> list[ReglaIncumplida]:
        return candidate.inactivo.reglas()


class TarifaDelProductoVigente(Specification[ContextoEmisionFactura]):
    """Each line carries the tarifa its product has on the emission date. A line took its
    product's tarifa when it was added; a draft emitted after the product's tarifa
    changed (a programmed one whose day came) would charge the old rate."""

    def _desactualizadas(self, candidate: ContextoEmisionFactura) -> list[str]:
        fecha = candidate.fecha_emision
        return [
            f"la línea {ln.numero_linea} ({ln.codigo}) tiene la tarifa {ln.tarifa_iva}, pero "
            f"el {fecha.isoformat()} rige la {vigente}"
            for ln in candidate.factura.lineas
            if (producto := candidate.productos.get(ln.producto_id)) is not None
            and (vigente := producto.tarifa_en(fecha)) != ln.tarifa_iva
        ]

    def is_satisfied_by(self, candidate: ContextoEmisionFactura) -> bool:
        return not self._desactualizadas(candidate)

    def mensaje(self, candidate: ContextoEmisionFactura) -> str:
        return (
            "La tarifa de IVA cambió desde que se agregaron las líneas: "
            + "; ".join(self._desactualizadas(candidate))
            + " (quítelas y agréguelas de nuevo)"
        )


class StockSuficienteParaFactura(Specification[ContextoEmisionFactura]):
    """Every product has enough stock in the bodega, adding up lines of the same product."""

    def is_satisfied_by(self, candidate: ContextoEmisionFactura) -> bool:
        return not candidate.faltantes()

    def mensaje(self, candidate: ContextoEmisionFactura) -> str:
        detalle = "; ".join(
            f"producto {candidate.codigo_de(producto)}: se piden {pedida.normalize():f}, "
            f"hay {disponible.normalize():f}"
            + unidades_vencidas(candidate.vencidas.get(producto, Decimal(0)))
            for producto, (pedida, disponible) in candidate.faltantes().items()
        )
        return f"Stock insuficiente en la bodega {candidate.bodega}: {detalle}"


def reglas_emision_factura() -> Specification[ContextoEmisionFactura]:
    """Every rule checked before a factura gets its number."""
    return todas(
        FacturaEnBorrador(),
        FacturaTieneLineas(),
        CatalogoActivo(),
        FechaEmisionValida(),
        FechaEmisionNoFutura(),
        FechaCaducidadValida(),
        FechaAutorizacionValida(),
        TarifaIvaVigente(),
        TarifaDelProductoVigente(),
        DescuentoGlobalValido(),
        ConsumidorFinalDentroDelLimite(),
        ImporteTotalDentroDelLimite(),
        PropinaDentroDelLimite(),
        PagosCuadranConTotal(),
        StockSuficienteParaFactura(),
    )


def reglas_borrador() -> Specification[ContextoEmisionFactura]:
    """The rules a draft satisfies after every change, not only at emission: those that
    depend on nothing but the draft itself. Stock, dates, tarifas in force and the
    consumidor final limit depend on the day and the bodega, or on a buyer the cajero may
    name later: they are checked at emission (and shown by a preview)."""
    return todas(
        DescuentoGlobalValido(),
        ImporteTotalDentroDelLimite(),
        PropinaDentroDelLimite(),
        PagosCuadranConTotal(),
    )


def exigir_borrador_valido(factura: Factura) -> None:
    """Refuse (naming every broken rule) a draft that breaks a rule of `reglas_borrador`."""
    reglas_borrador().exigir(ContextoEmisionFactura(factura, factura.fecha_emision, {}))
