"""The client of the SRI's offline web services (the ServicioSri port): Recepción and
Autorización over SOAP 1.1 document/literal, as raw POSTs of a fixed envelope built with
lxml, and answers read by element local name (prefixes and whitespace vary between SRI
servers). No WSDL is ever fetched (SRI-ELECTRONICO.md §3).

Anything that is not an answer about the document (timeout, refused connection, HTTP error,
an HTML page, a soap:Fault, XML without the expected response) is ErrorTransitorioSri:
the caller tries again later, and nothing of the document is ever put in its message."""

from __future__ import annotations

import base64
import copy
import logging
import time
from collections.abc import Callable
from datetime import datetime
from types import TracebackType

import httpx
from lxml import etree

from prometeo.application.sri import (
    Autorizacion,
    ErrorTransitorioSri,
    MensajeSri,
    RespuestaAutorizacion,
    RespuestaRecepcion,
)
from prometeo.infrastructure.reloj import HORA_ECUADOR

logger = logging.getLogger("prometeo.sri")

RUTA_RECEPCION = "/comprobantes-electronicos-ws/RecepcionComprobantesOffline"
RUTA_AUTORIZACION = "/comprobantes-electronicos-ws/AutorizacionComprobantesOffline"
URL_POR_AMBIENTE = {"1": "https://celcer.sri.gob.ec", "2": "https://cel.sri.gob.ec"}

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
RECEPCION = "http://ec.gob.sri.ws.recepcion"
AUTORIZACION = "http://ec.gob.sri.ws.autorizacion"
CABECERAS = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'}
ESTADOS_RECEPCION = frozenset({"RECIBIDA", "DEVUELTA"})
_EXTRACTO = 200  # characters of an unusable answer that reach a log or a message

# Told of every call: (servicio "recepcion" | "autorizacion", resultado "ok" when the SRI
# answered HTTP 2xx else "error", seconds it took).
Observador = Callable[[str, str, float], None]

# An answer is data, never instructions: no entities, no DTD, no network. CDATA is kept so
# that the `<autorizacion>` element re-serializes as the SRI sent it.
_LECTOR = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, strip_cdata=False
)


def url_por_ambiente(ambiente: str) -> str:
    """The SRI's host for a comprobante's `ambiente`: "1" pruebas, "2" producción."""
    try:
        return URL_POR_AMBIENTE[ambiente]
    except KeyError:
        raise ValueError(
            f"Ambiente del SRI desconocido: {ambiente!r} (1 pruebas, 2 producción)"
        ) from None


