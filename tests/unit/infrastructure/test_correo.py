"""CorreoSmtp against a real SMTP server on loopback (aiosmtpd): what the buyer receives
(recipient, sender, UTF-8 subject and body, the XML and the RIDE byte for byte with their
names and types), the login with a percent-encoded password, STARTTLS and implicit TLS with
a checked certificate, and every failure as ErrorCorreo or ValueError with no password in
its message."""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from prometeo.application.sri import ErrorCorreo
from prometeo.infrastructure.correo import CorreoSmtp, mensaje_comprobante

REMITENTE = "facturas@andina.com.ec"
COMPRADOR = "compras@cliente.ec"
USUARIO = "andina"
# "/", "?", "#", a space, "@", ":" and "%": all of them percent-encoded in the URL.
CLAVE = "Se/cr?et#o @:%99"
CLAVE_ACCESO = "0212202501179206034600120010010000000011234567811"
XML = b'<?xml version="1.0" encoding="UTF-8"?><factura id="comprobante">\xc3\xb1</factura>'
RIDE = b"%PDF-1.4\n" + bytes(range(256)) + b"\n%%EOF\n"

# aiosmtpd warns about AUTH without TLS: here it is loopback, on purpose.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


class Buzon:
    """An aiosmtpd handler that keeps what it is handed and can refuse one recipient."""

    def __init__(self) -> None:
        self.sobres: list[Any] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address.startswith("rechazado@"):
            return "550 5.1.1 Buzón inexistente"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.sobres.append(envelope)
        return "250 Message accepted for delivery"

    def mensaje(self) -> EmailMessage:
        (sobre,) = self.sobres
        mensaje = message_from_bytes(sobre.content, policy=policy.default)
        assert isinstance(mensaje, EmailMessage)
        return mensaje


