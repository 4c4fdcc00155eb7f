"""A small verifier of the SRI's XAdES-BES profile (ficha técnica, Anexo 14), for the local
stand-in of the SRI: the SHA-1 digest of every reference (inclusive C14N 1.0, the
enveloped Signature removed from `#comprobante`), the RSA-SHA1 SignatureValue over the C14N
of SignedInfo against the certificate in KeyInfo, the RSAKeyValue and the XAdES
certificate digest against that same certificate.

It does not check the chain of trust, OCSP or the RUC in the certificate: the simulator
accepts the test authority's certificates, which the real SRI rejects (39)."""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from prometeo.infrastructure.sri.firma import C14N, DS, ENVELOPED, ETSI, RSA_SHA1, SHA1

_NS = {"ds": DS, "etsi": ETSI}


class FirmaInvalida(Exception):
    """The document's signature does not verify; the message says which check failed."""


def verificar_firma(raiz: etree._Element) -> None:
    """Raises FirmaInvalida unless the ds:Signature that is the last child of `raiz` (a
    signed comprobante, parsed as received) verifies. `raiz` is not modified."""
    firma = raiz.find("ds:Signature", _NS)
    if firma is None:
        raise FirmaInvalida("el comprobante no tiene ds:Signature")
    signed_info = _uno(firma, "ds:SignedInfo")
    _exigir_algoritmo(signed_info, "ds:CanonicalizationMethod", C14N)
    _exigir_algoritmo(signed_info, "ds:SignatureMethod", RSA_SHA1)
    referencias = signed_info.findall("ds:Reference", _NS)
    if "#comprobante" not in [r.get("URI") for r in referencias]:
        raise FirmaInvalida("la firma no firma #comprobante")
    for referencia in referencias:
        _verificar_referencia(raiz, firma, referencia)
    certificado = _certificado(firma)
    clave = certificado.public_key()
    if not isinstance(clave, rsa.RSAPublicKey):
        raise FirmaInvalida("el certificado de KeyInfo no tiene clave RSA")
    _exigir_key_value(firma, clave)
    _exigir_digest_certificado(firma, certificado)
    try:
        clave.verify(
            _b64(_uno(firma, "ds:SignatureValue").text, "SignatureValue"),
            _c14n(signed_info),
            padding.PKCS1v15(),
            hashes.SHA1(),
        )
    except InvalidSignature:
        raise FirmaInvalida("SignatureValue no corresponde a SignedInfo") from None


def _verificar_referencia(
    raiz: etree._Element, firma: etree._Element, referencia: etree._Element
) -> None:
    uri = referencia.get("URI") or ""
    if not uri.startswith("#"):
        raise FirmaInvalida(f"referencia no admitida: URI={uri!r}")
    _exigir_algoritmo(referencia, "ds:DigestMethod", SHA1)
    transformaciones = [
        t.get("Algorithm") for t in referencia.findall("ds:Transforms/ds:Transform", _NS)
    ]
    if transformaciones not in ([], [ENVELOPED]):
        raise FirmaInvalida(f"transformaciones no admitidas en {uri}: {transformaciones}")
    objetivo = _por_id(raiz, uri[1:])
    if transformaciones:
        if objetivo is not raiz:
            raise FirmaInvalida(f"{uri} no es el comprobante que envuelve la firma")
        datos = _c14n(_sin_firma(raiz, firma))
    else:
        # Inclusive C14N of an element in place: it carries the namespaces in scope
        # (xmlns:ds and xmlns:etsi from ds:Signature), as the signer digested it.
        datos = _c14n(objetivo)
    esperado = _b64(_uno(referencia, "ds:DigestValue").text, f"DigestValue de {uri}")
    if hashlib.sha1(datos).digest() != esperado:
        raise FirmaInvalida(f"el digest de {uri} no coincide: el contenido fue alterado")


