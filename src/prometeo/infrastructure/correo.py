"""Mail over SMTP (PROMETEO_SMTP_URL, PROMETEO_CORREO_REMITENTE) as the application's
EnvioCorreo port, and the mail a buyer receives for an authorized document: its XML and its
RIDE attached [FICHA §4.7, §5.12]. Standard library only. No message, error or log line
made here holds the SMTP password or an attachment's content."""

from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import parse_qsl, unquote, urlsplit

from prometeo.application.sri import EnvioCorreo, ErrorCorreo

PUERTOS = {"smtp": 25, "smtps": 465}
_VARIABLE = "PROMETEO_SMTP_URL"
_CODIFICADOS = ' (si el usuario o la contraseña llevan "/", "?" o "#", escríbalos %2F, %3F, %23)'


@dataclass(frozen=True, slots=True)
class _Servidor:
    esquema: str
    host: str
    puerto: int
    usuario: str | None
    clave: str
    starttls: bool


def _leer_url(url: str) -> _Servidor:
    """The server a URL names; ValueError otherwise. The messages quote no part of the URL:
    a password with an unencoded "/", "?" or "#" spills into the port, the path, the query
    or the fragment, and would otherwise be echoed."""

    def invalida(motivo: str) -> ValueError:
        return ValueError(f"{_VARIABLE} no es válida: {motivo}")

    partes = urlsplit(url.strip())
    if partes.scheme not in PUERTOS:
        raise invalida("debe empezar por smtp:// o smtps://")
    if partes.path not in ("", "/") or partes.fragment:
        raise invalida(f"tiene ruta o fragmento{_CODIFICADOS}")
    try:
        puerto = partes.port  # None when absent; ValueError when not a number in 0-65535
    except ValueError:
        puerto = 0
    if puerto == 0:
        raise invalida(f"el puerto debe ser un número entre 1 y 65535{_CODIFICADOS}")
    if not partes.hostname:
        raise invalida("falta el servidor (smtp://usuario:clave@servidor:puerto)")
    if partes.password is not None and not partes.username:
        raise invalida("tiene contraseña pero no usuario")
    consulta = parse_qsl(partes.query, keep_blank_values=True)
    if any(nombre != "starttls" or valor not in ("0", "1") for nombre, valor in consulta):
        raise invalida("el único parámetro admitido es starttls=0 o starttls=1")
    starttls = ("starttls", "1") in consulta
    if starttls and partes.scheme == "smtps":
        raise invalida("smtps:// ya cifra la conexión desde el inicio: quite starttls=1")
    usuario = unquote(partes.username) if partes.username else None
    clave = unquote(partes.password or "")
    # smtplib encodes the login as ASCII: anything else would fail on every attempt.
    if not ((usuario or "").isascii() and clave.isascii()):
        raise invalida("el usuario y la contraseña solo pueden llevar caracteres ASCII")
    return _Servidor(
        esquema=partes.scheme,
        host=partes.hostname,
        puerto=puerto or PUERTOS[partes.scheme],
        usuario=usuario,
        clave=clave,
        starttls=starttls,
    )


