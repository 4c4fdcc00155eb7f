"""Commands: what a user asks the system to do, in the imperative, as plain data.

Fields are primitives as a client sends them (ids as str, amounts and quantities as
Decimal, int or str, dates, booleans, tuples); the services turn them into value objects,
so a malformed value is refused by the domain with the rule it breaks. An optional id
(`factura_id`, `lote_id`...) lets the caller choose the new document's id; when absent,
the service draws one, once, before any retry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from prometeo.domain.entities.campos import SIN_CAMBIO
from prometeo.domain.value_objects.dinero import Numero

# -- Catálogo -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RegistrarEmisor:
    """Register (or replace) the company that issues the documents."""

    ruc: str
    razon_social: str
    nombre_comercial: str
    direccion_matriz: str
    obligado_contabilidad: bool
    ambiente: str
    contribuyente_especial: str | None = None
    agente_retencion: str | None = None
    regimen: str = "GENERAL"


@dataclass(frozen=True, slots=True)
class CrearSucursal:
    codigo: str
    nombre: str
    direccion: str
    sucursal_id: str | None = None


@dataclass(frozen=True, slots=True)
class CrearPuntoEmision:
    sucursal_id: str
    codigo: str
    punto_emision_id: str | None = None
    # The first secuencial per document type ("01", "04"); absent types start at 1.
    siguiente_secuencial: Mapping[str, int] | None = None


@dataclass(frozen=True, slots=True)
class CrearBodega:
    sucursal_id: str
    codigo: str
    nombre: str
    bodega_id: str | None = None


@dataclass(frozen=True, slots=True)
class CrearProducto:
    codigo: str
    nombre: str
    precio: Numero
    tarifa_iva: str
    stock_minimo: Numero = 0
    producto_id: str | None = None
    codigos_barra: Sequence[str] = ()
    unidad_medida: str | None = None


@dataclass(frozen=True, slots=True)
class ModificarProducto:
    """Change what a product is sold as; a field left SIN_CAMBIO keeps its value. The new
    `tarifa_iva` takes effect `vigente_desde` (default today). Its code never changes."""

    producto_id: str
    precio: Any = SIN_CAMBIO
    nombre: Any = SIN_CAMBIO
    tarifa_iva: Any = SIN_CAMBIO
    vigente_desde: date | None = None
    stock_minimo: Any = SIN_CAMBIO
    codigos_barra: Any = SIN_CAMBIO
    unidad_medida: Any = SIN_CAMBIO
    activo: Any = SIN_CAMBIO


@dataclass(frozen=True, slots=True)
class ModificarCliente:
    """Change a cliente's contact data (None clears one); never its identification."""

    cliente_id: str
    direccion: Any = SIN_CAMBIO
    email: Any = SIN_CAMBIO
    telefono: Any = SIN_CAMBIO


@dataclass(frozen=True, slots=True)
class CambiarActivo:
    """Deactivate (or activate again) a sucursal, a punto de emisión or a bodega."""

    entidad: Literal["sucursal", "punto_emision", "bodega"]
    entidad_id: str
    activo: bool


@dataclass(frozen=True, slots=True)
class CrearCliente:
    """`tipo_identificacion` is the SRI code: 04 RUC, 05 cédula, 06 pasaporte, 08 exterior."""

    tipo_identificacion: str
    identificacion: str
    razon_social: str
    direccion: str | None = None
    email: str | None = None
    cliente_id: str | None = None
    telefono: str | None = None


# -- Facturas -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LineaFacturaCmd:
    """A line as asked for: without a price, the product's list price applies; the
    discount is an amount (USD)."""

    producto_id: str
    cantidad: Numero
    precio_unitario: Numero | None = None
    descuento: Numero | None = None


@dataclass(frozen=True, slots=True)
class DescuentoGlobalCmd:
    """A discount over the whole factura: tipo PORCENTAJE (0–100) or MONTO (USD)."""

    tipo: str
    valor: Numero


@dataclass(frozen=True, slots=True)
class PagoCmd:
    """A payment: SRI forma de pago code ("01" sin sistema financiero...), its total and
    optionally a term."""

    forma_pago: str
    total: Numero
    plazo: int | None = None
    unidad_tiempo: str | None = None


@dataclass(frozen=True, slots=True)
class CrearFactura:
    """Create a factura and, unless `borrador`, emit it in the same transaction.
    No cliente = consumidor final; no fecha de emisión = today; no pagos = one payment of
    forma 01 for the whole total."""

    punto_emision_id: str
    bodega_id: str
    lineas: tuple[LineaFacturaCmd, ...]
    cliente_id: str | None = None
    fecha_emision: date | None = None
    descuento_global: DescuentoGlobalCmd | None = None
    pagos: tuple[PagoCmd, ...] = ()
    propina: Numero | None = None
    fecha_autorizacion: date | None = None
    fecha_caducidad: date | None = None
    borrador: bool = False
    factura_id: str | None = None
    # Whether who asks may sell below list price or beyond the discount anyone may give
    # (the API says so by the caller's role; inside the application, yes).
    rebajas_autorizadas: bool = True


@dataclass(frozen=True, slots=True)
class AgregarLinea:
    """Add a line to a factura still in BORRADOR."""

    factura_id: str
    producto_id: str
    cantidad: Numero
    precio_unitario: Numero | None = None
    descuento: Numero | None = None
    rebajas_autorizadas: bool = True


@dataclass(frozen=True, slots=True)
class AplicarDescuento:
    """Give a factura in BORRADOR a global discount (replacing an earlier one)."""

    factura_id: str
    tipo: str
    valor: Numero
    rebajas_autorizadas: bool = True


