"""The electronic documents through the API, on any backend: a factura and a nota de
crédito emitted over HTTP wait PENDIENTE, the signer signs them, and they come back as
signed XML that validates and verifies, byte for byte the same on every read and after a
rebuild, with a RIDE."""

from __future__ import annotations

import io
import re
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import etree
from pypdf import PdfReader
from signxml import DigestAlgorithm, SignatureConfiguration, SignatureMethod, XMLVerifier
from signxml.xades import XAdESSignatureConfiguration, XAdESVerifier

from apoyo_http import API, TiendaHttp, exigir, reglas
from prometeo.bootstrap import Aplicacion, reconstruir_proyecciones
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante
from prometeo.infrastructure.sri.certificado_prueba import crear_certificado_prueba
from prometeo.infrastructure.sri.despachador import REINTENTOS
from prometeo.infrastructure.sri.simulador import SimuladorSri
from prometeo.infrastructure.sri.simulador_casos import Caso, Servicio
from prometeo.infrastructure.sri.xml_comprobantes import errores_de_esquema

RUC = "1790011674001"  # TiendaHttp's emisor
CLAVE = "clave de la firma de pruebas"
DS = {"ds": "http://www.w3.org/2000/09/xmldsig#"}


def certificado_de_prueba(carpeta: Path) -> tuple[Path, Path]:
    """A test .p12 for TiendaHttp's emisor (password CLAVE) and its authority's PEM."""
    prueba = crear_certificado_prueba(
        RUC, "Comercial Andina S.A.", CLAVE.encode(), ahora=datetime.now(UTC)
    )
    p12, ca = carpeta / "firma.p12", carpeta / "ca.pem"
    p12.write_bytes(prueba.p12)
    ca.write_bytes(prueba.ca_pem)
    return p12, ca


def verificar(firmado: bytes, ca: Path) -> None:
    config = {
        "signature_methods": frozenset({SignatureMethod.RSA_SHA1}),
        "digest_algorithms": frozenset({DigestAlgorithm.SHA1}),
        "expect_references": 3,
    }
    XMLVerifier().verify(
        firmado, ca_pem_file=str(ca), expect_config=SignatureConfiguration(**config)
    )
    XAdESVerifier().verify(
        firmado, ca_pem_file=str(ca), expect_config=XAdESSignatureConfiguration(**config)
    )


def _sin_firma(firmado: bytes) -> etree._Element:
    raiz = etree.fromstring(firmado)
    firma = raiz.find("ds:Signature", DS)
    assert firma is not None
    raiz.remove(firma)
    return raiz


def _texto_pdf(contenido: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(contenido)).pages)


