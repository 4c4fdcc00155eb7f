"""What every projection shares: the event as it is projected, the projection contract,
exact unit conversions and the batched writes that keep a command's cost low."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import Connection, Table, and_, bindparam, update
from sqlalchemy.dialects import mysql, postgresql, sqlite

from prometeo.domain.events.base import EventoDominio

_MICRO = 6
_CENTAVOS = 2


@dataclass(frozen=True, slots=True)
class EventoProyectado:
    """A domain event with its place in the log: the global position (the checkpoint's
    unit) and its stream's id and version."""

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


def a_micro(valor: Decimal) -> int:
    """A quantity as integer micro-units (exact: more than 6 decimals is an error)."""
    return _entero(valor, _MICRO, "La cantidad")


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


def a_json(datos: Any) -> str:
    return json.dumps(datos, ensure_ascii=False, separators=(",", ":"))


# -- batched writes ------------------------------------------------------------------------


def sumar_por_clave(
    conexion: Connection,
    tabla: Table,
    claves: Sequence[str],
    sumandos: Sequence[str],
    filas: Sequence[Mapping[str, Any]],
) -> None:
    """Insert each row, or add its `sumandos` to the row already there (one statement for
    every row: the keys must be distinct within `filas`)."""
    if not filas:
        return
    dialecto = conexion.dialect.name
    if dialecto in ("mysql", "mariadb"):
        insertar_my = mysql.insert(tabla)
        sentencia: Any = insertar_my.on_duplicate_key_update(
            {c: tabla.c[c] + insertar_my.inserted[c] for c in sumandos}
        )
    else:
        modulo: Any = postgresql if dialecto == "postgresql" else sqlite
        insertar = modulo.insert(tabla)
        sentencia = insertar.on_conflict_do_update(
            index_elements=list(claves),
            set_={c: tabla.c[c] + insertar.excluded[c] for c in sumandos},
        )
    conexion.execute(sentencia, list(filas))


def insertar_si_falta(
    conexion: Connection, tabla: Table, claves: Sequence[str], filas: Sequence[Mapping[str, Any]]
) -> None:
    """Insert the rows whose key is not there yet; leave the others as they are."""
    if not filas:
        return
    dialecto = conexion.dialect.name
    if dialecto in ("mysql", "mariadb"):
        sentencia: Any = mysql.insert(tabla).prefix_with("IGNORE")
    else:
        modulo: Any = postgresql if dialecto == "postgresql" else sqlite
        sentencia = modulo.insert(tabla).on_conflict_do_nothing(index_elements=list(claves))
    conexion.execute(sentencia, list(filas))


def actualizar_por_clave(
    conexion: Connection,
    tabla: Table,
    claves: Sequence[str],
    filas: Sequence[Mapping[str, Any]],
    *,
    sumar: Iterable[str] = (),
) -> None:
    """UPDATE every row by its key in one executemany: the columns named in the rows are
    set to the row's value, except those in `sumar`, to which the value is added. Every
    row must name the same columns."""
    if not filas:
        return
    sumar = frozenset(sumar)
    columnas = [c for c in filas[0] if c not in claves]
    valores: dict[str, Any] = {
        c: (tabla.c[c] + bindparam(f"v_{c}")) if c in sumar else bindparam(f"v_{c}")
        for c in columnas
    }
    sentencia = (
        update(tabla)
        .where(and_(*(tabla.c[k] == bindparam(f"k_{k}") for k in claves)))
        .values(valores)
    )
    parametros = [
        {**{f"k_{k}": fila[k] for k in claves}, **{f"v_{c}": fila[c] for c in columnas}}
        for fila in filas
    ]
    conexion.execute(sentencia, parametros)
