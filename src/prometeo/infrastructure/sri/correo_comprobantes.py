"""Mailing an authorized document to its buyer: the SRI's authorization XML (which holds
the comprobante) and the RIDE, composed by `correo.mensaje_comprobante`, sent by
CorreoSmtp (the application's CorreoComprobantes port)."""

from __future__ import annotations

from prometeo.application.consultas import ServicioConsultas
from prometeo.application.sri import ComprobantePendiente, EnvioCorreo
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante
from prometeo.infrastructure.correo import mensaje_comprobante
from prometeo.infrastructure.sri.ride import generar_ride


class CorreoComprobantesSmtp:
    """Reads what the buyer gets from the read models and hands it to the mail port."""

    def __init__(self, consultas: ServicioConsultas, correo: EnvioCorreo) -> None:
        self._consultas = consultas
        self._correo = correo

    def enviar(self, pendiente: ComprobantePendiente, numero: str, para: str) -> None:
        tipo, documento_id = pendiente.tipo, pendiente.documento_id
        if tipo == TipoComprobante.FACTURA.value:
            sri = self._consultas.factura(documento_id).sri
        else:
            sri = self._consultas.nota_credito(documento_id).sri
        autorizacion = self._consultas.autorizacion_sri(tipo, documento_id)
        if sri is None or autorizacion is None:
            raise ValueError(f"El comprobante {numero} no está autorizado: no se envía")
        ride = generar_ride(
            self._consultas.xml_firmado(tipo, documento_id),
            estado=sri.estado,
            numero_autorizacion=sri.numero_autorizacion,
            fecha_autorizacion=sri.fecha_autorizacion,
        )
        asunto, cuerpo, adjuntos = mensaje_comprobante(
            tipo,
            numero,
            self._consultas.emisor().razon_social,
            sri.clave_acceso,
            autorizacion,
            ride,
        )
        self._correo.enviar(para, asunto, cuerpo, adjuntos)