class ClienteSri:
    """The SRI's Recepción and Autorización services at `url_base` (e.g.
    https://celcer.sri.gob.ec). One httpx.Client is reused, so its connections are pooled;
    every call is bounded by `timeout` seconds, also on a client handed in. `cerrar()`
    closes the client only when this object made it."""

    def __init__(
        self,
        url_base: str,
        *,
        timeout: float = 30.0,
        cliente: httpx.Client | None = None,
        al_responder: Observador | None = None,
    ) -> None:
        base = url_base.rstrip("/")
        self._al_responder = al_responder
        self._url_recepcion = base + RUTA_RECEPCION
        self._url_autorizacion = base + RUTA_AUTORIZACION
        self._timeout = httpx.Timeout(timeout)
        self._propio = cliente is None
        self._cliente = cliente if cliente is not None else httpx.Client(timeout=timeout)

    def enviar(self, firmado: bytes) -> RespuestaRecepcion:
        """Hand the signed comprobante, byte for byte, to Recepción."""
        sobre = _sobre(RECEPCION, "validarComprobante", "xml", base64.b64encode(firmado).decode())
        respuesta = _respuesta(
            self._post(self._url_recepcion, sobre), "RespuestaRecepcionComprobante"
        )
        mensajes = _mensajes(respuesta, "{*}comprobantes/{*}comprobante/{*}mensajes/{*}mensaje")
        estado = _texto(respuesta, "estado")
        if estado is None and mensajes:
            estado = "DEVUELTA"  # error 35 comes without one
        if estado not in ESTADOS_RECEPCION:
            # A verdict needs a known state, or at least the messages of a refusal.
            raise ErrorTransitorioSri(
                f"Recepción del SRI respondió sin un estado conocido: {(estado or '')[:_EXTRACTO]}"
            )
        return RespuestaRecepcion(estado=estado, mensajes=mensajes)

    def autorizacion(self, clave_acceso: str) -> RespuestaAutorizacion:
        """Ask Autorización about `clave_acceso`: its entries in the SRI's order."""
        sobre = _sobre(
            AUTORIZACION, "autorizacionComprobante", "claveAccesoComprobante", clave_acceso
        )
        respuesta = _respuesta(
            self._post(self._url_autorizacion, sobre), "RespuestaAutorizacionComprobante"
        )
        autorizaciones: list[Autorizacion] = []
        rechazos: list[MensajeSri] = []
        rechazada = False
        for entrada in respuesta.iterfind("{*}autorizaciones/{*}autorizacion"):
            if _texto(entrada, "estado") == "RECHAZADA":
                # A refused query (80: a malformed clave) is no entry of the document.
                rechazada = True
                rechazos.extend(_mensajes(entrada))
            else:
                autorizaciones.append(_autorizacion(entrada))
        return RespuestaAutorizacion(
            autorizaciones=tuple(autorizaciones), rechazada=rechazada, mensajes=tuple(rechazos)
        )

    def cerrar(self) -> None:
        if self._propio:
            self._cliente.close()

    def __enter__(self) -> ClienteSri:
        return self

    def __exit__(
        self,
        _tipo: type[BaseException] | None,
        _error: BaseException | None,
        _traza: TracebackType | None,
    ) -> None:
        self.cerrar()

    def _post(self, url: str, sobre: bytes) -> bytes:
        inicio = time.perf_counter()
        resultado = "error"
        try:
            contenido = self._llamar(url, sobre)
            resultado = "ok"
            return contenido
        finally:
            if self._al_responder is not None:
                servicio = "recepcion" if url == self._url_recepcion else "autorizacion"
                self._al_responder(servicio, resultado, time.perf_counter() - inicio)

    def _llamar(self, url: str, sobre: bytes) -> bytes:
        try:
            respuesta = self._cliente.post(
                url, content=sobre, headers=CABECERAS, timeout=self._timeout
            )
        except (httpx.ConnectError, httpx.ConnectTimeout) as error:
            # No connection, so not a byte of the request reached the SRI.
            raise ErrorTransitorioSri(
                f"No se pudo conectar con el SRI ({type(error).__name__}: "
                f"{str(error)[:_EXTRACTO]})",
                quizas_recibido=False,
            ) from error
        except httpx.TimeoutException as error:
            raise ErrorTransitorioSri(
                f"El SRI no respondió a tiempo ({type(error).__name__})"
            ) from error
        except httpx.RequestError as error:
            raise ErrorTransitorioSri(
                f"No se pudo hablar con el SRI ({type(error).__name__}: {str(error)[:_EXTRACTO]})"
            ) from error
        if not respuesta.is_success:
            falla = _falla(respuesta.content)
            logger.warning(
                "El SRI respondió HTTP %s: %r", respuesta.status_code, respuesta.content[:_EXTRACTO]
            )
            raise ErrorTransitorioSri(
                f"El SRI respondió HTTP {respuesta.status_code}" + (f": {falla}" if falla else "")
            )
        return respuesta.content


def _sobre(espacio: str, operacion: str, parametro: str, valor: str) -> bytes:
    """The SOAP 1.1 request: `<ns0:operacion><parametro>valor</parametro>`, the parameter
    unqualified (the WSDLs' elementFormDefault="unqualified")."""
    sobre = etree.Element(f"{{{SOAP}}}Envelope", nsmap={"soapenv": SOAP})
    cuerpo = etree.SubElement(sobre, f"{{{SOAP}}}Body")
    llamada = etree.SubElement(cuerpo, f"{{{espacio}}}{operacion}", nsmap={"ns0": espacio})
    etree.SubElement(llamada, parametro).text = valor
    return etree.tostring(sobre, encoding="UTF-8", xml_declaration=False)


def _respuesta(cuerpo: bytes, nombre: str) -> etree._Element:
    """The service's response element, found by local name; ErrorTransitorioSri when the
    body is not XML (an HTML 502 page), is a soap:Fault or lacks the element."""
    try:
        raiz = etree.fromstring(cuerpo, _LECTOR)
    except (etree.XMLSyntaxError, ValueError):
        logger.warning("El SRI respondió algo que no es XML: %r", cuerpo[:_EXTRACTO])
        raise ErrorTransitorioSri("El SRI respondió algo que no es XML") from None
    if raiz.getroottree().docinfo.doctype:
        # SOAP 1.1 forbids a DTD; one here is not the SRI speaking (and its entities are
        # never resolved).
        raise ErrorTransitorioSri("El SRI respondió un XML con DTD, que SOAP no admite")
    falla = _falla_de(raiz)
    if falla is not None:
        raise ErrorTransitorioSri(f"El SRI respondió con un soap:Fault: {falla}")
    respuesta = next(raiz.iter(f"{{*}}{nombre}"), None)
    if respuesta is None:
        logger.warning("El SRI respondió sin %s: %r", nombre, cuerpo[:_EXTRACTO])
        raise ErrorTransitorioSri(f"El SRI respondió un XML sin {nombre}")
    return respuesta


