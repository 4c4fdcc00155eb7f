"""Electronic documents: each emitted factura and nota de crédito is written as the SRI's
XML, checked against its schema and signed, off the emission's path, in emission order.

Signing a document is one unit of work on the document's own stream: the signed bytes go
into its ComprobanteFirmado, so two signers racing for one document conflict on commit and
the loser finds it signed (a document is signed once). A document whose XML breaks the
schema records why (once per distinct error) and stays PENDIENTE, never sent; the others
go on. No usable certificate stops the round (nothing can be signed) with ErrorFirma."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from prometeo.application.bus import BusDeMensajes
from prometeo.application.comandos import CorregirComprobante
from prometeo.application.config import Configuracion
from prometeo.application.servicios.base import FabricaUnidadDeTrabajo, ServicioAplicacion
from prometeo.application.servicios.conversiones import comprador_de
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
# Documents signed per unit of work.
POR_TRANSACCION = 25


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
            documento = cargar_documento(uow, ComprobantePendiente(tipo, documento_id))
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

    def corregir(self, cmd: CorregirComprobante, metadatos: Metadatos | None = None) -> None:
        """Record a person's correction of a document the SRI stopped: it goes back to
        PENDIENTE and the signer signs and sends it again under the same clave."""
        pendiente = ComprobantePendiente(cmd.tipo_comprobante, cmd.documento_id)

        def operacion(uow: UnidadDeTrabajo) -> None:
            documento = cargar_documento(uow, pendiente)
            datos = None
            if cmd.cliente_id is not None:
                datos = comprador_de(uow.catalogo.cliente(cmd.cliente_id)).datos()
            documento.corregir(
                cmd.motivo, self._ahora(), comprador=datos, cliente_id=cmd.cliente_id
            )

        self._ejecutar(operacion, metadatos)

    def firmar_pendientes(self, firma: FirmaComprobantes, limite: int = 100) -> RondaFirma:
        """Sign up to `limite` waiting documents, oldest first, POR_TRANSACCION to a unit
        of work (one commit for several signatures: on SQLite each commit holds the one
        write lock the cajeros need too). ErrorFirma (raised by the signer) ends the round:
        no document can be signed until the certificate is fixed."""
        pendientes = self._pendientes.pendientes(limite)
        resultados: list[_Resultado] = []
        for inicio in range(0, len(pendientes), POR_TRANSACCION):
            resultados.extend(self.firmar(pendientes[inicio : inicio + POR_TRANSACCION], firma))
        firmados = sum(1 for r in resultados if r.firmado)
        no_validos = sum(1 for r in resultados if r.no_valido)
        return RondaFirma(firmados, no_validos, len(resultados) - firmados - no_validos)

    def firmar(
        self, pendientes: Sequence[ComprobantePendiente], firma: FirmaComprobantes
    ) -> list[_Resultado]:
        """Sign these documents in one unit of work (or record why an XML is not valid)."""

        def operacion(uow: UnidadDeTrabajo) -> list[_Resultado]:
            return [self._firmar_uno(uow, p, firma) for p in pendientes]

        try:
            return self._ejecutar(operacion, Metadatos(usuario=USUARIO_FIRMA))
        except ErrorDeConcurrencia:
            # Other writers kept moving these documents (a nota crediting a factura
            # appends to its stream): they are looked at again in the next round, where
            # a signed one is skipped.
            return [_Resultado() for _ in pendientes]

    def _firmar_uno(
        self, uow: UnidadDeTrabajo, pendiente: ComprobantePendiente, firma: FirmaComprobantes
    ) -> _Resultado:
        documento = cargar_documento(uow, pendiente)
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


def cargar_documento(
    uow: UnidadDeTrabajo, pendiente: ComprobantePendiente
) -> Factura | NotaCredito:
    """The factura or nota de crédito a pending comprobante names."""
    if pendiente.tipo == TipoComprobante.FACTURA.value:
        return uow.facturas.obtener(pendiente.documento_id)
    return uow.notas_credito.obtener(pendiente.documento_id)
