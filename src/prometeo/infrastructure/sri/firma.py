"""The XAdES-BES signature the SRI verifies (ficha técnica, Anexo 14), built with lxml and
signed with cryptography: RSA-SHA1, SHA-1 digests, inclusive C14N 1.0, enveloped in the
comprobante as its last child.

signxml refuses SHA-1 and writes another XAdES profile, and xmlsec needs a libxml2 shared
with lxml; what the SRI wants is small enough to build here. The C14N is lxml's (libxml2's),
never hand-written: a hand-made one broke other signers."""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Callable
from datetime import datetime

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from lxml import etree

from prometeo.infrastructure.reloj import HORA_ECUADOR
from prometeo.infrastructure.sri.certificados import CredencialFirma, ErrorCertificado

DS = "http://www.w3.org/2000/09/xmldsig#"
ETSI = "http://uri.etsi.org/01903/v1.3.2#"
C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
RSA_SHA1 = DS + "rsa-sha1"
SHA1 = DS + "sha1"
ENVELOPED = DS + "enveloped-signature"
TIPO_SIGNED_PROPERTIES = "http://uri.etsi.org/01903#SignedProperties"
RAICES = frozenset({"factura", "notaCredito"})

_DECLARACION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_NS = {"ds": DS, "etsi": ETSI}
# Our own documents, but still: no entities expanded, no network.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class FirmadorXades:
    """Signs comprobantes with the issuer's credential (implements FirmaComprobantes)."""

    def __init__(self, credencial: CredencialFirma, ahora: Callable[[], datetime]) -> None:
        self._credencial = credencial
        self._ahora = ahora

    def firmar(self, xml: bytes) -> bytes:
        """The comprobante with its ds:Signature, serialized once: these bytes are what is
        stored and sent; re-indenting them would break the signature."""
        raiz = _comprobante(xml)
        self._exigir_ruc(raiz)
        momento = self._momento()
        # Before the Signature exists the root's C14N is what the enveloped-signature
        # transform yields later: the Signature goes last, with no text around it.
        digest_comprobante = _digest(raiz)
        ids = _Ids(f"Signature-{uuid.uuid4()}")
        firma, signed_info, propiedades, key_info, valor = self._firma(
            ids, momento, digest_comprobante
        )
        raiz.append(firma)
        # Only now: inclusive C14N writes the xmlns:ds/xmlns:etsi in scope of each element.
        _poner_digest(signed_info, 0, _digest(propiedades))
        _poner_digest(signed_info, 1, _digest(key_info))
        firmado = self._credencial.clave_privada.sign(
            _c14n(signed_info), padding.PKCS1v15(), hashes.SHA1()
        )
        valor.text = base64.b64encode(firmado).decode("ascii")
        return _DECLARACION + etree.tostring(raiz, encoding="UTF-8", xml_declaration=False)

    def _exigir_ruc(self, raiz: etree._Element) -> None:
        ruc = raiz.findtext("infoTributaria/ruc")
        if not ruc:
            raise ValueError("El comprobante no tiene infoTributaria/ruc")
        if self._credencial.ruc is not None and self._credencial.ruc != ruc:
            raise ErrorCertificado(
                "RucDelCertificado",
                f"El certificado de firma es del RUC {self._credencial.ruc} y el comprobante "
                f"es del RUC {ruc}",
            )

    def _momento(self) -> datetime:
        """SigningTime: now in Ecuador, truncated (never rounded) to the second, so it is
        never later than the clock (the SRI rejects a signature dated in the future)."""
        ahora = self._ahora()
        if ahora.tzinfo is None:
            raise ValueError("El reloj del firmador debe dar la hora con zona horaria")
        momento = ahora.astimezone(HORA_ECUADOR).replace(microsecond=0)
        if not self._credencial.vigente_en(momento):
            credencial = self._credencial
            raise ErrorCertificado(
                "CertificadoVigente",
                f"El certificado de firma de {credencial.titular} no está vigente el "
                f"{momento:%Y-%m-%d %H:%M:%S%z}: válido del {credencial.valido_desde:%Y-%m-%d} "
                f"al {credencial.valido_hasta:%Y-%m-%d} (UTC)",
            )
        return momento

    def _firma(
        self, ids: _Ids, momento: datetime, digest_comprobante: str
    ) -> tuple[etree._Element, ...]:
        """The ds:Signature with every value but the two digests that need it in the tree
        and the signature value: (Signature, SignedInfo, SignedProperties, KeyInfo,
        SignatureValue)."""
        credencial = self._credencial
        firma = etree.Element(_ds("Signature"), {"Id": ids.firma}, nsmap=_NS)
        signed_info = _hijo(firma, _ds("SignedInfo"), Id=ids.signed_info)
        _hijo(signed_info, _ds("CanonicalizationMethod"), Algorithm=C14N)
        _hijo(signed_info, _ds("SignatureMethod"), Algorithm=RSA_SHA1)
        _referencia(
            signed_info,
            Id=ids.referencia_propiedades,
            Type=TIPO_SIGNED_PROPERTIES,
            URI=f"#{ids.propiedades}",
        )
        _referencia(signed_info, URI=f"#{ids.key_info}")
        comprobante = _hijo(signed_info, _ds("Reference"), Id=ids.referencia, URI="#comprobante")
        transformaciones = _hijo(comprobante, _ds("Transforms"))
        _hijo(transformaciones, _ds("Transform"), Algorithm=ENVELOPED)
        _digest_method(comprobante, digest_comprobante)
        valor = _hijo(firma, _ds("SignatureValue"), Id=ids.valor)

        key_info = _hijo(firma, _ds("KeyInfo"), Id=ids.key_info)
        x509_data = _hijo(key_info, _ds("X509Data"))
        _texto(x509_data, _ds("X509Certificate"), credencial.certificado_b64)
        rsa = _hijo(_hijo(key_info, _ds("KeyValue")), _ds("RSAKeyValue"))
        _texto(rsa, _ds("Modulus"), credencial.modulo_b64)
        _texto(rsa, _ds("Exponent"), credencial.exponente_b64)

        objeto = _hijo(firma, _ds("Object"), Id=ids.objeto)
        calificantes = _hijo(objeto, _etsi("QualifyingProperties"), Target=f"#{ids.firma}")
        propiedades = _hijo(calificantes, _etsi("SignedProperties"), Id=ids.propiedades)
        de_la_firma = _hijo(propiedades, _etsi("SignedSignatureProperties"))
        _texto(de_la_firma, _etsi("SigningTime"), momento.isoformat())
        cert = _hijo(_hijo(de_la_firma, _etsi("SigningCertificate")), _etsi("Cert"))
        _digest_method(_hijo(cert, _etsi("CertDigest")), credencial.digest_certificado_b64)
        emisor_serie = _hijo(cert, _etsi("IssuerSerial"))
        _texto(emisor_serie, _ds("X509IssuerName"), credencial.emisor)
        _texto(emisor_serie, _ds("X509SerialNumber"), credencial.serie)
        de_los_datos = _hijo(propiedades, _etsi("SignedDataObjectProperties"))
        formato = _hijo(
            de_los_datos, _etsi("DataObjectFormat"), ObjectReference=f"#{ids.referencia}"
        )
        _texto(formato, _etsi("Description"), "contenido comprobante")
        _texto(formato, _etsi("MimeType"), "text/xml")
        return firma, signed_info, propiedades, key_info, valor


