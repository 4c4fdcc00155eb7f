"""The SOAP 1.1 of the SRI's offline web services as the simulator speaks it: reading the
two requests by local name, and writing answers shaped like the real ones (recorded in
tests/unit/infrastructure/sri/respuestas_sri/): unqualified children inside the `ns2:`
response element, no XML declaration, the comprobante in CDATA."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from prometeo.application.sri import Autorizacion, MensajeSri

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
RECEPCION = "http://ec.gob.sri.ws.recepcion"
AUTORIZACION = "http://ec.gob.sri.ws.autorizacion"
TIPO_XML = "text/xml; charset=utf-8"
# What a proxy in front of the SRI answers when the service behind it is down.
PAGINA_502 = (
    b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway"
    b"</h1></center><hr><center>Simulador de prometeo</center></body></html>"
)
# Requests come from our own client or a test; still no entities and no network.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class PeticionNoValida(Exception):
    """The body is not the SOAP request this service takes (answered with a soap:Fault)."""


@dataclass(frozen=True, slots=True)
class Peticion:
    """One SOAP call: its operation's local name and the text of its one argument."""

    operacion: str
    argumento: str


def leer_peticion(cuerpo: bytes, operacion: str, argumento: str) -> Peticion:
    """`operacion`'s request with its `argumento` child (both by local name, whatever the
    prefixes), or PeticionNoValida."""
    try:
        sobre = etree.fromstring(cuerpo, _PARSER)
    except etree.XMLSyntaxError as error:
        raise PeticionNoValida(f"El cuerpo no es XML: {error}") from None
    cuerpo_soap = sobre.find(f"{{{SOAP}}}Body")
    if etree.QName(sobre).text != f"{{{SOAP}}}Envelope" or cuerpo_soap is None:
        raise PeticionNoValida("Se esperaba un soap:Envelope con soap:Body (SOAP 1.1)")
    llamada = next((e for e in cuerpo_soap if _local(e) == operacion), None)
    if llamada is None:
        raise PeticionNoValida(f"Este servicio atiende solo {operacion}")
    valor = next((e for e in llamada if _local(e) == argumento), None)
    if valor is None:
        raise PeticionNoValida(f"{operacion} sin el elemento {argumento}")
    return Peticion(operacion, (valor.text or "").strip())


def respuesta_recepcion(
    estado: str | None, clave_acceso: str, mensajes: Sequence[MensajeSri] = ()
) -> bytes:
    """validarComprobanteResponse. RECIBIDA comes with an empty `comprobantes`; `estado`
    None is the real 35 for a file that is not XML, which has no `estado` element."""
    respuesta = _respuesta(RECEPCION, "validarComprobanteResponse", "RespuestaRecepcionComprobante")
    if estado is not None:
        _texto(respuesta, "estado", estado)
    comprobantes = etree.SubElement(respuesta, "comprobantes")
    if mensajes:
        comprobante = etree.SubElement(comprobantes, "comprobante")
        _texto(comprobante, "claveAcceso", clave_acceso)
        _mensajes(comprobante, mensajes)
    return _sobre(respuesta)


def respuesta_autorizacion(
    clave_acceso: str | None,
    autorizaciones: Sequence[Autorizacion],
    *,
    con_numero: bool = True,
) -> bytes:
    """autorizacionComprobanteResponse with its entries. The real EN PROCESO answer has no
    numeroComprobantes (`con_numero=False`); the RECHAZADA one, no claveAccesoConsultada
    (`clave_acceso` None)."""
    respuesta = _respuesta(
        AUTORIZACION, "autorizacionComprobanteResponse", "RespuestaAutorizacionComprobante"
    )
    if clave_acceso is not None:
        _texto(respuesta, "claveAccesoConsultada", clave_acceso)
    if con_numero:
        _texto(respuesta, "numeroComprobantes", str(len(autorizaciones)))
    lista = etree.SubElement(respuesta, "autorizaciones")
    for autorizacion in autorizaciones:
        _autorizacion(lista, autorizacion)
    return _sobre(respuesta)


def soap_fault(codigo: str, texto: str) -> bytes:
    """A SOAP 1.1 Fault (`codigo` "soap:Server" or "soap:Client"), sent with HTTP 500."""
    cuerpo = etree.Element(f"{{{SOAP}}}Body", nsmap={"soap": SOAP})
    fallo = etree.SubElement(cuerpo, f"{{{SOAP}}}Fault")
    _texto(fallo, "faultcode", codigo)
    _texto(fallo, "faultstring", texto)
    return _envolver(cuerpo)


def _autorizacion(lista: etree._Element, autorizacion: Autorizacion) -> None:
    elemento = etree.SubElement(lista, "autorizacion")
    _texto(elemento, "estado", autorizacion.estado)
    if autorizacion.numero_autorizacion is not None:
        _texto(elemento, "numeroAutorizacion", autorizacion.numero_autorizacion)
    if autorizacion.fecha_autorizacion is not None:
        # AUTORIZADO carries milliseconds, the NO AUTORIZADO samples whole seconds.
        precision = "milliseconds" if autorizacion.estado == "AUTORIZADO" else "seconds"
        fecha = autorizacion.fecha_autorizacion.isoformat(timespec=precision)
        _texto(elemento, "fechaAutorizacion", fecha)
    if autorizacion.ambiente is not None:
        _texto(elemento, "ambiente", autorizacion.ambiente)
    if autorizacion.comprobante is not None:
        comprobante = etree.SubElement(elemento, "comprobante")
        # CDATA cannot hold "]]>" (legal inside an attribute value): then escaped text,
        # which any XML reader turns into the same string.
        texto = autorizacion.comprobante
        comprobante.text = texto if "]]>" in texto else etree.CDATA(texto)
    if autorizacion.estado != "EN PROCESO":
        _mensajes(elemento, autorizacion.mensajes)


def _mensajes(padre: etree._Element, mensajes: Sequence[MensajeSri]) -> None:
    lista = etree.SubElement(padre, "mensajes")
    for mensaje in mensajes:
        elemento = etree.SubElement(lista, "mensaje")
        _texto(elemento, "identificador", mensaje.identificador)
        _texto(elemento, "mensaje", mensaje.mensaje)
        if mensaje.informacion_adicional is not None:
            _texto(elemento, "informacionAdicional", mensaje.informacion_adicional)
        _texto(elemento, "tipo", mensaje.tipo)


def _respuesta(espacio: str, operacion: str, raiz: str) -> etree._Element:
    cuerpo = etree.Element(f"{{{SOAP}}}Body", nsmap={"soap": SOAP})
    llamada = etree.SubElement(cuerpo, f"{{{espacio}}}{operacion}", nsmap={"ns2": espacio})
    return etree.SubElement(llamada, raiz)


def _sobre(respuesta: etree._Element) -> bytes:
    cuerpo = respuesta.getparent()
    assert cuerpo is not None
    body = cuerpo.getparent()
    assert body is not None
    return _envolver(body)


def _envolver(cuerpo: etree._Element) -> bytes:
    sobre = etree.Element(f"{{{SOAP}}}Envelope", nsmap={"soap": SOAP})
    sobre.append(cuerpo)
    return etree.tostring(sobre, encoding="UTF-8", xml_declaration=False)


def _texto(padre: etree._Element, nombre: str, texto: str) -> None:
    etree.SubElement(padre, nombre).text = texto


def _local(elemento: etree._Element) -> str:
    return etree.QName(elemento).localname if isinstance(elemento.tag, str) else ""
