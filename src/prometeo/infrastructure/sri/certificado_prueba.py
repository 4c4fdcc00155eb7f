"""A TEST signing certificate, so that the demo and the tests sign their documents: a
self-made certification authority, clearly labelled as having no legal validity, and a
signer certificate for one RUC, shaped like an Ecuadorian CA's (RSA-2048, digitalSignature
and nonRepudiation, the Security Data RUC extension), in a password-protected .p12.

The SRI trusts only the accredited CAs: a document signed with this is rejected (39)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, Encoding, pkcs12
from cryptography.x509.oid import NameOID

from prometeo.infrastructure.sri.certificados import OIDS_RUC

NOMBRE_AUTORIDAD = "AC DE PRUEBAS PROMETEO - SIN VALIDEZ LEGAL"
_LEYENDA = "CERTIFICADO DE PRUEBAS - SIN VALIDEZ LEGAL"
_CORREO_AUTORIDAD = "pruebas@prometeo.invalid"
_OID_RUC_SECURITY_DATA = OIDS_RUC[0]
_MAXIMO_ATRIBUTO = 64  # X.520 upper bound of CN, O and OU


@dataclass(frozen=True)
class CertificadoPrueba:
    """The signer's .p12 and the authority's certificate (PEM), to verify what it signs."""

    p12: bytes
    ca_pem: bytes


def crear_certificado_prueba(
    ruc: str, razon_social: str, clave: bytes, *, ahora: datetime, dias: int = 730
) -> CertificadoPrueba:
    """A test authority and a signer certificate for `ruc`, valid from a day before `ahora`
    for `dias` days, as a .p12 protected by `clave`."""
    if ahora.tzinfo is None:
        raise ValueError("ahora debe llevar zona horaria")
    desde = ahora - timedelta(days=1)
    hasta = ahora + timedelta(days=dias)
    clave_ca = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    nombre_ca = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "EC"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "PROMETEO"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, _LEYENDA),
            x509.NameAttribute(NameOID.COMMON_NAME, NOMBRE_AUTORIDAD),
            # The SRI's verifier needs it written EMAILADDRESS=: exercise that path.
            x509.NameAttribute(NameOID.EMAIL_ADDRESS, _CORREO_AUTORIDAD),
        ]
    )
    ski_ca = x509.SubjectKeyIdentifier.from_public_key(clave_ca.public_key())
    ca = (
        x509.CertificateBuilder()
        .subject_name(nombre_ca)
        .issuer_name(nombre_ca)
        .public_key(clave_ca.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(desde)
        .not_valid_after(hasta + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_uso(key_cert_sign=True, crl_sign=True), critical=True)
        .add_extension(ski_ca, critical=False)
        .sign(clave_ca, hashes.SHA256())
    )
    clave_firma = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    nombre = razon_social[:_MAXIMO_ATRIBUTO].rstrip()
    titular = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "EC"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, nombre),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, _LEYENDA),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, ruc),
            x509.NameAttribute(NameOID.COMMON_NAME, nombre),
        ]
    )
    certificado = (
        x509.CertificateBuilder()
        .subject_name(titular)
        .issuer_name(nombre_ca)
        .public_key(clave_firma.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(desde)
        .not_valid_after(hasta)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_uso(digital_signature=True, content_commitment=True), critical=True)
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(clave_firma.public_key()), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski_ca), critical=False
        )
        .add_extension(
            x509.UnrecognizedExtension(_OID_RUC_SECURITY_DATA, _utf8_der(ruc)), critical=False
        )
        .sign(clave_ca, hashes.SHA256())
    )
    p12 = pkcs12.serialize_key_and_certificates(
        b"Signing Key", clave_firma, certificado, [ca], BestAvailableEncryption(clave)
    )
    return CertificadoPrueba(p12=p12, ca_pem=ca.public_bytes(Encoding.PEM))


def _uso(
    *,
    digital_signature: bool = False,
    content_commitment: bool = False,
    key_cert_sign: bool = False,
    crl_sign: bool = False,
) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital_signature,
        content_commitment=content_commitment,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=key_cert_sign,
        crl_sign=crl_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _utf8_der(texto: str) -> bytes:
    """A DER UTF8String, as Security Data encodes the RUC (short: one length octet)."""
    datos = texto.encode()
    if len(datos) > 127:
        raise ValueError("El texto de la extensión es demasiado largo")
    return bytes([0x0C, len(datos)]) + datos
