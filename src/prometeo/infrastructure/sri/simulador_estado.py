"""The simulated SRI's memory and verdicts, behind the HTTP of simulador.py: what it does
with a validarComprobante and an autorizacionComprobante, per clave de acceso, in the
order the real one checks (SRI-ELECTRONICO §1.4, 6): the XML, the schema, the clave not
registered yet, and the signature, which only authorization reports (39)."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from prometeo.application.sri import Autorizacion, MensajeSri
from prometeo.infrastructure.reloj import HORA_ECUADOR
from prometeo.infrastructure.sri.simulador_casos import DEVOLUCIONES, Caso, Servicio, TipoCaso
from prometeo.infrastructure.sri.simulador_recibido import ComprobanteRecibido, leer_comprobante
from prometeo.infrastructure.sri.simulador_soap import (
    PAGINA_502,
    TIPO_XML,
    Peticion,
    PeticionNoValida,
    leer_peticion,
    respuesta_autorizacion,
    respuesta_recepcion,
    soap_fault,
)

ETIQUETA = "Simulador de prometeo"
_registro = logging.getLogger("prometeo.sri.simulador")
_CLAVE = re.compile(r"[0-9]{49}")
_NO_ES_XML = MensajeSri(
    "35",
    "ARCHIVO NO CUMPLE ESTRUCTURA XML",
    "Se encontró el siguiente error en la estructura del comprobante: ec.gob.sri.comprobantes"
    ".exception.ConversionArchivoXMLException: Error al convertir el archivo xml",
)
_FIRMA_INVALIDA = "La firma es invalida [Firma inválida (firma y/o certificados alterados)]"
_AVISO_PRUEBAS = MensajeSri(
    "60",
    "ESTE PROCESO FUE REALIZADO EN EL AMBIENTE DE PRUEBAS",
    f"{ETIQUETA}: sin validez tributaria",
    "ADVERTENCIA",
)
_EN_PROCESO = Autorizacion("EN PROCESO")


@dataclass(frozen=True, slots=True)
class RespuestaHttp:
    estado: int
    tipo: str
    cuerpo: bytes


@dataclass
class _Documento:
    """The comprobante the simulated SRI holds for a clave, until and after its verdict."""

    recibido: ComprobanteRecibido
    recibido_en: float
    en_proceso: bool = False
    veredicto: Autorizacion | None = None


@dataclass
class _Clave:
    recibidos: int = 0
    documento: _Documento | None = None
    # Earlier NO AUTORIZADO verdicts: the real SRI keeps and returns them with the new one.
    anteriores: list[Autorizacion] = field(default_factory=list)


@dataclass
class _Programado:
    caso: Caso
    restantes: int


class SriSimulado:
    """The simulated Recepción and Autorización, thread-safe; state in memory only. A
    received document is EN PROCESO at its first query and decided at the next one, or
    at once when `demora` seconds have passed since it was received."""

    def __init__(
        self,
        demora: float = 0.5,
        *,
        ahora: Callable[[], datetime] | None = None,
        dormir: Callable[[float], None] = time.sleep,
    ) -> None:
        self._demora = demora
        self._ahora = ahora or (lambda: datetime.now(HORA_ECUADOR))
        self._dormir = dormir
        self._cerrojo = threading.Lock()
        self._claves: defaultdict[str, _Clave] = defaultdict(_Clave)
        # Each clave once, when its first validarComprobante arrived.
        self._llegadas: list[str] = []
        self._programados: defaultdict[tuple[Servicio, str | None], deque[_Programado]] = (
            defaultdict(deque)
        )

    def programar(self, clave: str | None, caso: Caso) -> None:
        """Play `caso` on the next requests to its service about `clave` (None: about any
        clave, once the ones programmed for the clave itself are spent); cases queue up."""
        with self._cerrojo:
            self._programados[caso.servicio, clave].append(_Programado(caso, caso.veces))

    def recibidos(self, clave: str) -> int:
        """How many validarComprobante carried this clave, whatever they were answered."""
        with self._cerrojo:
            registro = self._claves.get(clave)
            return registro.recibidos if registro else 0

    def claves_recibidas(self) -> list[str]:
        """Every clave a validarComprobante carried, once, in the order each first came
        (whatever it was answered)."""
        with self._cerrojo:
            return list(self._llegadas)

    def reiniciar(self) -> None:
        with self._cerrojo:
            self._claves.clear()
            self._llegadas.clear()
            self._programados.clear()

    def recepcion(self, cuerpo: bytes) -> RespuestaHttp:
        peticion = _peticion(cuerpo, "validarComprobante", "xml")
        recibido = leer_comprobante(peticion.argumento) if isinstance(peticion, Peticion) else None
        clave = recibido.clave if recibido else None
        with self._cerrojo:
            if clave:
                registro = self._claves[clave]
                if registro.recibidos == 0:
                    self._llegadas.append(clave)
                registro.recibidos += 1
            caso = self._tomar(Servicio.RECEPCION, clave)
        # A failure of the service comes before it reads anything.
        falla = self._falla(caso)
        if falla is not None:
            return falla
        if isinstance(peticion, PeticionNoValida):
            return _fallo("soap:Client", str(peticion))
        if caso is not None and caso.tipo is TipoCaso.DEVUELTA:
            assert caso.codigo is not None
            mensaje = MensajeSri(caso.codigo, DEVOLUCIONES[caso.codigo], f"{ETIQUETA}: programada")
            return _recepcion(clave, "DEVUELTA", mensaje)
        if recibido is None:
            return _recepcion(None, None, _NO_ES_XML)
        if recibido.errores:
            mensaje = MensajeSri("35", "DOCUMENTO INVÁLIDO", recibido.errores[0])
            return _recepcion(clave, "DEVUELTA", mensaje)
        assert clave is not None  # the schema requires it
        with self._cerrojo:
            registro = self._claves[clave]
            anterior = registro.documento
            if anterior is not None:
                if anterior.veredicto is None or anterior.veredicto.estado != "NO AUTORIZADO":
                    mensaje = MensajeSri("43", DEVOLUCIONES["43"])
                    return _recepcion(clave, "DEVUELTA", mensaje)
                # A NO AUTORIZADO document is corrected and sent again under its clave.
                registro.anteriores.append(anterior.veredicto)
            registro.documento = _Documento(recibido, time.monotonic())
        return _recepcion(clave, "RECIBIDA")

    def autorizacion(self, cuerpo: bytes) -> RespuestaHttp:
        peticion = _peticion(cuerpo, "autorizacionComprobante", "claveAccesoComprobante")
        clave = peticion.argumento if isinstance(peticion, Peticion) else None
        with self._cerrojo:
            caso = self._tomar(Servicio.AUTORIZACION, clave)
        falla = self._falla(caso)
        if falla is not None:
            return falla
        if clave is None:
            return _fallo("soap:Client", str(peticion))
        if not _CLAVE.fullmatch(clave):
            mensaje = MensajeSri("80", "ERROR EN LA ESTRUCTURA DE LA CLAVE DE ACCESO")
            cuerpo = respuesta_autorizacion(None, [Autorizacion("RECHAZADA", mensajes=(mensaje,))])
            return _registrada(f"autorización {clave!r}: RECHAZADA 80", cuerpo)
        with self._cerrojo:
            entradas, definitiva = self._consultar(clave, caso)
        cuerpo = respuesta_autorizacion(clave, entradas, con_numero=definitiva)
        estados = ", ".join(e.estado for e in entradas) or "sin autorizaciones"
        return _registrada(f"autorización {clave}: {estados}", cuerpo)

    def _consultar(self, clave: str, caso: Caso | None) -> tuple[list[Autorizacion], bool]:
        """The entries to answer, and False for the EN PROCESO answer (which has no
        numeroComprobantes). Called with the lock held."""
        registro = self._claves.get(clave) or _Clave()
        documento = registro.documento
        pendiente = documento is not None and documento.veredicto is None
        if caso is not None and caso.tipo is TipoCaso.EN_PROCESO:
            if documento is not None and pendiente:
                documento.en_proceso = True
            return [_EN_PROCESO], False
        if caso is not None and caso.tipo is TipoCaso.NO_AUTORIZADO:
            recibido = documento.recibido if documento else None
            nat = self._no_autorizado(recibido, f"{ETIQUETA}: programado")
            if documento is None or not pendiente:
                # Nothing pending to decide: this one answer says NO AUTORIZADO.
                return [*self._entradas(registro), nat], True
            documento.veredicto = nat
        if documento is None:
            return [], True
        if documento.veredicto is None:
            esperado = time.monotonic() - documento.recibido_en >= self._demora
            if not documento.en_proceso and not esperado:
                documento.en_proceso = True
                return [_EN_PROCESO], False
            documento.veredicto = self._veredicto(clave, documento.recibido)
        return self._entradas(registro), True

    def _entradas(self, registro: _Clave) -> list[Autorizacion]:
        documento = registro.documento
        actual = [documento.veredicto] if documento and documento.veredicto else []
        return [*registro.anteriores, *actual]

    def _veredicto(self, clave: str, recibido: ComprobanteRecibido) -> Autorizacion:
        if recibido.falla_firma is not None:
            return self._no_autorizado(recibido, f"{ETIQUETA}: {recibido.falla_firma}")
        # fechaAutorizacion to the millisecond, as the real one writes it.
        ahora = self._ahora().astimezone(HORA_ECUADOR)
        ahora = ahora.replace(microsecond=ahora.microsecond // 1000 * 1000)
        avisos = (_AVISO_PRUEBAS,) if recibido.ambiente == "PRUEBAS" else ()
        return Autorizacion("AUTORIZADO", clave, ahora, recibido.ambiente, recibido.texto, avisos)

    def _no_autorizado(self, recibido: ComprobanteRecibido | None, motivo: str) -> Autorizacion:
        """39 FIRMA INVALIDA, with the simulator's reason after the real text."""
        mensaje = MensajeSri("39", "FIRMA INVALIDA", f"{_FIRMA_INVALIDA} ({motivo})")
        return Autorizacion(
            "NO AUTORIZADO",
            None,
            self._segundo(),
            recibido.ambiente if recibido else None,
            recibido.texto if recibido else None,
            (mensaje,),
        )

    def _segundo(self) -> datetime:
        return self._ahora().astimezone(HORA_ECUADOR).replace(microsecond=0)

    def _tomar(self, servicio: Servicio, clave: str | None) -> Caso | None:
        """The programmed case for this request, if any (with the lock held): the clave's
        own first, then one for any clave."""
        for llave in ((servicio, clave), (servicio, None)):
            cola = self._programados.get(llave)
            if cola:
                programado = cola[0]
                programado.restantes -= 1
                if programado.restantes == 0:
                    cola.popleft()
                return programado.caso
        return None

    def _falla(self, caso: Caso | None) -> RespuestaHttp | None:
        """The failure of the service a case plays; a delay sleeps (without the lock) and
        lets the request be answered as usual."""
        if caso is None:
            return None
        if caso.tipo is TipoCaso.DEMORA:
            _registro.info("SIMULADOR del SRI: caso programado: %s", caso)
            self._dormir(caso.segundos)
        elif caso.tipo is TipoCaso.HTTP_502:
            _registro.info("SIMULADOR del SRI: caso programado: %s", caso)
            return RespuestaHttp(502, "text/html; charset=utf-8", PAGINA_502)
        elif caso.tipo is TipoCaso.SOAP_FAULT:
            _registro.info("SIMULADOR del SRI: caso programado: %s", caso)
            return _fallo("soap:Server", f"{ETIQUETA}: soap:Fault programado")
        return None


def _peticion(cuerpo: bytes, operacion: str, argumento: str) -> Peticion | PeticionNoValida:
    try:
        return leer_peticion(cuerpo, operacion, argumento)
    except PeticionNoValida as error:
        return error


def _recepcion(clave: str | None, estado: str | None, *mensajes: MensajeSri) -> RespuestaHttp:
    resumen = ", ".join(f"{m.identificador} {m.mensaje}" for m in mensajes)
    detalle = f"recepción {clave or 'N/A'}: {estado or 'sin estado'} {resumen}".rstrip()
    return _registrada(detalle, respuesta_recepcion(estado, clave or "N/A", mensajes))


def _registrada(detalle: str, cuerpo: bytes) -> RespuestaHttp:
    _registro.info("SIMULADOR del SRI (sin validez): %s", detalle)
    return RespuestaHttp(200, TIPO_XML, cuerpo)


def _fallo(codigo: str, texto: str) -> RespuestaHttp:
    _registro.info("SIMULADOR del SRI: soap:Fault %s %s", codigo, texto)
    return RespuestaHttp(500, TIPO_XML, soap_fault(codigo, texto))
