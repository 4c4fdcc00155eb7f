"""Reading facturas and notas de crédito from their read models into the view DTOs.

Every statement is built once, at import, with bound parameters (building a select with
`Column.in_` costs more than running it). The read of one document by id, which the API
does after a command it cannot answer from the command's events, goes further: its three
statements run through the SQL seam's `consultar` (compiled once per dialect, only the
result processing the columns need)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, Select, bindparam, select

from prometeo.application.consultas import (
    CompradorVista,
    FacturaVista,
    LineaFacturaVista,
    LineaNotaCreditoVista,
    MensajeSriVista,
    NotaCreditoVista,
    PagoVista,
    SriVista,
    TotalesVista,
)
from prometeo.infrastructure.db.tablas import NUNCA_MS, envios_sri
from prometeo.infrastructure.proyecciones.base import de_centavos, de_micro
from prometeo.infrastructure.proyecciones.tablas import (
    vista_facturas,
    vista_lineas_factura,
    vista_lineas_nota_credito,
    vista_notas_credito,
    vista_notas_factura,
)
from prometeo.infrastructure.reloj import HORA_ECUADOR
from prometeo.infrastructure.sql.sentencias import consultar

_f, _lf, _nf = vista_facturas, vista_lineas_factura, vista_notas_factura
_n, _ln = vista_notas_credito, vista_lineas_nota_credito

_FACTURA = select(_f).where(_f.c.id == bindparam("id"))
_LINEAS_FACTURA = (
    select(_lf).where(_lf.c.factura_id == bindparam("id")).order_by(_lf.c.numero_linea)
)
_NOTAS_FACTURA = (
    select(_nf.c.factura_id, _nf.c.nota_credito_id)
    .where(_nf.c.factura_id == bindparam("id"))
    .order_by(_nf.c.posicion)
)
_LINEAS_FACTURAS = (
    select(_lf)
    .where(_lf.c.factura_id.in_(bindparam("ids", expanding=True)))
    .order_by(_lf.c.factura_id, _lf.c.numero_linea)
)
_NOTAS_FACTURAS = (
    select(_nf.c.factura_id, _nf.c.nota_credito_id)
    .where(_nf.c.factura_id.in_(bindparam("ids", expanding=True)))
    .order_by(_nf.c.posicion)
)
_NOTAS = select(_n).order_by(_n.c.posicion)
_NOTA = _NOTAS.where(_n.c.id == bindparam("id"))
# The position of a nota's creation is unique: pages of notas never overlap.
_PAGINA_NOTAS = _NOTAS.limit(bindparam("limite")).offset(bindparam("desplazamiento"))
_PAGINA_NOTAS_DE_FACTURA = _PAGINA_NOTAS.where(_n.c.factura_id == bindparam("factura_id"))
_LINEAS_NOTA = select(_ln).where(_ln.c.nota_credito_id == bindparam("id")).order_by(_ln.c.renglon)
_LINEAS_NOTAS = (
    select(_ln)
    .where(_ln.c.nota_credito_id.in_(bindparam("ids", expanding=True)))
    .order_by(_ln.c.nota_credito_id, _ln.c.renglon)
)


# -- the electronic document ---------------------------------------------------------------

# The clave de acceso's 24th digit is the ambiente it was generated for (SRI.md).
_AMBIENTE_EN_CLAVE = 23


# The states in which the SRI dispatcher keeps a document on its schedule (envios_sri).
_EN_DESPACHO = frozenset({"FIRMADO", "RECIBIDA", "EN PROCESO", "DEVUELTA"})
_e = envios_sri
_ENVIO = select(_e.c.documento_id, _e.c.proximo_ms, _e.c.ultimo_error).where(
    _e.c.documento_id == bindparam("id")
)
_ENVIOS = select(_e.c.documento_id, _e.c.proximo_ms, _e.c.ultimo_error).where(
    _e.c.documento_id.in_(bindparam("ids", expanding=True))
)


def instante_programado(proximo_ms: int) -> datetime | None:
    """When the dispatcher looks at a document next, in Ecuador's time; None: never (it
    waits for a person)."""
    if proximo_ms >= NUNCA_MS:
        return None
    return datetime.fromtimestamp(proximo_ms / 1000, HORA_ECUADOR)


def envios_de(conexion: Connection, filas: Sequence[Any]) -> dict[str, Any]:
    """The dispatcher's schedule of the documents among `filas` it works on, by id (one
    query, none when no document is in the SRI's process)."""
    ids = [f.id for f in filas if f.estado_sri in _EN_DESPACHO]
    if not ids:
        return {}
    return {e.documento_id: e for e in conexion.execute(_ENVIOS, {"ids": ids})}


def _envio(conexion: Connection, fila: Any) -> Any:
    if fila.estado_sri not in _EN_DESPACHO:
        return None
    envios = consultar(conexion, _ENVIO, {"id": fila.id})
    return envios[0] if envios else None


