"""Events of the Factura aggregate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import ClassVar, Literal

from prometeo.domain.events.base import EventoDominio
from prometeo.domain.events.comprobante import (
    DatosComprador,
    DatosEmisor,
    DatosEstablecimiento,
)
from prometeo.domain.events.inventario import ConsumoLote


@dataclass(frozen=True, slots=True)
class DatosPago:
    forma_pago: str
    total: Decimal
    plazo: int | None = None
    unidad_tiempo: str | None = None


@dataclass(frozen=True, slots=True)
class LineaEmitida:
    """A line as emitted: its base after the prorated global discount, its IVA, and the
    FIFO cost (with the exact lots consumed, so an anulación can put them back)."""

    numero_linea: int
    producto_id: str
    cantidad: Decimal
    subtotal: Decimal
    descuento_global: Decimal
    base_imponible: Decimal
    tarifa_iva: str
    costo: Decimal
    consumos: tuple[ConsumoLote, ...] = ()
    # The line's IVA: its tarifa's percentage and its share of that tarifa's IVA (the
    # lines of a tarifa add up to it exactly). None in events stored before they existed:
    # see `aggregates.factura.iva_de_lineas`.
    porcentaje_iva: Decimal | None = None
    iva: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ImportePorTarifa:
    """One tarifa group, with the percentage its IVA was computed with (stored with the
    document: the table may change, an issued document does not)."""

    tarifa_iva: str
    base_imponible: Decimal
    iva: Decimal
    porcentaje: Decimal


@dataclass(frozen=True, slots=True)
class LineaCredito:
    """What one nota de crédito credits on one factura line (cantidad 0 = value only) and
    the IVA it credits on it (None in events stored before credits carried it)."""

    numero_linea: int
    producto_id: str
    cantidad: Decimal
    valor: Decimal
    iva: Decimal | None = None


@dataclass(frozen=True, slots=True)
class DatosLinea:
    """A line as the cajero entered it (the product's code and name copied onto it, and
    its first barcode and unit of measure: the XML's codigoAuxiliar and unidadMedida; None
    when it had none, or in events stored before they were copied)."""

    numero_linea: int
    producto_id: str
    codigo: str
    descripcion: str
    cantidad: Decimal
    precio_unitario: Decimal
    descuento: Decimal
    tarifa_iva: str
    codigo_auxiliar: str | None = None
    unidad_medida: str | None = None


@dataclass(frozen=True, slots=True)
class DatosDescuento:
    tipo_descuento: Literal["PORCENTAJE", "MONTO"]
    valor: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class FacturaCreada(EventoDominio):
    """A new draft. A factura created with its lines (and global discount) carries them
    here, so an emission stores one event for the draft instead of one per line; lines
    added later to a draft are LineaAgregada, a later discount DescuentoAplicado."""

    factura_id: str
    punto_emision_id: str
    sucursal_id: str
    bodega_id: str
    cliente_id: str | None
    comprador: DatosComprador
    fecha_emision: date
    propina: Decimal = Decimal("0.00")
    pagos: tuple[DatosPago, ...] = ()
    fecha_autorizacion: date | None = None
    fecha_caducidad: date | None = None
    lineas: tuple[DatosLinea, ...] = ()
    descuento_global: DatosDescuento | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LineaAgregada(EventoDominio):
    """A line added to a draft; its fields as DatosLinea's."""

    factura_id: str
    numero_linea: int
    producto_id: str
    codigo: str
    descripcion: str
    cantidad: Decimal
    precio_unitario: Decimal
    descuento: Decimal
    tarifa_iva: str
    codigo_auxiliar: str | None = None
    unidad_medida: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DescuentoAplicado(EventoDominio):
    """A global discount over the whole factura (replaces an earlier one)."""

    factura_id: str
    tipo_descuento: Literal["PORCENTAJE", "MONTO"]
    valor: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class FacturaEmitida(EventoDominio):
    """The factura got its number and took its goods from stock; amounts are final.

    v2 (issue 13): the emisor and establecimiento copied at emission, the clave de acceso
    with its código numérico and tipo de emisión, and each rate's percentage (on
    importes_por_tarifa and on each line). v1 events are upcast (see upcasters.py);
    their `emisor` is None: the catalog's emisor at the time was never copied."""

    VERSION_ESQUEMA: ClassVar[int] = 2

    factura_id: str
    numero: str
    secuencial: int
    fecha_emision: date
    lineas: tuple[LineaEmitida, ...]
    importes_por_tarifa: tuple[ImportePorTarifa, ...]
    subtotal_sin_impuestos: Decimal
    total_descuento: Decimal
    iva: Decimal
    propina: Decimal
    importe_total: Decimal
    costo_total: Decimal
    pagos: tuple[DatosPago, ...]
    # -- who issued it, where, and its clave de acceso (v2) --
    emisor: DatosEmisor | None
    establecimiento: DatosEstablecimiento
    clave_acceso: str
    codigo_numerico: str
    tipo_emision: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CreditoAplicado(EventoDominio):
    """A nota de crédito credited part of this factura (on the factura's own stream, so two
    notas racing against one factura conflict instead of over-crediting it together)."""

    factura_id: str
    nota_credito_id: str
    numero_nota_credito: str
    lineas: tuple[LineaCredito, ...]
    valor_total: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class FacturaAnulada(EventoDominio):
    factura_id: str
    motivo: str
    fecha: date


@dataclass(frozen=True, slots=True, kw_only=True)
class LineaEliminada(EventoDominio):
    """A line taken off a draft. The lines after it move up one number, so a factura's
    lines are always numbered 1..n (its emission, its XML and its notas de crédito
    address lines by that number)."""

    factura_id: str
    numero_linea: int


@dataclass(frozen=True, slots=True, kw_only=True)
class LineaCambiada(EventoDominio):
    """A draft's line with another quantity and line discount; its product, price and
    tarifa stay, and so does its number (a cajero scanning the same product again, or
    correcting how many were sold)."""

    factura_id: str
    numero_linea: int
    cantidad: Decimal
    descuento: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class ClienteAsignado(EventoDominio):
    """A draft's buyer changed: a cliente (copied as it is in the catalog now) or
    consumidor final (cliente_id None)."""

    factura_id: str
    cliente_id: str | None
    comprador: DatosComprador


@dataclass(frozen=True, slots=True, kw_only=True)
class PagosDefinidos(EventoDominio):
    """A draft's payments replaced (none: one payment of forma 01 for the total)."""

    factura_id: str
    pagos: tuple[DatosPago, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class PropinaDefinida(EventoDominio):
    """A draft's propina replaced."""

    factura_id: str
    propina: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class BorradorDescartado(EventoDominio):
    """A draft thrown away before emission: it never gets a number, and nothing may change
    it any more."""

    factura_id: str