@dataclass(frozen=True, slots=True)
class QuitarLinea:
    """Take a line off a factura in BORRADOR (the lines after it move up one number)."""

    factura_id: str
    numero_linea: int
    version_esperada: int | None = None  # as in ModificarBorrador


@dataclass(frozen=True, slots=True)
class ModificarBorrador:
    """Change a factura in BORRADOR, all at once: what is None stays as it is. The buyer
    changes only with `cambiar_cliente` (then `cliente_id` None = consumidor final);
    `pagos` () = one payment of forma 01 for the total."""

    factura_id: str
    cambiar_cliente: bool = False
    cliente_id: str | None = None
    descuento_global: DescuentoGlobalCmd | None = None
    pagos: tuple[PagoCmd, ...] | None = None
    propina: Numero | None = None
    rebajas_autorizadas: bool = True
    # The draft's version the caller saw (None: whatever it is now): another tab's or
    # device's change in between refuses this one (BorradorSinCambiosAjenos).
    version_esperada: int | None = None


@dataclass(frozen=True, slots=True)
class CambiarLinea:
    """Give a line of a factura in BORRADOR another quantity and line discount (None: no
    discount); it keeps its number, product, price and tarifa."""

    factura_id: str
    numero_linea: int
    cantidad: Numero
    descuento: Numero | None = None
    rebajas_autorizadas: bool = True
    version_esperada: int | None = None  # as in ModificarBorrador


@dataclass(frozen=True, slots=True)
class ProductoEscaneado:
    """A product read at the till (by code, barcode or name) and how many of it."""

    producto_id: str
    cantidad: Numero


@dataclass(frozen=True, slots=True)
class SumarAlBorrador:
    """Products scanned at the till, in the order read: each adds its quantity to the
    draft's line of that product sold at list price without discount, or opens a new
    line. Without `factura_id`, a new draft of `punto_emision_id` and `bodega_id` is
    created for them (consumidor final, today) in the same transaction."""

    productos: tuple[ProductoEscaneado, ...]
    factura_id: str | None = None
    punto_emision_id: str = ""
    bodega_id: str = ""
    version_esperada: int | None = None  # as in ModificarBorrador


@dataclass(frozen=True, slots=True)
class DescartarBorrador:
    """Throw a factura in BORRADOR away: it never gets a number."""

    factura_id: str
    version_esperada: int | None = None  # as in ModificarBorrador


@dataclass(frozen=True, slots=True)
class EmitirFactura:
    """Emit a draft; with `pagos`, these replace the draft's in the same transaction."""

    factura_id: str
    pagos: tuple[PagoCmd, ...] | None = None
    # The draft's version the caller saw (None: whatever it is now): another tab's or
    # device's change in between refuses this one (BorradorSinCambiosAjenos).
    version_esperada: int | None = None


@dataclass(frozen=True, slots=True)
class AnularFactura:
    factura_id: str
    motivo: str


# -- Notas de crédito ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LineaNotaCreditoCmd:
    """Either units to credit (`cantidad`) or a value-only adjustment (`valor`, USD)."""

    producto_id: str
    cantidad: Numero | None = None
    valor: Numero | None = None


@dataclass(frozen=True, slots=True)
class EmitirNotaCredito:
    """Credit part of an emitted factura; with `devolucion_inventario` the goods come back
    to the factura's bodega."""

    factura_id: str
    motivo: str
    devolucion_inventario: bool
    lineas: tuple[LineaNotaCreditoCmd, ...]
    fecha_emision: date | None = None
    nota_credito_id: str | None = None


@dataclass(frozen=True, slots=True)
class CorregirComprobante:
    """Send a factura ("01") or nota de crédito ("04") the SRI stopped back to be signed
    and resent, same clave de acceso, once the cause is fixed; with `cliente_id` the buyer
    printed on it becomes that cliente's current data."""

    tipo_comprobante: str
    documento_id: str
    motivo: str
    cliente_id: str | None = None


# -- Inventario ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RegistrarIngreso:
    """Receive goods into a bodega as a new lot (a purchase); `referencia` is the
    supporting document (e.g. the supplier's invoice number)."""

    producto_id: str
    bodega_id: str
    cantidad: Numero
    costo_unitario: Numero
    fecha_caducidad: date | None = None
    referencia: str | None = None
    lote_id: str | None = None


@dataclass(frozen=True, slots=True)
class TransferirStock:
    """Move goods of a product from one bodega to another, oldest lots first."""

    producto_id: str
    bodega_origen_id: str
    bodega_destino_id: str
    cantidad: Numero
    transferencia_id: str | None = None


@dataclass(frozen=True, slots=True)
class LineaConteoCmd:
    """One product of a count and the units found of it."""

    producto_id: str
    cantidad: Numero


@dataclass(frozen=True, slots=True)
class RegistrarConteo:
    """A physical count of some products of a bodega. `contado_en` is when the counting
    began (None: now, so nothing can have moved since); `usar_stock_al_contar` compares
    each product with its stock at that moment even if it moved since, instead of
    refusing it."""

    bodega_id: str
    referencia: str
    lineas: tuple[LineaConteoCmd, ...]
    contado_en: datetime | None = None
    usar_stock_al_contar: bool = False
    conteo_id: str | None = None


@dataclass(frozen=True, slots=True)
class DarDeBaja:
    """Write off what is left of an expired lot, for a reason (`motivo`)."""

    producto_id: str
    bodega_id: str
    lote_id: str
    motivo: str
    baja_id: str | None = None