def sri_de(fila: Any, envio: Any = None) -> SriVista | None:
    """The `sri` block of a document's row, with its schedule row (`envio`) when the
    dispatcher has one: None while a draft (no clave de acceso)."""
    if fila.clave_acceso is None:
        return None
    fecha = fila.fecha_autorizacion
    return SriVista(
        clave_acceso=fila.clave_acceso,
        ambiente=fila.clave_acceso[_AMBIENTE_EN_CLAVE],
        estado=fila.estado_sri or "PENDIENTE",
        numero_autorizacion=fila.numero_autorizacion,
        fecha_autorizacion=None if fecha is None else datetime.fromisoformat(fecha),
        mensajes=[
            MensajeSriVista(
                m["identificador"], m["mensaje"], m.get("informacion_adicional"), m["tipo"]
            )
            for m in json.loads(fila.mensajes_sri or "[]")
        ],
        proximo_intento=None if envio is None else instante_programado(envio.proximo_ms),
        ultimo_error=None if envio is None else envio.ultimo_error,
    )


# -- facturas ------------------------------------------------------------------------------


def _opcional(valor: str | None) -> Decimal | None:
    return None if valor is None else Decimal(valor)


def _por_tarifa(importes: str) -> dict[str, Decimal]:
    return {i["tarifa_iva"]: Decimal(i["base_imponible"]) for i in json.loads(importes)}


def leer_factura(conexion: Connection, factura_id: str) -> FacturaVista | None:
    """One factura with its lines and notas de crédito (three prebuilt statements on the
    driver), or None; `conexion` must be in a transaction so that the three agree."""
    parametros = {"id": factura_id}
    filas = consultar(conexion, _FACTURA, parametros)
    if not filas:
        return None
    lineas = [_linea_factura(ln) for ln in consultar(conexion, _LINEAS_FACTURA, parametros)]
    notas = [n.nota_credito_id for n in consultar(conexion, _NOTAS_FACTURA, parametros)]
    return _factura(filas[0], lineas, notas, _envio(conexion, filas[0]))


def factura_de_filas(fila: Mapping[str, Any], lineas: Sequence[Mapping[str, Any]]) -> FacturaVista:
    """The view of a factura from its rows as the projection builds them in memory (the
    values the columns hold, as a read gives them back), with no notas de crédito yet."""
    return _factura(
        SimpleNamespace(**fila), [_linea_factura(SimpleNamespace(**ln)) for ln in lineas], []
    )


def leer_facturas(conexion: Connection, consulta: Select[Any]) -> list[FacturaVista]:
    """The facturas a query over vista_facturas selects, in its order, with their lines
    and notas de crédito (three queries in all)."""
    filas = list(conexion.execute(consulta))
    ids = [f.id for f in filas]
    if not ids:
        return []
    lineas: dict[str, list[LineaFacturaVista]] = {i: [] for i in ids}
    for ln in conexion.execute(_LINEAS_FACTURAS, {"ids": ids}):
        lineas[ln.factura_id].append(_linea_factura(ln))
    notas: dict[str, list[str]] = {i: [] for i in ids}
    for factura_id, nota_id in conexion.execute(_NOTAS_FACTURAS, {"ids": ids}):
        notas[factura_id].append(nota_id)
    envios = envios_de(conexion, filas)
    return [_factura(f, lineas[f.id], notas[f.id], envios.get(f.id)) for f in filas]


def _linea_factura(ln: Any) -> LineaFacturaVista:
    return LineaFacturaVista(
        numero_linea=ln.numero_linea,
        producto_id=ln.producto_id,
        codigo=ln.codigo,
        descripcion=ln.descripcion,
        cantidad=Decimal(ln.cantidad),
        precio_unitario=Decimal(ln.precio_unitario),
        descuento=Decimal(ln.descuento),
        subtotal=Decimal(ln.subtotal),
        descuento_global=Decimal(ln.descuento_global),
        base_imponible=Decimal(ln.base_imponible),
        tarifa_iva=ln.tarifa_iva,
        costo=_opcional(ln.costo),
        cantidad_acreditada=de_micro(ln.cantidad_acreditada),
        valor_acreditado=de_centavos(ln.valor_acreditado),
        iva=_opcional(ln.iva),
        porcentaje_iva=_opcional(ln.porcentaje_iva),
        codigo_auxiliar=ln.codigo_auxiliar,
        unidad_medida=ln.unidad_medida,
    )


