"""The query side (CQRS): what the outside world reads, and the port that serves it.

The QueryService reads read models (projections) only, never aggregates. Amounts and
quantities are Decimal; the HTTP layer renders them as strings."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from prometeo.application.resultados import DocumentoRegistrado
from prometeo.domain.entities.cambios import CambioCatalogo
from prometeo.domain.entities.catalogo import (
    Bodega,
    Cliente,
    Emisor,
    Producto,
    PuntoDeEmision,
    Sucursal,
)
from prometeo.domain.errores import NoEncontrado
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante


@dataclass(frozen=True, slots=True)
class StockVista:
    producto_id: str
    bodega_id: str
    cantidad: Decimal
    valor: Decimal
    stock_minimo: Decimal
    bajo_minimo: bool
    # The product as people name it (the catalog's current code and name).
    producto_codigo: str = ""
    producto_nombre: str = ""


@dataclass(frozen=True, slots=True)
class LoteVista:
    lote_id: str
    producto_id: str
    bodega_id: str
    fecha_ingreso: date
    cantidad_inicial: Decimal
    cantidad_disponible: Decimal
    costo_unitario: Decimal
    fecha_caducidad: date | None
    producto_codigo: str = ""
    producto_nombre: str = ""
    # Past its fecha de caducidad today: no exit takes it (it waits for its baja).
    vencido: bool = False


@dataclass(frozen=True, slots=True)
class LotePorVencerVista:
    """A lot with units left whose fecha de caducidad is near (or past: `vencido`, no
    exit takes it any more; it waits for its baja). `dias_para_vencer` counts from today
    to that date (negative once past); the value is what is left of the lot at its cost."""

    lote_id: str
    producto_id: str
    producto_codigo: str
    producto_nombre: str
    bodega_id: str
    fecha_ingreso: date
    fecha_caducidad: date
    cantidad_disponible: Decimal
    costo_unitario: Decimal
    valor_disponible: Decimal
    dias_para_vencer: int
    vencido: bool


@dataclass(frozen=True, slots=True)
class MovimientoKardex:
    """One entry or exit of one lot, with the running balance of the producto × bodega."""

    posicion: int
    fecha: date
    tipo: Literal["ENTRADA", "SALIDA", "AJUSTE", "BAJA"]
    documento: str
    lote_id: str
    cantidad: Decimal
    costo_unitario: Decimal
    costo_total: Decimal
    saldo_cantidad: Decimal
    saldo_valor: Decimal
    # INGRESO, VENTA, TRANSFERENCIA, ANULACION, DEVOLUCION; FALTANTE or SOBRANTE (AJUSTE);
    # VENCIDO (BAJA).
    motivo: str = ""
    producto_codigo: str = ""
    producto_nombre: str = ""


@dataclass(frozen=True, slots=True)
class CompradorVista:
    tipo_identificacion: str
    identificacion: str
    razon_social: str
    direccion: str | None = None
    email: str | None = None
    telefono: str | None = None


@dataclass(frozen=True, slots=True)
class LineaFacturaVista:
    numero_linea: int
    producto_id: str
    codigo: str
    descripcion: str
    cantidad: Decimal
    precio_unitario: Decimal
    descuento: Decimal
    subtotal: Decimal
    descuento_global: Decimal
    base_imponible: Decimal
    tarifa_iva: str
    costo: Decimal | None
    cantidad_acreditada: Decimal = Decimal(0)
    valor_acreditado: Decimal = Decimal("0.00")
    # The line's share of its tarifa's IVA (the lines add up to it), and that percentage;
    # None on rows written before they existed, until the read model is rebuilt.
    iva: Decimal | None = None
    porcentaje_iva: Decimal | None = None
    # The product's first barcode and unit of measure, as copied when the line was entered.
    codigo_auxiliar: str | None = None
    unidad_medida: str | None = None


@dataclass(frozen=True, slots=True)
class TotalesVista:
    subtotal_sin_impuestos: Decimal
    subtotales_por_tarifa: dict[str, Decimal]
    total_descuento: Decimal
    iva: Decimal
    propina: Decimal
    importe_total: Decimal


@dataclass(frozen=True, slots=True)
class PagoVista:
    forma_pago: str
    total: Decimal
    plazo: int | None = None
    unidad_tiempo: str | None = None


@dataclass(frozen=True, slots=True)
class MensajeSriVista:
    """A message of the SRI (or of the schema check before sending) about a document."""

    identificador: str
    mensaje: str
    informacion_adicional: str | None
    tipo: str


@dataclass(frozen=True, slots=True)
class SriVista:
    """The electronic document of an emitted factura or nota de crédito: its clave de
    acceso (fixed at emission), ambiente ("1" pruebas, "2" producción), state and, once
    authorized, its authorization."""

    clave_acceso: str
    ambiente: str
    estado: str
    numero_autorizacion: str | None = None
    fecha_autorizacion: datetime | None = None
    mensajes: list[MensajeSriVista] = field(default_factory=list)
    # While the dispatcher works on it: when it tries next, and why the last try failed.
    proximo_intento: datetime | None = None
    ultimo_error: str | None = None


@dataclass(frozen=True, slots=True)
class ComprobanteVista:
    """An emitted document as an electronic comprobante (GET /api/v1/comprobantes)."""

    tipo: str  # "01" factura, "04" nota de crédito
    id: str
    numero: str
    fecha_emision: date
    sri: SriVista


@dataclass(frozen=True, slots=True)
class FacturaVista:
    id: str
    numero: str | None
    estado: str
    fecha_emision: date
    punto_emision_id: str
    sucursal_id: str
    bodega_id: str
    cliente_id: str | None
    cliente: CompradorVista
    lineas: list[LineaFacturaVista]
    totales: TotalesVista
    pagos: list[PagoVista]
    costo_total: Decimal | None
    valor_acreditado: Decimal
    notas_credito: list[str] = field(default_factory=list)
    motivo_anulacion: str | None = None
    clave_acceso: str | None = None  # fixed at emission
    sri: SriVista | None = None  # None while a draft


@dataclass(frozen=True, slots=True)
class BusquedaFacturas:
    """What a person looks an emitted factura up by; every criterion given must hold.
    `numero` is the whole number ("001-001-000000123") or its secuencial alone, nine
    digits ("000000123"); `cliente` is the buyer's identificación, whole, or part of
    their razón social (any case)."""

    numero: str | None = None
    cliente: str | None = None
    desde: date | None = None
    hasta: date | None = None


@dataclass(frozen=True, slots=True)
class LineaNotaCreditoVista:
    """A credited line with its own amounts: valor (its subtotal, the base) =
    round2(cantidad × precio_unitario) − descuento, and its share of the factura line's
    IVA; a value-only credit (no goods back) is one unit at its valor. The amounts are
    None for notas emitted before lines carried them."""

    numero_linea_factura: int
    producto_id: str
    cantidad: Decimal
    valor: Decimal
    tarifa_iva: str
    codigo: str | None = None
    descripcion: str | None = None
    precio_unitario: Decimal | None = None
    descuento: Decimal | None = None
    porcentaje_iva: Decimal | None = None
    iva: Decimal | None = None
    codigo_auxiliar: str | None = None


@dataclass(frozen=True, slots=True)
class NotaCreditoVista:
    id: str
    numero: str | None
    factura_id: str
    numero_factura: str
    estado: str
    fecha_emision: date
    motivo: str
    devolucion_inventario: bool
    lineas: list[LineaNotaCreditoVista]
    subtotal_sin_impuestos: Decimal
    subtotales_por_tarifa: dict[str, Decimal]
    iva: Decimal
    valor_modificacion: Decimal
    clave_acceso: str | None = None  # fixed at emission
    sri: SriVista | None = None


@dataclass(frozen=True, slots=True)
class VentaDiaria:
    """A sucursal's sales on one day. The factura figures count the facturas emitted that
    day that are not annulled (an anulación takes its factura back out of the day it was
    emitted); `costo` is their FIFO cost of goods sold. Notas de crédito count apart, on
    the day they are emitted: their subtotal, IVA and total, and `costo_notas`, the value
    of the goods they returned to stock. The `*_neto` figures are the difference."""

    fecha: date
    sucursal_id: str
    facturas: int
    subtotal: Decimal
    iva: Decimal
    total: Decimal
    costo: Decimal
    notas_credito: int = 0
    subtotal_notas: Decimal = Decimal("0.00")
    iva_notas: Decimal = Decimal("0.00")
    total_notas: Decimal = Decimal("0.00")
    costo_notas: Decimal = Decimal("0.00")
    # The sucursal's code, as printed on its documents (when the read knows it).
    sucursal_codigo: str = ""

    @property
    def subtotal_neto(self) -> Decimal:
        return self.subtotal - self.subtotal_notas

    @property
    def iva_neto(self) -> Decimal:
        return self.iva - self.iva_notas

    @property
    def total_neto(self) -> Decimal:
        return self.total - self.total_notas

    @property
    def costo_neto(self) -> Decimal:
        return self.costo - self.costo_notas


@dataclass(frozen=True, slots=True)
class EventoVista:
    posicion: int
    stream_id: str
    tipo: str
    version: int
    ocurrido_en: datetime
    datos: dict[str, Any]
    version_esquema: int = 1  # the shape `datos` is stored in (see the event's upcasters)
    # Who did it: the metadata's `usuario` (a person, a token's name, or the service's own
    # workers such as the SRI dispatcher); None when the event was stored without it.
    usuario: str | None = None


# -- the catalog, as the outside reads it ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class EmisorVista:
    ruc: str
    razon_social: str
    nombre_comercial: str
    direccion_matriz: str
    obligado_contabilidad: bool
    ambiente: str
    advertencias: tuple[str, ...] = ()
    contribuyente_especial: str | None = None
    agente_retencion: str | None = None
    regimen: str = "GENERAL"

    @classmethod
    def de(cls, emisor: Emisor) -> EmisorVista:
        return cls(**asdict(emisor.datos()), advertencias=emisor.ruc.advertencias)


@dataclass(frozen=True, slots=True)
class SucursalVista:
    id: str
    codigo: str
    nombre: str
    direccion: str
    activo: bool = True

    @classmethod
    def de(cls, sucursal: Sucursal) -> SucursalVista:
        return cls(
            sucursal.id,
            sucursal.codigo,
            sucursal.nombre,
            sucursal.direccion.texto,
            sucursal.activo,
        )


@dataclass(frozen=True, slots=True)
class PuntoEmisionVista:
    id: str
    sucursal_id: str
    codigo: str
    # The first secuencial of each document type ("01", "04"), as the punto was created.
    siguiente_secuencial: dict[str, int] = field(
        default_factory=lambda: {t.value: 1 for t in TipoComprobante}
    )
    activo: bool = True

    @classmethod
    def de(cls, punto: PuntoDeEmision) -> PuntoEmisionVista:
        return cls(
            punto.id,
            punto.sucursal_id,
            punto.codigo,
            {t.value: punto.secuencial_inicial(t) for t in TipoComprobante},
            punto.activo,
        )


@dataclass(frozen=True, slots=True)
class BodegaVista:
    id: str
    sucursal_id: str
    codigo: str
    nombre: str
    activo: bool = True

    @classmethod
    def de(cls, bodega: Bodega) -> BodegaVista:
        return cls(bodega.id, bodega.sucursal_id, bodega.codigo, bodega.nombre, bodega.activo)


@dataclass(frozen=True, slots=True)
class ProductoVista:
    id: str
    codigo: str
    nombre: str
    precio: Decimal
    tarifa_iva: str  # SRI codigoPorcentaje
    stock_minimo: Decimal
    codigos_barra: tuple[str, ...] = ()
    unidad_medida: str | None = None
    activo: bool = True
    # A tarifa announced for a later day: (the day, its codigoPorcentaje).
    tarifa_programada: tuple[date, str] | None = None

    @classmethod
    def de(cls, producto: Producto, hoy: date | None = None) -> ProductoVista:
        """The product as it is `hoy` (a programmed tarifa whose day came is its tarifa);
        as stored without `hoy`."""
        if hoy is not None:
            producto = producto.vigente(hoy)
        return cls(
            producto.id,
            producto.codigo,
            producto.nombre,
            producto.precio.valor,
            producto.tarifa_iva,
            producto.stock_minimo,
            producto.codigos_barra,
            producto.unidad_medida,
            producto.activo,
            producto.tarifa_programada,
        )


@dataclass(frozen=True, slots=True)
class ClienteVista:
    id: str
    tipo_identificacion: str
    identificacion: str
    razon_social: str
    direccion: str | None
    email: str | None
    advertencias: tuple[str, ...] = ()
    telefono: str | None = None

    @classmethod
    def de(cls, cliente: Cliente) -> ClienteVista:
        return cls(
            id=cliente.id,
            tipo_identificacion=cliente.identificacion.tipo.value,
            identificacion=cliente.identificacion.numero,
            razon_social=cliente.razon_social,
            direccion=None if cliente.direccion is None else cliente.direccion.texto,
            email=cliente.email,
            advertencias=cliente.identificacion.advertencias,
            telefono=cliente.telefono,
        )


class ConsultasCatalogo(ABC):
    """The catalog (reference data) read outside any command. Lookups by id raise
    NoEncontrado; lists come in a stable order."""

    @abstractmethod
    def emisor(self) -> EmisorVista:
        """The registered emisor, or NoEncontrado while there is none."""

    @abstractmethod
    def sucursales(self) -> list[SucursalVista]:
        """Every sucursal, by código."""

    @abstractmethod
    def sucursal(self, sucursal_id: str) -> SucursalVista: ...

    @abstractmethod
    def puntos_emision(self, sucursal_id: str) -> list[PuntoEmisionVista]:
        """The puntos de emisión of a sucursal, by código; NoEncontrado for an unknown
        sucursal (never an empty list)."""

    @abstractmethod
    def punto_emision(self, punto_emision_id: str) -> PuntoEmisionVista: ...

    @abstractmethod
    def bodegas(self, sucursal_id: str | None = None) -> list[BodegaVista]:
        """The bodegas (of one sucursal when given; an unknown one has none), by código."""

    @abstractmethod
    def bodega(self, bodega_id: str) -> BodegaVista: ...

    @abstractmethod
    def productos(
        self,
        limite: int = 100,
        desplazamiento: int = 0,
        *,
        codigo: str | None = None,
        buscar: str | None = None,
        activo: bool | None = None,
    ) -> list[ProductoVista]:
        """The productos by código: at most `limite` of them, after skipping the first
        `desplazamiento`. `codigo`: the one with that code or barcode (a scan); `buscar`:
        those with, for every word typed, a word of their name, code or barcodes that
        starts with it (accents and case ignored); `activo`: only those (in)active."""

    @abstractmethod
    def historial(
        self,
        entidad: str,
        entidad_id: str,
        limite: int = 100,
        desplazamiento: int = 0,
        campo: str | None = None,
    ) -> list[CambioCatalogo]:
        """The changes of one catalog entry, oldest first (only those that changed
        `campo`, when given: a product's prices); NoEncontrado for an unknown entry."""

    @abstractmethod
    def producto(self, producto_id: str) -> ProductoVista: ...

    @abstractmethod
    def clientes(
        self, identificacion: str | None = None, limite: int = 100, desplazamiento: int = 0
    ) -> list[ClienteVista]:
        """The clientes (with that identificación, surrounding blanks ignored, when
        given), by razón social, a page of them (as `productos`)."""

    @abstractmethod
    def cliente(self, cliente_id: str) -> ClienteVista: ...


def sin_emisor() -> NoEncontrado:
    """What `ConsultasCatalogo.emisor` raises while no emisor is registered."""
    return NoEncontrado("el emisor", "único")


class ServicioConsultas(ConsultasCatalogo):
    """The only way the outside reads state; served from the read models (and the
    catalog's tables)."""

    @property
    def distribuidas(self) -> bool:
        """Whether the read models lag behind the commands (moved by a separate worker)."""
        return False

    def al_dia(self, proyecciones: Sequence[str]) -> None:
        """Return once these read models have applied every event committed so far (a
        command's answer read right after it); at once where they move inside each
        command's transaction, as here."""

    # Every list comes a page at a time: at most `limite` items (the adapters cap it at
    # 1000) after skipping the first `desplazamiento`, in an order that never ties, so that
    # consecutive pages neither repeat nor skip an item.

    @abstractmethod
    def stock(
        self,
        producto_id: str | None = None,
        bodega_id: str | None = None,
        limite: int = 100,
        desplazamiento: int = 0,
    ) -> list[StockVista]:
        """Stock by producto and bodega."""

    @abstractmethod
    def lotes(
        self,
        producto_id: str | None = None,
        bodega_id: str | None = None,
        limite: int = 100,
        desplazamiento: int = 0,
    ) -> list[LoteVista]:
        """Lots with units left, in FIFO order."""

    @abstractmethod
    def kardex(
        self, producto_id: str, bodega_id: str, limite: int = 100, desplazamiento: int = 0
    ) -> list[MovimientoKardex]:
        """The movements, oldest first."""

    @abstractmethod
    def por_vencer(
        self,
        dias: int,
        bodega_id: str | None = None,
        limite: int = 100,
        desplazamiento: int = 0,
    ) -> list[LotePorVencerVista]:
        """Lots with units left that expire within `dias` days from today (the injected
        clock's), the expired ones included (flagged); the soonest first, then by
        product, bodega and FIFO order."""

    @abstractmethod
    def factura(self, factura_id: str) -> FacturaVista:
        """The factura, or NoEncontrado."""

    def factura_de(self, comprobante: DocumentoRegistrado) -> FacturaVista:
        """The factura a command has just committed, as the read model holds it once it
        has applied that command. This default reads it back; an implementation may build
        it from `comprobante.eventos` when they describe the whole factura (one created
        in that command), which needs no read and does not wait for read models that run
        apart and behind."""
        return self.factura(comprobante.id)

    @abstractmethod
    def facturas(
        self,
        desde: date | None = None,
        hasta: date | None = None,
        estado: str | None = None,
        limite: int = 100,
        desplazamiento: int = 0,
        *,
        punto_emision_id: str | None = None,
    ) -> list[FacturaVista]:
        """By fecha de emisión, then creation; only of a punto de emisión when given (its
        parked drafts: estado BORRADOR)."""

    @abstractmethod
    def buscar_facturas(self, busqueda: BusquedaFacturas, limite: int = 50) -> list[FacturaVista]:
        """The emitted facturas (annulled ones too, never drafts) that `busqueda` finds,
        the most recent first."""

    @abstractmethod
    def nota_credito(self, nota_credito_id: str) -> NotaCreditoVista:
        """The nota de crédito, or NoEncontrado."""

    def nota_credito_de(self, comprobante: DocumentoRegistrado) -> NotaCreditoVista:
        """The nota de crédito a command has just committed; like `factura_de`."""
        return self.nota_credito(comprobante.id)

    @abstractmethod
    def notas_credito(
        self, factura_id: str | None = None, limite: int = 100, desplazamiento: int = 0
    ) -> list[NotaCreditoVista]:
        """The notas de crédito (of one factura, when given), in log order."""

    @abstractmethod
    def ventas_diarias(
        self,
        desde: date | None = None,
        hasta: date | None = None,
        sucursal_id: str | None = None,
    ) -> list[VentaDiaria]: ...

    @abstractmethod
    def comprobantes(
        self,
        estado_sri: str | None = None,
        desde: date | None = None,
        hasta: date | None = None,
        limite: int = 100,
        desplazamiento: int = 0,
    ) -> list[ComprobanteVista]:
        """Emitted facturas and notas de crédito as electronic documents, by emission date."""

    @abstractmethod
    def xml_firmado(self, tipo: str, documento_id: str) -> bytes:
        """The signed comprobante byte for byte; NoEncontrado for no such document, and
        ComprobanteSinFirmar while it is not signed."""

    @abstractmethod
    def autorizacion_sri(self, tipo: str, documento_id: str) -> bytes | None:
        """The SRI's <autorizacion> document of an authorized comprobante, byte for byte
        as stored; None while it is not authorized."""

    @abstractmethod
    def eventos(self, desde: int = 0, limite: int = 100) -> list[EventoVista]:
        """The event log in commit order (positions greater than `desde`)."""

    @abstractmethod
    def eventos_de(self, stream_id: str, limite: int = 1000) -> list[EventoVista]:
        """One stream's events (a document's history), in version order, the first
        `limite` of them."""

    @abstractmethod
    def comprobante_numerado(self, tipo: str, numero: str) -> ComprobanteVista:
        """The emitted document of `tipo` ("01" factura, "04" nota de crédito) with this
        number (001-001-000000001), or NoEncontrado."""
