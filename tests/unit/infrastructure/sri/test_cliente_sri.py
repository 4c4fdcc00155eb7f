"""The SRI client against httpx.MockTransport, no network: the requests are the SOAP 1.1
envelopes of SRI-ELECTRONICO.md §3.2 (the signed bytes travel exactly, in base64), every
recorded answer in respuestas_sri/ reads as the port's values, and everything that is not
an answer about the document (timeouts, refused connections, 5xx, HTML, soap:Fault,
garbage) is ErrorTransitorioSri, with nothing of the document in its message."""

from __future__ import annotations

import base64
import contextlib
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
from lxml import etree

from prometeo.application.sri import (
    Autorizacion,
    ErrorTransitorioSri,
    MensajeSri,
    RespuestaAutorizacion,
    RespuestaRecepcion,
)
from prometeo.infrastructure.sri.cliente_sri import ClienteSri, url_por_ambiente

RESPUESTAS = Path(__file__).parent / "respuestas_sri"
FIRMADO = (Path(__file__).parent / "muestras" / "factura_tarifas_mixtas.xml").read_bytes()
CLAVE = "0312202201019007200200120029020004874985766297216"
URL = "https://celcer.sri.gob.ec"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
ECUADOR = timezone(timedelta(hours=-5))
LECTOR = etree.XMLParser(strip_cdata=False)

Respuesta = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


class SriFalso:
    """A MockTransport handler: keeps every request and answers with `respuesta` (a
    response, an exception to raise, or a function of the request)."""

    def __init__(self, respuesta: Respuesta) -> None:
        self.respuesta = respuesta
        self.peticiones: list[httpx.Request] = []

    def __call__(self, peticion: httpx.Request) -> httpx.Response:
        self.peticiones.append(peticion)
        if isinstance(self.respuesta, Exception):
            raise self.respuesta
        if isinstance(self.respuesta, httpx.Response):
            return self.respuesta
        return self.respuesta(peticion)


def sri(respuesta: Respuesta, **opciones: float) -> tuple[ClienteSri, SriFalso]:
    falso = SriFalso(respuesta)
    cliente = httpx.Client(transport=httpx.MockTransport(falso))
    return ClienteSri(URL, cliente=cliente, **opciones), falso


def grabada(nombre: str) -> bytes:
    return (RESPUESTAS / nombre).read_bytes()


def xml(contenido: bytes | str, estado: int = 200) -> httpx.Response:
    return httpx.Response(estado, content=contenido, headers={"Content-Type": "text/xml"})


def mensaje(identificador: str, texto: str, info: str | None = None, tipo: str = "ERROR"):
    return MensajeSri(identificador, texto, informacion_adicional=info, tipo=tipo)


CDATA_AUTORIZADO = (
    '<?xml version="1.0" encoding="UTF-8"?><factura id="comprobante" version="1.1.0">'
    "…the signed comprobante exactly as received…</factura>"
)
AUTORIZADO = Autorizacion(
    estado="AUTORIZADO",
    numero_autorizacion=CLAVE,
    fecha_autorizacion=datetime(2022, 12, 3, 10, 15, 34, 997000, tzinfo=ECUADOR),
    ambiente="PRUEBAS",
    comprobante=CDATA_AUTORIZADO,
    mensajes=(
        mensaje("60", "ESTE PROCESO FUE REALIZADO EN EL AMBIENTE DE PRUEBAS", tipo="ADVERTENCIA"),
    ),
)
NO_AUTORIZADO_39 = Autorizacion(
    estado="NO AUTORIZADO",
    fecha_autorizacion=datetime(2022, 12, 3, 10, 15, 34, tzinfo=ECUADOR),
    ambiente="PRUEBAS",
    comprobante=(
        '<?xml version="1.0" encoding="UTF-8"?><factura id="comprobante" version="1.1.0">'
        "…</factura>"
    ),
    mensajes=(
        mensaje(
            "39",
            "FIRMA INVALIDA",
            "La firma es invalida [Firma inválida (firma y/o certificados alterados)]",
        ),
    ),
)

