"""Reading the issuer's .p12: the signing key is found whatever its place in the file, and
every reason a file cannot sign is told in Spanish, without the password."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, Encoding, pkcs12
from fabrica_certificados import (
    AHORA,
    CLAVE,
    OID_RUC_BCE,
    OID_RUC_SECURITY_DATA,
    RUC,
    autoridad,
    caducado,
    de_cifrado,
    emitir,
    firmante,
    firmante_sin_ruc,
    futuro,
    p12,
    p12_legado,
    p12_unido,
    utf8,
)

from prometeo.infrastructure.sri.certificado_prueba import (
    NOMBRE_AUTORIDAD,
    crear_certificado_prueba,
)
from prometeo.infrastructure.sri.certificados import (
    CredencialFirma,
    ErrorCertificado,
    cargar_credencial,
    leer_credencial,
    ruc_del_certificado,
)

CLAVE_MALA = b"no-es-la-clave-7"


def _error(contenido: bytes, clave: bytes | None = CLAVE) -> ErrorCertificado:
    with pytest.raises(ErrorCertificado) as error:
        cargar_credencial(contenido, clave, ahora=AHORA)
    for secreto in (CLAVE, CLAVE_MALA):
        assert secreto.decode() not in str(error.value)
        assert secreto.decode() not in repr(error.value)
    return error.value


def test_carga_el_certificado_de_firma_con_sus_datos_calculados() -> None:
    credencial = cargar_credencial(p12(firmante()), CLAVE, ahora=AHORA)
    certificado = firmante().certificado

    assert credencial.certificado == certificado
    assert credencial.clave_privada.public_key().public_numbers() == (
        certificado.public_key().public_numbers()  # type: ignore[union-attr]
    )
    assert credencial.cadena == (autoridad().certificado,)
    assert credencial.ruc == RUC
    assert credencial.serie == str(certificado.serial_number)
    assert credencial.emisor.startswith("EMAILADDRESS=ac@fabrica.invalid,CN=")
    assert credencial.exponente_b64 == "AQAB"
    assert CLAVE.decode() not in repr(credencial)


def test_un_p12_legado_cifrado_con_3des_se_lee() -> None:
    credencial = cargar_credencial(p12_legado(firmante()), CLAVE, ahora=AHORA)

    assert credencial.certificado == firmante().certificado


@pytest.mark.parametrize("clave", [CLAVE, None])
def test_con_dos_claves_elige_la_de_firma_aunque_la_de_descifrado_vaya_primero(
    clave: bytes | None,
) -> None:
    archivo = p12_unido(p12(de_cifrado(), clave, nombre=b"Decryption Key"), p12(firmante(), clave))
    # What OpenSSL alone would pick: the first key, the encryption-only certificate.
    assert pkcs12.load_pkcs12(archivo, clave).cert.certificate == de_cifrado().certificado  # type: ignore[union-attr]

    credencial = cargar_credencial(archivo, clave, ahora=AHORA)

    assert credencial.certificado == firmante().certificado
    assert de_cifrado().certificado in credencial.cadena


def test_con_un_certificado_renovado_elige_el_vigente() -> None:
    archivo = p12_unido(p12(caducado()), p12(firmante()))

    credencial = cargar_credencial(archivo, CLAVE, ahora=AHORA)

    assert credencial.certificado == firmante().certificado


def test_contrasena_incorrecta() -> None:
    error = _error(p12(firmante()), CLAVE_MALA)

    assert error.regla == "ClaveFirmaCorrecta"
    assert "contraseña" in str(error)


def test_falta_la_contrasena() -> None:
    error = _error(p12(firmante()), None)

    assert error.regla == "ClaveFirmaCorrecta"


def test_contrasena_incorrecta_en_un_p12_sin_mac() -> None:
    archivo = p12_unido(p12(de_cifrado(), nombre=b"Decryption Key"), p12(firmante()))

    assert _error(archivo, CLAVE_MALA).regla == "ClaveFirmaCorrecta"


@pytest.mark.parametrize(
    "contenido",
    [
        b"",
        b"esto no es un certificado",
        b"0\x03\x02\x01\x03",
        firmante().certificado.public_bytes(Encoding.PEM),
        firmante().certificado.public_bytes(Encoding.DER),
    ],
    ids=["vacio", "texto", "asn1-truncado", "pem", "der"],
)
def test_un_archivo_que_no_es_p12(contenido: bytes) -> None:
    error = _error(contenido)

    assert error.regla == "ArchivoFirmaLegible"
    assert "PKCS#12" in str(error)


def test_un_certificado_solo_de_cifrado_no_firma() -> None:
    error = _error(p12(de_cifrado()))

    assert error.regla == "CertificadoDeFirma"
    assert "digitalSignature" in str(error)
    assert "cifrar" in str(error)


def test_un_certificado_sin_key_usage_no_se_toma_por_uno_de_firma() -> None:
    par = emitir("EMPRESA SIN USOS", firma=None, clave=firmante().clave)

    assert _error(p12(par)).regla == "CertificadoDeFirma"


def test_un_p12_solo_con_certificados() -> None:
    archivo = pkcs12.serialize_key_and_certificates(
        b"Solo certificados", None, firmante().certificado, None, BestAvailableEncryption(CLAVE)
    )

    error = _error(archivo)

    assert error.regla == "CertificadoDeFirma"
    assert "clave privada" in str(error)


def test_un_certificado_caducado_dice_sus_fechas() -> None:
    error = _error(p12(caducado()))

    assert error.regla == "CertificadoVigente"
    assert f"{caducado().certificado.not_valid_after_utc:%Y-%m-%d}" in str(error)
    assert f"{caducado().certificado.not_valid_before_utc:%Y-%m-%d}" in str(error)


def test_un_certificado_aun_no_vigente() -> None:
    error = _error(p12(futuro()))

    assert error.regla == "CertificadoVigente"
    assert f"{futuro().certificado.not_valid_before_utc:%Y-%m-%d}" in str(error)


def test_una_clave_que_no_es_rsa() -> None:
    par = emitir("EMPRESA CURVA ELIPTICA", clave=ec.generate_private_key(ec.SECP256R1()))

    error = _error(p12(par))

    assert error.regla == "CertificadoRsa"


def test_la_hora_debe_llevar_zona() -> None:
    with pytest.raises(ValueError, match="zona horaria"):
        cargar_credencial(p12(firmante()), CLAVE, ahora=AHORA.replace(tzinfo=None))


# -- the RUC in the certificate ----------------------------------------------------------------


@pytest.mark.parametrize(
    "valor",
    [
        utf8(RUC),
        b"\x13\x0d" + RUC.encode(),  # PrintableString
        RUC.encode(),  # bare text, as some CAs write it
        b" " + RUC.encode() + b"\n",
    ],
    ids=["utf8string", "printablestring", "crudo", "crudo-con-espacios"],
)
@pytest.mark.parametrize("oid", [OID_RUC_SECURITY_DATA, OID_RUC_BCE, "1.3.6.1.4.1.18332.3.11"])
def test_ruc_del_certificado(valor: bytes, oid: x509.ObjectIdentifier | str) -> None:
    if isinstance(oid, str):
        oid = x509.ObjectIdentifier(oid)

    certificado = emitir("CON RUC", ruc=(oid, valor), clave=firmante().clave).certificado

    assert ruc_del_certificado(certificado) == RUC


def test_sin_extension_de_ruc_no_hay_ruc() -> None:
    assert ruc_del_certificado(firmante_sin_ruc().certificado) is None


# -- from the settings' files ------------------------------------------------------------------


def test_lee_el_archivo_y_la_contrasena_de_su_archivo_sin_el_salto_final(
    tmp_path: Path,
) -> None:
    archivo = tmp_path / "firma.p12"
    archivo.write_bytes(p12(firmante()))
    clave_archivo = tmp_path / "clave"
    clave_archivo.write_bytes(CLAVE + b"\n")

    credencial = leer_credencial(archivo, None, clave_archivo, ahora=AHORA)

    assert credencial.certificado == firmante().certificado


def test_lee_la_contrasena_dada_como_texto(tmp_path: Path) -> None:
    archivo = tmp_path / "firma.p12"
    archivo.write_bytes(p12(firmante(), "contraseña ñ".encode()))

    credencial = leer_credencial(archivo, "contraseña ñ", None, ahora=AHORA)

    assert isinstance(credencial, CredencialFirma)


def test_solo_se_quita_un_salto_de_linea_final(tmp_path: Path) -> None:
    archivo = tmp_path / "firma.p12"
    archivo.write_bytes(p12(firmante(), CLAVE + b"\n"))
    clave_archivo = tmp_path / "clave"
    clave_archivo.write_bytes(CLAVE + b"\n\n")

    credencial = leer_credencial(archivo, None, clave_archivo, ahora=AHORA)

    assert credencial.certificado == firmante().certificado


def test_un_archivo_de_firma_que_no_existe(tmp_path: Path) -> None:
    with pytest.raises(ErrorCertificado) as error:
        leer_credencial(tmp_path / "no-existe.p12", CLAVE.decode(), None, ahora=AHORA)

    assert error.value.regla == "ArchivoFirmaLegible"
    assert "no-existe.p12" in str(error.value)
    assert CLAVE.decode() not in str(error.value)


def test_un_archivo_de_firma_que_no_se_puede_leer(tmp_path: Path) -> None:
    with pytest.raises(ErrorCertificado) as error:
        leer_credencial(tmp_path, CLAVE.decode(), None, ahora=AHORA)  # a directory

    assert error.value.regla == "ArchivoFirmaLegible"


def test_un_archivo_de_contrasena_que_no_existe(tmp_path: Path) -> None:
    archivo = tmp_path / "firma.p12"
    archivo.write_bytes(p12(firmante()))

    with pytest.raises(ErrorCertificado) as error:
        leer_credencial(archivo, None, tmp_path / "clave", ahora=AHORA)

    assert error.value.regla == "ArchivoFirmaLegible"
    assert "contraseña" in str(error.value)


def test_la_contrasena_va_en_uno_solo_de_los_dos_ajustes(tmp_path: Path) -> None:
    with pytest.raises(ErrorCertificado) as error:
        leer_credencial(tmp_path / "f.p12", "x", tmp_path / "clave", ahora=AHORA)

    assert error.value.regla == "ClaveFirmaUnica"


def test_una_contrasena_incorrecta_leida_de_archivo_no_aparece_en_el_error(
    tmp_path: Path,
) -> None:
    archivo = tmp_path / "firma.p12"
    archivo.write_bytes(p12(firmante()))
    clave_archivo = tmp_path / "clave"
    clave_archivo.write_bytes(CLAVE_MALA)

    with pytest.raises(ErrorCertificado) as error:
        leer_credencial(archivo, None, clave_archivo, ahora=AHORA)

    assert error.value.regla == "ClaveFirmaCorrecta"
    assert CLAVE_MALA.decode() not in str(error.value)


# -- the test certificate for the demo ---------------------------------------------------------


def test_el_certificado_de_prueba_se_carga_con_su_ruc_y_su_autoridad_se_declara_de_prueba() -> None:
    prueba = crear_certificado_prueba(RUC, "EMPRESA DEMO " * 10, b"demo", ahora=AHORA, dias=30)

    credencial = cargar_credencial(prueba.p12, b"demo", ahora=AHORA)

    ca = x509.load_pem_x509_certificate(prueba.ca_pem)
    assert NOMBRE_AUTORIDAD in ca.subject.rfc4514_string()
    assert "SIN VALIDEZ LEGAL" in NOMBRE_AUTORIDAD
    assert credencial.certificado.issuer == ca.subject
    assert credencial.ruc == RUC
    assert credencial.emisor.startswith("EMAILADDRESS=")
    assert credencial.valido_hasta - AHORA.replace(microsecond=0) == timedelta(days=30)
    assert credencial.clave_privada.key_size == 2048
    uso = credencial.certificado.extensions.get_extension_for_class(x509.KeyUsage).value
    assert uso.digital_signature
    assert uso.content_commitment
    cargado = pkcs12.load_pkcs12(prueba.p12, b"demo")
    assert cargado.cert is not None
    assert cargado.cert.friendly_name == b"Signing Key"
