"""Electronic documents: each emitted factura and nota de crédito is written as the SRI's
XML, checked against its schema and signed, off the emission's path, in emission order.

Signing a document is one unit of work on the document's own stream: the signed bytes go
into its ComprobanteFirmado, so two signers racing for one document conflict on commit and
the loser finds it signed (a document is signed once). A document whose XML breaks the
schema records why (once per distinct error) and stays PENDIENTE, never sent; the others
go on. No usable certificate stops the round (nothing can be signed) with ErrorFirma."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from prometeo.application.bus import BusDeMensajes
from prometeo.application.config import Configuracion
from prometeo.application.servicios.base import FabricaUnidadDeTrabajo, ServicioAplicacion
from prometeo.application.sri import (
    ComprobantePendiente,
    ComprobantesPendientes,
    FirmaComprobantes,
    GeneradorRide,
    GeneradorXml,
    XmlNoValido,
)
from prometeo.application.unidad_de_trabajo import Metadatos, UnidadDeTrabajo
from prometeo.domain.aggregates.comprobante_electronico import EstadoSri
from prometeo.domain.aggregates.factura import Factura
from prometeo.domain.aggregates.nota_credito import NotaCredito
from prometeo.domain.errores import ErrorDeConcurrencia
from prometeo.domain.reloj import Reloj
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante

logger = logging.getLogger("prometeo.sri")

USUARIO_FIRMA = "firma-electronica"


@dataclass(frozen=True, slots=True)
class RondaFirma:
    """What one round of the signer did."""

    firmados: int = 0
    no_validos: int = 0
    ya_firmados: int = 0


@dataclass(frozen=True, slots=True)
class _Resultado:
    firmado: bool = False
    no_valido: bool = False


class ServicioComprobantes(ServicioAplicacion):
    """Signs the emitted documents that wait for it (see the module's docstring)."""

    def __init__(
        self,
        uow_factory: FabricaUnidadDeTrabajo,
        reloj: Reloj,
        bus: BusDeMensajes,
        *,
        pendientes: ComprobantesPendientes,
        generador: GeneradorXml,
        ahora: Callable[[], datetime],
        config: Configuracion | None = None,
        al_no_validar: Callable[[str, tuple[str, ...]], None] | None = None,
        ride: GeneradorRide | None = None,
    ) -> None:
        super().__init__(uow_factory, reloj, bus, config)
        self._ride = ride
        self._pendientes = pendientes
        self._generador = generador
        self._ahora = ahora
        self._al_no_validar = al_no_validar

    def xml_sin_firmar(self, tipo: str, documento_id: str) -> bytes:
        """The XML an emitted document will be signed with (to print its RIDE before it is
        signed); NoEncontrado, or XmlNoValido when it breaks the schema. Reads only."""
        with self._uow_factory(Metadatos(usuario=USUARIO_FIRMA)) as uow:
            documento = _cargar(uow, ComprobantePendiente(tipo, documento_id))
            return self._generador.xml(documento)

    def ride(
        self,
        xml: bytes,
        *,
        estado: str,
        numero_autorizacion: str | None = None,
        fecha_autorizacion: datetime | None = None,
    ) -> bytes:
        """The RIDE (PDF) of a comprobante's XML in the given SRI state."""
        if self._ride is None:
            raise RuntimeError("Sin generador de RIDE")
        return self._ride.ride(
            xml,
            estado=estado,
            numero_autorizacion=numero_autorizacion,
            fecha_autorizacion=fecha_autorizacion,
        )

    def firmar_pendientes(self, firma: FirmaComprobantes, limite: int = 100) -> RondaFirma:
        """Sign up to `limite` waiting documents, oldest first. ErrorFirma (raised by the
        signer) ends the round: no document can be signed until the certificate is fixed."""
        firmados = no_validos = ya = 0
        for pendiente in self._pendientes.pendientes(limite):
            resultado = self.firmar(pendiente, firma)
            if resultado.firmado:
                firmados += 1
            elif resultado.no_valido:
                no_validos += 1
            else:
                ya += 1
        return RondaFirma(firmados, no_validos, ya)

    def firmar(self, pendiente: ComprobantePendiente, firma: FirmaComprobantes) -> _Resultado:
        """Sign one document (or record why its XML is not valid)."""

        def operacion(uow: UnidadDeTrabajo) -> _Resultado:
            documento = _cargar(uow, pendiente)
            if documento.estado_sri is not EstadoSri.PENDIENTE:
                return _Resultado()
            try:
                xml = self._generador.xml(documento)
            except XmlNoValido as error:
                logger.error(
                    "El XML del comprobante %s no cumple el esquema del SRI; no se firma ni se "
                    "envía: %s",
                    documento.numero,
                    "; ".join(error.errores),
                )
                if self._al_no_validar is not None:
                    self._al_no_validar(pendiente.tipo, error.errores)
                if documento.errores_xml != error.errores:
                    documento.registrar_xml_no_valido(error.errores, self._ahora())
                return _Resultado(no_valido=True)
            firmado = firma.firmar(xml)
            documento.registrar_firma(firmado.decode("utf-8"), self._ahora())
            return _Resultado(firmado=True)

        try:
            return self._ejecutar(operacion, Metadatos(usuario=USUARIO_FIRMA))
        except ErrorDeConcurrencia:
            # Another signer (or a command) moved the document meanwhile: it is looked at
            # again in the next round, where a signed one is skipped.
            return _Resultado()


def _cargar(uow: UnidadDeTrabajo, pendiente: ComprobantePendiente) -> Factura | NotaCredito:
    if pendiente.tipo == TipoComprobante.FACTURA.value:
        return uow.facturas.obtener(pendiente.documento_id)
    return uow.notas_credito.obtener(pendiente.documento_id)
