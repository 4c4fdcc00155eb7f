"""The XAdES-BES signature: independent verifiers accept it, its structure is the SRI's
(ficha técnica, Anexo 14), any change to the signed file breaks it, and the signer refuses
a certificate of another RUC or out of its validity."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from apoyo_firma import NS, factura, firma_de, verificar, verificar_xades
from cryptography.hazmat.primitives.serialization import Encoding
from fabrica_certificados import (
    AHORA,
    OID_RUC_BCE,
    OID_RUC_SECURITY_DATA,
    OTRO_RUC,
    RUC,
    autoridad,
    emitir,
    firmante,
    firmante_sin_ruc,
    utf8,
)
from lxml import etree
from signxml.exceptions import InvalidSignature, SignXMLException
from signxml.xades import XAdESVerifyResult

from prometeo.application.sri import ErrorFirma, FirmaComprobantes
from prometeo.infrastructure.sri.certificado_prueba import crear_certificado_prueba
from prometeo.infrastructure.sri.certificados import (
    CredencialFirma,
    ErrorCertificado,
    cargar_credencial,
)
from prometeo.infrastructure.sri.firma import FirmadorXades
from prometeo.infrastructure.sri.xml_comprobantes import xml_de
from unit.domain.negocio import EMISOR, Negocio, valor

C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
DECLARACION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def _credencial(par: object = None) -> CredencialFirma:
    par = par or firmante()
    return CredencialFirma(par.clave, par.certificado)  # type: ignore[attr-defined]


def _reloj(momento: datetime = AHORA) -> Callable[[], datetime]:
    return lambda: momento


@pytest.fixture(scope="module")
def firmador() -> FirmadorXades:
    return FirmadorXades(_credencial(), _reloj())


@pytest.fixture(scope="module")
def firmado(firmador: FirmadorXades) -> bytes:
    return firmador.firmar(factura())


@pytest.fixture(scope="module")
def ca_pem() -> bytes:
    return autoridad().pem


# -- independent verifiers -----------------------------------------------------------------


def test_implementa_el_puerto_de_la_aplicacion(firmador: FirmadorXades) -> None:
    puerto: FirmaComprobantes = firmador
    assert callable(puerto.firmar)


def test_signxml_verifica_la_firma(firmado: bytes, ca_pem: bytes, tmp_path: Path) -> None:
    verificar(firmado, ca_pem, tmp_path)


def test_el_verificador_xades_de_signxml_la_acepta(
    firmado: bytes, ca_pem: bytes, tmp_path: Path
) -> None:
    resultados = verificar_xades(firmado, ca_pem, tmp_path)

    propiedades = [r for r in resultados if isinstance(r, XAdESVerifyResult)]
    assert len(propiedades) == 1
    assert propiedades[0].signed_properties.tag == f"{{{NS['etsi']}}}SignedSignatureProperties"


def test_una_nota_de_credito_tambien_se_firma(
    firmador: FirmadorXades, ca_pem: bytes, tmp_path: Path
) -> None:
    nota = (
        factura().replace(b"<factura ", b"<notaCredito ").replace(b"</factura>", b"</notaCredito>")
    )

    firmado = firmador.firmar(nota)

    assert etree.fromstring(firmado).tag == "notaCredito"
    verificar_xades(firmado, ca_pem, tmp_path)


def test_un_documento_indentado_conserva_sus_espacios_y_verifica(
    firmador: FirmadorXades, ca_pem: bytes, tmp_path: Path
) -> None:
    indentado = etree.tostring(
        etree.fromstring(factura()), pretty_print=True, encoding="UTF-8", xml_declaration=False
    )

    firmado = firmador.firmar(indentado)

    assert firmado.startswith(DECLARACION + indentado.rstrip(b"\n").removesuffix(b"</factura>"))
    verificar(firmado, ca_pem, tmp_path)


def test_los_documentos_del_generador_xml_se_firman_y_verifican(
    ca_pem: bytes, tmp_path: Path
) -> None:
    negocio = Negocio()
    negocio.ingresar("a", "9", "1.00")
    factura_emitida = negocio.borrador([("a", "3", "2.50")])
    negocio.emitir(factura_emitida)
    nota = negocio.nota(factura_emitida, [valor("a", "1.00")], devolucion=False)
    par = emitir("COMERCIAL ANDINA S.A.", ruc=(OID_RUC_SECURITY_DATA, utf8(EMISOR.ruc)))
    firmador = FirmadorXades(_credencial(par), _reloj())

    for documento in (factura_emitida, nota):
        verificar_xades(firmador.firmar(xml_de(documento).contenido), ca_pem, tmp_path)


def test_el_certificado_de_prueba_firma_y_verifica_con_su_autoridad(tmp_path: Path) -> None:
    prueba = crear_certificado_prueba(RUC, "EMPRESA DEMO", b"demo", ahora=AHORA)
    credencial = cargar_credencial(prueba.p12, b"demo", ahora=AHORA)

    firmado = FirmadorXades(credencial, _reloj()).firmar(factura())

    verificar(firmado, prueba.ca_pem, tmp_path)
    verificar_xades(firmado, prueba.ca_pem, tmp_path)


# -- structure (ficha técnica, Anexo 14) ----------------------------------------------------


def _uno(elemento: etree._Element, ruta: str) -> etree._Element:
    hallados = elemento.findall(ruta, NS)
    assert len(hallados) == 1, ruta
    return hallados[0]


def test_la_firma_es_el_ultimo_hijo_de_la_raiz_y_declara_ds_y_etsi(firmado: bytes) -> None:
    raiz = etree.fromstring(firmado)

    assert raiz[-1].tag == f"{{{NS['ds']}}}Signature"
    assert len(raiz.findall(".//ds:Signature", NS)) == 1
    assert raiz[-1].nsmap == NS


def test_algoritmos_rsa_sha1_sha1_y_c14n_inclusiva(firmado: bytes) -> None:
    firma = firma_de(firmado)

    assert _uno(firma, "ds:SignedInfo/ds:CanonicalizationMethod").get("Algorithm") == C14N
    assert _uno(firma, "ds:SignedInfo/ds:SignatureMethod").get("Algorithm") == RSA_SHA1
    metodos = firma.findall(".//ds:DigestMethod", NS)
    assert len(metodos) == 4  # three references and the certificate digest
    assert {m.get("Algorithm") for m in metodos} == {SHA1}


def test_tres_referencias_en_el_orden_del_sri(firmado: bytes) -> None:
    firma = firma_de(firmado)
    propiedades = _uno(firma, "ds:Object/etsi:QualifyingProperties/etsi:SignedProperties")
    key_info = _uno(firma, "ds:KeyInfo")

    referencias = firma.findall("ds:SignedInfo/ds:Reference", NS)

    assert [r.get("URI") for r in referencias] == [
        f"#{propiedades.get('Id')}",
        f"#{key_info.get('Id')}",
        "#comprobante",
    ]
    assert referencias[0].get("Type") == "http://uri.etsi.org/01903#SignedProperties"
    assert [r.get("Type") for r in referencias[1:]] == [None, None]
    assert referencias[0].find("ds:Transforms", NS) is None
    assert referencias[1].find("ds:Transforms", NS) is None
    transformaciones = referencias[2].findall("ds:Transforms/ds:Transform", NS)
    assert [t.get("Algorithm") for t in transformaciones] == [ENVELOPED]


def test_key_info_lleva_el_certificado_y_luego_su_clave_rsa(firmado: bytes) -> None:
    key_info = _uno(firma_de(firmado), "ds:KeyInfo")
    certificado = firmante().certificado
    numeros = certificado.public_key().public_numbers()  # type: ignore[union-attr]

    assert [etree.QName(hijo).localname for hijo in key_info] == ["X509Data", "KeyValue"]
    der = base64.b64decode(_uno(key_info, "ds:X509Data/ds:X509Certificate").text or "")
    assert der == certificado.public_bytes(Encoding.DER)
    modulo = base64.b64decode(_uno(key_info, "ds:KeyValue/ds:RSAKeyValue/ds:Modulus").text or "")
    assert modulo[0] != 0
    assert int.from_bytes(modulo, "big") == numeros.n
    assert _uno(key_info, "ds:KeyValue/ds:RSAKeyValue/ds:Exponent").text == "AQAB"


def test_signing_time_en_ecuador_truncado_al_segundo_nunca_futuro(firmado: bytes) -> None:
    texto = _uno(firma_de(firmado), ".//etsi:SignedSignatureProperties/etsi:SigningTime").text

    assert texto == "2026-12-05T15:30:45-05:00"  # AHORA is 20:30:45.987654 UTC
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-05:00", texto)
    assert datetime.fromisoformat(texto) <= AHORA


def test_signing_certificate_con_digest_emisor_emailaddress_y_serie_decimal(
    firmado: bytes,
) -> None:
    cert = _uno(firma_de(firmado), ".//etsi:SigningCertificate/etsi:Cert")
    certificado = firmante().certificado

    digest = _uno(cert, "etsi:CertDigest/ds:DigestValue").text
    assert (
        digest
        == base64.b64encode(hashlib.sha1(certificado.public_bytes(Encoding.DER)).digest()).decode()
    )
    emisor = _uno(cert, "etsi:IssuerSerial/ds:X509IssuerName").text or ""
    assert emisor == (
        "EMAILADDRESS=ac@fabrica.invalid,CN=AC PRUEBAS FABRICA,O=FABRICA DE PRUEBAS,C=EC"
    )
    assert not re.search(r"(^|,)E=", emisor)
    serie = _uno(cert, "etsi:IssuerSerial/ds:X509SerialNumber").text or ""
    assert serie.isdigit()
    assert int(serie) == certificado.serial_number


def test_data_object_format_describe_el_comprobante(firmado: bytes) -> None:
    firma = firma_de(firmado)
    referencia = firma.findall("ds:SignedInfo/ds:Reference", NS)[2]
    calificantes = _uno(firma, "ds:Object/etsi:QualifyingProperties")

    formato = _uno(calificantes, ".//etsi:SignedDataObjectProperties/etsi:DataObjectFormat")

    assert formato.get("ObjectReference") == f"#{referencia.get('Id')}"
    assert _uno(formato, "etsi:Description").text == "contenido comprobante"
    assert _uno(formato, "etsi:MimeType").text == "text/xml"
    assert calificantes.get("Target") == f"#{firma.get('Id')}"


def test_ids_unicos_validos_y_distintos_en_cada_firma(firmador: FirmadorXades) -> None:
    def ids(firmado: bytes) -> list[str]:
        return [e.get("Id") or "" for e in firma_de(firmado).iter() if e.get("Id")]

    primera, segunda = ids(firmador.firmar(factura())), ids(firmador.firmar(factura()))

    assert len(primera) == len(set(primera)) == 8
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", i) for i in primera)
    assert not set(primera) & set(segunda)


# -- the bytes --------------------------------------------------------------------------------


def test_utf8_con_declaracion_sin_retornos_de_carro(firmado: bytes) -> None:
    assert firmado.startswith(DECLARACION)
    assert b"\r" not in firmado
    assert b"&#13;" not in firmado
    assert b"&#xD;" not in firmado.upper()
    assert "Señora Ñusta Pérez".encode() in firmado


def test_el_documento_se_conserva_byte_a_byte_y_la_firma_va_compacta(firmado: bytes) -> None:
    original = factura().removeprefix(b'<?xml version="1.0" encoding="UTF-8"?>')

    cuerpo = firmado.removeprefix(DECLARACION)

    assert cuerpo.startswith(original.removesuffix(b"</factura>") + b"<ds:Signature ")
    assert cuerpo.endswith(b"</ds:Signature></factura>")
    assert b"\n" not in cuerpo


# -- tampering --------------------------------------------------------------------------------


def _cambiar(firmado: bytes, antes: bytes, despues: bytes) -> bytes:
    assert firmado.count(antes) == 1
    return firmado.replace(antes, despues)


def test_cambiar_el_importe_total_invalida_la_firma(
    firmado: bytes, ca_pem: bytes, tmp_path: Path
) -> None:
    alterado = _cambiar(
        firmado, b"<importeTotal>115.00</importeTotal>", b"<importeTotal>15.00</importeTotal>"
    )

    with pytest.raises(InvalidSignature):
        verificar(alterado, ca_pem, tmp_path)
    with pytest.raises(InvalidSignature):
        verificar_xades(alterado, ca_pem, tmp_path)


def test_reemplazar_el_certificado_invalida_la_firma(
    firmado: bytes, ca_pem: bytes, tmp_path: Path
) -> None:
    actual = _uno(firma_de(firmado), ".//ds:X509Certificate").text or ""
    otro = emitir("OTRA EMPRESA").certificado.public_bytes(Encoding.DER)

    alterado = _cambiar(firmado, actual.encode(), base64.b64encode(otro))

    with pytest.raises(InvalidSignature):
        verificar(alterado, ca_pem, tmp_path)


def _voltear(firmado: bytes, antes: bytes) -> bytes:
    """One byte changed inside `antes` (its first character's lowest bit), the XML still
    well formed."""
    posicion = firmado.index(antes)
    return firmado[:posicion] + bytes([firmado[posicion] ^ 1]) + firmado[posicion + 1 :]


@pytest.mark.parametrize(
    "donde",
    [
        b"EMPRESA DE PRUEBA S.A.</razonSocial>",  # the comprobante
        b"2026-12-05T15:30:45",  # SigningTime, in the SignedProperties
        b"B</ds:Exponent>",  # KeyInfo (AQAB → AQAC)
        b"contenido comprobante",  # DataObjectFormat
    ],
)
def test_voltear_un_byte_del_archivo_firmado_invalida_la_firma(
    firmado: bytes, ca_pem: bytes, tmp_path: Path, donde: bytes
) -> None:
    alterado = _voltear(firmado, donde)

    assert alterado != firmado
    with pytest.raises(SignXMLException):
        verificar_xades(alterado, ca_pem, tmp_path)


def test_cambiar_un_byte_del_valor_de_firma_la_invalida(
    firmado: bytes, ca_pem: bytes, tmp_path: Path
) -> None:
    valor = (_uno(firma_de(firmado), "ds:SignatureValue").text or "").encode()
    otro = b"B" if valor[10:11] == b"A" else b"A"  # still base64, as the schema demands

    alterado = _cambiar(firmado, valor, valor[:10] + otro + valor[11:])

    with pytest.raises(InvalidSignature):
        verificar(alterado, ca_pem, tmp_path)


# -- what the signer refuses -------------------------------------------------------------------


def test_no_firma_con_un_certificado_de_otro_ruc() -> None:
    firmador = FirmadorXades(_credencial(), _reloj())

    with pytest.raises(ErrorCertificado) as error:
        firmador.firmar(factura(ruc=OTRO_RUC))

    assert isinstance(error.value, ErrorFirma)  # what the signing service stops on
    assert error.value.regla == "RucDelCertificado"
    assert RUC in str(error.value)
    assert OTRO_RUC in str(error.value)


def test_el_ruc_de_la_extension_del_banco_central_tambien_se_exige(
    ca_pem: bytes, tmp_path: Path
) -> None:
    par = emitir("EMPRESA BCE", ruc=(OID_RUC_BCE, utf8(RUC)))
    firmador = FirmadorXades(_credencial(par), _reloj())

    verificar(firmador.firmar(factura()), ca_pem, tmp_path)
    with pytest.raises(ErrorCertificado, match="RUC"):
        firmador.firmar(factura(ruc=OTRO_RUC))


def test_un_certificado_sin_ruc_firma_cualquier_documento(ca_pem: bytes, tmp_path: Path) -> None:
    firmador = FirmadorXades(_credencial(firmante_sin_ruc()), _reloj())

    verificar(firmador.firmar(factura(ruc=OTRO_RUC)), ca_pem, tmp_path)


@pytest.mark.parametrize("desfase", [timedelta(days=800), timedelta(days=-31)])
def test_no_firma_fuera_de_la_vigencia_del_certificado(desfase: timedelta) -> None:
    firmador = FirmadorXades(_credencial(), _reloj(AHORA + desfase))

    with pytest.raises(ErrorCertificado) as error:
        firmador.firmar(factura())

    assert error.value.regla == "CertificadoVigente"


def test_el_reloj_debe_dar_hora_con_zona() -> None:
    firmador = FirmadorXades(_credencial(), _reloj(AHORA.replace(tzinfo=None)))

    with pytest.raises(ValueError, match="zona horaria"):
        firmador.firmar(factura())


@pytest.mark.parametrize(
    "xml",
    [
        b'<guiaRemision id="comprobante"><infoTributaria/></guiaRemision>',
        b'<factura id="otro" version="1.1.0"><infoTributaria><ruc>1</ruc></infoTributaria>'
        b"</factura>",
        b'<factura id="comprobante" version="1.1.0"><infoFactura/></factura>',
    ],
)
def test_solo_firma_facturas_y_notas_con_id_comprobante_y_ruc(
    firmador: FirmadorXades, xml: bytes
) -> None:
    with pytest.raises(ValueError, match=r"comprobante|ruc"):
        firmador.firmar(xml)


def test_no_firma_dos_veces(firmador: FirmadorXades, firmado: bytes) -> None:
    with pytest.raises(ValueError, match="ya está firmado"):
        firmador.firmar(firmado)