# Every recorded answer and what it must read as (the entries' `xml` is checked apart).
RECEPCION = {
    "recepcion_recibida.xml": RespuestaRecepcion("RECIBIDA"),
    "recepcion_devuelta_43.xml": RespuestaRecepcion(
        "DEVUELTA", (mensaje("43", "CLAVE ACCESO REGISTRADA"),)
    ),
    "recepcion_devuelta_45.xml": RespuestaRecepcion(
        "DEVUELTA", (mensaje("45", "ERROR SECUENCIAL REGISTRADO"),)
    ),
    "recepcion_devuelta_70.xml": RespuestaRecepcion(
        "DEVUELTA", (mensaje("70", "CLAVE DE ACCESO EN PROCESAMIENTO"),)
    ),
    "recepcion_devuelta_35_esquema.xml": RespuestaRecepcion(
        "DEVUELTA",
        (
            mensaje(
                "35",
                "DOCUMENTO INVÁLIDO",
                "cvc-complex-type.2.4.a: Invalid content was found starting with element "
                "'dirEstablecimiento'. One of '{fechaEmision}' is expected.",
            ),
        ),
    ),
    "recepcion_devuelta_35_sin_estado.xml": RespuestaRecepcion(
        "DEVUELTA",
        (
            mensaje(
                "35",
                "ARCHIVO NO CUMPLE ESTRUCTURA XML",
                "Se encontró el siguiente error en la estructura del comprobante: "
                "ec.gob.sri.comprobantes.exception.ConversionArchivoXMLException: "
                "Error al convertir el archivo xml",
            ),
        ),
    ),
}
AUTORIZACION = {
    "autorizacion_autorizado.xml": RespuestaAutorizacion((AUTORIZADO,)),
    "autorizacion_no_autorizado_39.xml": RespuestaAutorizacion((NO_AUTORIZADO_39,)),
    "autorizacion_en_proceso.xml": RespuestaAutorizacion((Autorizacion("EN PROCESO"),)),
    "autorizacion_no_encontrada.xml": RespuestaAutorizacion(),
    "autorizacion_rechazada_80.xml": RespuestaAutorizacion(
        rechazada=True,
        mensajes=(mensaje("80", "ERROR EN LA ESTRUCTURA DE LA CLAVE DE ACCESO"),),
    ),
}


def sin_xml(respuesta: RespuestaAutorizacion) -> RespuestaAutorizacion:
    return replace(
        respuesta, autorizaciones=tuple(replace(a, xml=None) for a in respuesta.autorizaciones)
    )


def c14n(elemento: etree._Element) -> bytes:
    return etree.tostring(elemento, method="c14n", exclusive=True)


def entradas_de(cuerpo: bytes) -> list[etree._Element]:
    return etree.fromstring(cuerpo, LECTOR).findall(".//autorizaciones/autorizacion")


def test_every_recorded_answer_has_its_expected_reading() -> None:
    assert {p.name for p in RESPUESTAS.glob("*.xml")} == set(RECEPCION) | set(AUTORIZACION)


@pytest.mark.parametrize("nombre", sorted(RECEPCION))
def test_recepcion_reads_the_recorded_answer(nombre: str) -> None:
    cliente, _ = sri(xml(grabada(nombre)))

    assert cliente.enviar(FIRMADO) == RECEPCION[nombre]


@pytest.mark.parametrize("nombre", sorted(AUTORIZACION))
def test_autorizacion_reads_the_recorded_answer(nombre: str) -> None:
    cliente, _ = sri(xml(grabada(nombre)))

    respuesta = cliente.autorizacion(CLAVE)

    assert sin_xml(respuesta) == AUTORIZACION[nombre]
    # Each entry's xml is its <autorizacion> element as sent: a document of its own.
    enviadas = entradas_de(grabada(nombre)) if not respuesta.rechazada else []
    assert len(respuesta.autorizaciones) == len(enviadas)
    for entrada, enviada in zip(respuesta.autorizaciones, enviadas, strict=True):
        assert entrada.xml is not None
        assert entrada.xml.startswith("<?xml version='1.0' encoding='UTF-8'?>")
        propia = etree.fromstring(entrada.xml.encode("utf-8"), LECTOR)
        # Exclusive C14N: the envelope's namespaces in scope of `enviada` are not its own.
        assert c14n(propia) == c14n(enviada)


def test_the_authorized_entry_keeps_the_cdata_and_no_envelope_namespace() -> None:
    cliente, _ = sri(xml(grabada("autorizacion_autorizado.xml")))

    (autorizado,) = cliente.autorizacion(CLAVE).autorizaciones

    assert autorizado.xml is not None
    assert f"<comprobante><![CDATA[{CDATA_AUTORIZADO}]]></comprobante>" in autorizado.xml
    assert "xmlns" not in autorizado.xml
    assert autorizado.fecha_autorizacion is not None
    assert autorizado.fecha_autorizacion.utcoffset() == timedelta(hours=-5)
    assert autorizado.fecha_autorizacion.microsecond == 997000


