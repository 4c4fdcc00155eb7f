"""The issuer's signing credential: the RSA key and certificate of its .p12 that can sign.

A .p12 from an Ecuadorian CA may hold several keys (BCE and Entrust files carry a
"Signing Key" and a "Decryption Key"; a renewed file keeps the old certificate beside the
new one). OpenSSL's PKCS12_parse, behind cryptography's load_pkcs12, returns only the
first key, so the key bags are enumerated here with asn1crypto and each key is paired with
its certificate by public key. The credential is the pair whose certificate has keyUsage
digitalSignature and is valid now (the SRI answers "no es del tipo firma digital" otherwise).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from asn1crypto import core as asn1_core  # type: ignore[import-untyped]
from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_der_private_key,
    pkcs12,
)
from cryptography.x509.oid import NameOID

from prometeo.application.sri import ErrorFirma

# Where each Ecuadorian CA writes the holder's RUC: Security Data, Banco Central, ANF.
OIDS_RUC = (
    x509.ObjectIdentifier("1.3.6.1.4.1.37746.3.11"),
    x509.ObjectIdentifier("1.3.6.1.4.1.37947.3.11"),
    x509.ObjectIdentifier("1.3.6.1.4.1.18332.3.11"),
)
# MITyC (the SRI's verifier) reads the issuer with Java's X500Principal, which rejects "E=".
_NOMBRES_DN = {NameOID.EMAIL_ADDRESS: "EMAILADDRESS"}


class ErrorCertificado(ErrorFirma):
    """The signing certificate or its file cannot be used: the port's ErrorFirma, so that
    the signing service stops its round. `regla` names the broken rule; the message says
    what is wrong in Spanish and never carries the password, the key or the file's
    contents."""


@dataclass(frozen=True, eq=False, repr=False)
class CredencialFirma:
    """The issuer's signing key and certificate (its chain beside), with everything the
    XAdES signature writes about the certificate computed once, not per document."""

    clave_privada: rsa.RSAPrivateKey
    certificado: x509.Certificate
    cadena: tuple[x509.Certificate, ...] = ()
    certificado_b64: str = field(init=False)
    digest_certificado_b64: str = field(init=False)  # SHA-1 of the DER, as SigningCertificate
    emisor: str = field(init=False)  # the issuer DN with EMAILADDRESS=, as IssuerSerial
    serie: str = field(init=False)  # decimal
    modulo_b64: str = field(init=False)
    exponente_b64: str = field(init=False)
    ruc: str | None = field(init=False)
    valido_desde: datetime = field(init=False)
    valido_hasta: datetime = field(init=False)

    def __post_init__(self) -> None:
        der = self.certificado.public_bytes(Encoding.DER)
        numeros = self.clave_privada.public_key().public_numbers()
        calculados = {
            "certificado_b64": _b64(der),
            "digest_certificado_b64": _b64(hashlib.sha1(der).digest()),
            "emisor": self.certificado.issuer.rfc4514_string(_NOMBRES_DN),
            "serie": str(self.certificado.serial_number),
            "modulo_b64": _b64(_entero_sin_signo(numeros.n)),
            "exponente_b64": _b64(_entero_sin_signo(numeros.e)),
            "ruc": ruc_del_certificado(self.certificado),
            "valido_desde": self.certificado.not_valid_before_utc,
            "valido_hasta": self.certificado.not_valid_after_utc,
        }
        for nombre, valor in calculados.items():
            object.__setattr__(self, nombre, valor)

    @property
    def titular(self) -> str:
        return _nombre_comun(self.certificado)

    def vigente_en(self, momento: datetime) -> bool:
        return self.valido_desde <= momento <= self.valido_hasta

    def __repr__(self) -> str:
        return f"CredencialFirma(titular={self.titular!r}, serie={self.serie}, ruc={self.ruc})"


def cargar_credencial(contenido: bytes, clave: bytes | None, *, ahora: datetime) -> CredencialFirma:
    """The signing credential of a .p12's bytes, at the aware instant `ahora`."""
    if ahora.tzinfo is None:
        raise ValueError("ahora debe llevar zona horaria")
    try:
        # Checks the MAC (so the password) and decrypts every certificate bag, whatever
        # container or cipher (3DES, RC2-40, AES) holds it.
        p12 = pkcs12.load_pkcs12(contenido, clave)
    except ValueError:
        if not _es_pkcs12(contenido):
            raise ErrorCertificado(
                "ArchivoFirmaLegible",
                "El archivo de firma no es un certificado PKCS#12 (.p12 / .pfx)",
            ) from None
        mensaje = (
            "La contraseña del archivo de firma (.p12) no es correcta"
            if clave is not None
            else "El archivo de firma (.p12) está protegido: falta su contraseña"
        )
        raise ErrorCertificado("ClaveFirmaCorrecta", mensaje) from None
    certificados = [c.certificate for c in ([p12.cert] if p12.cert else [])]
    certificados += [c.certificate for c in p12.additional_certs]
    claves, ilegibles = _claves_de_las_bolsas(contenido, clave)
    if p12.key is not None:
        # A key inside an encrypted container is out of the bags' reach: keep OpenSSL's.
        claves.append(p12.key)
    return _elegir(_pares(claves, certificados), certificados, ilegibles, ahora)