def recorrido_firma(http: TestClient, firmante: Aplicacion, ca: Path) -> None:
    """Emit a factura and a nota over HTTP, sign them and check everything served."""
    tienda = TiendaHttp(http).sembrar()
    tienda.ingresar("cafe", "10", "4.00")
    factura = tienda.facturar(("cafe", "3"))
    sri = factura["sri"]
    assert sri == {
        "clave_acceso": factura["clave_acceso"],
        "ambiente": "1",
        "estado": "PENDIENTE",
        "numero_autorizacion": None,
        "fecha_autorizacion": None,
        "mensajes": [],
        "proximo_intento": None,
        "ultimo_error": None,
    }
    ruta = f"{API}/facturas/{factura['id']}"
    # Not signed yet: no XML (409 naming the rule), but a RIDE marked as not authorized.
    sin_firmar = http.get(f"{ruta}/xml")
    assert sin_firmar.status_code == 409
    assert sin_firmar.json()["errores"][0]["regla"] == "ComprobanteFirmado"
    ride = http.get(f"{ruta}/ride.pdf")
    assert (ride.status_code, ride.headers["content-type"]) == (200, "application/pdf")
    texto = _texto_pdf(ride.content)
    assert sri["clave_acceso"] in texto
    assert factura["numero"] in texto
    assert "SIN AUTORIZACI" in texto.upper()
    salud = exigir(http.get("/health"), 200)["sri"]
    assert (salud["certificado"], salud["pendientes"]) == ("ok", 1)

    nota = tienda.devolver(factura)
    assert nota["sri"]["estado"] == "PENDIENTE"
    assert firmante.firmador is not None
    ronda = firmante.firmador.ronda()
    assert ronda is not None
    assert (ronda.firmados, ronda.no_validos) == (2, 0)

    for tipo, documento, recurso in (
        (TipoComprobante.FACTURA, factura, "facturas"),
        (TipoComprobante.NOTA_CREDITO, nota, "notas-credito"),
    ):
        ruta = f"{API}/{recurso}/{documento['id']}"
        assert exigir(http.get(ruta), 200)["sri"]["estado"] == "FIRMADO"
        respuesta = http.get(f"{ruta}/xml")
        assert respuesta.status_code == 200
        assert respuesta.headers["content-type"].startswith("application/xml")
        firmado = respuesta.content
        assert http.get(f"{ruta}/xml").content == firmado  # served as stored, every time
        verificar(firmado, ca)
        assert errores_de_esquema(_sin_firma(firmado), tipo) == []
        raiz = etree.fromstring(firmado)
        assert raiz.findtext("infoTributaria/claveAcceso") == documento["clave_acceso"]
        # Any change of the signed bytes breaks the signature.
        alterado = firmado.replace(b"<claveAcceso>", b"<claveAcceso>", 1).replace(
            b"<razonSocial>Comercial", b"<razonSocial>Comerciai", 1
        )
        assert alterado != firmado
        with pytest.raises(Exception, match=r"(?i)digest|signature"):
            verificar(alterado, ca)
        ride = http.get(f"{ruta}/ride.pdf")
        assert ride.status_code == 200
        assert documento["clave_acceso"] in _texto_pdf(ride.content)
        autorizacion = http.get(f"{ruta}/autorizacion.xml")
        assert autorizacion.status_code == 409
        assert autorizacion.json()["errores"][0]["regla"] == "ComprobanteAutorizado"

    firmados = tienda.get("/comprobantes", estado_sri="FIRMADO")["items"]
    assert [(c["tipo"], c["id"]) for c in firmados] == [("01", factura["id"]), ("04", nota["id"])]
    assert tienda.get("/comprobantes", estado_sri="PENDIENTE")["items"] == []
    # A scrape alone brings the gauges up to date (before anyone asks /health).
    metricas = http.get("/metrics").text
    assert 'prometeo_comprobantes_por_estado_sri{estado="FIRMADO"} 2.0' in metricas
    assert "\nprometeo_comprobantes_pendientes 0.0" in metricas
    assert "\nprometeo_comprobantes_sin_autorizar 2.0" in metricas
    edad = re.search(r"\nprometeo_comprobantes_sin_autorizar_edad_segundos (\S+)", metricas)
    assert edad is not None
    salud = exigir(http.get("/health"), 200)["sri"]
    assert salud["pendientes"] == 0
    # Signed, not sent (no dispatcher round here): both wait for the SRI.
    assert salud["en_curso"] == 2
    assert salud["segundos_sin_autorizar"] == pytest.approx(float(edad.group(1)), abs=5)

    # The read models rebuilt from the log serve the very same bytes.
    xml_antes = http.get(f"{API}/facturas/{factura['id']}/xml").content
    reconstruir_proyecciones(["facturas", "xml_comprobantes"], settings=firmante.settings)
    assert http.get(f"{API}/facturas/{factura['id']}/xml").content == xml_antes
    assert exigir(http.get(f"{API}/facturas/{factura['id']}"), 200)["sri"]["estado"] == "FIRMADO"


DEMORA_LENTA = 2.0  # the slow SRI's delay, beyond the client's 1-second timeout


class Reloj:
    """A clock the test moves (the dispatcher's schedule reads it)."""

    def __init__(self) -> None:
        self.t = time.time()

    def __call__(self) -> float:
        return self.t

    def avanzar(self, segundos: float) -> None:
        self.t += segundos


def _rondas(aplicacion: Aplicacion, reloj: Reloj, veces: int = 10) -> None:
    """Sign, dispatch, and let the schedule's time pass, a few times."""
    assert aplicacion.firmador is not None
    assert aplicacion.despachador is not None
    for _ in range(veces):
        aplicacion.firmador.ronda()
        ronda = aplicacion.despachador.ronda()
        if "a tiempo" in (ronda.ultimo_error or ""):
            # The client gave up on a slow SRI (DEMORA_LENTA) that is still taking the
            # document in: let it finish, as time would, before the next round asks.
            time.sleep(DEMORA_LENTA)
        reloj.avanzar(60)