def test_vigente_is_the_authorized_entry_among_earlier_refusals() -> None:
    """One clave, two entries: a NO AUTORIZADO attempt, then the AUTORIZADO one."""
    combinada = etree.fromstring(grabada("autorizacion_autorizado.xml"), LECTOR)
    autorizaciones = next(combinada.iter("autorizaciones"))
    autorizaciones.insert(0, entradas_de(grabada("autorizacion_no_autorizado_39.xml"))[0])
    next(combinada.iter("numeroComprobantes")).text = "2"
    cliente, _ = sri(xml(etree.tostring(combinada, encoding="UTF-8")))

    respuesta = cliente.autorizacion(CLAVE)

    assert sin_xml(respuesta) == RespuestaAutorizacion((NO_AUTORIZADO_39, AUTORIZADO))
    assert respuesta.vigente() == respuesta.autorizaciones[1]
    assert respuesta.autorizaciones[0].xml != respuesta.autorizaciones[1].xml


def test_other_prefixes_and_indentation_read_the_same() -> None:
    """Prefixes are the server's choice and answers may come indented."""
    texto = (
        grabada("autorizacion_autorizado.xml")
        .replace(b"soap:", b"S:")
        .replace(b"xmlns:soap=", b"xmlns:S=")
        .replace(b"ns2:", b"ns3:")
        .replace(b"xmlns:ns2=", b"xmlns:ns3=")
    )
    sangrada = etree.tostring(etree.fromstring(texto, LECTOR), pretty_print=True, encoding="UTF-8")
    assert b"\n  <S:Body>\n    <ns3:autorizacionComprobanteResponse" in sangrada
    cliente, _ = sri(xml(b'<?xml version="1.0" encoding="UTF-8"?>\n' + sangrada))

    assert sin_xml(cliente.autorizacion(CLAVE)) == AUTORIZACION["autorizacion_autorizado.xml"]


def test_a_date_without_milliseconds_or_offset_is_ecuadors_time() -> None:
    cuerpo = grabada("autorizacion_autorizado.xml").replace(
        b"2022-12-03T10:15:34.997-05:00", b"2022-12-03T10:15:34"
    )
    cliente, _ = sri(xml(cuerpo))

    (autorizado,) = cliente.autorizacion(CLAVE).autorizaciones

    assert autorizado.fecha_autorizacion == datetime(2022, 12, 3, 10, 15, 34, tzinfo=ECUADOR)
    assert autorizado.fecha_autorizacion.utcoffset() == timedelta(hours=-5)


def test_recepcion_request_is_the_soap_envelope_with_the_signed_bytes() -> None:
    cliente, falso = sri(xml(grabada("recepcion_recibida.xml")))

    cliente.enviar(FIRMADO)

    (peticion,) = falso.peticiones
    assert peticion.method == "POST"
    assert str(peticion.url) == (
        "https://celcer.sri.gob.ec/comprobantes-electronicos-ws/RecepcionComprobantesOffline"
    )
    assert peticion.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert peticion.headers["SOAPAction"] == '""'
    sobre = etree.fromstring(peticion.content)
    assert (sobre.tag, sobre.prefix) == (f"{{{SOAP}}}Envelope", "soapenv")
    (cuerpo,) = sobre
    (llamada,) = cuerpo
    assert cuerpo.tag == f"{{{SOAP}}}Body"
    assert (llamada.tag, llamada.prefix) == (
        "{http://ec.gob.sri.ws.recepcion}validarComprobante",
        "ns0",
    )
    (parametro,) = llamada
    assert parametro.tag == "xml"  # unqualified, as the WSDL says
    assert base64.b64decode(parametro.text, validate=True) == FIRMADO


def test_autorizacion_request_carries_the_clave() -> None:
    cliente, falso = sri(xml(grabada("autorizacion_autorizado.xml")))

    cliente.autorizacion(CLAVE)

    (peticion,) = falso.peticiones
    assert peticion.method == "POST"
    assert peticion.url.path == "/comprobantes-electronicos-ws/AutorizacionComprobantesOffline"
    assert peticion.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert peticion.headers["SOAPAction"] == '""'
    sobre = etree.fromstring(peticion.content)
    (llamada,) = sobre.find(f"{{{SOAP}}}Body")
    assert (llamada.tag, llamada.prefix) == (
        "{http://ec.gob.sri.ws.autorizacion}autorizacionComprobante",
        "ns0",
    )
    (parametro,) = llamada
    assert (parametro.tag, parametro.text) == ("claveAccesoComprobante", CLAVE)


