"""Daily sales per sucursal: facturas, their IVA and cost of goods sold, and notas de
crédito apart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection

from prometeo.domain.events.factura import FacturaAnulada, FacturaCreada, FacturaEmitida
from prometeo.domain.events.nota_credito import NotaCreditoCreada, NotaCreditoEmitida
from prometeo.domain.value_objects.dinero import Cantidad, Precio
from prometeo.infrastructure.proyecciones.base import EventoProyectado, Proyeccion, a_centavos
from prometeo.infrastructure.proyecciones.documentos_lote import DocumentosDelLote
from prometeo.infrastructure.proyecciones.escritura import sumar_por_clave
from prometeo.infrastructure.proyecciones.tablas import (
    vista_ventas_diarias,
    vista_ventas_documentos,
)

Fila = dict[str, Any]
# Columns of vista_ventas_diarias a document adds to (or takes from) its day.
_FACTURAS = ("facturas", "subtotal", "iva", "total", "costo")
_NOTAS = ("notas_credito", "subtotal_notas", "iva_notas", "total_notas", "costo_notas")
_SUMANDOS = _FACTURAS + _NOTAS


@dataclass
class _Lote:
    documentos: DocumentosDelLote = field(
        default_factory=lambda: DocumentosDelLote(vista_ventas_documentos)
    )
    dias: dict[tuple[date, str], dict[str, int]] = field(default_factory=dict)

    def sumar(
        self, fecha: date, sucursal: str, columnas: Sequence[str], valores: list[int]
    ) -> None:
        dia = self.dias.setdefault((fecha, sucursal), dict.fromkeys(_SUMANDOS, 0))
        for columna, valor in zip(columnas, valores, strict=True):
            dia[columna] += valor


class ProyeccionVentasDiarias(Proyeccion):
    """What each sucursal sold each day (by the documents' fecha de emisión): how many
    facturas, their subtotal, IVA, total and FIFO cost of goods sold. An anulación takes
    its factura back out of the day it was emitted. Notas de crédito are counted apart,
    on the day they are emitted: their subtotal, IVA and total, and as cost the value of
    the goods that came back to stock (devolución; none without it). The net sale of a
    day is the facturas' figures minus the notas' ones."""

    nombre = "ventas_diarias"
    tablas = (vista_ventas_diarias, vista_ventas_documentos)
    tipos = frozenset(
        {FacturaCreada, FacturaEmitida, FacturaAnulada, NotaCreditoCreada, NotaCreditoEmitida}
    )

    def aplicar(self, conexion: Connection, eventos: Sequence[EventoProyectado]) -> None:
        lote = _Lote()
        creados = {
            e.evento.factura_id if isinstance(e.evento, FacturaCreada) else e.evento.nota_credito_id
            for e in eventos
            if isinstance(e.evento, FacturaCreada | NotaCreditoCreada)
        }
        lote.documentos.cargar(conexion, {_documento(e) for e in eventos} - creados)
        for proyectado in eventos:
            _aplicar(lote, proyectado)
        _escribir(conexion, lote)


def _documento(proyectado: EventoProyectado) -> str:
    evento = proyectado.evento
    if isinstance(evento, FacturaEmitida | FacturaAnulada):
        return evento.factura_id
    if isinstance(evento, NotaCreditoEmitida):
        return evento.nota_credito_id
    return ""


def _aplicar(lote: _Lote, proyectado: EventoProyectado) -> None:
    evento = proyectado.evento
    if isinstance(evento, FacturaCreada):
        _crear(lote, evento.factura_id, "FACTURA", evento.sucursal_id, evento.fecha_emision, 0)
        return
    if isinstance(evento, NotaCreditoCreada):
        costo = (
            sum(
                a_centavos(Precio(ln.costo_unitario).por(Cantidad(ln.cantidad)).monto)
                for ln in evento.lineas
                if ln.cantidad > 0
            )
            if evento.devolucion_inventario
            else 0
        )
        _crear(
            lote,
            evento.nota_credito_id,
            "NOTA_CREDITO",
            evento.sucursal_id,
            evento.fecha_emision,
            costo,
        )
        return
    documento = lote.documentos.filas.get(_documento(proyectado))
    if documento is None:  # its creation was never projected: nothing to add up
        return
    if isinstance(evento, FacturaEmitida):
        documento.update(
            estado="EMITIDA",
            fecha=evento.fecha_emision,
            subtotal=a_centavos(evento.subtotal_sin_impuestos),
            iva=a_centavos(evento.iva),
            total=a_centavos(evento.importe_total),
            costo=a_centavos(evento.costo_total),
        )
        lote.sumar(documento["fecha"], documento["sucursal_id"], _FACTURAS, _importes(documento, 1))
        lote.documentos.cambiar(documento["documento_id"])
    elif isinstance(evento, FacturaAnulada) and documento["estado"] == "EMITIDA":
        documento["estado"] = "ANULADA"
        lote.sumar(
            documento["fecha"], documento["sucursal_id"], _FACTURAS, _importes(documento, -1)
        )
        lote.documentos.cambiar(documento["documento_id"])
    elif isinstance(evento, NotaCreditoEmitida):
        importes = [
            1,
            a_centavos(evento.subtotal_sin_impuestos),
            a_centavos(evento.iva),
            a_centavos(evento.valor_modificacion),
            documento["costo"],
        ]
        lote.sumar(evento.fecha_emision, documento["sucursal_id"], _NOTAS, importes)
        # A nota is never annulled: once counted, nothing needs to remember it.
        lote.documentos.borrar(evento.nota_credito_id)


def _crear(lote: _Lote, id: str, tipo: str, sucursal: str, fecha: date, costo: int) -> None:
    lote.documentos.crear(
        {
            "documento_id": id,
            "tipo": tipo,
            "estado": "BORRADOR",
            "sucursal_id": sucursal,
            "fecha": fecha,
            "subtotal": 0,
            "iva": 0,
            "total": 0,
            "costo": costo,
        }
    )


def _importes(documento: Fila, signo: int) -> list[int]:
    return [signo] + [signo * documento[c] for c in ("subtotal", "iva", "total", "costo")]


def _escribir(conexion: Connection, lote: _Lote) -> None:
    lote.documentos.escribir(conexion)
    sumar_por_clave(
        conexion,
        vista_ventas_diarias,
        ("fecha", "sucursal_id"),
        _SUMANDOS,
        [{"fecha": f, "sucursal_id": s, **sumas} for (f, s), sumas in lote.dias.items()],
    )
