"""The SRI simulator over real HTTP: a signed factura goes RECIBIDA → EN PROCESO →
AUTORIZADO with its bytes echoed back, the SRI's refusals come where the real one gives
them (43, 35 with and without `estado`, 39 only at authorization, 80), every scripted case
plays, and every answer has the shape of the recorded real ones."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from apoyo_simulador import (
    Emisora,
    consultar,
    enviar,
    enviar_base64,
    firmador,
    forma,
    leer,
    texto,
    textos,
    todos,
)
from lxml import etree

from prometeo.infrastructure.sri.simulador import Caso, CasoNoValido, Servicio, SimuladorSri
from prometeo.infrastructure.sri.simulador_casos import TipoCaso

GRABADAS = Path(__file__).parent / "respuestas_sri"
FECHA_CON_MILISEGUNDOS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}-05:00")


@pytest.fixture
def simulador() -> Iterator[SimuladorSri]:
    """Demora long enough that only the queries move a document on."""
    with SimuladorSri(demora=600) as servidor:
        yield servidor


@pytest.fixture
def inmediato() -> Iterator[SimuladorSri]:
    """Demora 0: a received document is decided at its first query."""
    with SimuladorSri(demora=0) as servidor:
        yield servidor


@pytest.fixture(scope="module")
def emisora() -> Emisora:
    return Emisora()


def _estado(raiz: etree._Element) -> str:
    return texto(raiz, "estado")


def _grabada(nombre: str) -> tuple[object, ...]:
    return forma(etree.parse(GRABADAS / nombre).getroot())


# -- the usual path -----------------------------------------------------------------------


def test_recibida_en_proceso_y_autorizada_con_el_comprobante_tal_cual(
    simulador: SimuladorSri, emisora: Emisora
) -> None:
    clave, firmado = emisora.firmada()

    recibida = leer(enviar(simulador.url_recepcion, firmado))
    en_proceso = leer(consultar(simulador.url_autorizacion, clave))
    respuesta = consultar(simulador.url_autorizacion, clave)
    autorizada = leer(respuesta)

    assert _estado(recibida) == "RECIBIDA"
    assert forma(recibida) == _grabada("recepcion_recibida.xml")
    assert _estado(en_proceso) == "EN PROCESO"
    assert forma(en_proceso) == _grabada("autorizacion_en_proceso.xml")
    assert forma(autorizada) == _grabada("autorizacion_autorizado.xml")
    assert texto(autorizada, "claveAccesoConsultada") == clave
    assert texto(autorizada, "numeroComprobantes") == "1"
    assert _estado(autorizada) == "AUTORIZADO"
    assert texto(autorizada, "numeroAutorizacion") == clave
    assert FECHA_CON_MILISEGUNDOS.fullmatch(texto(autorizada, "fechaAutorizacion"))
    assert texto(autorizada, "ambiente") == "PRUEBAS"
    assert b"<comprobante><![CDATA[<?xml" in respuesta.content
    assert texto(autorizada, "comprobante").encode("utf-8") == firmado
    assert textos(autorizada, "identificador") == ["60"]
    assert texto(autorizada, "mensaje") == "ESTE PROCESO FUE REALIZADO EN EL AMBIENTE DE PRUEBAS"
    assert texto(autorizada, "tipo") == "ADVERTENCIA"
    assert "Simulador de prometeo" in texto(autorizada, "informacionAdicional")
    # The verdict is kept: asked again, the same authorization.
    assert consultar(simulador.url_autorizacion, clave).content == respuesta.content
    assert simulador.recibidos(clave) == 1


def test_pasada_la_demora_autoriza_a_la_primera_consulta(
    inmediato: SimuladorSri, emisora: Emisora
) -> None:
    clave, firmado = emisora.firmada()
    enviar(inmediato.url_recepcion, firmado)

    assert _estado(leer(consultar(inmediato.url_autorizacion, clave))) == "AUTORIZADO"


def test_en_produccion_sin_aviso_de_pruebas(inmediato: SimuladorSri) -> None:
    clave, firmado = Emisora(ambiente="2").firmada()
    enviar(inmediato.url_recepcion, firmado)

    autorizada = leer(consultar(inmediato.url_autorizacion, clave))

    assert texto(autorizada, "ambiente") == "PRODUCCIÓN"
    assert todos(autorizada, "mensaje") == []
    assert len(todos(autorizada, "mensajes")) == 1


# -- the SRI's refusals -------------------------------------------------------------------


def test_una_clave_ya_recibida_es_devuelta_43(simulador: SimuladorSri, emisora: Emisora) -> None:
    clave, firmado = emisora.firmada()
    enviar(simulador.url_recepcion, firmado)

    devuelta = leer(enviar(simulador.url_recepcion, firmado))

    assert forma(devuelta) == _grabada("recepcion_devuelta_43.xml")
    assert _estado(devuelta) == "DEVUELTA"
    assert texto(devuelta, "claveAcceso") == clave
    assert texto(devuelta, "identificador") == "43"
    assert texto(devuelta, "mensaje") == "CLAVE ACCESO REGISTRADA"
    assert simulador.recibidos(clave) == 2


def test_firma_alterada_recibida_y_luego_no_autorizada_39(
    inmediato: SimuladorSri, emisora: Emisora
) -> None:
    clave, firmado = emisora.firmada()
    alterado = firmado.replace("María Pérez".encode(), "Mario Pérez".encode())
    assert alterado != firmado

    recibida = leer(enviar(inmediato.url_recepcion, alterado))
    no_autorizada = leer(consultar(inmediato.url_autorizacion, clave))

    assert _estado(recibida) == "RECIBIDA"
    assert forma(no_autorizada) == _grabada("autorizacion_no_autorizado_39.xml")
    assert _estado(no_autorizada) == "NO AUTORIZADO"
    assert texto(no_autorizada, "identificador") == "39"
    assert texto(no_autorizada, "mensaje") == "FIRMA INVALIDA"
    assert texto(no_autorizada, "informacionAdicional").startswith("La firma es invalida")
    assert "#comprobante" in texto(no_autorizada, "informacionAdicional")
    assert texto(no_autorizada, "comprobante").encode() == alterado
    assert todos(no_autorizada, "numeroAutorizacion") == []


def test_tras_no_autorizado_se_reenvia_corregido_con_la_misma_clave(
    inmediato: SimuladorSri, emisora: Emisora
) -> None:
    clave, firmado = emisora.firmada()
    enviar(inmediato.url_recepcion, firmado.replace(b"Riobamba", b"Ambato"))
    consultar(inmediato.url_autorizacion, clave)

    recibida = leer(enviar(inmediato.url_recepcion, firmado))
    respuesta = leer(consultar(inmediato.url_autorizacion, clave))

    assert _estado(recibida) == "RECIBIDA"
    assert texto(respuesta, "numeroComprobantes") == "2"
    assert textos(respuesta, "estado") == ["NO AUTORIZADO", "AUTORIZADO"]


def test_un_documento_que_incumple_el_esquema_es_devuelto_35(
    simulador: SimuladorSri, emisora: Emisora
) -> None:
    clave, xml = emisora.xml()
    sin_fecha = re.sub(rb"<fechaEmision>[^<]*</fechaEmision>", b"", xml)

    devuelta = leer(enviar(simulador.url_recepcion, firmador().firmar(sin_fecha)))

    assert forma(devuelta) == _grabada("recepcion_devuelta_35_esquema.xml")
    assert _estado(devuelta) == "DEVUELTA"
    assert texto(devuelta, "claveAcceso") == clave
    assert texto(devuelta, "identificador") == "35"
    assert texto(devuelta, "mensaje") == "DOCUMENTO INVÁLIDO"
    assert "fechaEmision" in texto(devuelta, "informacionAdicional")
    # DEVUELTA documents are not kept.
    assert texto(leer(consultar(simulador.url_autorizacion, clave)), "numeroComprobantes") == "0"


@pytest.mark.parametrize(
    "contenido",
    ["ZXN0byBubyBlcyB4bWw=", "esto no es base64 ¡!", "PGZvby8+"],  # text, junk, <foo/>
)
def test_lo_que_no_es_un_comprobante_xml_es_35_sin_estado(
    simulador: SimuladorSri, contenido: str
) -> None:
    devuelta = leer(enviar_base64(simulador.url_recepcion, contenido))

    assert forma(devuelta) == _grabada("recepcion_devuelta_35_sin_estado.xml")
    assert todos(devuelta, "estado") == []
    assert texto(devuelta, "claveAcceso") == "N/A"
    assert texto(devuelta, "identificador") == "35"
    assert texto(devuelta, "mensaje") == "ARCHIVO NO CUMPLE ESTRUCTURA XML"


def test_una_clave_desconocida_no_tiene_autorizaciones(simulador: SimuladorSri) -> None:
    clave = "0" * 49

    respuesta = leer(consultar(simulador.url_autorizacion, clave))

    assert forma(respuesta) == _grabada("autorizacion_no_encontrada.xml")
    assert texto(respuesta, "claveAccesoConsultada") == clave
    assert texto(respuesta, "numeroComprobantes") == "0"
    assert len(todos(respuesta, "autorizacion")) == 0


@pytest.mark.parametrize("clave", ["123", "0" * 48, "0" * 50, "a" * 49, ""])
def test_una_clave_mal_formada_es_rechazada_80(simulador: SimuladorSri, clave: str) -> None:
    respuesta = leer(consultar(simulador.url_autorizacion, clave))

    assert forma(respuesta) == _grabada("autorizacion_rechazada_80.xml")
    assert _estado(respuesta) == "RECHAZADA"
    assert texto(respuesta, "identificador") == "80"
    assert texto(respuesta, "mensaje") == "ERROR EN LA ESTRUCTURA DE LA CLAVE DE ACCESO"


def test_una_peticion_que_no_es_soap_es_un_soap_fault(simulador: SimuladorSri) -> None:
    respuesta = httpx.post(simulador.url_recepcion, content=b"hola")

    assert respuesta.status_code == 500
    assert texto(etree.fromstring(respuesta.content), "faultcode") == "soap:Client"


# -- scripted cases -----------------------------------------------------------------------

DEVOLUCIONES = {
    "35": "DOCUMENTO INVÁLIDO",
    "43": "CLAVE ACCESO REGISTRADA",
    "45": "ERROR SECUENCIAL REGISTRADO",
    "65": "FECHA EMISIÓN EXTEMPORANEA",
    "70": "CLAVE DE ACCESO EN PROCESAMIENTO",
}


@pytest.mark.parametrize(("codigo", "mensaje"), DEVOLUCIONES.items())
def test_devuelta_programada(
    simulador: SimuladorSri, emisora: Emisora, codigo: str, mensaje: str
) -> None:
    clave, firmado = emisora.firmada()
    simulador.programar(clave, Caso.devuelta(codigo))

    devuelta = leer(enviar(simulador.url_recepcion, firmado))
    despues = leer(enviar(simulador.url_recepcion, firmado))

    assert forma(devuelta) == _grabada("recepcion_devuelta_43.xml")
    assert (_estado(devuelta), texto(devuelta, "claveAcceso")) == ("DEVUELTA", clave)
    assert (texto(devuelta, "identificador"), texto(devuelta, "mensaje")) == (codigo, mensaje)
    assert _estado(despues) == "RECIBIDA"  # spent; and the DEVUELTA one was not kept
    assert simulador.recibidos(clave) == 2


def test_no_autorizado_programado_decide_el_documento(
    simulador: SimuladorSri, emisora: Emisora
) -> None:
    clave, firmado = emisora.firmada()
    enviar(simulador.url_recepcion, firmado)
    simulador.programar(None, Caso.no_autorizado())

    primera = leer(consultar(simulador.url_autorizacion, clave))
    segunda = leer(consultar(simulador.url_autorizacion, clave))

    for respuesta in (primera, segunda):
        assert forma(respuesta) == _grabada("autorizacion_no_autorizado_39.xml")
        assert (_estado(respuesta), texto(respuesta, "identificador")) == ("NO AUTORIZADO", "39")


def test_en_proceso_programado_n_veces(inmediato: SimuladorSri, emisora: Emisora) -> None:
    clave, firmado = emisora.firmada()
    enviar(inmediato.url_recepcion, firmado)
    inmediato.programar(clave, Caso.en_proceso(3))

    estados = [_estado(leer(consultar(inmediato.url_autorizacion, clave))) for _ in range(4)]

    assert estados == ["EN PROCESO"] * 3 + ["AUTORIZADO"]


def _llamar(
    simulador: SimuladorSri, servicio: Servicio, clave: str, firmado: bytes
) -> httpx.Response:
    if servicio is Servicio.RECEPCION:
        return enviar(simulador.url_recepcion, firmado)
    return consultar(simulador.url_autorizacion, clave)


def _preparar(simulador: SimuladorSri, servicio: Servicio, firmado: bytes) -> None:
    """To test authorization, a document already received."""
    if servicio is Servicio.AUTORIZACION:
        enviar(simulador.url_recepcion, firmado)


@pytest.mark.parametrize("servicio", list(Servicio))
def test_demora_programada(simulador: SimuladorSri, emisora: Emisora, servicio: Servicio) -> None:
    clave, firmado = emisora.firmada()
    _preparar(simulador, servicio, firmado)
    simulador.programar(clave, Caso.demora(servicio, 0.4))

    inicio = time.monotonic()
    respuesta = _llamar(simulador, servicio, clave, firmado)
    transcurrido = time.monotonic() - inicio

    assert transcurrido >= 0.4
    assert _estado(leer(respuesta)) in {"RECIBIDA", "EN PROCESO"}  # then answered as usual


@pytest.mark.parametrize("servicio", list(Servicio))
def test_http_502_programado_con_una_pagina_html(
    inmediato: SimuladorSri, emisora: Emisora, servicio: Servicio
) -> None:
    clave, firmado = emisora.firmada()
    _preparar(inmediato, servicio, firmado)
    inmediato.programar(None, Caso.http_502(servicio, veces=2))

    fallidas = [_llamar(inmediato, servicio, clave, firmado) for _ in range(2)]
    despues = _llamar(inmediato, servicio, clave, firmado)

    for respuesta in fallidas:
        assert respuesta.status_code == 502
        assert respuesta.headers["content-type"].startswith("text/html")
        assert b"502 Bad Gateway" in respuesta.content
    assert _estado(leer(despues)) in {"RECIBIDA", "AUTORIZADO"}


@pytest.mark.parametrize("servicio", list(Servicio))
def test_soap_fault_programado(
    inmediato: SimuladorSri, emisora: Emisora, servicio: Servicio
) -> None:
    clave, firmado = emisora.firmada()
    _preparar(inmediato, servicio, firmado)
    inmediato.programar(clave, Caso.soap_fault(servicio))

    respuesta = _llamar(inmediato, servicio, clave, firmado)

    assert respuesta.status_code == 500
    raiz = etree.fromstring(respuesta.content)
    assert len(todos(raiz, "Fault")) == 1
    assert texto(raiz, "faultcode") == "soap:Server"
    assert "Simulador de prometeo" in texto(raiz, "faultstring")


def test_lo_programado_para_una_clave_va_antes_que_lo_de_cualquiera(
    simulador: SimuladorSri, emisora: Emisora
) -> None:
    clave, firmado = emisora.firmada()
    otra, otro_firmado = emisora.firmada()
    simulador.programar(None, Caso.devuelta("70"))
    simulador.programar(clave, Caso.devuelta("45"))

    de_la_clave = leer(enviar(simulador.url_recepcion, firmado))
    de_otra = leer(enviar(simulador.url_recepcion, otro_firmado))
    de_nuevo = leer(enviar(simulador.url_recepcion, otro_firmado))

    assert texto(de_la_clave, "identificador") == "45"
    assert texto(de_otra, "identificador") == "70"
    assert _estado(de_nuevo) == "RECIBIDA"
    assert (simulador.recibidos(clave), simulador.recibidos(otra)) == (1, 2)


def test_las_claves_recibidas_en_el_orden_en_que_llegaron_por_primera_vez(
    simulador: SimuladorSri, emisora: Emisora
) -> None:
    primera, primer_firmado = emisora.firmada()
    segunda, segundo_firmado = emisora.firmada()
    tercera, tercer_firmado = emisora.firmada()
    simulador.programar(tercera, Caso.http_502(Servicio.RECEPCION))

    # Not in emission order, one of them twice, one answered with a 502.
    for firmado in (segundo_firmado, tercer_firmado, primer_firmado, segundo_firmado):
        enviar(simulador.url_recepcion, firmado)

    assert simulador.claves_recibidas() == [segunda, tercera, primera]
    simulador.reiniciar()
    assert simulador.claves_recibidas() == []


def test_reiniciar_olvida_documentos_y_casos(simulador: SimuladorSri, emisora: Emisora) -> None:
    clave, firmado = emisora.firmada()
    enviar(simulador.url_recepcion, firmado)
    simulador.programar(None, Caso.http_502(Servicio.RECEPCION))

    simulador.reiniciar()

    assert simulador.recibidos(clave) == 0
    assert texto(leer(consultar(simulador.url_autorizacion, clave)), "numeroComprobantes") == "0"
    assert _estado(leer(enviar(simulador.url_recepcion, firmado))) == "RECIBIDA"


@pytest.mark.parametrize(
    "crear",
    [
        lambda: Caso.devuelta("99"),
        lambda: Caso(TipoCaso.EN_PROCESO, Servicio.RECEPCION),
        lambda: Caso(TipoCaso.DEVUELTA, Servicio.AUTORIZACION, "43"),
        lambda: Caso.en_proceso(0),
        lambda: Caso.demora(Servicio.RECEPCION, -1),
        lambda: Caso.desde_json({"tipo": "http_502"}),
        lambda: Caso.desde_json({"tipo": "otro"}),
        lambda: Caso.desde_json({"codigo": "43"}),
        lambda: Caso.desde_json({"tipo": "en_proceso", "veces": "muchas"}),
    ],
)
def test_casos_que_el_simulador_no_sabe_jugar(crear: object) -> None:
    with pytest.raises(CasoNoValido):
        crear()  # type: ignore[operator]


# -- the HTTP control endpoint ------------------------------------------------------------


def test_se_programa_por_http(simulador: SimuladorSri, emisora: Emisora) -> None:
    clave, firmado = emisora.firmada()
    control = simulador.url + "/simulador"

    programado = httpx.post(
        control + "/programar", json={"clave": clave, "tipo": "devuelta", "codigo": "70"}
    )
    en_proceso = httpx.post(control + "/programar", json={"tipo": "en_proceso", "veces": 2})
    devuelta = leer(enviar(simulador.url_recepcion, firmado))
    recibida = leer(enviar(simulador.url_recepcion, firmado))
    estados = [_estado(leer(consultar(simulador.url_autorizacion, clave))) for _ in range(3)]
    recibidos = httpx.get(f"{control}/recibidos/{clave}")

    assert programado.status_code == en_proceso.status_code == 200
    assert texto(devuelta, "identificador") == "70"
    assert _estado(recibida) == "RECIBIDA"
    assert estados == ["EN PROCESO", "EN PROCESO", "AUTORIZADO"]
    assert recibidos.json() == {"clave": clave, "recibidos": 2}

    assert httpx.post(control + "/reiniciar").status_code == 200
    assert httpx.get(f"{control}/recibidos/{clave}").json()["recibidos"] == 0


@pytest.mark.parametrize(
    "cuerpo",
    [b"no es json", b"[1]", b'{"tipo": "devuelta", "codigo": "99"}', b'{"clave": 5, "tipo": "x"}'],
)
def test_la_programacion_por_http_rechaza_lo_que_no_entiende(
    simulador: SimuladorSri, cuerpo: bytes
) -> None:
    respuesta = httpx.post(simulador.url + "/simulador/programar", content=cuerpo)

    assert respuesta.status_code == 400
    assert respuesta.json()["error"]


def test_otras_rutas_no_existen(simulador: SimuladorSri) -> None:
    assert httpx.post(simulador.url + "/otra").status_code == 404
    assert httpx.get(simulador.url_recepcion + "?wsdl").status_code == 404
