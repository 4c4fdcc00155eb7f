"""For the SRI simulator's tests: comprobantes emitted and signed the real way (the domain's
builder, the XML generator, FirmadorXades with a test certificate), the two SOAP calls
over HTTP, and answers read by local name, as a client that knows no prefixes reads them."""

from __future__ import annotations

import base64
import dataclasses
from datetime import datetime
from functools import cache

import httpx
from lxml import etree

from prometeo.infrastructure.reloj import HORA_ECUADOR
from prometeo.infrastructure.sri.certificado_prueba import crear_certificado_prueba
from prometeo.infrastructure.sri.certificados import CredencialFirma, cargar_credencial
from prometeo.infrastructure.sri.firma import FirmadorXades
from prometeo.infrastructure.sri.xml_comprobantes import xml_de
from unit.domain.negocio import EMISOR, Negocio

AHORA = datetime.now(HORA_ECUADOR).replace(microsecond=0)
SOBRE = (
    '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/">'
    "<soap-env:Body>{}</soap-env:Body></soap-env:Envelope>"
)


@cache
def credencial(ruc: str = EMISOR.ruc) -> CredencialFirma:
    prueba = crear_certificado_prueba(ruc, "EMPRESA DE PRUEBA", b"clave", ahora=AHORA)
    return cargar_credencial(prueba.p12, b"clave", ahora=AHORA)


def firmador(ruc: str = EMISOR.ruc) -> FirmadorXades:
    return FirmadorXades(credencial(ruc), lambda: AHORA)


@dataclasses.dataclass
class Emisora:
    """A shop that emits and signs facturas, one new clave de acceso each."""

    ambiente: str = "1"
    negocio: Negocio = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        self.negocio = Negocio(emisor=dataclasses.replace(EMISOR, ambiente=self.ambiente))
        self.negocio.ingresar("a", "1000", "1.00")

    def xml(self) -> tuple[str, bytes]:
        """A new factura's clave and unsigned XML."""
        factura = self.negocio.borrador([("a", "3", "2.50")])
        self.negocio.emitir(factura)
        comprobante = xml_de(factura)
        return comprobante.clave_acceso, comprobante.contenido

    def firmada(self) -> tuple[str, bytes]:
        """A new factura's clave and signed bytes."""
        clave, xml = self.xml()
        return clave, firmador().firmar(xml)


def enviar_base64(url: str, texto: str) -> httpx.Response:
    llamada = (
        '<ns0:validarComprobante xmlns:ns0="http://ec.gob.sri.ws.recepcion">'
        f"<xml>{texto}</xml></ns0:validarComprobante>"
    )
    return _post(url, llamada)


def enviar(url: str, documento: bytes) -> httpx.Response:
    """validarComprobante of `documento`'s bytes (base64, as the WSDL's byte[])."""
    return enviar_base64(url, base64.b64encode(documento).decode("ascii"))


def consultar(url: str, clave: str) -> httpx.Response:
    llamada = (
        '<ns0:autorizacionComprobante xmlns:ns0="http://ec.gob.sri.ws.autorizacion">'
        f"<claveAccesoComprobante>{clave}</claveAccesoComprobante></ns0:autorizacionComprobante>"
    )
    return _post(url, llamada)


def _post(url: str, llamada: str) -> httpx.Response:
    return httpx.post(
        url,
        content=SOBRE.format(llamada).encode(),
        headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'},
        timeout=30,
    )


def leer(respuesta: httpx.Response) -> etree._Element:
    assert respuesta.status_code == 200, respuesta.text
    assert respuesta.headers["content-type"].startswith("text/xml")
    return etree.fromstring(respuesta.content)


def todos(raiz: etree._Element, nombre: str) -> list[etree._Element]:
    return [e for e in raiz.iter() if isinstance(e.tag, str) and etree.QName(e).localname == nombre]


def textos(raiz: etree._Element, nombre: str) -> list[str]:
    """The texts of the leaf elements so named (a `mensaje` holds a `mensaje`)."""
    return [e.text or "" for e in todos(raiz, nombre) if len(e) == 0]


def texto(raiz: etree._Element, nombre: str) -> str:
    hallados = textos(raiz, nombre)
    assert len(hallados) == 1, (nombre, hallados)
    return hallados[0]


def forma(elemento: etree._Element) -> tuple[object, ...]:
    """The tree of local names (no text, no prefixes), leaving out informacionAdicional,
    which the SRI's mensajes may or may not carry."""
    hijos = [
        forma(h)
        for h in elemento
        if isinstance(h.tag, str) and etree.QName(h).localname != "informacionAdicional"
    ]
    return (etree.QName(elemento).localname, *hijos)
