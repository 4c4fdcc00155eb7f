"""Emitted documents as electronic comprobantes: the list across facturas and notas de
crédito, their signed XML, and the ones waiting for a signature (the signer's queue)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, bindparam, func, literal, select, union_all

from prometeo.application.consultas import ComprobanteVista
from prometeo.application.sri import ComprobantePendiente, ComprobanteSinFirmar
from prometeo.domain.errores import NoEncontrado
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante
from prometeo.infrastructure.lecturas.documentos import envios_de, sri_de
from prometeo.infrastructure.proyecciones.tablas import (
    vista_facturas,
    vista_notas_credito,
    vista_xml_comprobantes,
)

_FACTURA, _NOTA = TipoComprobante.FACTURA.value, TipoComprobante.NOTA_CREDITO.value
_TABLAS = {_FACTURA: vista_facturas, _NOTA: vista_notas_credito}
_x = vista_xml_comprobantes

_XML = select(_x.c.xml).where(
    _x.c.documento_id == bindparam("id"), _x.c.tipo_comprobante == bindparam("tipo")
)
_AUTORIZACION = select(_x.c.autorizacion).where(
    _x.c.documento_id == bindparam("id"), _x.c.tipo_comprobante == bindparam("tipo")
)
_EXISTE = {
    tipo: select(t.c.id, t.c.numero).where(t.c.id == bindparam("id")) for tipo, t in _TABLAS.items()
}


def _emitidos(columnas: tuple[str, ...]) -> Select[Any]:
    """Both document views' emitted rows as one relation, with their type ("01", "04")."""
    partes = [
        select(literal(tipo).label("tipo"), *(t.c[c] for c in columnas)).where(
            t.c.numero.is_not(None)
        )
        for tipo, t in _TABLAS.items()
    ]
    return union_all(*partes).subquery()  # type: ignore[return-value]


_COLUMNAS = (
    "id",
    "numero",
    "fecha_emision",
    "posicion",
    "clave_acceso",
    "estado_sri",
    "mensajes_sri",
    "numero_autorizacion",
    "fecha_autorizacion",
)


def leer_comprobantes(
    conexion: Connection,
    estado_sri: str | None,
    desde: date | None,
    hasta: date | None,
    limite: int,
    desplazamiento: int,
    numerado: tuple[str, str] | None = None,
) -> list[ComprobanteVista]:
    """The emitted documents by emission date; only the one of `numerado`'s type and
    number when given."""
    e: Any = _emitidos(_COLUMNAS)
    consulta = select(e).order_by(e.c.fecha_emision, e.c.posicion, e.c.tipo)
    if numerado is not None:
        consulta = consulta.where(e.c.tipo == numerado[0], e.c.numero == numerado[1])
    if estado_sri is not None:
        estado = estado_sri.strip().upper()
        consulta = consulta.where(e.c.estado_sri == estado)
    if desde is not None:
        consulta = consulta.where(e.c.fecha_emision >= desde)
    if hasta is not None:
        consulta = consulta.where(e.c.fecha_emision <= hasta)
    consulta = consulta.limit(limite).offset(desplazamiento)
    filas = list(conexion.execute(consulta))
    envios = envios_de(conexion, filas)
    vistas = []
    for fila in filas:
        sri = sri_de(fila, envios.get(fila.id))
        if sri is not None:
            vistas.append(
                ComprobanteVista(fila.tipo, fila.id, fila.numero, fila.fecha_emision, sri)
            )
    return vistas


def leer_comprobante_numerado(conexion: Connection, tipo: str, numero: str) -> ComprobanteVista:
    """The emitted document of `tipo` with this number, or NoEncontrado."""
    encontrados = leer_comprobantes(conexion, None, None, None, 1, 0, (tipo, numero))
    if not encontrados:
        que = "una factura" if tipo == _FACTURA else "una nota de crédito"
        raise NoEncontrado(que, f"número {numero}")
    return encontrados[0]


def leer_xml_firmado(conexion: Connection, tipo: str, documento_id: str) -> bytes:
    """The signed XML's bytes as stored (UTF-8 text of the signed file)."""
    que = "una factura" if tipo == _FACTURA else "una nota de crédito"
    documento = conexion.execute(_EXISTE[tipo], {"id": documento_id}).first()
    if documento is None:
        raise NoEncontrado(que, documento_id)
    xml = conexion.execute(_XML, {"id": documento_id, "tipo": tipo}).scalar_one_or_none()
    if xml is None:
        raise ComprobanteSinFirmar(documento.numero)
    return str(xml).encode("utf-8")


def leer_autorizacion(conexion: Connection, tipo: str, documento_id: str) -> bytes | None:
    """The SRI's <autorizacion> document as stored, None while not authorized."""
    autorizacion = conexion.execute(
        _AUTORIZACION, {"id": documento_id, "tipo": tipo}
    ).scalar_one_or_none()
    return None if autorizacion is None else str(autorizacion).encode("utf-8")


def leer_pendientes(conexion: Connection, limite: int) -> list[ComprobantePendiente]:
    """Documents not signed yet, oldest emission first (by date, then log position)."""
    e: Any = _emitidos(("id", "fecha_emision", "posicion", "estado_sri"))
    consulta = (
        select(e.c.tipo, e.c.id)
        .where(e.c.estado_sri == "PENDIENTE")
        .order_by(e.c.fecha_emision, e.c.posicion)
        .limit(limite)
    )
    return [ComprobantePendiente(f.tipo, f.id) for f in conexion.execute(consulta)]


def contar_pendientes(conexion: Connection) -> int:
    """How many emitted documents wait for their signature."""
    total = 0
    for tabla in _TABLAS.values():
        consulta = select(func.count()).select_from(tabla).where(tabla.c.estado_sri == "PENDIENTE")
        total += conexion.execute(consulta).scalar_one()
    return total


def en_curso_sri(conexion: Connection) -> tuple[int, date | None]:
    """Documents signed and not yet finally answered by the SRI (FIRMADO, RECIBIDA, EN
    PROCESO), and the oldest one's emission date."""
    total, antigua = 0, None
    for tabla in _TABLAS.values():
        fila = conexion.execute(
            select(func.count(), func.min(tabla.c.fecha_emision)).where(
                tabla.c.estado_sri.in_(("FIRMADO", "RECIBIDA", "EN PROCESO"))
            )
        ).one()
        total += fila[0]
        if fila[1] is not None and (antigua is None or fila[1] < antigua):
            antigua = fila[1]
    return total, antigua


def por_estado_sri(conexion: Connection) -> dict[str, int]:
    """How many emitted documents are in each SRI state."""
    cuenta: dict[str, int] = {}
    for tabla in _TABLAS.values():
        filas = conexion.execute(
            select(tabla.c.estado_sri, func.count())
            .where(tabla.c.estado_sri.is_not(None))
            .group_by(tabla.c.estado_sri)
        )
        for estado, n in filas:
            cuenta[estado] = cuenta.get(estado, 0) + n
    return cuenta