def test_every_call_has_the_timeout_even_on_a_client_handed_in() -> None:
    def por_servicio(peticion: httpx.Request) -> httpx.Response:
        if peticion.url.path.endswith("RecepcionComprobantesOffline"):
            return xml(grabada("recepcion_recibida.xml"))
        return xml(grabada("autorizacion_en_proceso.xml"))

    cliente, falso = sri(por_servicio, timeout=7.0)

    cliente.enviar(FIRMADO)
    cliente.autorizacion(CLAVE)

    assert len(falso.peticiones) == 2
    for peticion in falso.peticiones:
        assert peticion.extensions["timeout"] == {
            "connect": 7.0,
            "read": 7.0,
            "write": 7.0,
            "pool": 7.0,
        }


def test_url_por_ambiente() -> None:
    assert url_por_ambiente("1") == "https://celcer.sri.gob.ec"
    assert url_por_ambiente("2") == "https://cel.sri.gob.ec"
    with pytest.raises(ValueError, match="Ambiente"):
        url_por_ambiente("3")


def test_a_trailing_slash_on_the_base_url_is_ignored() -> None:
    falso = SriFalso(xml(grabada("recepcion_recibida.xml")))
    http = httpx.Client(transport=httpx.MockTransport(falso))

    ClienteSri("https://cel.sri.gob.ec/", cliente=http).enviar(FIRMADO)

    assert str(falso.peticiones[0].url) == (
        "https://cel.sri.gob.ec/comprobantes-electronicos-ws/RecepcionComprobantesOffline"
    )


FAULT = (
    f'<soap:Envelope xmlns:soap="{SOAP}"><soap:Body><soap:Fault>'
    "<faultcode>soap:Server</faultcode><faultstring>java.lang.NullPointerException"
    "</faultstring></soap:Fault></soap:Body></soap:Envelope>"
)
HTML_502 = (
    "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway"
    "</h1></center><hr><center>nginx</center></body></html>"
)


def llamar(cliente: ClienteSri, servicio: str) -> object:
    return cliente.enviar(FIRMADO) if servicio == "recepcion" else cliente.autorizacion(CLAVE)


SERVICIOS = pytest.mark.parametrize("servicio", ["recepcion", "autorizacion"])


@SERVICIOS
@pytest.mark.parametrize(
    ("respuesta", "dice"),
    [
        pytest.param(httpx.ReadTimeout("timed out"), "a tiempo", id="read-timeout"),
        pytest.param(httpx.ConnectTimeout("timed out"), "conectar", id="connect-timeout"),
        pytest.param(
            httpx.ConnectError("[Errno 111] Connection refused"), "Connection refused", id="refused"
        ),
        pytest.param(httpx.RemoteProtocolError("peer closed"), "peer closed", id="cut"),
        pytest.param(xml(FAULT, 500), "HTTP 500: java.lang.NullPointerException", id="fault-500"),
        pytest.param(xml(FAULT), "soap:Fault: java.lang.NullPointerException", id="fault-200"),
        pytest.param(
            httpx.Response(502, text=HTML_502, headers={"Content-Type": "text/html"}),
            "HTTP 502",
            id="html-502",
        ),
        pytest.param(httpx.Response(503), "HTTP 503", id="empty-503"),
        pytest.param(httpx.Response(200, text="<html><body>Mantenimiento"), "no es XML", id="html"),
        pytest.param(httpx.Response(200, content=b"\x00\xff\x1f garbage"), "no es XML", id="bytes"),
        pytest.param(httpx.Response(200), "no es XML", id="empty"),
        pytest.param(xml(f'<x:Envelope xmlns:x="{SOAP}"><x:Body/></x:Envelope>'), "sin", id="no"),
    ],
)
def test_no_usable_answer_is_transient(servicio: str, respuesta: Respuesta, dice: str) -> None:
    cliente, _ = sri(respuesta)

    with pytest.raises(ErrorTransitorioSri, match=dice) as error:
        llamar(cliente, servicio)

    assert base64.b64encode(FIRMADO)[:40].decode() not in str(error.value)


@SERVICIOS
@pytest.mark.parametrize(
    ("respuesta", "resultado"),
    [
        pytest.param(httpx.ConnectError("refused"), "error", id="refused"),
        pytest.param(httpx.Response(502, text=HTML_502), "error", id="502"),
        pytest.param(xml(grabada("recepcion_recibida.xml")), "ok", id="answered"),
    ],
)
def test_every_call_is_told_with_its_service_result_and_duration(
    servicio: str, respuesta: Respuesta, resultado: str
) -> None:
    llamadas: list[tuple[str, str, float]] = []
    falso = SriFalso(respuesta)
    cliente = ClienteSri(
        URL,
        cliente=httpx.Client(transport=httpx.MockTransport(falso)),
        al_responder=lambda *llamada: llamadas.append(llamada),
    )
    with contextlib.suppress(ErrorTransitorioSri):
        llamar(cliente, servicio)
    ((quien, como, segundos),) = llamadas
    assert (quien, como) == (servicio, resultado)
    assert segundos >= 0