def leer_credencial(
    archivo: Path, clave: str | None, clave_archivo: Path | None, *, ahora: datetime
) -> CredencialFirma:
    """The credential of the settings PROMETEO_FIRMA_ARCHIVO and either PROMETEO_FIRMA_CLAVE
    or PROMETEO_FIRMA_CLAVE_ARCHIVO (a file whose one trailing newline is not part of it)."""
    if clave is not None and clave_archivo is not None:
        raise ErrorCertificado(
            "ClaveFirmaUnica",
            "Indique la contraseña de la firma en PROMETEO_FIRMA_CLAVE o en "
            "PROMETEO_FIRMA_CLAVE_ARCHIVO, no en ambas",
        )
    contenido = _leer_archivo(archivo, "el archivo de firma")
    if clave_archivo is not None:
        texto = _leer_archivo(clave_archivo, "el archivo de la contraseña de la firma")
        clave_bytes: bytes | None = texto.removesuffix(b"\n").removesuffix(b"\r")
    else:
        clave_bytes = clave.encode() if clave is not None else None
    return cargar_credencial(contenido, clave_bytes, ahora=ahora)


def ruc_del_certificado(certificado: x509.Certificate) -> str | None:
    """The RUC the CA wrote in the certificate, or None when it carries none of the known
    extensions. CAs write it as a DER string (UTF8String, PrintableString); some as bare
    text: both are read."""
    for oid in OIDS_RUC:
        try:
            extension = certificado.extensions.get_extension_for_oid(oid)
        except x509.ExtensionNotFound:
            continue
        valor = extension.value
        if isinstance(valor, x509.UnrecognizedExtension):
            return _texto_der_o_crudo(valor.value)
    return None


# -- the .p12's bags ---------------------------------------------------------------------------


def _es_pkcs12(contenido: bytes) -> bool:
    try:
        # asn1crypto parses lazily: touch the containers.
        list(asn1_pkcs12.Pfx.load(contenido, strict=True).authenticated_safe)
    except (ValueError, TypeError, KeyError):
        return False
    return True


def _claves_de_las_bolsas(
    contenido: bytes, clave: bytes | None
) -> tuple[list[PrivateKeyTypes], int]:
    """Every key of the plain (not encrypted) containers, and how many could not be read
    (a structure asn1crypto cannot walk counts as one: OpenSSL's key still stands)."""
    claves: list[PrivateKeyTypes] = []
    ilegibles = 0
    try:
        bolsas = list(_bolsas_de_claves(asn1_pkcs12.Pfx.load(contenido)))
    except (ValueError, TypeError, KeyError):
        return claves, 1
    for bolsa in bolsas:
        cifrada = bolsa["bag_id"].native == "pkcs8_shrouded_key_bag"
        der: bytes = bolsa["bag_value"].untag().dump()
        try:
            clave_privada = load_der_private_key(der, clave if cifrada else None)
        except (ValueError, TypeError, UnsupportedAlgorithm):
            ilegibles += 1
            continue
        claves.append(clave_privada)
    return claves, ilegibles


def _bolsas_de_claves(pfx: Any) -> Iterator[Any]:
    for contenedor in pfx.authenticated_safe:
        if contenedor["content_type"].native == "data":
            yield from _bolsas(asn1_pkcs12.SafeContents.load(contenedor["content"].native))


def _bolsas(contenidos: Any) -> Iterator[Any]:
    for bolsa in contenidos:
        tipo = bolsa["bag_id"].native
        if tipo in ("key_bag", "pkcs8_shrouded_key_bag"):
            yield bolsa
        elif tipo == "safe_contents":
            yield from _bolsas(bolsa["bag_value"].untag())


# -- choosing the signing pair -----------------------------------------------------------------


