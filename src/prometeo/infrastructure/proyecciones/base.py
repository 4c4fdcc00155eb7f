"""What every projection shares: the event as it is projected, the projection contract,
exact unit conversions and the batched writes that keep a command's cost low."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from decimal import Decimal
from typing import ClassVar, NamedTuple

from sqlalchemy import (
    Connection,
    Table,
)

from prometeo.domain.events.base import EventoDominio

# Read models keep some lists as JSON text, written like the events (one encoder, built once).
from prometeo.infrastructure.serializacion.conversores import a_json as a_json
from prometeo.infrastructure.sql.sentencias import recordando

_MICRO = 6
_CENTAVOS = 2


class EventoProyectado(NamedTuple):
    """A domain event with its place in the log: the global position (the checkpoint's
    unit) and its stream's id and version (a tuple: a rebuild makes one per event)."""

    posicion: int
    stream_id: str
    version: int
    evento: EventoDominio


class Proyeccion(ABC):
    """A read model kept from the event log. `aplicar` receives, in log order, only events
    of `tipos` it has never applied (the Proyector keeps its checkpoint), all in one
    transaction; it must write in batches and yield the same rows whether the events come
    one command at a time or thousands at once in a rebuild."""

    nombre: ClassVar[str]
    tablas: ClassVar[tuple[Table, ...]]
    tipos: ClassVar[frozenset[type[EventoDominio]]]

    @abstractmethod
    def aplicar(self, conexion: Connection, eventos: Sequence[EventoProyectado]) -> None: ...


# -- exact units ---------------------------------------------------------------------------


def _entero(valor: Decimal, decimales: int, que: str) -> int:
    escalado = valor.scaleb(decimales)
    entero = escalado.to_integral_value()
    if entero != escalado:
        raise ValueError(f"{que} {valor} tiene más de {decimales} decimales")
    return int(entero)


# The same few quantities, amounts and dates recur event after event (a line's 3 units, a
# lot's cost, the day's date): their conversions are remembered, keyed by value. Only
# successful conversions are kept, at most _RECORDADOS per conversion.


@recordando
def a_micro(valor: Decimal) -> int:
    """A quantity as integer micro-units (exact: more than 6 decimals is an error).
    3 and 3.00 are equal, hash alike and convert alike."""
    return _entero(valor, _MICRO, "La cantidad")


@recordando
def a_centavos(valor: Decimal) -> int:
    """An amount as integer cents (exact: more than 2 decimals is an error)."""
    return _entero(valor, _CENTAVOS, "El monto")


def de_micro(valor: int) -> Decimal:
    """Micro-units back to a quantity, without trailing zeros ("2.5", "10")."""
    cantidad = Decimal(valor).scaleb(-_MICRO).normalize()
    exponente = cantidad.as_tuple().exponent
    if isinstance(exponente, int) and exponente > 0:
        cantidad = cantidad.quantize(Decimal(1))
    return cantidad


def de_centavos(valor: int) -> Decimal:
    """Cents back to an amount with exactly 2 decimals."""
    return Decimal(valor).scaleb(-_CENTAVOS)


def texto(valor: Decimal) -> str:
    """A document figure as stored text: every digit as the event carries it."""
    return str(valor)
