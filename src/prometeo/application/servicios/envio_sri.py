"""Sending signed documents to the SRI and following them to their authorization, as the
process rules say (SRI-ELECTRONICO.md §5), one step per call, each step recorded as an
event on the document's own stream.

A send is recorded (ComprobanteEnviado, committed) BEFORE the network call, so a document
found in flight after a crash is first asked about, never blindly sent again (unless no
connection was even made: then ComprobanteNoEntregado says it surely never arrived); and two
dispatchers racing for one document conflict on that commit, so only one of them sends.
The network calls happen outside any transaction. A transient failure (ErrorTransitorioSri)
leaves the document as it was for the next try; the caller schedules it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from prometeo.application.bus import BusDeMensajes
from prometeo.application.config import Configuracion
from prometeo.application.servicios.base import FabricaUnidadDeTrabajo, ServicioAplicacion
from prometeo.application.servicios.comprobantes import cargar_documento
from prometeo.application.sri import (
    ComprobantePendiente,
    ErrorTransitorioSri,
    MensajeSri,
    RespuestaAutorizacion,
    ServicioSri,
)
from prometeo.application.unidad_de_trabajo import Metadatos, UnidadDeTrabajo
from prometeo.domain.aggregates.factura import Factura
from prometeo.domain.aggregates.nota_credito import NotaCredito
from prometeo.domain.events.comprobante import MensajeSriDatos
from prometeo.domain.reloj import Reloj

USUARIO_SRI = "envio-sri"


class CorreoComprobantes(Protocol):
    """Mails an authorized document (its SRI authorization XML and its RIDE) to `para`;
    ErrorCorreo when it cannot."""

    def enviar(self, pendiente: ComprobantePendiente, numero: str, para: str) -> None: ...


class Paso(StrEnum):
    """What one step did."""

    ENVIADO = "enviado"  # handed to Recepción (its answer recorded)
    CONSULTADO = "consultado"  # Autorización asked (its answer recorded)
    CORREO = "correo"  # the authorized document mailed to the buyer
    NADA = "nada"  # nothing to do (already done by someone else, or a final state)


class ServicioEnvioSri(ServicioAplicacion):
    """One step of the SRI's process for one document: ask Autorización when the rules
    say so, else send it when it is signed and unsent."""

    def __init__(
        self,
        uow_factory: FabricaUnidadDeTrabajo,
        reloj: Reloj,
        bus: BusDeMensajes,
        *,
        sri: ServicioSri,
        xml_firmado: Callable[[str, str], bytes],
        ahora: Callable[[], datetime],
        config: Configuracion | None = None,
        margen_en_vuelo: float = 60.0,
        correo: CorreoComprobantes | None = None,
    ) -> None:
        super().__init__(uow_factory, reloj, bus, config)
        self._correo = correo
        self._margen = timedelta(seconds=margen_en_vuelo)
        self._sri = sri
        self._xml_firmado = xml_firmado
        self._ahora = ahora

    def paso(self, pendiente: ComprobantePendiente) -> Paso:
        """Do the next step for the document. ErrorTransitorioSri propagates (nothing was
        recorded for the failed call; a send in flight is asked about next time)."""
        documento = self.documento(pendiente)
        if documento.debe_consultarse:
            assert documento.clave_acceso is not None
            respuesta = self._sri.autorizacion(documento.clave_acceso)
            return self._registrar_autorizacion(pendiente, respuesta)
        if documento.debe_enviarse:
            return self._enviar(pendiente)
        if documento.debe_enviarse_correo and self._correo is not None:
            return self._enviar_correo(pendiente, documento)
        return Paso.NADA

    def _enviar_correo(
        self, pendiente: ComprobantePendiente, documento: Factura | NotaCredito
    ) -> Paso:
        """Mail the authorized XML and RIDE, then record it: at least once (a crash between
        the two mails it again). ErrorCorreo propagates and nothing is recorded."""
        assert self._correo is not None
        para = documento.correo_del_comprador()
        assert para is not None
        assert documento.numero is not None
        self._correo.enviar(pendiente, documento.numero, para)

        def anotar(uow: UnidadDeTrabajo) -> Paso:
            actual = cargar_documento(uow, pendiente)
            if not actual.debe_enviarse_correo:
                return Paso.NADA
            actual.registrar_correo(para, self._ahora())
            return Paso.CORREO

        return self._ejecutar(anotar, _metadatos())

    def _enviar(self, pendiente: ComprobantePendiente) -> Paso:
        xml = self._xml_firmado(pendiente.tipo, pendiente.documento_id)

        def reservar(uow: UnidadDeTrabajo) -> bool:
            documento = cargar_documento(uow, pendiente)
            if not documento.debe_enviarse:
                return False  # another dispatcher got there first
            documento.registrar_envio(self._ahora())
            return True

        if not self._ejecutar(reservar, _metadatos()):
            return Paso.NADA
        try:
            respuesta = self._sri.enviar(xml)
        except ErrorTransitorioSri as error:
            if not error.quizas_recibido:
                self._ejecutar(self._no_entregado(pendiente, str(error)), _metadatos())
            raise

        def anotar(uow: UnidadDeTrabajo) -> Paso:
            documento = cargar_documento(uow, pendiente)
            if not documento.en_vuelo:
                return Paso.NADA  # someone recorded the outcome meanwhile
            documento.registrar_recepcion(
                respuesta.estado == "RECIBIDA", _datos(respuesta.mensajes), self._ahora()
            )
            return Paso.ENVIADO

        return self._ejecutar(anotar, _metadatos())

    def _no_entregado(
        self, pendiente: ComprobantePendiente, motivo: str
    ) -> Callable[[UnidadDeTrabajo], None]:
        def anotar(uow: UnidadDeTrabajo) -> None:
            documento = cargar_documento(uow, pendiente)
            if documento.en_vuelo:
                documento.registrar_no_entregado(motivo, self._ahora())

        return anotar

    def _registrar_autorizacion(
        self, pendiente: ComprobantePendiente, respuesta: RespuestaAutorizacion
    ) -> Paso:
        def anotar(uow: UnidadDeTrabajo) -> Paso:
            documento = cargar_documento(uow, pendiente)
            if not documento.debe_consultarse:
                return Paso.NADA  # another dispatcher recorded it meanwhile
            ahora = self._ahora()
            if respuesta.rechazada:
                # The SRI refused the query itself (80: a malformed clave): a bug to look at.
                documento.registrar_autorizacion(
                    "NO AUTORIZADO", ahora, mensajes=_datos(respuesta.mensajes)
                )
                return Paso.CONSULTADO
            vigente = respuesta.vigente()
            if vigente is None:
                enviado = documento.enviado_en
                if documento.en_vuelo and enviado is not None and ahora - enviado < self._margen:
                    # A send this recent may still be on its way (another dispatcher's,
                    # whose lease lapsed mid-call): only once it is surely lost is it sent
                    # again, or the SRI would get the clave twice.
                    return Paso.CONSULTADO
                documento.registrar_autorizacion(None, ahora)
            else:
                documento.registrar_autorizacion(
                    vigente.estado,
                    ahora,
                    mensajes=_datos(vigente.mensajes),
                    numero_autorizacion=vigente.numero_autorizacion,
                    fecha_autorizacion=vigente.fecha_autorizacion,
                    ambiente=vigente.ambiente,
                    autorizacion=vigente.xml,
                )
            return Paso.CONSULTADO

        return self._ejecutar(anotar, _metadatos())

    def documento(self, pendiente: ComprobantePendiente) -> Factura | NotaCredito:
        """The document as stored now (to see where its process stands)."""
        with self._uow_factory(_metadatos()) as uow:
            return cargar_documento(uow, pendiente)


def _metadatos() -> Metadatos:
    return Metadatos(usuario=USUARIO_SRI)


def _datos(mensajes: tuple[MensajeSri, ...]) -> tuple[MensajeSriDatos, ...]:
    return tuple(
        MensajeSriDatos(m.identificador, m.mensaje, m.informacion_adicional, m.tipo)
        for m in mensajes
    )