def puerto_libre() -> int:
    """A port nobody listens on now (aiosmtpd's Controller cannot start on port 0)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        puerto: int = s.getsockname()[1]
        return puerto


def autenticador(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data == (
        USUARIO.encode(),
        CLAVE.encode(),
    )
    # handled=False: aiosmtpd answers a failure with 535 itself (True would answer nothing).
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def arrancar() -> Iterator[Any]:
    """Starts aiosmtpd controllers on 127.0.0.1 (keyword arguments go to its SMTP class)
    and stops them at the end; yields (buzón, port)."""
    controladores: list[Controller] = []

    def arrancar(**opciones: Any) -> tuple[Buzon, int]:
        buzon, puerto = Buzon(), puerto_libre()
        controlador = Controller(buzon, hostname="127.0.0.1", port=puerto, **opciones)
        controlador.start()
        controladores.append(controlador)
        return buzon, puerto

    yield arrancar
    for controlador in controladores:
        controlador.stop()


def enviar_factura(correo: CorreoSmtp, para: str = COMPRADOR) -> None:
    asunto, cuerpo, adjuntos = mensaje_comprobante(
        "01", "001-001-000000001", "Comercial Andina S.A.", CLAVE_ACCESO, XML, RIDE
    )
    correo.enviar(para, asunto, cuerpo, adjuntos)


def url_con_clave(esquema: str, puerto: int, consulta: str = "") -> str:
    return f"{esquema}://{USUARIO}:{quote(CLAVE, safe='')}@127.0.0.1:{puerto}{consulta}"


# -- what the buyer receives ---------------------------------------------------------------


def test_the_buyer_receives_the_authorized_xml_and_the_ride(arrancar: Any) -> None:
    buzon, puerto = arrancar()
    enviar_factura(CorreoSmtp(f"smtp://127.0.0.1:{puerto}", REMITENTE, timeout=5))

    (sobre,) = buzon.sobres
    assert sobre.mail_from == REMITENTE
    assert sobre.rcpt_tos == [COMPRADOR]
    mensaje = buzon.mensaje()
    assert mensaje["From"] == REMITENTE
    assert mensaje["To"] == COMPRADOR
    assert mensaje["Subject"] == "FACTURA 001-001-000000001 de Comercial Andina S.A."
    assert mensaje["Date"]
    assert mensaje["Message-ID"].endswith("@andina.com.ec>")
    cuerpo = mensaje.get_body(("plain",))
    assert cuerpo is not None
    assert CLAVE_ACCESO in cuerpo.get_content()
    adjuntos = [
        (parte.get_filename(), parte.get_content_type(), parte.get_payload(decode=True))
        for parte in mensaje.iter_attachments()
    ]
    assert adjuntos == [
        ("factura-001-001-000000001.xml", "application/xml", XML),
        ("factura-001-001-000000001.pdf", "application/pdf", RIDE),
    ]


def test_subject_body_and_sender_name_travel_in_utf8(arrancar: Any) -> None:
    buzon, puerto = arrancar()
    asunto, cuerpo, adjuntos = mensaje_comprobante(
        "04", "002-010-000000123", "Panadería Ñandú Cía. Ltda.", CLAVE_ACCESO, XML, RIDE
    )
    correo = CorreoSmtp(f"smtp://127.0.0.1:{puerto}", "Panadería Ñandú <facturas@nandu.ec>")
    correo.enviar(COMPRADOR, asunto, cuerpo, adjuntos)

    mensaje = buzon.mensaje()
    assert mensaje["Subject"] == "NOTA DE CRÉDITO 002-010-000000123 de Panadería Ñandú Cía. Ltda."
    assert mensaje["From"] == "Panadería Ñandú <facturas@nandu.ec>"
    texto = mensaje.get_body(("plain",))
    assert texto is not None
    assert "Panadería Ñandú Cía. Ltda. le envía su nota de crédito electrónica" in (
        texto.get_content()
    )
    assert [p.get_filename() for p in mensaje.iter_attachments()] == [
        "nota-credito-002-010-000000123.xml",
        "nota-credito-002-010-000000123.pdf",
    ]


def test_it_logs_in_with_the_percent_decoded_password(arrancar: Any) -> None:
    buzon, puerto = arrancar(authenticator=autenticador, auth_required=True, auth_require_tls=False)
    enviar_factura(CorreoSmtp(url_con_clave("smtp", puerto), REMITENTE, timeout=5))
    assert buzon.mensaje()["To"] == COMPRADOR


# -- failures: ErrorCorreo, never the password ---------------------------------------------


def test_a_wrong_password_is_error_correo_without_the_password(arrancar: Any) -> None:
    buzon, puerto = arrancar(authenticator=autenticador, auth_required=True, auth_require_tls=False)
    otra = "Otra-Clave-77"
    correo = CorreoSmtp(f"smtp://{USUARIO}:{otra}@127.0.0.1:{puerto}", REMITENTE, timeout=5)
    with pytest.raises(ErrorCorreo, match="SMTPAuthenticationError") as error:
        enviar_factura(correo)
    assert otra not in str(error.value)
    assert f"127.0.0.1:{puerto}" in str(error.value)
    assert buzon.sobres == []


def test_no_login_where_the_server_requires_one_is_error_correo(arrancar: Any) -> None:
    buzon, puerto = arrancar(authenticator=autenticador, auth_required=True, auth_require_tls=False)
    with pytest.raises(ErrorCorreo, match="530"):
        enviar_factura(CorreoSmtp(f"smtp://127.0.0.1:{puerto}", REMITENTE, timeout=5))
    assert buzon.sobres == []


def test_a_refused_recipient_is_error_correo(arrancar: Any) -> None:
    buzon, puerto = arrancar()
    correo = CorreoSmtp(f"smtp://127.0.0.1:{puerto}", REMITENTE, timeout=5)
    with pytest.raises(ErrorCorreo, match="SMTPRecipientsRefused") as error:
        enviar_factura(correo, para="rechazado@cliente.ec")
    assert "rechazado@cliente.ec" in str(error.value)
    assert buzon.sobres == []


def test_a_refused_connection_is_error_correo_naming_the_host() -> None:
    puerto = puerto_libre()
    correo = CorreoSmtp(url_con_clave("smtp", puerto), REMITENTE, timeout=5)
    with pytest.raises(ErrorCorreo, match=f"127.0.0.1:{puerto}") as error:
        enviar_factura(correo)
    assert "ConnectionRefusedError" in str(error.value)
    assert CLAVE not in str(error.value)
    assert quote(CLAVE, safe="") not in str(error.value)


def test_a_server_that_never_greets_is_a_timeout() -> None:
    # The kernel completes the connection into the backlog; nobody ever answers it.
    with socket.create_server(("127.0.0.1", 0)) as mudo:
        puerto = mudo.getsockname()[1]
        correo = CorreoSmtp(url_con_clave("smtp", puerto), REMITENTE, timeout=0.3)
        with pytest.raises(ErrorCorreo, match="timed out") as error:
            enviar_factura(correo)
    assert f"127.0.0.1:{puerto}" in str(error.value)
    assert CLAVE not in str(error.value)


def test_starttls_asked_for_and_not_offered_never_falls_back_to_plain(arrancar: Any) -> None:
    buzon, puerto = arrancar()
    correo = CorreoSmtp(f"smtp://127.0.0.1:{puerto}?starttls=1", REMITENTE, timeout=5)
    with pytest.raises(ErrorCorreo, match="STARTTLS"):
        enviar_factura(correo)
    assert buzon.sobres == []


# -- TLS -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificado(tmp_path_factory: pytest.TempPathFactory) -> tuple[ssl.SSLContext, Path]:
    """A self-signed certificate for 127.0.0.1: the server's TLS context and the file a
    client must trust to accept it."""
    clave = ec.generate_private_key(ec.SECP256R1())
    nombre = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    ahora = datetime.now(UTC)
    certificado = (
        x509.CertificateBuilder()
        .subject_name(nombre)
        .issuer_name(nombre)
        .public_key(clave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(ahora - timedelta(minutes=5))
        .not_valid_after(ahora + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(clave, hashes.SHA256())
    )
    carpeta = tmp_path_factory.mktemp("tls")
    cert, llave = carpeta / "servidor.pem", carpeta / "servidor.key"
    cert.write_bytes(certificado.public_bytes(serialization.Encoding.PEM))
    llave.write_bytes(
        clave.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    servidor = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    servidor.load_cert_chain(cert, llave)
    return servidor, cert


def test_starttls_upgrades_before_the_login(
    arrancar: Any, certificado: tuple[ssl.SSLContext, Path]
) -> None:
    servidor, cert = certificado
    # auth_require_tls (aiosmtpd's default): the login only works after STARTTLS.
    buzon, puerto = arrancar(
        tls_context=servidor, require_starttls=True, authenticator=autenticador
    )
    confiable = ssl.create_default_context(cafile=cert)
    correo = CorreoSmtp(
        url_con_clave("smtp", puerto, "?starttls=1"), REMITENTE, timeout=5, contexto_tls=confiable
    )
    enviar_factura(correo)
    assert buzon.mensaje()["To"] == COMPRADOR


def test_smtps_is_tls_from_the_first_byte(
    arrancar: Any, certificado: tuple[ssl.SSLContext, Path]
) -> None:
    servidor, cert = certificado
    # aiosmtpd counts only STARTTLS as TLS for AUTH: over implicit TLS it must be told.
    buzon, puerto = arrancar(
        ssl_context=servidor,
        authenticator=autenticador,
        auth_required=True,
        auth_require_tls=False,
    )
    confiable = ssl.create_default_context(cafile=cert)
    correo = CorreoSmtp(
        url_con_clave("smtps", puerto), REMITENTE, timeout=5, contexto_tls=confiable
    )
    enviar_factura(correo)
    assert buzon.mensaje()["To"] == COMPRADOR


def test_an_untrusted_certificate_is_error_correo(
    arrancar: Any, certificado: tuple[ssl.SSLContext, Path]
) -> None:
    servidor, _ = certificado
    buzon, puerto = arrancar(ssl_context=servidor)
    correo = CorreoSmtp(url_con_clave("smtps", puerto), REMITENTE, timeout=5)
    with pytest.raises(ErrorCorreo, match="SSLCertVerificationError") as error:
        enviar_factura(correo)
    assert CLAVE not in str(error.value)
    assert buzon.sobres == []


# -- the URL and the sender ----------------------------------------------------------------


def test_default_ports() -> None:
    assert CorreoSmtp("smtp://correo.andina.ec", REMITENTE).servidor == "correo.andina.ec:25"
    assert CorreoSmtp("smtps://u:p@correo.andina.ec", REMITENTE).servidor == (
        "correo.andina.ec:465"
    )
    assert CorreoSmtp("smtp://correo.andina.ec:587/?starttls=1", REMITENTE).servidor == (
        "correo.andina.ec:587"
    )


SECRETO = "Secreto-99"


@pytest.mark.parametrize(
    ("url", "motivo"),
    [
        ("", "smtp:// o smtps://"),
        (f"http://u:{SECRETO}@correo.ec", "smtp:// o smtps://"),
        (f"u:{SECRETO}@correo.ec:25", "smtp:// o smtps://"),
        (f"smtp://u:{SECRETO}@:25", "falta el servidor"),
        (f"smtp://u:{SECRETO}@correo.ec:99999", "puerto"),
        (f"smtp://u:{SECRETO}@correo.ec:0", "puerto"),
        (f"smtp://u:{SECRETO}@correo.ec:puerto", "puerto"),
        (f"smtp://:{SECRETO}@correo.ec", "no usuario"),
        (f"smtp://u:{SECRETO}@correo.ec?tls=1", "starttls"),
        (f"smtp://u:{SECRETO}@correo.ec?starttls=si", "starttls"),
        (f"smtps://u:{SECRETO}@correo.ec?starttls=1", "quite starttls"),
        (f"smtp://u:{SECRETO}ñ@correo.ec", "ASCII"),
        # An unencoded "/", "#" or "?" cuts the password: its pieces land elsewhere.
        ("smtp://u:Secre/to-99@correo.ec:25", "%2F"),
        ("smtp://u:Secre#to-99@correo.ec:25", "%2F"),
        ("smtp://u:Secre?to-99@correo.ec:25", "%3F"),
        ("smtp://u:Secre:to-99@correo.ec/ruta", "%2F"),
    ],
)
def test_a_malformed_url_is_a_value_error_without_the_password(url: str, motivo: str) -> None:
    with pytest.raises(ValueError, match="PROMETEO_SMTP_URL no es válida") as error:
        CorreoSmtp(url, REMITENTE)
    texto = str(error.value)
    assert motivo in texto
    for pedazo in ("Secre", "to-99"):
        assert pedazo not in texto
    assert error.value.__cause__ is None


@pytest.mark.parametrize("remitente", ["", "facturas", "a@b.ec\r\nBcc: otro@x.ec"])
def test_a_malformed_sender_is_a_value_error(remitente: str) -> None:
    with pytest.raises(ValueError, match="PROMETEO_CORREO_REMITENTE"):
        CorreoSmtp("smtp://correo.ec", remitente)


# -- the buyer's mail ----------------------------------------------------------------------


def test_the_mail_of_a_factura() -> None:
    asunto, cuerpo, adjuntos = mensaje_comprobante(
        "01", "001-001-000000001", "Comercial  Andina\nS.A.", CLAVE_ACCESO, XML, RIDE
    )
    assert asunto == "FACTURA 001-001-000000001 de Comercial Andina S.A."
    assert "autorizada por el SRI" in cuerpo
    assert "srienlinea.sri.gob.ec" in cuerpo
    assert CLAVE_ACCESO in cuerpo
    assert adjuntos == [
        ("factura-001-001-000000001.xml", "application/xml", XML),
        ("factura-001-001-000000001.pdf", "application/pdf", RIDE),
    ]


@pytest.mark.parametrize(
    ("tipo", "numero", "clave", "motivo"),
    [
        ("05", "001-001-000000001", CLAVE_ACCESO, "Tipo de comprobante"),
        ("01", "001-001-1", CLAVE_ACCESO, "Número de comprobante"),
        ("01", "../../etc/passwd", CLAVE_ACCESO, "Número de comprobante"),
        ("01", "001-001-000000001", CLAVE_ACCESO[:-1], "49 dígitos"),
    ],
)
def test_a_mail_for_something_else_is_a_value_error(
    tipo: str, numero: str, clave: str, motivo: str
) -> None:
    with pytest.raises(ValueError, match=motivo):
        mensaje_comprobante(tipo, numero, "Comercial Andina S.A.", clave, XML, RIDE)
