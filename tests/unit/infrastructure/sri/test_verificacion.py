"""The simulator's own XAdES-BES verifier: it accepts what FirmadorXades signs (which
signxml verifies independently, test_firma_xades.py) and rejects any change to the signed
parts, a signature by another key and a KeyValue that is not the certificate's."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable

import pytest
from apoyo_firma import factura
from apoyo_simulador import credencial, firmador
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from lxml import etree

from prometeo.infrastructure.sri.firma import DS
from prometeo.infrastructure.sri.verificacion import FirmaInvalida, verificar_firma
from unit.domain.negocio import EMISOR


@pytest.fixture(scope="module")
def firmado() -> bytes:
    return firmador().firmar(factura(EMISOR.ruc))


def test_acepta_la_firma_de_prometeo(firmado: bytes) -> None:
    verificar_firma(etree.fromstring(firmado))


def _otro_certificado(firmado: bytes) -> bytes:
    """KeyInfo's certificate swapped for one of another key (and its digest left as is)."""
    otro = firmador("0992345678001").firmar(factura("0992345678001"))
    patron = rb"<ds:X509Certificate>[^<]*</ds:X509Certificate>"
    ajeno = re.search(patron, otro)
    assert ajeno is not None
    return re.sub(patron, ajeno.group(0), firmado)


ALTERACIONES: dict[str, Callable[[bytes], bytes]] = {
    "comprobante": lambda f: f.replace(b"115.00", b"116.00"),
    "SignedProperties": lambda f: re.sub(
        rb"<etsi:SigningTime>[^<]*", b"<etsi:SigningTime>2020-01-01T00:00:00-05:00", f
    ),
    "KeyInfo": lambda f: re.sub(rb"<ds:Exponent>[^<]*", b"<ds:Exponent>AQAB AQAB", f),
    "SignatureValue": lambda f: re.sub(
        rb"(<ds:SignatureValue[^>]*>)(.)",
        lambda m: m.group(1) + (b"B" if m.group(2) == b"A" else b"A"),
        f,
    ),
    "otro certificado": _otro_certificado,
    "sin firma": lambda f: re.sub(rb"<ds:Signature .*</ds:Signature>", b"", f, flags=re.S),
    "algoritmo": lambda f: f.replace(b"xmldsig#rsa-sha1", b"xmldsig-more#rsa-sha256"),
}


@pytest.mark.parametrize("alterar", ALTERACIONES.values(), ids=ALTERACIONES.keys())
def test_rechaza_lo_alterado(firmado: bytes, alterar: Callable[[bytes], bytes]) -> None:
    alterado = alterar(firmado)
    assert alterado != firmado

    with pytest.raises(FirmaInvalida):
        verificar_firma(etree.fromstring(alterado))


def test_rechaza_un_key_value_que_no_es_el_del_certificado(firmado: bytes) -> None:
    """Pitfall 5 of SRI-ELECTRONICO §1.4: the signer wrote another RSAKeyValue and signed
    it consistently; every digest matches, the SRI still says 39."""
    raiz = etree.fromstring(firmado)
    _uno(raiz, ".//ds:RSAKeyValue/ds:Exponent").text = "AQAA"
    signed_info = _uno(raiz, ".//ds:SignedInfo")
    digest = hashlib.sha1(_c14n(_uno(raiz, ".//ds:KeyInfo"))).digest()
    _uno(signed_info, "ds:Reference[2]/ds:DigestValue").text = base64.b64encode(digest).decode()
    valor = credencial().clave_privada.sign(_c14n(signed_info), padding.PKCS1v15(), hashes.SHA1())
    _uno(raiz, ".//ds:SignatureValue").text = base64.b64encode(valor).decode()

    with pytest.raises(FirmaInvalida, match="RSAKeyValue"):
        verificar_firma(raiz)


def _uno(padre: etree._Element, ruta: str) -> etree._Element:
    hallado = padre.find(ruta, {"ds": DS})
    assert hallado is not None, ruta
    return hallado


def _c14n(elemento: etree._Element) -> bytes:
    return etree.tostring(elemento, method="c14n", exclusive=False)
