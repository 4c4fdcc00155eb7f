"""Facturas as they are read: drafts with their running totals, emitted ones with number,
cost and what notas de crédito have credited so far, and annulled ones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, bindparam, delete, select

from prometeo.domain.events.base import EventoDominio
from prometeo.domain.events.comprobante import ComprobanteCorregido
from prometeo.domain.events.factura import (
    BorradorDescartado,
    ClienteAsignado,
    CreditoAplicado,
    DescuentoAplicado,
    FacturaAnulada,
    FacturaCreada,
    FacturaEmitida,
    LineaAgregada,
    LineaCambiada,
    LineaEliminada,
    PagosDefinidos,
    PropinaDefinida,
)
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante
from prometeo.infrastructure.proyecciones import facturas_filas as filas
from prometeo.infrastructure.proyecciones.base import (
    EventoProyectado,
    Proyeccion,
    a_centavos,
    texto,
)
from prometeo.infrastructure.proyecciones.escritura import actualizar_por_clave, insertar
from prometeo.infrastructure.proyecciones.facturas_filas import Fila
from prometeo.infrastructure.proyecciones.tablas import (
    vista_facturas,
    vista_lineas_factura,
    vista_notas_factura,
)
from prometeo.infrastructure.sql.sentencias import ejecutar

_CLAVE_LINEA = ("factura_id", "numero_linea")
# The events that change a draft (a stored one is loaded to apply them in memory).
_BORRADOR = (
    LineaAgregada,
    LineaCambiada,
    DescuentoAplicado,
    LineaEliminada,
    ClienteAsignado,
    PagosDefinidos,
    PropinaDefinida,
    BorradorDescartado,
)
EventoBorrador = (
    LineaAgregada
    | LineaCambiada
    | DescuentoAplicado
    | LineaEliminada
    | ClienteAsignado
    | PagosDefinidos
    | PropinaDefinida
    | BorradorDescartado
)
# A factura not emitted has the totals its lines give; an emitted one, its emission's.
_SIN_EMITIR = ("BORRADOR", "DESCARTADA")


@dataclass
class _Factura:
    """A factura held in memory for the batch: created in it, or a draft loaded to be
    changed (its lines already stored are `guardadas`: those no longer in `lineas` after a
    LineaEliminada are deleted, the others updated by their number)."""

    fila: Fila
    lineas: dict[int, Fila]
    nueva: bool
    guardadas: frozenset[int] = frozenset()
    # A draft's totals are computed once, at the end of the batch, and only if it is
    # still not emitted then (emission brings its own).
    por_calcular: bool = False


@dataclass
class _Lote:
    memoria: dict[str, _Factura] = field(default_factory=dict)
    emisiones: list[Fila] = field(default_factory=list)
    lineas_emitidas: list[Fila] = field(default_factory=list)
    creditos_lineas: dict[tuple[str, int], list[int]] = field(default_factory=dict)
    creditos: dict[str, int] = field(default_factory=dict)
    anulaciones: list[Fila] = field(default_factory=list)
    notas: list[Fila] = field(default_factory=list)
    sri: list[Fila] = field(default_factory=list)
    compradores: list[Fila] = field(default_factory=list)


class ProyeccionFacturas(Proyeccion):
    """The factura summary the API and the accountants read: buyer, lines with their
    discounts, base, IVA tarifa and FIFO cost, totals (a draft's computed as emission will
    compute them), payments, state and number, and per line and in total what notas de
    crédito have credited, with the ids of those notas and the reason of an anulación."""

    nombre = "facturas"
    tablas = (vista_notas_factura, vista_lineas_factura, vista_facturas)
    tipos = frozenset(
        {FacturaCreada, FacturaEmitida, CreditoAplicado, FacturaAnulada}
        | set(_BORRADOR)
        | filas.TIPOS_SRI
    )

    def aplicar(self, conexion: Connection, eventos: Sequence[EventoProyectado]) -> None:
        lote = _Lote()
        creadas = {e.evento.factura_id for e in eventos if isinstance(e.evento, FacturaCreada)}
        borradores = {
            e.evento.factura_id
            for e in eventos
            if isinstance(e.evento, _BORRADOR) and e.evento.factura_id not in creadas
        }
        lote.memoria.update(_cargar(conexion, borradores))
        for proyectado in eventos:
            _aplicar(lote, proyectado)
        for factura in lote.memoria.values():
            if factura.por_calcular and factura.fila["estado"] in _SIN_EMITIR:
                filas.recalcular_borrador(factura.fila, factura.lineas)
        _escribir(conexion, lote)


def _aplicar(lote: _Lote, proyectado: EventoProyectado) -> None:
    evento = proyectado.evento
    if isinstance(evento, FacturaCreada):
        creadas = {
            ln.numero_linea: filas.linea_agregada(evento.factura_id, ln) for ln in evento.lineas
        }
        nueva = _Factura(filas.factura_creada(proyectado, evento), creadas, nueva=True)
        nueva.por_calcular = True
        lote.memoria[evento.factura_id] = nueva
        return
    if isinstance(evento, filas.EventoSri):
        if evento.tipo_comprobante == TipoComprobante.FACTURA.value:
            cambios = filas.estado_sri(evento)
            en_memoria = lote.memoria.get(evento.documento_id)
            if en_memoria is None:
                lote.sri.append({"id": evento.documento_id, **cambios})
            else:
                en_memoria.fila.update(cambios)
            if isinstance(evento, ComprobanteCorregido) and evento.comprador is not None:
                comprador = filas.columnas_comprador(evento.cliente_id, evento.comprador)
                if en_memoria is None:
                    lote.compradores.append({"id": evento.documento_id, **comprador})
                else:
                    en_memoria.fila.update(comprador)
        return
    assert isinstance(evento, EventoBorrador | FacturaEmitida | CreditoAplicado | FacturaAnulada)
    factura = lote.memoria.get(evento.factura_id)
    if isinstance(evento, EventoBorrador):
        if factura is None:  # a draft the batch never saw created nor stored: nothing to do
            return
        _cambiar_borrador(factura, evento)
    elif isinstance(evento, FacturaEmitida):
        cambios, lineas = filas.emision(evento)
        if factura is None:
            lote.emisiones.append({"id": evento.factura_id, **cambios})
            lote.lineas_emitidas.extend(lineas)
            return
        factura.fila.update(cambios)
        for linea in lineas:
            factura.lineas[linea["numero_linea"]].update(linea)
    elif isinstance(evento, CreditoAplicado):
        lote.notas.append(filas.nota_de(proyectado, evento))
        total = a_centavos(evento.valor_total)
        if factura is None:
            lote.creditos[evento.factura_id] = lote.creditos.get(evento.factura_id, 0) + total
        else:
            factura.fila["valor_acreditado"] += total
        for numero, cantidad, valor in filas.creditos_por_linea(evento):
            if factura is None:
                suma = lote.creditos_lineas.setdefault((evento.factura_id, numero), [0, 0])
                suma[0] += cantidad
                suma[1] += valor
            else:
                factura.lineas[numero]["cantidad_acreditada"] += cantidad
                factura.lineas[numero]["valor_acreditado"] += valor
    else:
        cambios = filas.anulacion(evento)
        if factura is None:
            lote.anulaciones.append({"id": evento.factura_id, **cambios})
        else:
            factura.fila.update(cambios)


def _cambiar_borrador(factura: _Factura, evento: EventoBorrador) -> None:
    """Apply a change of a draft to its rows in memory; its totals follow at the end of
    the batch (`recalcular_borrador`)."""
    if isinstance(evento, LineaAgregada):
        factura.lineas[evento.numero_linea] = filas.linea_agregada(evento.factura_id, evento)
    elif isinstance(evento, LineaEliminada):
        # As the aggregate does: the lines after it move up one number.
        quitada = evento.numero_linea
        lineas = factura.lineas
        factura.lineas = {}
        for numero in sorted(lineas):
            if numero != quitada:
                nuevo = numero if numero < quitada else numero - 1
                factura.lineas[nuevo] = {**lineas[numero], "numero_linea": nuevo}
    elif isinstance(evento, LineaCambiada):
        linea = factura.lineas[evento.numero_linea]
        linea["cantidad"] = texto(evento.cantidad)
        linea["descuento"] = texto(evento.descuento)
    elif isinstance(evento, DescuentoAplicado):
        factura.fila["descuento_tipo"] = evento.tipo_descuento
        factura.fila["descuento_valor"] = texto(evento.valor)
    elif isinstance(evento, ClienteAsignado):
        factura.fila.update(filas.columnas_comprador(evento.cliente_id, evento.comprador))
    elif isinstance(evento, PagosDefinidos):
        factura.fila["pagos"] = filas.pagos_json(evento.pagos)
    elif isinstance(evento, PropinaDefinida):
        factura.fila["propina"] = texto(evento.propina)
    else:
        factura.fila["estado"] = "DESCARTADA"
    factura.por_calcular = True


# What one command can record on a factura it creates (anulación and credits come later).
_AL_CREARLA = (FacturaCreada, LineaAgregada, DescuentoAplicado, FacturaEmitida)


def filas_de_creacion(eventos: Sequence[EventoDominio]) -> tuple[Fila, list[Fila]] | None:
    """The rows (factura, its lines in order) that `aplicar` writes for a factura from the
    events of the command that created it, built in memory by the same functions; None
    unless the events are exactly that: its FacturaCreada first, then only changes of a
    new factura, all of the same factura."""
    if not eventos or not isinstance(eventos[0], FacturaCreada):
        return None
    factura_id = eventos[0].factura_id
    lote = _Lote()
    for evento in eventos:
        if not isinstance(evento, _AL_CREARLA) or evento.factura_id != factura_id:
            return None
        # Only the position column reads the log's place, and no view returns it.
        _aplicar(lote, EventoProyectado(0, "", 0, evento))
    factura = lote.memoria[factura_id]
    if factura.por_calcular and factura.fila["estado"] in _SIN_EMITIR:
        filas.recalcular_borrador(factura.fila, factura.lineas)
    return factura.fila, [factura.lineas[n] for n in sorted(factura.lineas)]


_FACTURAS = select(vista_facturas).where(vista_facturas.c.id.in_(bindparam("ids", expanding=True)))
_LINEAS = select(vista_lineas_factura).where(
    vista_lineas_factura.c.factura_id.in_(bindparam("ids", expanding=True))
)

_BORRAR_SOBRANTES = delete(vista_lineas_factura).where(
    vista_lineas_factura.c.factura_id == bindparam("f"),
    vista_lineas_factura.c.numero_linea > bindparam("n"),
)


def _cargar(conexion: Connection, ids: set[str]) -> dict[str, _Factura]:
    """Stored drafts that this batch changes, with their lines (two queries)."""
    if not ids:
        return {}
    facturas = {
        f.id: _Factura(dict(f._mapping), {}, nueva=False)
        for f in conexion.execute(_FACTURAS, {"ids": sorted(ids)})
    }
    lineas = conexion.execute(_LINEAS, {"ids": sorted(ids)})
    for linea in lineas:
        facturas[linea.factura_id].lineas[linea.numero_linea] = dict(linea._mapping)
    for factura in facturas.values():
        factura.guardadas = frozenset(factura.lineas)
    return facturas


def _escribir(conexion: Connection, lote: _Lote) -> None:
    """Inserts first, then whole-row updates of loaded drafts, then the changes of
    facturas not in memory in lifecycle order (emission, credits, anulación)."""
    nuevas = [f for f in lote.memoria.values() if f.nueva]
    cargadas = [f for f in lote.memoria.values() if not f.nueva]
    insertar(conexion, vista_facturas, [f.fila for f in nuevas])
    lineas_nuevas = [
        linea
        for f in lote.memoria.values()
        for n, linea in f.lineas.items()
        if n not in f.guardadas
    ]
    insertar(conexion, vista_lineas_factura, lineas_nuevas)
    actualizar_por_clave(conexion, vista_facturas, ("id",), [f.fila for f in cargadas])
    # Lines are numbered 1..n: a draft that lost lines lost its last numbers.
    sobrantes = [
        {"f": f.fila["id"], "n": len(f.lineas)} for f in cargadas if f.guardadas - set(f.lineas)
    ]
    if sobrantes:
        ejecutar(conexion, _BORRAR_SOBRANTES, sobrantes)
    actualizar_por_clave(
        conexion,
        vista_lineas_factura,
        _CLAVE_LINEA,
        [f.lineas[n] for f in cargadas for n in sorted(f.guardadas & set(f.lineas))],
    )
    actualizar_por_clave(conexion, vista_facturas, ("id",), lote.emisiones)
    actualizar_por_clave(conexion, vista_lineas_factura, _CLAVE_LINEA, lote.lineas_emitidas)
    actualizar_por_clave(
        conexion,
        vista_lineas_factura,
        _CLAVE_LINEA,
        [
            {"factura_id": f, "numero_linea": n, "cantidad_acreditada": c, "valor_acreditado": v}
            for (f, n), (c, v) in lote.creditos_lineas.items()
        ],
        sumar=("cantidad_acreditada", "valor_acreditado"),
    )
    actualizar_por_clave(
        conexion,
        vista_facturas,
        ("id",),
        [{"id": f, "valor_acreditado": v} for f, v in lote.creditos.items()],
        sumar=("valor_acreditado",),
    )
    actualizar_por_clave(conexion, vista_facturas, ("id",), lote.anulaciones)
    actualizar_por_clave(conexion, vista_facturas, ("id",), lote.sri)
    actualizar_por_clave(conexion, vista_facturas, ("id",), lote.compradores)
    insertar(conexion, vista_notas_factura, lote.notas)
