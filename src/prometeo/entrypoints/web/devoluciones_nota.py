"""A nota de crédito as the returns screen shows it: before emitting, what it would
credit (the application's dry run, the domain's own amounts); after, its number, its
state in the SRI, what it credited and where its RIDE opens."""

from __future__ import annotations

from dataclasses import dataclass

from prometeo.application.consultas import LineaNotaCreditoVista, SriVista
from prometeo.application.resultados import NotaPrevista
from prometeo.bootstrap import Servicios
from prometeo.domain.events.nota_credito import LineaNotaCredito
from prometeo.entrypoints.web.formato import cantidad, dinero, fecha


def estado_sri(sri: SriVista | None) -> str:
    """A document's state in the SRI as the screens show it ("—" before it has one)."""
    return sri.estado if sri is not None else "—"


@dataclass(frozen=True, slots=True)
class LineaNota:
    codigo: str
    descripcion: str
    cantidad: str  # "—" for a value-only credit
    valor: str
    iva: str


@dataclass(frozen=True, slots=True)
class NotaEmitida:
    id: str
    numero: str
    factura_id: str
    numero_factura: str
    fecha: str
    motivo: str
    devolucion: bool
    estado_sri: str
    lineas: tuple[LineaNota, ...]
    subtotal: str
    iva: str
    total: str
    ride: str


@dataclass(frozen=True, slots=True)
class Prevista:
    """What the nota would credit, or why it would be refused (`avisos`)."""

    lineas: tuple[LineaNota, ...] = ()
    subtotal: str = ""
    iva: str = ""
    total: str = ""
    avisos: tuple[str, ...] = ()


def prevista_de(nota: NotaPrevista) -> Prevista:
    return Prevista(
        lineas=tuple(_linea(ln) for ln in nota.lineas),
        subtotal=dinero(nota.subtotal_sin_impuestos),
        iva=dinero(nota.iva),
        total=dinero(nota.valor_modificacion),
    )


def _linea(ln: LineaNotaCreditoVista | LineaNotaCredito) -> LineaNota:
    return LineaNota(
        codigo=ln.codigo or ln.producto_id,
        descripcion=ln.descripcion or "",
        cantidad=cantidad(ln.cantidad) if ln.cantidad else "—",
        valor=dinero(ln.valor),
        iva=dinero(ln.iva) if ln.iva is not None else "—",
    )


def nota_emitida(servicios: Servicios, nota_id: str) -> NotaEmitida:
    """The nota (NoEncontrado for no such nota). Blocking."""
    vista = servicios.consultas.nota_credito(nota_id)
    return NotaEmitida(
        id=vista.id,
        numero=vista.numero or "—",
        factura_id=vista.factura_id,
        numero_factura=vista.numero_factura,
        fecha=fecha(vista.fecha_emision),
        motivo=vista.motivo,
        devolucion=vista.devolucion_inventario,
        estado_sri=estado_sri(vista.sri),
        lineas=tuple(_linea(ln) for ln in vista.lineas),
        subtotal=dinero(vista.subtotal_sin_impuestos),
        iva=dinero(vista.iva),
        total=dinero(vista.valor_modificacion),
        ride=f"/devoluciones/ride/nota/{vista.id}",
    )