class CorreoSmtp(EnvioCorreo):
    """Hands each mail to one SMTP server, one connection per mail.

    `url` is `smtp://[usuario[:clave]@]servidor[:puerto][?starttls=1]` or
    `smtps://[usuario[:clave]@]servidor[:puerto]`, user and password percent-encoded:
    - `smtp://` is a plain connection, port 25 by default; with `?starttls=1` it is upgraded
      with STARTTLS before anything else is said, and a server that does not offer it is an
      error, never a fallback to plain text;
    - `smtps://` is TLS from the first byte (implicit TLS), port 465 by default.
    TLS checks the server's certificate and name (`contexto_tls`, by default the system's
    trusted authorities). With a user it logs in (password empty when the URL has none).

    A malformed URL or sender is a ValueError at construction, its message in Spanish and
    free of the password."""

    def __init__(
        self,
        url: str,
        remitente: str,
        *,
        timeout: float = 30.0,
        contexto_tls: ssl.SSLContext | None = None,
    ) -> None:
        self._servidor = _leer_url(url)
        if "@" not in remitente or re.search(r"[\r\n]", remitente):
            raise ValueError(
                "PROMETEO_CORREO_REMITENTE no es una dirección de correo válida "
                "(p. ej. facturas@empresa.com.ec)"
            )
        if timeout <= 0:
            raise ValueError("El tiempo de espera del correo debe ser mayor que cero")
        self._remitente = remitente.strip()
        self._timeout = timeout
        self._contexto_tls = contexto_tls

    @property
    def servidor(self) -> str:
        """Where mail goes, as host:port (for logs: no user, no password)."""
        return f"{self._servidor.host}:{self._servidor.puerto}"

    def enviar(
        self,
        para: str,
        asunto: str,
        cuerpo: str,
        adjuntos: Sequence[tuple[str, str, bytes]],
    ) -> None:
        """Send one mail; ErrorCorreo when the server cannot be reached, is too slow,
        refuses the login, the sender, the recipient or the message. A recipient or
        subject that cannot be a header (a line break) is a ValueError: retrying would not
        help."""
        mensaje = self._mensaje(para, asunto, cuerpo, adjuntos)
        try:
            self._entregar(mensaje)
        except OSError as error:  # smtplib's errors, refusals, timeouts, TLS failures
            # smtplib's errors quote the server's reply, never what we sent; the password
            # is still taken out in case a server echoes it.
            detalle = str(error) or type(error).__name__
            if self._servidor.clave:
                detalle = detalle.replace(self._servidor.clave, "***")
            raise ErrorCorreo(
                f"No se pudo entregar el correo a {para} por el servidor SMTP "
                f"{self.servidor}: {type(error).__name__}: {detalle}"
            ) from error

    def _mensaje(
        self, para: str, asunto: str, cuerpo: str, adjuntos: Sequence[tuple[str, str, bytes]]
    ) -> EmailMessage:
        mensaje = EmailMessage()  # policy.default: UTF-8 headers and body as needed
        mensaje["From"] = self._remitente
        mensaje["To"] = para
        mensaje["Subject"] = asunto
        mensaje["Date"] = formatdate(localtime=False)
        mensaje["Message-ID"] = make_msgid(domain=self._remitente.rpartition("@")[2].strip(">"))
        mensaje.set_content(cuerpo)
        for nombre, tipo_mime, contenido in adjuntos:
            principal, _, subtipo = tipo_mime.partition("/")
            if not principal or not subtipo:
                principal, subtipo = "application", "octet-stream"
            mensaje.add_attachment(contenido, principal, subtipo, filename=nombre)
        return mensaje

    def _entregar(self, mensaje: EmailMessage) -> None:
        servidor = self._servidor
        conexion: smtplib.SMTP
        if servidor.esquema == "smtps":
            conexion = smtplib.SMTP_SSL(
                servidor.host, servidor.puerto, timeout=self._timeout, context=self._contexto()
            )
        else:
            conexion = smtplib.SMTP(servidor.host, servidor.puerto, timeout=self._timeout)
        with conexion:  # QUIT on the way out, close even when QUIT fails
            if servidor.starttls:
                conexion.starttls(context=self._contexto())
            if servidor.usuario is not None:
                conexion.login(servidor.usuario, servidor.clave)
            conexion.send_message(mensaje)

    def _contexto(self) -> ssl.SSLContext:
        return self._contexto_tls or ssl.create_default_context()


_DOCUMENTOS = {"01": ("FACTURA", "factura"), "04": ("NOTA DE CRÉDITO", "nota-credito")}
_NUMERO = re.compile(r"[0-9]{3}-[0-9]{3}-[0-9]{9}")
_CLAVE = re.compile(r"[0-9]{49}")


def mensaje_comprobante(
    tipo: str,
    numero: str,
    razon_social_emisor: str,
    clave_acceso: str,
    xml: bytes,
    ride: bytes,
) -> tuple[str, str, list[tuple[str, str, bytes]]]:
    """The buyer's mail for an authorized document ("01" factura, "04" nota de crédito,
    `numero` as 001-001-000000001): (asunto, cuerpo, adjuntos), the adjuntos being the
    authorized XML and the RIDE, named after the document. ValueError for another type or a
    malformed number or clave de acceso."""
    if tipo not in _DOCUMENTOS:
        raise ValueError(f"Tipo de comprobante sin correo: {tipo!r} (se admiten 01 y 04)")
    if not _NUMERO.fullmatch(numero):
        raise ValueError(f"Número de comprobante mal formado: {numero!r} (001-001-000000001)")
    if not _CLAVE.fullmatch(clave_acceso):
        raise ValueError("La clave de acceso debe tener 49 dígitos")
    titulo, archivo = _DOCUMENTOS[tipo]
    emisor = " ".join(razon_social_emisor.split())  # one line: it goes into a header
    asunto = f"{titulo} {numero} de {emisor}"
    cuerpo = (
        "Estimado cliente:\n\n"
        f"{emisor} le envía su {titulo.lower()} electrónica {numero}, autorizada por el "
        "SRI. Adjuntamos el comprobante electrónico (XML) y su representación impresa "
        "(RIDE, PDF).\n\n"
        "Puede verificar su validez en el portal del SRI (https://srienlinea.sri.gob.ec, "
        "Facturación Electrónica > Validez de comprobantes) con su clave de acceso:\n\n"
        f"{clave_acceso}\n\n"
        "Este mensaje se envió automáticamente; por favor no lo responda.\n"
    )
    adjuntos = [
        (f"{archivo}-{numero}.xml", "application/xml", xml),
        (f"{archivo}-{numero}.pdf", "application/pdf", ride),
    ]
    return asunto, cuerpo, adjuntos