def _falla(cuerpo: bytes) -> str | None:
    try:
        return _falla_de(etree.fromstring(cuerpo, _LECTOR))
    except (etree.XMLSyntaxError, ValueError):
        return None


def _falla_de(raiz: etree._Element) -> str | None:
    """A soap:Fault's faultstring (SOAP 1.2: its Reason), truncated; None without one."""
    falla = next(raiz.iter("{*}Fault"), None)
    if falla is None:
        return None
    motivo = _texto(falla, "faultstring") or " ".join(
        t.strip() for t in falla.itertext() if t.strip()
    )
    return motivo[:_EXTRACTO] or "sin detalle"


def _autorizacion(entrada: etree._Element) -> Autorizacion:
    estado = _texto(entrada, "estado")
    if estado is None:
        raise ErrorTransitorioSri("Autorización del SRI respondió una entrada sin estado")
    limpia = copy.deepcopy(entrada)
    etree.cleanup_namespaces(limpia)  # drop the envelope's declarations it does not use
    # In UTF-8 every character fits, so the CDATA comes out as sent (lxml writes a
    # character its encoding lacks as a literal "&#...;" inside CDATA).
    xml = etree.tostring(limpia, encoding="UTF-8", xml_declaration=True, with_tail=False)
    return Autorizacion(
        estado=estado,
        numero_autorizacion=_texto(entrada, "numeroAutorizacion"),
        fecha_autorizacion=_fecha(_texto(entrada, "fechaAutorizacion")),
        ambiente=_texto(entrada, "ambiente"),
        comprobante=_texto(entrada, "comprobante"),
        mensajes=_mensajes(entrada),
        xml=xml.decode("utf-8"),
    )


def _mensajes(
    elemento: etree._Element, camino: str = "{*}mensajes/{*}mensaje"
) -> tuple[MensajeSri, ...]:
    return tuple(
        MensajeSri(
            identificador=_texto(m, "identificador") or "",
            mensaje=_texto(m, "mensaje") or "",
            informacion_adicional=_texto(m, "informacionAdicional"),
            tipo=_texto(m, "tipo") or "ERROR",
        )
        for m in elemento.iterfind(camino)
    )


def _texto(elemento: etree._Element, nombre: str) -> str | None:
    """The stripped text of the child `nombre` in any namespace; None when absent or empty.
    Stripping is safe for the comprobante too: an XML declaration must come first."""
    hijo = elemento.find(f"{{*}}{nombre}")
    texto = (hijo.text or "").strip() if hijo is not None else ""
    return texto or None


def _fecha(texto: str | None) -> datetime | None:
    """fechaAutorizacion, ISO 8601 with or without milliseconds; without an offset it is
    Ecuador's time. Unreadable, it is logged and left out: the entry still counts."""
    if texto is None:
        return None
    try:
        fecha = datetime.fromisoformat(texto)
    except ValueError:
        logger.warning("fechaAutorizacion ilegible: %r", texto[:_EXTRACTO])
        return None
    return fecha if fecha.tzinfo is not None else fecha.replace(tzinfo=HORA_ECUADOR)


class ClienteSriPorAmbiente:
    """The ServicioSri of the configured URL (PROMETEO_SRI_URL) or, unset, of the emisor's
    ambiente as it is when each call is made (pruebas or producción), one client per URL."""

    def __init__(
        self,
        url: Callable[[], str],
        *,
        timeout: float = 30.0,
        al_responder: Observador | None = None,
    ) -> None:
        self._url = url
        self._timeout = timeout
        self._al_responder = al_responder
        self._clientes: dict[str, ClienteSri] = {}

    def _cliente(self) -> ClienteSri:
        url = self._url()
        cliente = self._clientes.get(url)
        if cliente is None:
            cliente = self._clientes[url] = ClienteSri(
                url, timeout=self._timeout, al_responder=self._al_responder
            )
        return cliente

    def enviar(self, firmado: bytes) -> RespuestaRecepcion:
        return self._cliente().enviar(firmado)

    def autorizacion(self, clave_acceso: str) -> RespuestaAutorizacion:
        return self._cliente().autorizacion(clave_acceso)

    def cerrar(self) -> None:
        for cliente in self._clientes.values():
            cliente.cerrar()