def _sin_firma(raiz: etree._Element, firma: etree._Element) -> etree._Element:
    """The enveloped-signature transform: a copy of the root without the Signature node.
    Only the element goes: its tail is a text node of the parent, and stays."""
    copia = copy.deepcopy(raiz)
    firma_copia = copia[raiz.index(firma)]
    cola = firma_copia.tail or ""
    anterior = firma_copia.getprevious()
    if anterior is not None:
        anterior.tail = (anterior.tail or "") + cola
    else:
        copia.text = (copia.text or "") + cola
    copia.remove(firma_copia)
    return copia


def _por_id(raiz: etree._Element, valor: str) -> etree._Element:
    # The comprobante's id is lower case (the XSD's), the signature's Ids capitalised.
    hallados = [e for e in raiz.iter() if valor in (e.get("Id"), e.get("id"))]
    if len(hallados) != 1:
        raise FirmaInvalida(f"#{valor} aparece {len(hallados)} veces en el documento")
    return hallados[0]


def _certificado(firma: etree._Element) -> x509.Certificate:
    texto = _uno(firma, "ds:KeyInfo/ds:X509Data/ds:X509Certificate").text
    try:
        return x509.load_der_x509_certificate(_b64(texto, "X509Certificate"))
    except ValueError:
        raise FirmaInvalida("No se pudo convertir en Certificado X509") from None


def _exigir_key_value(firma: etree._Element, clave: rsa.RSAPublicKey) -> None:
    """A KeyValue that is not the certificate's key is one cause of 39 at the real SRI."""
    rsa_key_value = firma.find("ds:KeyInfo/ds:KeyValue/ds:RSAKeyValue", _NS)
    if rsa_key_value is None:
        return
    numeros = clave.public_numbers()
    modulo = _entero(_uno(rsa_key_value, "ds:Modulus").text, "Modulus")
    exponente = _entero(_uno(rsa_key_value, "ds:Exponent").text, "Exponent")
    if (modulo, exponente) != (numeros.n, numeros.e):
        raise FirmaInvalida("RSAKeyValue no es la clave del certificado")


def _exigir_digest_certificado(firma: etree._Element, certificado: x509.Certificate) -> None:
    ruta = "ds:Object/etsi:QualifyingProperties/etsi:SignedProperties/"
    ruta += "etsi:SignedSignatureProperties/etsi:SigningCertificate/etsi:Cert/etsi:CertDigest"
    cert_digest = _uno(firma, ruta)
    _exigir_algoritmo(cert_digest, "ds:DigestMethod", SHA1)
    esperado = _b64(_uno(cert_digest, "ds:DigestValue").text, "CertDigest")
    der = certificado.public_bytes(Encoding.DER)
    if hashlib.sha1(der).digest() != esperado:
        raise FirmaInvalida("SigningCertificate no es el certificado de KeyInfo")


def _uno(padre: etree._Element, ruta: str) -> etree._Element:
    hallados = padre.findall(ruta, _NS)
    if len(hallados) != 1:
        raise FirmaInvalida(f"se esperaba un {ruta} y hay {len(hallados)}")
    return hallados[0]


def _exigir_algoritmo(padre: etree._Element, ruta: str, algoritmo: str) -> None:
    encontrado = _uno(padre, ruta).get("Algorithm")
    if encontrado != algoritmo:
        raise FirmaInvalida(f"{ruta} {encontrado} no es el del SRI ({algoritmo})")


def _b64(texto: str | None, que: str) -> bytes:
    try:
        # Wrapped and unwrapped base64 both occur (SRI-ELECTRONICO §1.4, 8).
        return base64.b64decode("".join((texto or "").split()), validate=True)
    except (binascii.Error, ValueError):
        raise FirmaInvalida(f"{que} no es base64") from None


def _entero(texto: str | None, que: str) -> int:
    return int.from_bytes(_b64(texto, que), "big")


def _c14n(elemento: etree._Element) -> bytes:
    return etree.tostring(elemento, method="c14n", exclusive=False, with_comments=False)
