"""One factura as the returns screen shows it: per line, what was sold, what earlier notas
de crédito already credited and what can still be credited; the factura's base, IVA and
total against all its notas together; and the notas themselves.

Invariants:
- Units and value credited per line are the read model's own (`cantidad_acreditada`,
  `valor_acreditado`, kept from every CreditoAplicado); what remains is sold minus that,
  never below zero.
- The base, IVA and total credited are the sums of the factura's notas (the domain caps
  them at the factura's: LineasValidasContraFactura), so "queda" is what a next nota may
  still take at most.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from prometeo.application.consultas import FacturaVista, LineaFacturaVista, NotaCreditoVista
from prometeo.bootstrap import Servicios
from prometeo.entrypoints.web.devoluciones_nota import estado_sri
from prometeo.entrypoints.web.formato import cantidad, dinero, fecha

# Every nota of one factura fits one read: a factura rarely has more than a few.
MAXIMO_NOTAS = 500


@dataclass(frozen=True, slots=True)
class LineaDevolucion:
    """A factura line with what can still be credited on it (figures formatted)."""

    numero: int
    producto_id: str
    codigo: str
    descripcion: str
    vendida: str
    acreditada: str
    queda: str
    valor_vendido: str
    valor_acreditado: str
    valor_queda: str
    agotada: bool  # nothing left to credit: its inputs are disabled


@dataclass(frozen=True, slots=True)
class FilaResumen:
    """Base, IVA or total: the factura's, credited by its notas, and what remains."""

    concepto: str
    factura: str
    acreditado: str
    queda: str


@dataclass(frozen=True, slots=True)
class NotaDeFactura:
    id: str
    numero: str
    fecha: str
    motivo: str
    total: str
    estado_sri: str


@dataclass(frozen=True, slots=True)
class DetalleFactura:
    id: str
    numero: str
    fecha: str
    cliente: str
    identificacion: str
    estado: str
    anulada: bool
    estado_sri: str
    lineas: tuple[LineaDevolucion, ...]
    resumen: tuple[FilaResumen, ...]
    notas: tuple[NotaDeFactura, ...]
    agotada: bool  # every line fully credited

    def linea(self, numero: int) -> LineaDevolucion | None:
        return next((ln for ln in self.lineas if ln.numero == numero), None)


def _linea(ln: LineaFacturaVista) -> LineaDevolucion:
    queda = max(ln.cantidad - ln.cantidad_acreditada, Decimal(0))
    valor_queda = max(ln.base_imponible - ln.valor_acreditado, Decimal("0.00"))
    return LineaDevolucion(
        numero=ln.numero_linea,
        producto_id=ln.producto_id,
        codigo=ln.codigo,
        descripcion=ln.descripcion,
        vendida=cantidad(ln.cantidad),
        acreditada=cantidad(ln.cantidad_acreditada),
        queda=cantidad(queda),
        valor_vendido=dinero(ln.base_imponible),
        valor_acreditado=dinero(ln.valor_acreditado),
        valor_queda=dinero(valor_queda),
        agotada=queda == 0 and valor_queda == 0,
    )


def _resumen(vista: FacturaVista, notas: list[NotaCreditoVista]) -> tuple[FilaResumen, ...]:
    t = vista.totales
    filas = []
    for concepto, de_factura, acreditado in (
        ("Base imponible", t.subtotal_sin_impuestos, sum(n.subtotal_sin_impuestos for n in notas)),
        ("IVA", t.iva, sum(n.iva for n in notas)),
        ("Total", t.importe_total, sum(n.valor_modificacion for n in notas)),
    ):
        queda = max(de_factura - acreditado, Decimal("0.00"))
        filas.append(FilaResumen(concepto, dinero(de_factura), dinero(acreditado), dinero(queda)))
    return tuple(filas)


def _nota(nota: NotaCreditoVista) -> NotaDeFactura:
    return NotaDeFactura(
        id=nota.id,
        numero=nota.numero or "—",
        fecha=fecha(nota.fecha_emision),
        motivo=nota.motivo,
        total=dinero(nota.valor_modificacion),
        estado_sri=estado_sri(nota.sri),
    )


def detalle_factura(servicios: Servicios, factura_id: str) -> DetalleFactura:
    """The factura with its notas (NoEncontrado for no such factura). Blocking."""
    vista = servicios.consultas.factura(factura_id)
    notas = servicios.consultas.notas_credito(factura_id, MAXIMO_NOTAS, 0)
    lineas = tuple(_linea(ln) for ln in vista.lineas)
    return DetalleFactura(
        id=vista.id,
        numero=vista.numero or "—",
        fecha=fecha(vista.fecha_emision),
        cliente=vista.cliente.razon_social,
        identificacion=vista.cliente.identificacion,
        estado=vista.estado,
        anulada=vista.estado == "ANULADA",
        estado_sri=estado_sri(vista.sri),
        lineas=lineas,
        resumen=_resumen(vista, notas),
        notas=tuple(_nota(n) for n in notas),
        agotada=all(ln.agotada for ln in lineas),
    )
