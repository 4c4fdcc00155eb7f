"""What a factura and a nota de crédito share as electronic documents for the SRI: the
state of their comprobante, recorded as events on the document's own stream."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from prometeo.domain.aggregates.base import Agregado
from prometeo.domain.errores import OperacionNoPermitida, ValorInvalido
from prometeo.domain.events.base import EventoDominio
from prometeo.domain.events.comprobante import (
    ComprobanteAutorizado,
    ComprobanteCorregido,
    ComprobanteDevuelto,
    ComprobanteEnProceso,
    ComprobanteEnviado,
    ComprobanteFirmado,
    ComprobanteNoAutorizado,
    ComprobanteNoEntregado,
    ComprobanteNoValido,
    ComprobanteRecibido,
    CorreoEnviado,
    DatosComprador,
    MensajeSriDatos,
)


class EstadoSri(StrEnum):
    """PENDIENTE (not signed yet), FIRMADO (signed, not yet received), then the SRI's own
    words for its answers."""

    PENDIENTE = "PENDIENTE"
    FIRMADO = "FIRMADO"
    RECIBIDA = "RECIBIDA"
    DEVUELTA = "DEVUELTA"
    EN_PROCESO = "EN PROCESO"
    AUTORIZADO = "AUTORIZADO"
    NO_AUTORIZADO = "NO AUTORIZADO"


class ComprobanteElectronico(Agregado):
    """The base of Factura and NotaCredito. An emitted document is PENDIENTE until it is
    signed; its signed XML changes only when the SRI stopped it and a correction sends it
    back to be signed again, under the same clave de acceso."""

    TIPO_COMPROBANTE: ClassVar[str]

    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.numero: str | None = None
        self.clave_acceso: str | None = None
        self.estado_sri = EstadoSri.PENDIENTE
        self.errores_xml: tuple[str, ...] = ()
        # Sent to Recepción with no answer recorded yet (a crash may leave it so).
        self.en_vuelo = False
        self.enviado_en: datetime | None = None
        self.envios = 0
        self.mensajes_sri: tuple[MensajeSriDatos, ...] = ()
        self.numero_autorizacion: str | None = None
        self.correo_enviado = False
        # prometeo resends a stopped document on its own once in its whole life.
        self.reenvio_automatico = False
        self.correcciones = 0

    def _exigir_pendiente(self, accion: str) -> str:
        if self.numero is None or self.clave_acceso is None:
            raise OperacionNoPermitida(
                "ComprobanteEmitido",
                f"El documento {self.id} no está emitido: no se puede {accion}",
            )
        if self.estado_sri is not EstadoSri.PENDIENTE:
            raise OperacionNoPermitida(
                "ComprobantePendienteDeFirma",
                f"El comprobante {self.numero} ya está {self.estado_sri.value}: su XML firmado "
                "no cambia",
            )
        return self.clave_acceso

    def registrar_firma(self, xml: str, firmado_en: datetime) -> ComprobanteFirmado:
        """Record the signed XML (a signed document is signed again only after a
        correction)."""
        clave = self._exigir_pendiente("firmar")
        evento = ComprobanteFirmado(
            documento_id=self.id,
            tipo_comprobante=self.TIPO_COMPROBANTE,
            clave_acceso=clave,
            xml=xml,
            firmado_en=firmado_en,
        )
        self._registrar(evento)
        return evento

    def registrar_xml_no_valido(self, errores: tuple[str, ...], detectado_en: datetime) -> None:
        """Record that the document's XML broke the schema (it stays PENDIENTE)."""
        self._exigir_pendiente("validar")
        self._registrar(
            ComprobanteNoValido(
                documento_id=self.id,
                tipo_comprobante=self.TIPO_COMPROBANTE,
                errores=errores,
                detectado_en=detectado_en,
            )
        )

    # -- the SRI's process (SRI-ELECTRONICO.md §5) ------------------------------------------

    @property
    def debe_enviarse(self) -> bool:
        """Signed and never handed to Recepción (or sent with no answer, and the SRI then
        said it has nothing for this clave: see `registrar_autorizacion`)."""
        return self.estado_sri is EstadoSri.FIRMADO and not self.en_vuelo

    @property
    def debe_consultarse(self) -> bool:
        """Waiting for Autorización: received or in process; sent with no answer recorded
        (asked about before anything is sent again); or returned with 70 (clave in
        processing) or 43/45 (clave or secuencial already registered: perhaps by an earlier
        send of ours), which are never resent blindly."""
        if self.estado_sri in (EstadoSri.RECIBIDA, EstadoSri.EN_PROCESO) or self.en_vuelo:
            return True
        return self.estado_sri is EstadoSri.DEVUELTA and any(
            m.identificador in _DEVUELTA_CONSULTABLE for m in self.mensajes_sri
        )

    @property
    def detenido(self) -> bool:
        """Stopped by the SRI until it is corrected and resent: NO AUTORIZADO, or DEVUELTA
        for a reason other than 70/43/45."""
        if self.estado_sri is EstadoSri.NO_AUTORIZADO:
            return True
        return self.estado_sri is EstadoSri.DEVUELTA and not self.debe_consultarse

    def corregir(
        self,
        motivo: str,
        ahora: datetime,
        *,
        comprador: DatosComprador | None = None,
        cliente_id: str | None = None,
    ) -> ComprobanteCorregido:
        """A person fixed why the SRI stopped the document (the buyer as printed, given
        here; or something outside it: the certificate, the RUC's registration): it is
        signed again and resent with the same clave de acceso and secuencial."""
        if not self.detenido:
            raise OperacionNoPermitida(
                "ComprobanteDetenido",
                f"El comprobante {self.numero} está {self.estado_sri.value}: solo se corrige y "
                "reenvía uno DEVUELTA o NO AUTORIZADO por el SRI",
            )
        if not self.vigente:
            raise OperacionNoPermitida(
                "ComprobanteVigente",
                f"El comprobante {self.numero} está anulado: no se corrige ni se reenvía al SRI",
            )
        texto = motivo.strip()
        if not texto or len(texto) > LARGO_MAXIMO_MOTIVO:
            raise ValorInvalido(
                "MotivoCorreccion",
                f"Indique el motivo de la corrección (de 1 a {LARGO_MAXIMO_MOTIVO} caracteres)",
            )
        evento = ComprobanteCorregido(
            documento_id=self.id,
            tipo_comprobante=self.TIPO_COMPROBANTE,
            motivo=texto,
            corregido_en=ahora,
            cliente_id=cliente_id if comprador is not None else None,
            comprador=comprador,
        )
        self._registrar(evento)
        return evento

    def _reenviar_si_cabe(self, ahora: datetime) -> None:
        """Right after the SRI stopped the document: resend it once, signed anew, when its
        answer is one a new signature may fix; never a second time (the SRI blocks a
        document for a day after repeated NO AUTORIZADO answers)."""
        if not self.detenido or self.reenvio_automatico or not self.vigente:
            return
        codigos = sorted({m.identificador for m in self.mensajes_sri} & _REENVIO_AUTOMATICO)
        if not codigos:
            return
        self._registrar(
            ComprobanteCorregido(
                documento_id=self.id,
                tipo_comprobante=self.TIPO_COMPROBANTE,
                motivo=f"Reenvío automático tras el error {', '.join(codigos)} del SRI: se "
                "firma de nuevo",
                corregido_en=ahora,
                automatico=True,
            )
        )

    @property
    def vigente(self) -> bool:
        """Not annulled (an annulled sale is never sent to the SRI again)."""
        return True

    def _corregir_comprador(self, comprador: DatosComprador, cliente_id: str | None) -> None:
        """Take the corrected buyer (each document keeps its own copy)."""
        raise NotImplementedError

    def correo_del_comprador(self) -> str | None:
        """Where the authorized document goes: the buyer's email, never a consumidor
        final's (the document's own copy of the buyer)."""
        raise NotImplementedError

    @property
    def debe_enviarse_correo(self) -> bool:
        return (
            self.estado_sri is EstadoSri.AUTORIZADO
            and not self.correo_enviado
            and self.correo_del_comprador() is not None
        )

    def registrar_correo(self, para: str, ahora: datetime) -> None:
        """The authorized document was mailed to the buyer (at least once)."""
        if not self.debe_enviarse_correo:
            raise OperacionNoPermitida(
                "CorreoPendiente", f"El comprobante {self.numero} no espera correo"
            )
        self._registrar(
            CorreoEnviado(
                documento_id=self.id,
                tipo_comprobante=self.TIPO_COMPROBANTE,
                para=para,
                enviado_en=ahora,
            )
        )

    def registrar_envio(self, ahora: datetime) -> ComprobanteEnviado:
        """Record that the signed document is being handed to Recepción now."""
        if not self.debe_enviarse:
            raise OperacionNoPermitida(
                "ComprobantePorEnviar",
                f"El comprobante {self.numero} está {self.estado_sri.value}: no se envía",
            )
        assert self.clave_acceso is not None
        evento = ComprobanteEnviado(
            documento_id=self.id,
            tipo_comprobante=self.TIPO_COMPROBANTE,
            clave_acceso=self.clave_acceso,
            intento=self.envios + 1,
            enviado_en=ahora,
        )
        self._registrar(evento)
        return evento

    def registrar_no_entregado(self, motivo: str, ahora: datetime) -> None:
        """The send in flight surely never reached the SRI: it may go again at once."""
        if not self.en_vuelo:
            raise OperacionNoPermitida(
                "ComprobanteEnviado",
                f"El comprobante {self.numero} no tiene un envío en curso",
            )
        self._registrar(
            ComprobanteNoEntregado(
                documento_id=self.id,
                tipo_comprobante=self.TIPO_COMPROBANTE,
                motivo=motivo[:LARGO_MAXIMO_MOTIVO],
                detectado_en=ahora,
            )
        )

    def registrar_recepcion(
        self, recibida: bool, mensajes: tuple[MensajeSriDatos, ...], ahora: datetime
    ) -> None:
        """Recepción's answer to the send in flight."""
        if not self.en_vuelo:
            raise OperacionNoPermitida(
                "ComprobanteEnviado",
                f"El comprobante {self.numero} no espera respuesta de Recepción",
            )
        if recibida:
            self._registrar(
                ComprobanteRecibido(
                    documento_id=self.id,
                    tipo_comprobante=self.TIPO_COMPROBANTE,
                    recibido_en=ahora,
                    mensajes=mensajes,
                )
            )
        else:
            self._registrar(
                ComprobanteDevuelto(
                    documento_id=self.id,
                    tipo_comprobante=self.TIPO_COMPROBANTE,
                    devuelto_en=ahora,
                    mensajes=mensajes,
                )
            )
            self._reenviar_si_cabe(ahora)

    def registrar_autorizacion(
        self,
        estado: str | None,
        ahora: datetime,
        *,
        mensajes: tuple[MensajeSriDatos, ...] = (),
        numero_autorizacion: str | None = None,
        fecha_autorizacion: datetime | None = None,
        ambiente: str | None = None,
        autorizacion: str | None = None,
    ) -> None:
        """Autorización's answer: AUTORIZADO, NO AUTORIZADO, EN PROCESO, or None when the
        SRI has nothing for the clave. Nothing for a clave sent with no answer recorded
        means it never arrived: it may be sent again (`debe_enviarse`)."""
        if not self.debe_consultarse:
            raise OperacionNoPermitida(
                "ComprobantePorAutorizar",
                f"El comprobante {self.numero} está {self.estado_sri.value}: no se consulta",
            )
        comunes = {"documento_id": self.id, "tipo_comprobante": self.TIPO_COMPROBANTE}
        if estado == EstadoSri.AUTORIZADO.value:
            if numero_autorizacion is None or fecha_autorizacion is None:
                raise ValueError("Una autorización trae su número y su fecha")
            self._registrar(
                ComprobanteAutorizado(
                    **comunes,
                    numero_autorizacion=numero_autorizacion,
                    fecha_autorizacion=fecha_autorizacion,
                    ambiente=ambiente or "",
                    autorizacion=autorizacion or "",
                    mensajes=mensajes,
                )
            )
        elif estado == EstadoSri.NO_AUTORIZADO.value:
            self._registrar(
                ComprobanteNoAutorizado(**comunes, consultado_en=ahora, mensajes=mensajes)
            )
            self._reenviar_si_cabe(ahora)
        elif estado == EstadoSri.EN_PROCESO.value:
            if self.estado_sri is not EstadoSri.EN_PROCESO:
                self._registrar(ComprobanteEnProceso(**comunes, consultado_en=ahora))
        elif self.en_vuelo:
            # Sent, yet unknown to the SRI: the send never arrived. Sending again is safe
            # (a reception the SRI did get answers 43, which leads back here).
            self._registrar(
                ComprobanteDevuelto(
                    **comunes,
                    devuelto_en=ahora,
                    mensajes=(
                        MensajeSriDatos(
                            "0",
                            "El SRI no tiene este comprobante: se vuelve a enviar",
                            None,
                            "INFORMATIVO",
                        ),
                    ),
                )
            )

    def _aplicar_sri(self, evento: EventoDominio) -> bool:
        """Apply an event of the comprobante's life; False for any other event."""
        match evento:
            case ComprobanteFirmado():
                self.estado_sri = EstadoSri.FIRMADO
                self.errores_xml = ()
            case ComprobanteNoValido():
                self.errores_xml = evento.errores
            case ComprobanteEnviado():
                self.en_vuelo = True
                self.enviado_en = evento.enviado_en
                self.envios = evento.intento
            case ComprobanteNoEntregado():
                self.en_vuelo = False
            case ComprobanteRecibido():
                self.en_vuelo = False
                self.estado_sri = EstadoSri.RECIBIDA
                self.mensajes_sri = evento.mensajes
            case ComprobanteDevuelto():
                # "0" is ours: the SRI had nothing for a send in flight, so it goes again.
                volver = any(m.identificador == "0" for m in evento.mensajes) and self.en_vuelo
                self.en_vuelo = False
                self.estado_sri = EstadoSri.FIRMADO if volver else EstadoSri.DEVUELTA
                self.mensajes_sri = evento.mensajes
            case ComprobanteEnProceso():
                self.en_vuelo = False
                self.estado_sri = EstadoSri.EN_PROCESO
            case ComprobanteAutorizado():
                self.en_vuelo = False
                self.estado_sri = EstadoSri.AUTORIZADO
                self.mensajes_sri = evento.mensajes
                self.numero_autorizacion = evento.numero_autorizacion
            case ComprobanteNoAutorizado():
                self.en_vuelo = False
                self.estado_sri = EstadoSri.NO_AUTORIZADO
                self.mensajes_sri = evento.mensajes
            case CorreoEnviado():
                self.correo_enviado = True
            case ComprobanteCorregido():
                self.estado_sri = EstadoSri.PENDIENTE
                self.en_vuelo = False
                self.mensajes_sri = ()
                self.errores_xml = ()
                self.numero_autorizacion = None
                if evento.automatico:
                    self.reenvio_automatico = True
                else:
                    self.correcciones += 1
                if evento.comprador is not None:
                    self._corregir_comprador(evento.comprador, evento.cliente_id)
            case _:
                return False
        return True


LARGO_MAXIMO_MOTIVO = 300
# Answers a new signature of the same document may fix, so prometeo resends it once on its
# own: 39 firma inválida (a signature altered on its way), 50 error interno general. Any
# other reason needs a person: resending unchanged would only be refused again.
_REENVIO_AUTOMATICO = frozenset({"39", "50"})
# DEVUELTA answers that mean "ask Autorización, do not resend": 70 clave en procesamiento,
# 43 clave registrada, 45 secuencial registrado (perhaps by an earlier send of ours).
_DEVUELTA_CONSULTABLE = frozenset({"70", "43", "45"})
