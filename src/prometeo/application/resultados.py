"""What a use case answers: the ids and numbers a client needs to go on."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from prometeo.domain.aggregates.factura import Factura
from prometeo.domain.errores import ReglaIncumplida
from prometeo.domain.events.base import EventoDominio
from prometeo.domain.events.nota_credito import LineaNotaCredito
from prometeo.domain.services.totales import Totales


@dataclass(frozen=True, slots=True)
class Registrado:
    """A catalog entry was created; `advertencias` carries non-blocking warnings (e.g. a
    company RUC whose check digit fails, which the SRI nevertheless issued)."""

    id: str
    advertencias: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DocumentoRegistrado:
    """A factura or nota de crédito: its id and its number (None while in BORRADOR), and
    the events the command recorded on it, committed with it: enough, for a document the
    command created, to answer with it without reading it back (`ServicioConsultas.
    factura_de`)."""

    id: str
    numero: str | None
    eventos: tuple[EventoDominio, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class IngresoRegistrado:
    """The lot a purchase created."""

    lote_id: str


@dataclass(frozen=True, slots=True)
class TransferenciaRealizada:
    """A transfer between bodegas: its id (the document of both movements), the units
    moved and their cost, which the destination keeps."""

    transferencia_id: str
    cantidad: Decimal
    costo: Decimal


@dataclass(frozen=True, slots=True)
class AjusteRegistrado:
    """One product of a count: what was counted, the stock it was compared with, and the
    difference posted (none when zero) with the value that left or entered."""

    producto_id: str
    producto_codigo: str
    producto_nombre: str
    contada: Decimal
    esperada: Decimal
    diferencia: Decimal
    costo: Decimal


@dataclass(frozen=True, slots=True)
class ConteoRegistrado:
    """A physical count, its id (the document of its adjustments) and each product's."""

    conteo_id: str
    ajustes: tuple[AjusteRegistrado, ...]


@dataclass(frozen=True, slots=True)
class BajaRegistrada:
    """An expired lot written off: its id, the units and the value that left."""

    baja_id: str
    lote_id: str
    cantidad: Decimal
    costo: Decimal


@dataclass(frozen=True, slots=True)
class Previsualizacion:
    """A factura as it would be if it were created now, never stored: the events that
    would create it (enough to build its view) and every rule that would stop its
    emission today (none: it would be emitted)."""

    documento: DocumentoRegistrado
    errores: tuple[ReglaIncumplida, ...]


@dataclass(frozen=True, slots=True)
class BorradorRevisado:
    """A stored factura as its own events say it is now (not a read model that may run
    behind), with its version and totals and, while a draft, every rule that would stop
    its emission today: what the till shows after each change."""

    factura: Factura
    totales: Totales
    errores: tuple[ReglaIncumplida, ...]

    @property
    def version(self) -> int:
        return self.factura.version


@dataclass(frozen=True, slots=True)
class NotaPrevista:
    """What a nota de crédito would credit if it were emitted now: its lines (each with
    its base and its share of the factura line's IVA) and its totals. Nothing recorded."""

    lineas: tuple[LineaNotaCredito, ...]
    subtotal_sin_impuestos: Decimal
    iva: Decimal
    valor_modificacion: Decimal
