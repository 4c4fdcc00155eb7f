"""The electronic documents through the API: a factura and a nota de crédito emitted over
HTTP wait PENDIENTE, the signer signs them, and they come back as signed XML that validates
and verifies, byte for byte the same on every read and after a rebuild, with a RIDE."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from entorno_api import TOKEN_ADMIN, ajustes
from fastapi.testclient import TestClient
from lxml import etree
from pypdf import PdfReader
from signxml import DigestAlgorithm, SignatureConfiguration, SignatureMethod, XMLVerifier
from signxml.xades import XAdESSignatureConfiguration, XAdESVerifier

from apoyo_http import API, TiendaHttp, exigir
from prometeo.bootstrap import Aplicacion, bootstrap, reconstruir_proyecciones
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante
from prometeo.entrypoints.api.app import crear_app
from prometeo.infrastructure.sri.certificado_prueba import crear_certificado_prueba
from prometeo.infrastructure.sri.xml_comprobantes import errores_de_esquema

RUC = "1790011674001"  # TiendaHttp's emisor
CLAVE = "clave de la firma de pruebas"
DS = {"ds": "http://www.w3.org/2000/09/xmldsig#"}


@pytest.fixture
def certificado(tmp_path: Path) -> tuple[Path, Path]:
    prueba = crear_certificado_prueba(
        RUC, "Comercial Andina S.A.", CLAVE.encode(), ahora=datetime.now(UTC)
    )
    p12, ca = tmp_path / "firma.p12", tmp_path / "ca.pem"
    p12.write_bytes(prueba.p12)
    ca.write_bytes(prueba.ca_pem)
    return p12, ca


@pytest.fixture
def firmante(url_api: str, certificado: tuple[Path, Path]) -> Iterator[Aplicacion]:
    wired = bootstrap(ajustes(url_api, firma_archivo=certificado[0], firma_clave=CLAVE))
    yield wired
    wired.cerrar()


@pytest.fixture
def http(firmante: Aplicacion) -> Iterator[TestClient]:
    cabeceras = {"Authorization": f"Bearer {TOKEN_ADMIN}"}
    app = crear_app(firmante)
    with TestClient(app, raise_server_exceptions=False, headers=cabeceras) as cliente:
        yield cliente


def _verificar(firmado: bytes, ca: Path) -> None:
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


def test_factura_y_nota_firmadas_validan_verifican_y_tienen_ride(
    http: TestClient, firmante: Aplicacion, certificado: tuple[Path, Path]
) -> None:
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

    nota = tienda.post(
        "/notas-credito",
        {
            "factura_id": factura["id"],
            "motivo": "Devolución de una unidad",
            "devolucion_inventario": True,
            "lineas": [{"producto_id": tienda.ids["cafe"], "cantidad": "1"}],
        },
    )
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
        _verificar(firmado, certificado[1])
        assert errores_de_esquema(_sin_firma(firmado), tipo) == []
        raiz = etree.fromstring(firmado)
        assert raiz.findtext("infoTributaria/claveAcceso") == documento["clave_acceso"]
        # Any change of the signed bytes breaks the signature.
        alterado = firmado.replace(b"<claveAcceso>", b"<claveAcceso>", 1).replace(
            b"<razonSocial>Comercial", b"<razonSocial>Comerciai", 1
        )
        assert alterado != firmado
        with pytest.raises(Exception, match=r"(?i)digest|signature"):
            _verificar(alterado, certificado[1])
        ride = http.get(f"{ruta}/ride.pdf")
        assert ride.status_code == 200
        assert documento["clave_acceso"] in _texto_pdf(ride.content)
        autorizacion = http.get(f"{ruta}/autorizacion.xml")
        assert autorizacion.status_code == 409
        assert autorizacion.json()["errores"][0]["regla"] == "ComprobanteAutorizado"

    firmados = tienda.get("/comprobantes", estado_sri="FIRMADO")["items"]
    assert [(c["tipo"], c["id"]) for c in firmados] == [("01", factura["id"]), ("04", nota["id"])]
    assert tienda.get("/comprobantes", estado_sri="PENDIENTE")["items"] == []
    assert exigir(http.get("/health"), 200)["sri"]["pendientes"] == 0

    # The read models rebuilt from the log serve the very same bytes.
    xml_antes = http.get(f"{API}/facturas/{factura['id']}/xml").content
    reconstruir_proyecciones(["facturas", "xml_comprobantes"], settings=firmante.settings)
    assert http.get(f"{API}/facturas/{factura['id']}/xml").content == xml_antes
    assert exigir(http.get(f"{API}/facturas/{factura['id']}"), 200)["sri"]["estado"] == "FIRMADO"


def test_sin_certificado_los_documentos_esperan(tienda: TiendaHttp, aplicacion: Aplicacion) -> None:
    tienda.ingresar("cafe", "5", "4.00")
    factura = tienda.facturar(("cafe", "1"))
    assert aplicacion.firmador is not None
    assert aplicacion.firmador.ronda() is None
    salud = exigir(tienda.http.get("/health"), 200)["sri"]
    assert salud == {
        "envio": "embebido",
        "certificado": "no configurado",
        "detalle": None,
        "pendientes": 1,
    }
    assert tienda.get(f"/facturas/{factura['id']}")["sri"]["estado"] == "PENDIENTE"


def test_una_clave_equivocada_se_explica_sin_revelarla(
    url_api: str, certificado: tuple[Path, Path]
) -> None:
    secreta = "no-es-la-clave-7Xq"
    wired = bootstrap(ajustes(url_api, firma_archivo=certificado[0], firma_clave=secreta))
    try:
        with TestClient(crear_app(wired)) as http:
            salud = exigir(http.get("/health"), 200)
    finally:
        wired.cerrar()
    assert salud["sri"]["certificado"] == "error"
    assert salud["sri"]["detalle"]
    assert secreta not in str(salud)