def _pares(
    claves: Sequence[PrivateKeyTypes], certificados: Sequence[x509.Certificate]
) -> list[tuple[PrivateKeyTypes, x509.Certificate]]:
    """Each certificate with its private key, matched by public key (once per certificate)."""
    por_publica = {_publica(clave.public_key()): clave for clave in claves}
    pares = []
    for certificado in certificados:
        try:
            publica = _publica(certificado.public_key())
        except (ValueError, UnsupportedAlgorithm):
            continue
        if publica in por_publica:
            pares.append((por_publica[publica], certificado))
    return pares


def _elegir(
    pares: Sequence[tuple[PrivateKeyTypes, x509.Certificate]],
    certificados: Sequence[x509.Certificate],
    ilegibles: int,
    ahora: datetime,
) -> CredencialFirma:
    if not pares:
        motivo = (
            f"{ilegibles} clave(s) privada(s) del archivo no se pudieron descifrar"
            if ilegibles
            else "ninguna clave privada del archivo corresponde a uno de sus certificados"
        )
        raise ErrorCertificado("CertificadoDeFirma", f"El archivo de firma no sirve: {motivo}")
    rsa_pares = [(k, c) for k, c in pares if isinstance(k, rsa.RSAPrivateKey)]
    if not rsa_pares:
        raise ErrorCertificado(
            "CertificadoRsa",
            "Las claves del archivo de firma no son RSA; el SRI exige firmas RSA",
        )
    de_firma = [(k, c) for k, c in rsa_pares if _firma_digital(c)]
    if not de_firma:
        nombres = ", ".join(_nombre_comun(c) for _, c in rsa_pares)
        raise ErrorCertificado(
            "CertificadoDeFirma",
            f"El archivo de firma no tiene un certificado de firma digital (keyUsage "
            f"digitalSignature): el de {nombres} solo sirve para cifrar",
        )
    vigentes = [(k, c) for k, c in de_firma if _vigente(c, ahora)]
    if not vigentes:
        fechas = "; ".join(
            f"{_nombre_comun(c)}: válido del {c.not_valid_before_utc:%Y-%m-%d %H:%M} al "
            f"{c.not_valid_after_utc:%Y-%m-%d %H:%M} UTC"
            for _, c in de_firma
        )
        raise ErrorCertificado(
            "CertificadoVigente",
            f"El certificado de firma no está vigente el {ahora:%Y-%m-%d %H:%M %z} ({fechas})",
        )
    # A renewed file keeps the old certificate beside the new: the one that lasts longer.
    clave_privada, certificado = max(vigentes, key=lambda par: par[1].not_valid_after_utc)
    assert isinstance(clave_privada, rsa.RSAPrivateKey)
    cadena = tuple(c for c in certificados if c != certificado)
    return CredencialFirma(clave_privada, certificado, cadena)


def _firma_digital(certificado: x509.Certificate) -> bool:
    try:
        uso = certificado.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return False
    return uso.digital_signature


def _vigente(certificado: x509.Certificate, ahora: datetime) -> bool:
    return certificado.not_valid_before_utc <= ahora <= certificado.not_valid_after_utc


# -- small helpers -----------------------------------------------------------------------------


def _leer_archivo(archivo: Path, que: str) -> bytes:
    try:
        return archivo.read_bytes()
    except FileNotFoundError:
        raise ErrorCertificado("ArchivoFirmaLegible", f"No existe {que}: {archivo}") from None
    except OSError as error:
        raise ErrorCertificado(
            "ArchivoFirmaLegible", f"No se puede leer {que} {archivo}: {error.strerror}"
        ) from None


def _publica(clave: Any) -> bytes:
    """The key's SubjectPublicKeyInfo: equal for a private key and its certificate."""
    publica: bytes = clave.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return publica


def _nombre_comun(certificado: x509.Certificate) -> str:
    nombres = certificado.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(nombres[0].value) if nombres else certificado.subject.rfc4514_string()


def _texto_der_o_crudo(valor: bytes) -> str | None:
    texto: str | None = None
    try:
        cargado = asn1_core.load(valor, strict=True)
        if isinstance(cargado, asn1_core.AbstractString):
            texto = str(cargado.native)
    except (ValueError, TypeError):
        pass
    if texto is None:
        texto = valor.decode("utf-8", errors="replace")
    texto = texto.strip()
    return texto or None


def _entero_sin_signo(numero: int) -> bytes:
    """ds:CryptoBinary: big-endian, no leading zero octets."""
    return numero.to_bytes((numero.bit_length() + 7) // 8, "big")


def _b64(datos: bytes) -> str:
    return base64.b64encode(datos).decode("ascii")