class _Ids:
    """The Ids of one signature: unique per signature (a UUID), valid xs:IDs (a letter
    first). The ficha's numbers are only a convention; the SRI accepts any."""

    def __init__(self, firma: str) -> None:
        self.firma = firma
        self.signed_info = f"{firma}-SignedInfo"
        self.referencia_propiedades = f"{firma}-SignedPropertiesID"
        self.propiedades = f"{firma}-SignedProperties"
        self.key_info = f"{firma}-Certificate"
        self.referencia = f"{firma}-Reference-comprobante"
        self.valor = f"{firma}-SignatureValue"
        self.objeto = f"{firma}-Object"


def _comprobante(xml: bytes) -> etree._Element:
    raiz = etree.fromstring(xml, _PARSER)
    if raiz.tag not in RAICES or raiz.get("id") != "comprobante":
        nombre = etree.QName(raiz).localname
        raise ValueError(
            f"Solo se firman facturas y notas de crédito con id='comprobante', no <{nombre}>"
        )
    if raiz.find(_ds("Signature")) is not None:
        raise ValueError("El comprobante ya está firmado")
    return raiz


def _c14n(elemento: etree._Element) -> bytes:
    # Comments are outside a same-document (#id) reference, whatever the document holds.
    return etree.tostring(elemento, method="c14n", exclusive=False, with_comments=False)


def _digest(elemento: etree._Element) -> str:
    return base64.b64encode(hashlib.sha1(_c14n(elemento)).digest()).decode("ascii")


def _referencia(signed_info: etree._Element, **atributos: str) -> None:
    _digest_method(_hijo(signed_info, _ds("Reference"), **atributos), "")


def _digest_method(padre: etree._Element, digest: str) -> None:
    _hijo(padre, _ds("DigestMethod"), Algorithm=SHA1)
    _texto(padre, _ds("DigestValue"), digest)


def _poner_digest(signed_info: etree._Element, indice: int, digest: str) -> None:
    referencia = signed_info.findall(_ds("Reference"))[indice]
    valor = referencia.find(_ds("DigestValue"))
    assert valor is not None
    valor.text = digest


def _hijo(padre: etree._Element, etiqueta: str, **atributos: str) -> etree._Element:
    return etree.SubElement(padre, etiqueta, atributos)


def _texto(padre: etree._Element, etiqueta: str, texto: str) -> None:
    etree.SubElement(padre, etiqueta).text = texto


def _ds(nombre: str) -> str:
    return f"{{{DS}}}{nombre}"


def _etsi(nombre: str) -> str:
    return f"{{{ETSI}}}{nombre}"
