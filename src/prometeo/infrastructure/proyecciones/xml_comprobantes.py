"""The signed XML of every comprobante, as its latest ComprobanteFirmado event carries it:
the bytes the SRI gets, served byte for byte (the text is stored as is, never
re-serialized)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, delete

from prometeo.domain.events.comprobante import (
    ComprobanteAutorizado,
    ComprobanteCorregido,
    ComprobanteFirmado,
)
from prometeo.infrastructure.proyecciones.base import EventoProyectado, Proyeccion
from prometeo.infrastructure.proyecciones.escritura import actualizar_por_clave, insertar
from prometeo.infrastructure.proyecciones.tablas import vista_xml_comprobantes


class ProyeccionXmlComprobantes(Proyeccion):
    """One row per signed document with the SRI's authorization once it comes. A
    correction removes the row (the rejected version stays in the log) until the document
    is signed again."""

    nombre = "xml_comprobantes"
    tablas = (vista_xml_comprobantes,)
    tipos = frozenset({ComprobanteFirmado, ComprobanteCorregido, ComprobanteAutorizado})

    def aplicar(self, conexion: Connection, eventos: Sequence[EventoProyectado]) -> None:
        # Each document's row as this batch leaves it, in log order: signed rows to insert
        # (None: removed by a correction), and authorizations of rows stored before.
        filas: dict[str, dict[str, Any] | None] = {}
        corregidos: set[str] = set()
        autorizados: list[dict[str, Any]] = []
        for proyectado in eventos:
            evento = proyectado.evento
            if isinstance(evento, ComprobanteFirmado):
                filas[evento.documento_id] = {
                    "documento_id": evento.documento_id,
                    "tipo_comprobante": evento.tipo_comprobante,
                    "clave_acceso": evento.clave_acceso,
                    "firmado_en": evento.firmado_en.isoformat(),
                    "xml": evento.xml,
                    "autorizacion": None,
                }
            elif isinstance(evento, ComprobanteCorregido):
                corregidos.add(evento.documento_id)
                filas[evento.documento_id] = None
            elif isinstance(evento, ComprobanteAutorizado):
                fila = filas.get(evento.documento_id)
                if fila is not None:
                    fila["autorizacion"] = evento.autorizacion
                else:
                    autorizados.append(
                        {"documento_id": evento.documento_id, "autorizacion": evento.autorizacion}
                    )
        if corregidos:
            conexion.execute(
                delete(vista_xml_comprobantes).where(
                    vista_xml_comprobantes.c.documento_id.in_(sorted(corregidos))
                )
            )
        insertar(conexion, vista_xml_comprobantes, [f for f in filas.values() if f is not None])
        actualizar_por_clave(conexion, vista_xml_comprobantes, ("documento_id",), autorizados)