def recorrido_sri(http: TestClient, aplicacion: Aplicacion, simulador: SimuladorSri) -> None:
    """A factura and a nota go PENDIENTE → AUTORIZADO through the simulated SRI, received
    once each, through an outage (502s), a send whose answer was lost, and in order."""
    assert aplicacion.despachador is not None
    reloj = Reloj()
    aplicacion.despachador.reloj = reloj
    tienda = TiendaHttp(http).sembrar()
    tienda.ingresar("cafe", "10", "4.00")
    factura = tienda.facturar(("cafe", "3"))
    nota = tienda.devolver(factura)
    segunda = tienda.facturar(("cafe", "1"))
    # The SRI is down for the first two tries; the second factura's answer gets lost
    # (the SRI takes longer than the client waits: the send did arrive).
    simulador.programar(None, Caso.http_502(Servicio.RECEPCION, veces=2))
    simulador.programar(
        segunda["clave_acceso"], Caso.demora(Servicio.RECEPCION, segundos=DEMORA_LENTA)
    )
    caida = reloj()
    _rondas(aplicacion, reloj, veces=1)
    # The outage is visible on the document: why the last try failed, and when the next is.
    caido = exigir(http.get(f"{API}/facturas/{factura['id']}"), 200)["sri"]
    assert "HTTP 502" in caido["ultimo_error"], caido
    proximo = datetime.fromisoformat(caido["proximo_intento"])
    assert proximo.timestamp() == pytest.approx(caida + REINTENTOS[0], abs=1)
    (en_lista,) = [c for c in tienda.get("/comprobantes")["items"] if c["id"] == factura["id"]]
    assert en_lista["sri"] == caido
    _rondas(aplicacion, reloj)
    # Requests that carried each clave. A 502 leaves the send unanswered: the document is
    # asked about first (the SRI has nothing) and only then sent again. The first 502 hit
    # the factura (round 1); in round 2 the factura was asked about and the nota's send
    # hit the second 502; each then went once more. The second factura's answer was lost
    # behind a slow SRI: it was asked about and found, never sent again.
    intentos = {factura["id"]: 2, nota["id"]: 2, segunda["id"]: 1}
    for documento, recurso in (
        (factura, "facturas"),
        (nota, "notas-credito"),
        (segunda, "facturas"),
    ):
        vista = exigir(http.get(f"{API}/{recurso}/{documento['id']}"), 200)
        sri = vista["sri"]
        assert sri["estado"] == "AUTORIZADO", sri
        assert sri["numero_autorizacion"] == documento["clave_acceso"]
        assert sri["fecha_autorizacion"] is not None
        assert simulador.recibidos(documento["clave_acceso"]) == intentos[documento["id"]], (
            recurso,
            simulador.recibidos(documento["clave_acceso"]),
        )
        assert (sri["proximo_intento"], sri["ultimo_error"]) == (None, None)
        autorizacion = http.get(f"{API}/{recurso}/{documento['id']}/autorizacion.xml")
        assert autorizacion.status_code == 200
        raiz = etree.fromstring(autorizacion.content)
        assert raiz.findtext("estado") == "AUTORIZADO"
        assert raiz.findtext("numeroAutorizacion") == documento["clave_acceso"]
        texto = _texto_pdf(http.get(f"{API}/{recurso}/{documento['id']}/ride.pdf").content)
        assert "SIN AUTORIZACI" not in texto.upper()
        assert documento["clave_acceso"] in texto
    salud = exigir(http.get("/health"), 200)["sri"]
    assert (salud["despacho"], salud["en_curso"], salud["error_sri"]) == ("activo", 0, None)
    autorizados = tienda.get("/comprobantes", estado_sri="AUTORIZADO")["items"]
    assert [c["id"] for c in autorizados] == [factura["id"], nota["id"], segunda["id"]]
    # Every call to the SRI was timed: answered ones and the outage's 502s.
    metricas = http.get("/metrics").text
    for servicio, resultado in (
        ("recepcion", "ok"),
        ("recepcion", "error"),
        ("autorizacion", "ok"),
    ):
        serie = (
            f'prometeo_sri_latencia_segundos_count{{resultado="{resultado}",servicio="{servicio}"}}'
        )
        assert re.search(re.escape(serie) + r" [1-9]", metricas), serie