@SERVICIOS
@pytest.mark.parametrize(
    ("respuesta", "quizas"),
    [
        pytest.param(httpx.ConnectError("refused"), False, id="refused"),
        pytest.param(httpx.ConnectTimeout("timed out"), False, id="connect-timeout"),
        pytest.param(httpx.ReadTimeout("timed out"), True, id="read-timeout"),
        pytest.param(httpx.WriteTimeout("timed out"), True, id="write-timeout"),
        pytest.param(httpx.RemoteProtocolError("peer closed"), True, id="cut"),
        pytest.param(httpx.Response(502, text=HTML_502), True, id="502"),
    ],
)
def test_only_a_failed_connection_means_the_sri_surely_got_nothing(
    servicio: str, respuesta: Respuesta, quizas: bool
) -> None:
    cliente, _ = sri(respuesta)
    with pytest.raises(ErrorTransitorioSri) as error:
        llamar(cliente, servicio)
    assert error.value.quizas_recibido is quizas


def test_the_other_services_answer_is_transient() -> None:
    cliente, _ = sri(xml(grabada("autorizacion_autorizado.xml")))

    with pytest.raises(ErrorTransitorioSri, match="sin RespuestaRecepcionComprobante"):
        cliente.enviar(FIRMADO)


def test_an_unknown_reception_state_is_transient() -> None:
    cuerpo = grabada("recepcion_recibida.xml").replace(b"RECIBIDA", b"PENDIENTE")
    cliente, _ = sri(xml(cuerpo))

    with pytest.raises(ErrorTransitorioSri, match="sin un estado conocido: PENDIENTE"):
        cliente.enviar(FIRMADO)


def test_an_authorization_entry_without_state_is_transient() -> None:
    cuerpo = grabada("autorizacion_en_proceso.xml").replace(b"<estado>EN PROCESO</estado>", b"")
    cliente, _ = sri(xml(cuerpo))

    with pytest.raises(ErrorTransitorioSri, match="entrada sin estado"):
        cliente.autorizacion(CLAVE)


def test_a_reception_answer_without_state_or_messages_is_transient() -> None:
    cuerpo = grabada("recepcion_recibida.xml").replace(b"<estado>RECIBIDA</estado>", b"")
    cliente, _ = sri(xml(cuerpo))

    with pytest.raises(ErrorTransitorioSri, match="sin un estado conocido"):
        cliente.enviar(FIRMADO)


def test_an_answer_with_a_dtd_is_transient(
    tmp_path: Path,
) -> None:
    secreto = tmp_path / "secreto.txt"
    secreto.write_text("RECIBIDA")
    dtd = f'<!DOCTYPE soap:Envelope [<!ENTITY e SYSTEM "{secreto.as_uri()}">]>'
    cuerpo = grabada("recepcion_devuelta_43.xml").replace(
        b"<soap:Envelope", dtd.encode() + b"<soap:Envelope", 1
    )
    cliente, _ = sri(xml(cuerpo.replace(b"<estado>DEVUELTA</estado>", b"<estado>&e;</estado>")))

    with pytest.raises(ErrorTransitorioSri, match="DTD"):
        cliente.enviar(FIRMADO)


def test_a_long_error_body_is_truncated_in_logs_and_messages(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A fault or page that quotes the whole request never reaches a log or a message whole."""
    eco = base64.b64encode(FIRMADO).decode()
    fallas = [
        xml(FAULT.replace("java.lang.NullPointerException", eco), 500),
        httpx.Response(502, text=f"<html><body>{eco}</body></html>"),
        httpx.Response(200, text=f"<html><body>{eco}"),
    ]
    for falla in fallas:
        cliente, _ = sri(falla)
        with caplog.at_level(logging.DEBUG), pytest.raises(ErrorTransitorioSri) as error:
            cliente.enviar(FIRMADO)
        assert len(str(error.value)) < 300
    assert caplog.records
    assert all(len(r.getMessage()) < 400 for r in caplog.records)


def test_cerrar_leaves_a_client_handed_in_open() -> None:
    http = httpx.Client(transport=httpx.MockTransport(SriFalso(httpx.Response(200))))

    ClienteSri(URL, cliente=http).cerrar()

    assert not http.is_closed


def test_cerrar_closes_its_own_client() -> None:
    with ClienteSri("http://127.0.0.1:9") as cliente:
        pass

    with pytest.raises(RuntimeError, match="closed"):
        cliente.enviar(FIRMADO)
