"""Test certificates and .p12 files, made here with cryptography (independently of
certificado_prueba.py): an authority, a signer, an encryption-only, an expired and a
not-yet-valid certificate, a legacy 3DES .p12 and a two-key .p12 with the decryption key
first, as BCE and Entrust ship them. Keys are slow to make: one of each per session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from asn1crypto import cms as asn1_cms  # type: ignore[import-untyped]
from asn1crypto import core as asn1_core
from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    PrivateFormat,
    pkcs12,
)
from cryptography.x509.oid import NameOID

# The tests' fixed clock; every certificate here is placed around it.
AHORA = datetime(2026, 12, 5, 20, 30, 45, 987654, tzinfo=UTC)
RUC = "1792060346001"
OTRO_RUC = "0990138850001"
CLAVE = b"correcta horse 9!"
OID_RUC_SECURITY_DATA = x509.ObjectIdentifier("1.3.6.1.4.1.37746.3.11")
OID_RUC_BCE = x509.ObjectIdentifier("1.3.6.1.4.1.37947.3.11")


@dataclass(frozen=True)
class Par:
    clave: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    certificado: x509.Certificate


@dataclass(frozen=True)
class Autoridad:
    clave: rsa.RSAPrivateKey
    certificado: x509.Certificate

    @property
    def pem(self) -> bytes:
        return self.certificado.public_bytes(Encoding.PEM)


@cache
def autoridad(nombre: str = "AC PRUEBAS FABRICA") -> Autoridad:
    clave = _rsa()
    sujeto = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "EC"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "FABRICA DE PRUEBAS"),
            x509.NameAttribute(NameOID.COMMON_NAME, nombre),
            x509.NameAttribute(NameOID.EMAIL_ADDRESS, "ac@fabrica.invalid"),
        ]
    )
    certificado = (
        x509.CertificateBuilder()
        .subject_name(sujeto)
        .issuer_name(sujeto)
        .public_key(clave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(AHORA - timedelta(days=3650))
        .not_valid_after(AHORA + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_uso(key_cert_sign=True, crl_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(clave.public_key()), False)
        .sign(clave, hashes.SHA256())
    )
    return Autoridad(clave, certificado)


def emitir(
    nombre: str,
    *,
    firma: bool | None = True,
    desde: datetime = AHORA - timedelta(days=30),
    hasta: datetime = AHORA + timedelta(days=700),
    ruc: tuple[x509.ObjectIdentifier, bytes] | None = None,
    clave: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None = None,
    ac: Autoridad | None = None,
) -> Par:
    """A certificate for `nombre`: a signing one (digitalSignature, nonRepudiation), with
    firma=False an encryption-only one (keyEncipherment), with None one without keyUsage."""
    ac = ac or autoridad()
    clave = clave or _rsa()
    uso = (
        _uso(digital_signature=True, content_commitment=True)
        if firma
        else _uso(key_encipherment=True)
    )
    constructor = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "EC"),
                    x509.NameAttribute(NameOID.COMMON_NAME, nombre),
                ]
            )
        )
        .issuer_name(ac.certificado.subject)
        .public_key(clave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(desde)
        .not_valid_after(hasta)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(clave.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ac.clave.public_key()), False
        )
    )
    if firma is not None:
        constructor = constructor.add_extension(uso, critical=True)
    if ruc is not None:
        constructor = constructor.add_extension(x509.UnrecognizedExtension(*ruc), False)
    return Par(clave, constructor.sign(ac.clave, hashes.SHA256()))


def utf8(texto: str) -> bytes:
    return bytes(asn1_core.UTF8String(texto).dump())


@cache
def firmante() -> Par:
    """The issuer's valid signing certificate, RUC in the Security Data extension."""
    return emitir("EMPRESA DE PRUEBA S.A.", ruc=(OID_RUC_SECURITY_DATA, utf8(RUC)))


@cache
def firmante_sin_ruc() -> Par:
    return emitir("PERSONA SIN RUC EN EL CERTIFICADO")


@cache
def de_cifrado() -> Par:
    return emitir("EMPRESA DE PRUEBA S.A. (CIFRADO)", firma=False)


@cache
def caducado() -> Par:
    return emitir(
        "EMPRESA CADUCADA", desde=AHORA - timedelta(days=800), hasta=AHORA - timedelta(days=35)
    )


@cache
def futuro() -> Par:
    return emitir(
        "EMPRESA AUN NO VIGENTE", desde=AHORA + timedelta(days=2), hasta=AHORA + timedelta(days=9)
    )


def p12(par: Par, clave: bytes | None = CLAVE, *, nombre: bytes = b"Signing Key") -> bytes:
    cifrado = BestAvailableEncryption(clave) if clave else NoEncryption()
    return pkcs12.serialize_key_and_certificates(
        nombre, par.clave, par.certificado, [autoridad().certificado], cifrado
    )


def p12_legado(par: Par, clave: bytes = CLAVE) -> bytes:
    """Keys and certificates under pbeWithSHAAnd3-KeyTripleDES-CBC, MAC with SHA-1."""
    cifrado = (
        PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(2048)
        .key_cert_algorithm(pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC)
        .hmac_hash(hashes.SHA1())
        .build(clave)
    )
    return pkcs12.serialize_key_and_certificates(
        b"Signing Key", par.clave, par.certificado, [autoridad().certificado], cifrado
    )


def p12_unido(*archivos: bytes) -> bytes:
    """The bags of several .p12 files in one, in order, without a MAC (nothing here can
    compute one): how a "Decryption Key" + "Signing Key" file is laid out."""
    contenedores = []
    for archivo in archivos:
        contenedores.extend(asn1_pkcs12.Pfx.load(archivo).authenticated_safe)
    segura = asn1_pkcs12.AuthenticatedSafe(contenedores)
    pfx = asn1_pkcs12.Pfx(
        {
            "version": "v3",
            "auth_safe": asn1_cms.ContentInfo(
                {"content_type": "data", "content": asn1_core.OctetString(segura.dump())}
            ),
        }
    )
    return bytes(pfx.dump())


def _rsa() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _uso(
    *,
    digital_signature: bool = False,
    content_commitment: bool = False,
    key_encipherment: bool = False,
    key_cert_sign: bool = False,
    crl_sign: bool = False,
) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital_signature,
        content_commitment=content_commitment,
        key_encipherment=key_encipherment,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=key_cert_sign,
        crl_sign=crl_sign,
        encipher_only=False,
        decipher_only=False,
    )
