"""The lots of each producto × bodega, in the order FIFO will consume them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, bindparam, select, tuple_

from prometeo.domain.events.inventario import (
    ConsumoLote,
    LoteDadoDeBaja,
    LoteIngresado,
    StockAjustado,
    StockIncrementado,
    StockReducido,
)
from prometeo.infrastructure.proyecciones.base import (
    EventoProyectado,
    Proyeccion,
    a_centavos,
    a_micro,
    texto,
)
from prometeo.infrastructure.proyecciones.escritura import actualizar_por_clave, insertar
from prometeo.infrastructure.proyecciones.tablas import vista_lotes

Clave = tuple[str, str, str]
_CLAVE = ("producto_id", "bodega_id", "lote_id")
# Room for the lots of one event between two positions in the `orden` column.
_POR_EVENTO = 10**6
_POR_CONSULTA = 500


@dataclass
class _Lote:
    # Lots whose whole row is in memory: created in this batch, or loaded because an
    # anulación needs to know whether they were emptied.
    filas: dict[Clave, dict[str, Any]] = field(default_factory=dict)
    nuevos: set[Clave] = field(default_factory=set)
    # Net change of stored lots not in memory (units, cents): one arithmetic UPDATE.
    movidos: dict[Clave, list[int]] = field(default_factory=dict)


class ProyeccionLotes(Proyeccion):
    """Every lot a bodega received (a purchase, a transfer in, goods returned by a nota de
    crédito, a count's surplus) with what is left of it and its value, in the order FIFO
    will consume them (a count's shortage and a baja take from lots as a sale does):
    a new lot joins the end of the queue; a lot that was emptied and gets units back from
    an anulación returns to the head, as the Inventario aggregate puts it (later
    anulaciones ahead of earlier ones). Emptied lots stay in the table, with nothing left."""

    nombre = "lotes"
    tablas = (vista_lotes,)
    tipos = frozenset(
        {LoteIngresado, StockReducido, StockIncrementado, StockAjustado, LoteDadoDeBaja}
    )

    def aplicar(self, conexion: Connection, eventos: Sequence[EventoProyectado]) -> None:
        lote = _Lote()
        if any(_es_anulacion(e) for e in eventos):
            # Only an anulación needs a stored lot's state; a sale just subtracts.
            lote.filas.update(_cargar(conexion, _claves_movidas(eventos)))
        for proyectado in eventos:
            evento = proyectado.evento
            assert isinstance(
                evento,
                LoteIngresado | StockReducido | StockIncrementado | StockAjustado | LoteDadoDeBaja,
            )
            producto, bodega = evento.producto_id, evento.bodega_id
            if isinstance(evento, LoteIngresado):
                nuevo = ConsumoLote(
                    evento.lote_id,
                    evento.cantidad,
                    evento.costo_unitario,
                    evento.valor,
                    evento.fecha_caducidad,
                )
                _crear(lote, producto, bodega, nuevo, evento.fecha, proyectado.posicion)
            elif isinstance(evento, StockReducido):
                for consumo in evento.consumos:
                    _mover(lote, (producto, bodega, consumo.lote_id), consumo, -1)
            elif isinstance(evento, LoteDadoDeBaja):
                _mover(lote, (producto, bodega, evento.lote.lote_id), evento.lote, -1)
            elif isinstance(evento, StockAjustado) and evento.sentido == "FALTANTE":
                for consumo in evento.lotes:
                    _mover(lote, (producto, bodega, consumo.lote_id), consumo, -1)
            elif isinstance(evento, StockIncrementado) and evento.motivo == "ANULACION":
                _restaurar(lote, proyectado.posicion, evento)
            else:
                for renglon, nuevo in enumerate(evento.lotes):
                    _crear(
                        lote, producto, bodega, nuevo, evento.fecha, proyectado.posicion, renglon
                    )
        _escribir(conexion, lote)


def _es_anulacion(proyectado: EventoProyectado) -> bool:
    evento = proyectado.evento
    return isinstance(evento, StockIncrementado) and evento.motivo == "ANULACION"


def _claves_movidas(eventos: Iterable[EventoProyectado]) -> set[Clave]:
    claves: set[Clave] = set()
    for proyectado in eventos:
        evento = proyectado.evento
        if isinstance(evento, StockReducido):
            lotes = evento.consumos
        elif _devuelve_o_saca(evento):
            assert isinstance(evento, StockIncrementado | StockAjustado)
            lotes = evento.lotes
        elif isinstance(evento, LoteDadoDeBaja):
            lotes = (evento.lote,)
        else:
            continue
        claves.update((evento.producto_id, evento.bodega_id, c.lote_id) for c in lotes)
    return claves


def _devuelve_o_saca(evento: object) -> bool:
    """An anulación (gives back to existing lots) or a count's shortage (takes from them)."""
    return (isinstance(evento, StockIncrementado) and evento.motivo == "ANULACION") or (
        isinstance(evento, StockAjustado) and evento.sentido == "FALTANTE"
    )


_CARGAR = select(vista_lotes).where(
    tuple_(*(vista_lotes.c[c] for c in _CLAVE)).in_(bindparam("claves", expanding=True))
)


def _cargar(conexion: Connection, claves: set[Clave]) -> dict[Clave, dict[str, Any]]:
    ordenadas = sorted(claves)
    cargadas = {}
    for inicio in range(0, len(ordenadas), _POR_CONSULTA):
        parte = ordenadas[inicio : inicio + _POR_CONSULTA]
        for fila in conexion.execute(_CARGAR, {"claves": parte}):
            cargadas[(fila.producto_id, fila.bodega_id, fila.lote_id)] = dict(fila._mapping)
    return cargadas


def _crear(
    lote: _Lote,
    producto: str,
    bodega: str,
    nuevo: ConsumoLote,
    fecha: date,
    posicion: int,
    renglon: int = 0,
) -> None:
    clave = (producto, bodega, nuevo.lote_id)
    lote.nuevos.add(clave)
    lote.filas[clave] = {
        "producto_id": producto,
        "bodega_id": bodega,
        "lote_id": nuevo.lote_id,
        "orden": posicion * _POR_EVENTO + renglon,
        "fecha_ingreso": fecha,
        "fecha_caducidad": nuevo.fecha_caducidad,
        "cantidad_inicial": a_micro(nuevo.cantidad),
        "cantidad_disponible": a_micro(nuevo.cantidad),
        "costo_unitario": texto(nuevo.costo_unitario),
        "valor_disponible": a_centavos(nuevo.costo),
    }


def _mover(lote: _Lote, clave: Clave, consumo: ConsumoLote, signo: int) -> None:
    cantidad, valor = signo * a_micro(consumo.cantidad), signo * a_centavos(consumo.costo)
    fila = lote.filas.get(clave)
    if fila is not None:
        fila["cantidad_disponible"] += cantidad
        fila["valor_disponible"] += valor
        return
    cambio = lote.movidos.setdefault(clave, [0, 0])
    cambio[0] += cantidad
    cambio[1] += valor


def _restaurar(lote: _Lote, posicion: int, evento: StockIncrementado) -> None:
    """An anulación gives units back to the lots they left; a lot it finds emptied goes
    back to the head of the queue, in the order the anulación names them."""
    for i, consumo in enumerate(evento.lotes):
        fila = lote.filas.get((evento.producto_id, evento.bodega_id, consumo.lote_id))
        if fila is None:  # a lot that was never projected: nothing to give back to
            continue
        if fila["cantidad_disponible"] <= 0 and fila["valor_disponible"] == 0:
            fila["orden"] = -posicion * _POR_EVENTO + i
        fila["cantidad_disponible"] += a_micro(consumo.cantidad)
        fila["valor_disponible"] += a_centavos(consumo.costo)


def _escribir(conexion: Connection, lote: _Lote) -> None:
    nuevos = [lote.filas[c] for c in lote.filas if c in lote.nuevos]
    insertar(conexion, vista_lotes, nuevos)
    actualizar_por_clave(
        conexion,
        vista_lotes,
        _CLAVE,
        [
            {k: fila[k] for k in (*_CLAVE, "orden", "cantidad_disponible", "valor_disponible")}
            for clave, fila in lote.filas.items()
            if clave not in lote.nuevos
        ],
    )
    actualizar_por_clave(
        conexion,
        vista_lotes,
        _CLAVE,
        [
            {
                "producto_id": p,
                "bodega_id": b,
                "lote_id": lote_id,
                "cantidad_disponible": cantidad,
                "valor_disponible": valor,
            }
            for (p, b, lote_id), (cantidad, valor) in lote.movidos.items()
        ],
        sumar=("cantidad_disponible", "valor_disponible"),
    )
