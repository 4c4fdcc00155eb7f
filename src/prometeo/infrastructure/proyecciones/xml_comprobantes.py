"""The signed XML of every comprobante, as its ComprobanteFirmado event carries it: the
bytes the SRI gets, served byte for byte (the text is stored as is, never re-serialized)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from prometeo.domain.events.comprobante import ComprobanteAutorizado, ComprobanteFirmado
from prometeo.infrastructure.proyecciones.base import EventoProyectado, Proyeccion
from prometeo.infrastructure.proyecciones.escritura import actualizar_por_clave, insertar
from prometeo.infrastructure.proyecciones.tablas import vista_xml_comprobantes


class ProyeccionXmlComprobantes(Proyeccion):
    """One row per signed document (a document is signed once), with the SRI's
    authorization once it comes."""

    nombre = "xml_comprobantes"
    tablas = (vista_xml_comprobantes,)
    tipos = frozenset({ComprobanteFirmado, ComprobanteAutorizado})

    def aplicar(self, conexion: Connection, eventos: Sequence[EventoProyectado]) -> None:
        firmados = [e for e in eventos if isinstance(e.evento, ComprobanteFirmado)]
        autorizados = [
            {"documento_id": e.evento.documento_id, "autorizacion": e.evento.autorizacion}
            for e in eventos
            if isinstance(e.evento, ComprobanteAutorizado)
        ]
        self._insertar(conexion, firmados)
        actualizar_por_clave(conexion, vista_xml_comprobantes, ("documento_id",), autorizados)

    def _insertar(self, conexion: Connection, eventos: Sequence[EventoProyectado]) -> None:
        insertar(
            conexion,
            vista_xml_comprobantes,
            [
                {
                    "documento_id": e.evento.documento_id,
                    "tipo_comprobante": e.evento.tipo_comprobante,
                    "clave_acceso": e.evento.clave_acceso,
                    "firmado_en": e.evento.firmado_en.isoformat(),
                    "xml": e.evento.xml,
                    "autorizacion": None,
                }
                for e in eventos
                if isinstance(e.evento, ComprobanteFirmado)
            ],
        )
