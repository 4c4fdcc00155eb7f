"""What the sale screen shows of a sale, ready for the template: a draft's lines and
totals in es-EC, the rules that would stop its emission, and once emitted its number and
SRI state. Built from `revisar_borrador` (the draft's own events), never from a read
model that may run behind, so what the cajero sees is what would be emitted."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from prometeo.application.resultados import BorradorRevisado
from prometeo.domain.aggregates.factura import EstadoFactura
from prometeo.domain.errores import ValorInvalido
from prometeo.domain.value_objects.comprador import TIPO_CONSUMIDOR_FINAL
from prometeo.domain.value_objects.forma_pago import FormaPago
from prometeo.domain.value_objects.identificacion import Cedula, Ruc
from prometeo.entrypoints.web import formato
from prometeo.entrypoints.web.avisos import Aviso

# SRI's formas de pago as a cajero names them (the codes stay what the XML carries).
FORMAS_PAGO = (
    (FormaPago.SIN_SISTEMA_FINANCIERO.value, "Efectivo (sin sistema financiero)"),
    (FormaPago.TARJETA_DEBITO.value, "Tarjeta de débito"),
    (FormaPago.TARJETA_CREDITO.value, "Tarjeta de crédito"),
    (FormaPago.DINERO_ELECTRONICO.value, "Dinero electrónico"),
    (FormaPago.TARJETA_PREPAGO.value, "Tarjeta prepago"),
    (FormaPago.OTROS_CON_SISTEMA_FINANCIERO.value, "Transferencia u otro con sistema financiero"),
    (FormaPago.COMPENSACION_DEUDAS.value, "Compensación de deudas"),
    (FormaPago.ENDOSO_TITULOS.value, "Endoso de títulos"),
)
NOMBRE_FORMA = dict(FORMAS_PAGO)
# The SRI's states a document may still leave (the screen asks again while in one).
ESTADOS_EN_CAMINO = frozenset({"PENDIENTE", "FIRMADO", "RECIBIDA", "EN PROCESO"})


@dataclass(frozen=True, slots=True)
class LineaCaja:
    numero: int
    codigo: str
    descripcion: str
    cantidad: str
    cantidad_entrada: str
    precio: str
    descuento: str
    descuento_entrada: str
    subtotal: str
    tarifa: str


@dataclass(frozen=True, slots=True)
class Venta:
    """A sale on the screen: `id` None for a new one nobody scanned into yet."""

    id: str | None = None
    version: int = 0
    estado: str = EstadoFactura.BORRADOR.value
    numero: str | None = None
    lineas: tuple[LineaCaja, ...] = ()
    cliente: str = "Consumidor final"
    identificacion: str = ""
    subtotal: str = formato.dinero(0)
    descuento: str = formato.dinero(0)
    iva: str = formato.dinero(0)
    total: str = formato.dinero(0)
    total_entrada: str = formato.dinero_entrada(0)
    pagos: tuple[str, ...] = ()
    descuento_global: str | None = None
    impedimentos: tuple[Aviso, ...] = ()
    avisos: tuple[Aviso, ...] = ()
    recibido: str | None = None
    cambio: str | None = None
    # A fresh idempotency key for emitting this state of the sale: a double Ctrl+Enter or
    # a retry sends the same key and makes one factura.
    clave_emision: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def emitida(self) -> bool:
        return self.estado == EstadoFactura.EMITIDA.value

    @property
    def vacia(self) -> bool:
        return not self.lineas


def venta_de(
    revision: BorradorRevisado,
    clave_emision: str,
    avisos: tuple[Aviso, ...] = (),
    recibido: Decimal | None = None,
) -> Venta:
    factura, totales = revision.factura, revision.totales
    por_linea = {t.numero_linea: t for t in totales.lineas}
    lineas = tuple(
        LineaCaja(
            numero=ln.numero_linea,
            codigo=ln.codigo,
            descripcion=ln.descripcion,
            cantidad=formato.cantidad(ln.cantidad),
            cantidad_entrada=formato.cantidad_entrada(ln.cantidad),
            precio=formato.precio(ln.precio_unitario),
            descuento=formato.dinero(ln.descuento) if ln.descuento else "",
            descuento_entrada=formato.dinero_entrada(ln.descuento),
            subtotal=formato.dinero(por_linea[ln.numero_linea].subtotal),
            tarifa=_tarifa(por_linea[ln.numero_linea].porcentaje_iva),
        )
        for ln in factura.lineas
    )
    comprador = factura.comprador
    final = comprador.tipo_identificacion == TIPO_CONSUMIDOR_FINAL
    global_ = factura.descuento_global
    descuento_global = None
    if global_ is not None and global_.valor:
        descuento_global = (
            f"{formato.cantidad(global_.valor)} %"
            if global_.tipo == "PORCENTAJE"
            else formato.dinero(global_.valor)
        )
    cambio = None
    if recibido is not None:
        cambio = formato.dinero(max(recibido - totales.importe_total, Decimal(0)))
    return Venta(
        id=factura.id,
        version=revision.version,
        estado=factura.estado.value,
        numero=factura.numero,
        lineas=lineas,
        cliente="Consumidor final" if final else comprador.razon_social,
        identificacion="" if final else comprador.identificacion,
        subtotal=formato.dinero(totales.subtotal_sin_impuestos),
        descuento=formato.dinero(totales.total_descuento),
        iva=formato.dinero(totales.iva),
        total=formato.dinero(totales.importe_total),
        total_entrada=formato.dinero_entrada(totales.importe_total),
        pagos=tuple(
            f"{NOMBRE_FORMA.get(p.forma_pago, p.forma_pago)}: {formato.dinero(p.total)}"
            for p in factura.pagos
        ),
        descuento_global=descuento_global,
        impedimentos=tuple(Aviso(e.regla, e.mensaje) for e in revision.errores),
        avisos=avisos,
        recibido=None if recibido is None else formato.dinero(recibido),
        cambio=cambio,
        clave_emision=clave_emision,
    )


def _tarifa(porcentaje: Decimal) -> str:
    return f"IVA {formato.cantidad(porcentaje)} %"


@dataclass(frozen=True, slots=True)
class RevisionIdentificacion:
    """What the cajero typed as the buyer's identification, checked as typed."""

    valida: bool
    mensaje: str
    tipo: str | None = None  # SRI code: 05 cédula, 04 RUC


def revisar_identificacion(texto: str) -> RevisionIdentificacion:
    """A cédula (10 digits) or RUC (13) checked with its check digit; empty is the
    consumidor final. Other identifications (pasaporte, exterior) are registered from
    the catalog, not typed at the till."""
    numero = texto.strip()
    if not numero:
        return RevisionIdentificacion(True, "Consumidor final")
    if not numero.isdigit():
        return RevisionIdentificacion(
            False, "Escriba solo los dígitos de la cédula (10) o del RUC (13)."
        )
    try:
        if len(numero) == 10:
            Cedula(numero)
            return RevisionIdentificacion(True, "Cédula válida", "05")
        if len(numero) == 13:
            ruc = Ruc(numero)
            aviso = f" ({'; '.join(ruc.advertencias)})" if ruc.advertencias else ""
            return RevisionIdentificacion(True, f"RUC válido{aviso}", "04")
    except ValorInvalido as error:
        return RevisionIdentificacion(False, error.errores[0].mensaje)
    return RevisionIdentificacion(
        False,
        f"Lleva {len(numero)} dígitos: una cédula tiene 10 y un RUC 13.",
    )
