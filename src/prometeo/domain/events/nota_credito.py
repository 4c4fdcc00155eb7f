"""Events of the NotaCredito aggregate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import ClassVar

from prometeo.domain.events.base import EventoDominio
from prometeo.domain.events.comprobante import DatosComprador, DatosEmisor, DatosEstablecimiento
from prometeo.domain.events.factura import ImportePorTarifa


@dataclass(frozen=True, slots=True)
class LineaNotaCredito:
    """What the nota credits on one factura line: units (cantidad > 0, valued at the
    factura's net unit price) or only value (cantidad 0). `costo_unitario` is the sale
    line's average FIFO cost, at which returned goods re-enter stock.

    The line as the document states it: the factura line's code and description, a unit
    price and a descuento ≥ 0 with valor (its subtotal, the base) = round2(cantidad ×
    precio_unitario) − descuento (a value-only line is one unit at its valor), and its
    IVA, a share of the factura line's IVA; the factura line's codigo_auxiliar (the NC's
    codigoAdicional). None/"" in events stored before they existed."""

    numero_linea_factura: int
    producto_id: str
    cantidad: Decimal
    valor: Decimal
    tarifa_iva: str
    costo_unitario: Decimal
    codigo: str = ""
    descripcion: str = ""
    precio_unitario: Decimal | None = None
    descuento: Decimal | None = None
    porcentaje_iva: Decimal | None = None
    iva: Decimal | None = None
    codigo_auxiliar: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NotaCreditoCreada(EventoDominio):
    nota_credito_id: str
    factura_id: str
    numero_factura: str
    fecha_emision_factura: date
    punto_emision_id: str
    sucursal_id: str
    bodega_id: str
    comprador: DatosComprador
    motivo: str
    fecha_emision: date
    devolucion_inventario: bool
    lineas: tuple[LineaNotaCredito, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class NotaCreditoEmitida(EventoDominio):
    """The nota got its number; amounts are final.

    v2 (issue 13): as FacturaEmitida's, the emisor, establecimiento and clave de acceso
    fixed at emission, and each tarifa group's percentage (the factura's)."""

    VERSION_ESQUEMA: ClassVar[int] = 2

    nota_credito_id: str
    factura_id: str
    numero: str
    secuencial: int
    fecha_emision: date
    importes_por_tarifa: tuple[ImportePorTarifa, ...]
    subtotal_sin_impuestos: Decimal
    iva: Decimal
    valor_modificacion: Decimal
    # -- who issued it, where, and its clave de acceso (v2) --
    emisor: DatosEmisor | None
    establecimiento: DatosEstablecimiento
    clave_acceso: str
    codigo_numerico: str
    tipo_emision: str