def _factura(
    f: Any, lineas: list[LineaFacturaVista], notas: list[str], envio: Any = None
) -> FacturaVista:
    return FacturaVista(
        id=f.id,
        numero=f.numero,
        estado=f.estado,
        fecha_emision=f.fecha_emision,
        punto_emision_id=f.punto_emision_id,
        sucursal_id=f.sucursal_id,
        bodega_id=f.bodega_id,
        cliente_id=f.cliente_id,
        cliente=CompradorVista(
            f.tipo_identificacion,
            f.identificacion,
            f.razon_social,
            f.direccion,
            f.email,
            f.telefono,
        ),
        lineas=lineas,
        totales=TotalesVista(
            subtotal_sin_impuestos=Decimal(f.subtotal_sin_impuestos),
            subtotales_por_tarifa=_por_tarifa(f.importes_por_tarifa),
            total_descuento=Decimal(f.total_descuento),
            iva=Decimal(f.iva),
            propina=Decimal(f.propina),
            importe_total=Decimal(f.importe_total),
        ),
        pagos=[
            PagoVista(p["forma_pago"], Decimal(p["total"]), p["plazo"], p["unidad_tiempo"])
            for p in json.loads(f.pagos)
        ],
        costo_total=_opcional(f.costo_total),
        valor_acreditado=de_centavos(f.valor_acreditado),
        notas_credito=notas,
        motivo_anulacion=f.motivo_anulacion,
        clave_acceso=f.clave_acceso,
        sri=sri_de(f, envio),
    )


def nota_de_filas(fila: Mapping[str, Any], lineas: Sequence[Mapping[str, Any]]) -> NotaCreditoVista:
    """The view of a nota de crédito from its rows as the projection builds them."""
    return _nota(SimpleNamespace(**fila), [_linea_nota(SimpleNamespace(**ln)) for ln in lineas])


def leer_nota(conexion: Connection, nota_credito_id: str) -> NotaCreditoVista | None:
    """One nota de crédito with its lines (two prebuilt statements on the driver), or None;
    `conexion` must be in a transaction."""
    parametros = {"id": nota_credito_id}
    filas = consultar(conexion, _NOTA, parametros)
    if not filas:
        return None
    lineas = [_linea_nota(ln) for ln in consultar(conexion, _LINEAS_NOTA, parametros)]
    return _nota(filas[0], lineas, _envio(conexion, filas[0]))


def leer_notas_de(
    conexion: Connection, factura_id: str | None, limite: int, desplazamiento: int
) -> list[NotaCreditoVista]:
    """A page of the notas de crédito (of one factura, when given), in log order."""
    pagina = {"limite": limite, "desplazamiento": desplazamiento}
    if factura_id is None:
        return leer_notas(conexion, _PAGINA_NOTAS, pagina)
    return leer_notas(conexion, _PAGINA_NOTAS_DE_FACTURA, {"factura_id": factura_id, **pagina})


def leer_notas(
    conexion: Connection, consulta: Select[Any], parametros: Mapping[str, Any] | None = None
) -> list[NotaCreditoVista]:
    """The notas de crédito a query over vista_notas_credito selects, with their lines."""
    filas = list(conexion.execute(consulta, parametros))
    ids = [n.id for n in filas]
    if not ids:
        return []
    lineas: dict[str, list[LineaNotaCreditoVista]] = {i: [] for i in ids}
    for ln in conexion.execute(_LINEAS_NOTAS, {"ids": ids}):
        lineas[ln.nota_credito_id].append(_linea_nota(ln))
    envios = envios_de(conexion, filas)
    return [_nota(n, lineas[n.id], envios.get(n.id)) for n in filas]


def _linea_nota(ln: Any) -> LineaNotaCreditoVista:
    cantidad = Decimal(ln.cantidad)
    return LineaNotaCreditoVista(
        ln.numero_linea_factura,
        ln.producto_id,
        # A value-only credit returns no goods: the document states it as one unit at its
        # valor, so subtotal = round2(cantidad × precio_unitario) − descuento holds.
        cantidad if cantidad else Decimal(1),
        Decimal(ln.valor),
        ln.tarifa_iva,
        codigo=ln.codigo,
        descripcion=ln.descripcion,
        precio_unitario=_opcional(ln.precio_unitario),
        descuento=_opcional(ln.descuento),
        porcentaje_iva=_opcional(ln.porcentaje_iva),
        iva=_opcional(ln.iva),
        codigo_auxiliar=ln.codigo_auxiliar,
    )


def _nota(n: Any, lineas: Sequence[LineaNotaCreditoVista], envio: Any = None) -> NotaCreditoVista:
    return NotaCreditoVista(
        id=n.id,
        numero=n.numero,
        factura_id=n.factura_id,
        numero_factura=n.numero_factura,
        estado=n.estado,
        fecha_emision=n.fecha_emision,
        motivo=n.motivo,
        devolucion_inventario=bool(n.devolucion_inventario),
        lineas=list(lineas),
        subtotal_sin_impuestos=Decimal(n.subtotal_sin_impuestos),
        subtotales_por_tarifa=_por_tarifa(n.importes_por_tarifa),
        iva=Decimal(n.iva),
        valor_modificacion=Decimal(n.valor_modificacion),
        clave_acceso=n.clave_acceso,
        sri=sri_de(n, envio),
    )
