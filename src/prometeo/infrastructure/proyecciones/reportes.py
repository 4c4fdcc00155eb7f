"""The reports' read model: each sales document (factura, nota de crédito) with its tarifa
groups and its lines, so that sales per tarifa, per product and per customer are plain
sums over the documents of a period (see tablas_reportes.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection

from prometeo.domain.events.factura import (
    BorradorDescartado,
    ClienteAsignado,
    FacturaAnulada,
    FacturaCreada,
    FacturaEmitida,
    ImportePorTarifa,
)
from prometeo.domain.events.nota_credito import NotaCreditoCreada, NotaCreditoEmitida
from prometeo.domain.value_objects.dinero import Cantidad, Precio
from prometeo.infrastructure.proyecciones.base import (
    EventoProyectado,
    Proyeccion,
    a_centavos,
    a_micro,
)
from prometeo.infrastructure.proyecciones.documentos_lote import DocumentosDelLote
from prometeo.infrastructure.proyecciones.escritura import insertar
from prometeo.infrastructure.proyecciones.tablas_reportes import (
    vista_reporte_documentos,
    vista_reporte_lineas,
    vista_reporte_tarifas,
)

Fila = dict[str, Any]


@dataclass
class _Lote:
    documentos: DocumentosDelLote = field(
        default_factory=lambda: DocumentosDelLote(vista_reporte_documentos)
    )
    tarifas: list[Fila] = field(default_factory=list)
    lineas: list[Fila] = field(default_factory=list)


class ProyeccionReportes(Proyeccion):
    """What the reports add up. A factura counts once emitted, on its fecha de emisión,
    and an anulación takes it out again (its rows stay, marked ANULADA). A nota de crédito
    counts on its own fecha de emisión with its amounts negated: its tarifa groups as it
    states them, its lines' base, and — only when the goods came back (devolución) — the
    units and their cost; a value-only credit, or one without devolución, lowers the sales
    but not the cost of goods sold, since no goods returned to stock."""

    nombre = "reportes"
    tablas = (vista_reporte_documentos, vista_reporte_tarifas, vista_reporte_lineas)
    tipos = frozenset(
        {
            FacturaCreada,
            ClienteAsignado,
            BorradorDescartado,
            FacturaEmitida,
            FacturaAnulada,
            NotaCreditoCreada,
            NotaCreditoEmitida,
        }
    )

    def aplicar(self, conexion: Connection, eventos: Sequence[EventoProyectado]) -> None:
        lote = _Lote()
        creados = {_creado(e) for e in eventos} - {""}
        # A nota takes its cliente from its factura's row, however long ago that was made.
        lote.documentos.cargar(conexion, {_referido(e) for e in eventos} - creados)
        for proyectado in eventos:
            _aplicar(lote, proyectado.evento)
        _escribir(conexion, lote)


def _creado(proyectado: EventoProyectado) -> str:
    evento = proyectado.evento
    if isinstance(evento, FacturaCreada):
        return evento.factura_id
    if isinstance(evento, NotaCreditoCreada):
        return evento.nota_credito_id
    return ""


def _referido(proyectado: EventoProyectado) -> str:
    evento = proyectado.evento
    if isinstance(evento, NotaCreditoCreada):
        return evento.factura_id
    return _documento(evento)


def _documento(evento: object) -> str:
    """The document a later event of it changes ("" for a creation)."""
    if isinstance(evento, NotaCreditoEmitida):
        return evento.nota_credito_id
    if isinstance(evento, ClienteAsignado | BorradorDescartado | FacturaEmitida | FacturaAnulada):
        return evento.factura_id
    return ""


def _mes(fecha: date) -> str:
    return f"{fecha.year:04d}-{fecha.month:02d}"


def _aplicar(lote: _Lote, evento: object) -> None:
    if isinstance(evento, FacturaCreada):
        _crear(lote, evento.factura_id, "FACTURA", evento.sucursal_id, evento.fecha_emision)
        lote.documentos.filas[evento.factura_id]["cliente_id"] = evento.cliente_id
        return
    if isinstance(evento, NotaCreditoCreada):
        _crear_nota(lote, evento)
        return
    id = _documento(evento)
    documento = lote.documentos.filas.get(id)
    if documento is None:  # its creation was never projected: nothing to add up
        return
    if isinstance(evento, ClienteAsignado):
        documento["cliente_id"] = evento.cliente_id
    elif isinstance(evento, BorradorDescartado):
        lote.documentos.borrar(id)
        return
    elif isinstance(evento, FacturaEmitida):
        _emitir(lote, documento, evento.numero, evento.fecha_emision, 1, evento)
        documento["costo"] = a_centavos(evento.costo_total)
        lote.lineas.extend(
            {
                "documento_id": id,
                "renglon": linea.numero_linea,
                "producto_id": linea.producto_id,
                "cantidad": a_micro(linea.cantidad),
                "base": a_centavos(linea.base_imponible),
                "costo": a_centavos(linea.costo),
            }
            for linea in evento.lineas
        )
    elif isinstance(evento, FacturaAnulada):
        if documento["estado"] != "EMITIDA":
            return
        documento["estado"] = "ANULADA"
    elif isinstance(evento, NotaCreditoEmitida):
        _emitir(lote, documento, evento.numero, evento.fecha_emision, -1, evento)
    lote.documentos.cambiar(id)


def _emitir(
    lote: _Lote,
    documento: Fila,
    numero: str,
    fecha: date,
    signo: int,
    evento: FacturaEmitida | NotaCreditoEmitida,
) -> None:
    total = (
        evento.importe_total if isinstance(evento, FacturaEmitida) else evento.valor_modificacion
    )
    documento.update(
        estado="EMITIDA",
        numero=numero,
        fecha=fecha,
        mes=_mes(fecha),
        subtotal=signo * a_centavos(evento.subtotal_sin_impuestos),
        iva=signo * a_centavos(evento.iva),
        total=signo * a_centavos(total),
    )
    lote.tarifas.extend(_tarifas(documento["documento_id"], evento.importes_por_tarifa, signo))


def _tarifas(id: str, importes: Sequence[ImportePorTarifa], signo: int) -> list[Fila]:
    # One row per codigoPorcentaje (a document groups its lines by tarifa already).
    por_codigo: dict[str, list[int]] = {}
    for importe in importes:
        sumas = por_codigo.setdefault(importe.tarifa_iva, [0, 0])
        sumas[0] += a_centavos(importe.base_imponible)
        sumas[1] += a_centavos(importe.iva)
    return [
        {"documento_id": id, "codigo_porcentaje": codigo, "base": signo * b, "iva": signo * i}
        for codigo, (b, i) in sorted(por_codigo.items())
    ]


def _crear(lote: _Lote, id: str, tipo: str, sucursal: str, fecha: date) -> None:
    lote.documentos.crear(
        {
            "documento_id": id,
            "tipo": tipo,
            "estado": "BORRADOR",
            "sucursal_id": sucursal,
            "cliente_id": None,
            "factura_id": None,
            "numero": None,
            "fecha": fecha,
            "mes": _mes(fecha),
            "subtotal": 0,
            "iva": 0,
            "total": 0,
            "costo": 0,
        }
    )


def _crear_nota(lote: _Lote, evento: NotaCreditoCreada) -> None:
    id = evento.nota_credito_id
    _crear(lote, id, "NOTA_CREDITO", evento.sucursal_id, evento.fecha_emision)
    factura = lote.documentos.filas.get(evento.factura_id)
    lineas: list[Fila] = []
    for renglon, linea in enumerate(evento.lineas, start=1):
        # Units and cost come back only with the goods; a value-only line has cantidad 0.
        vuelve = evento.devolucion_inventario and linea.cantidad > 0
        costo = (
            a_centavos(Precio(linea.costo_unitario).por(Cantidad(linea.cantidad)).monto)
            if vuelve
            else 0
        )
        lineas.append(
            {
                "documento_id": id,
                "renglon": renglon,
                "producto_id": linea.producto_id,
                "cantidad": -a_micro(linea.cantidad) if vuelve else 0,
                "base": -a_centavos(linea.valor),
                "costo": -costo,
            }
        )
    lote.lineas.extend(lineas)
    lote.documentos.filas[id].update(
        factura_id=evento.factura_id,
        cliente_id=None if factura is None else factura["cliente_id"],
        costo=sum(ln["costo"] for ln in lineas),
    )


def _escribir(conexion: Connection, lote: _Lote) -> None:
    lote.documentos.escribir(conexion)
    insertar(conexion, vista_reporte_tarifas, lote.tarifas)
    insertar(conexion, vista_reporte_lineas, lote.lineas)