def recorrido_correccion(http: TestClient, aplicacion: Aplicacion, simulador: SimuladorSri) -> None:
    """A factura the SRI refuses (NO AUTORIZADO 39) is signed anew and resent by prometeo
    once, refused again, then corrected by an admin with the right buyer and authorized
    under the same clave; a nota returned (DEVUELTA 65) waits for a person and goes once
    corrected. Corrections are refused to other roles, without a reason, for an unknown
    cliente and for documents the SRI has not stopped, changing nothing."""
    assert aplicacion.despachador is not None
    reloj = Reloj()
    aplicacion.despachador.reloj = reloj
    tienda = TiendaHttp(http).sembrar()
    tienda.ingresar("cafe", "10", "4.00")
    factura = tienda.facturar(("cafe", "2"))
    correcto = tienda.post(
        "/clientes",
        {"tipo_identificacion": "05", "identificacion": "1710034065", "razon_social": "Jorge"},
    )
    nota = tienda.devolver(factura)
    simulador.programar(factura["clave_acceso"], Caso.no_autorizado(veces=2))
    simulador.programar(nota["clave_acceso"], Caso.devuelta("65"))
    _rondas(aplicacion, reloj)

    ruta = f"{API}/facturas/{factura['id']}"
    vista = exigir(http.get(ruta), 200)
    assert vista["sri"]["estado"] == "NO AUTORIZADO"
    assert "39" in {m["identificador"] for m in vista["sri"]["mensajes"]}
    assert simulador.recibidos(factura["clave_acceso"]) == 2  # sent, then resent once
    nota_vista = exigir(http.get(f"{API}/notas-credito/{nota['id']}"), 200)
    assert nota_vista["sri"]["estado"] == "DEVUELTA"
    assert simulador.recibidos(nota["clave_acceso"]) == 1  # 65 is never resent alone

    token = exigir(http.post(f"{API}/tokens", json={"nombre": "Caja", "rol": "cajero"}), 201)
    cajero = {"Authorization": f"Bearer {token['token']}"}
    cuerpo = {"motivo": "Cédula del comprador errada", "cliente_id": correcto["id"]}
    assert http.post(f"{ruta}/correccion", json=cuerpo, headers=cajero).status_code == 403
    assert http.post(f"{ruta}/correccion", json={"motivo": " "}).status_code == 422
    desconocido = {"motivo": "x", "cliente_id": "no-existe"}
    assert http.post(f"{ruta}/correccion", json=desconocido).status_code == 404
    assert exigir(http.get(ruta), 200) == vista  # nothing changed
    corregida = exigir(http.post(f"{ruta}/correccion", json=cuerpo), 200)
    assert corregida["sri"]["estado"] == "PENDIENTE"
    assert corregida["sri"]["clave_acceso"] == factura["clave_acceso"]
    assert corregida["cliente"]["identificacion"] == "1710034065"
    assert corregida["numero"] == factura["numero"]
    assert corregida["totales"] == factura["totales"]
    assert http.get(f"{ruta}/xml").status_code == 409  # the refused XML is no longer served
    # Twice is refused: it is no longer stopped.
    assert reglas(http.post(f"{ruta}/correccion", json=cuerpo)) == {"ComprobanteDetenido"}
    nota_ruta = f"{API}/notas-credito/{nota['id']}"
    exigir(http.post(f"{nota_ruta}/correccion", json={"motivo": "Fecha corregida"}), 200)
    _rondas(aplicacion, reloj)

    vista = exigir(http.get(ruta), 200)
    assert vista["sri"]["estado"] == "AUTORIZADO", vista["sri"]
    assert simulador.recibidos(factura["clave_acceso"]) == 3
    firmado = http.get(f"{ruta}/xml").content
    assert b"<identificacionComprador>1710034065<" in firmado
    autorizacion = http.get(f"{ruta}/autorizacion.xml").content
    assert b"1710034065" in autorizacion
    assert exigir(http.get(nota_ruta), 200)["sri"]["estado"] == "AUTORIZADO"
    assert simulador.recibidos(nota["clave_acceso"]) == 2
    assert reglas(http.post(f"{ruta}/correccion", json=cuerpo)) == {"ComprobanteDetenido"}
    # The read models rebuilt from the log serve the corrected document.
    reconstruir_proyecciones(
        ["facturas", "notas_credito", "xml_comprobantes"], settings=aplicacion.settings
    )
    assert http.get(f"{ruta}/xml").content == firmado
    assert exigir(http.get(ruta), 200) == vista
