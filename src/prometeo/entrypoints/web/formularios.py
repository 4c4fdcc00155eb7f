"""What the screens' forms send: URL-encoded fields read without python-multipart, the
CSRF token every POST carries, and the idempotency key every write form carries."""

from __future__ import annotations

import hmac
import uuid
from urllib.parse import parse_qs

from fastapi import Request

from prometeo.application.idempotencia import LARGO_MAXIMO_CLAVE

CAMPO_CSRF = "csrf"
CABECERA_CSRF = "x-csrf-token"  # what htmx sends (hx-headers on <body>)
CAMPO_IDEMPOTENCIA = "idempotencia"
CABECERA_IDEMPOTENCIA = "idempotency-key"
_URLENCODED = "application/x-www-form-urlencoded"


class CsrfNoValido(Exception):
    """A POST without the session's CSRF token, or with another one: answered 403."""


async def formulario(request: Request) -> dict[str, str]:
    """The fields of a URL-encoded form (the first value of each); {} for any other
    body. Read once per request (Starlette keeps the body)."""
    if not request.headers.get("content-type", "").startswith(_URLENCODED):
        return {}
    cuerpo = (await request.body()).decode("utf-8", "replace")
    campos = parse_qs(cuerpo, keep_blank_values=True, max_num_fields=1000)
    return {nombre: valores[0] for nombre, valores in campos.items()}


def comprobar_csrf(esperado: str, request: Request, campos: dict[str, str]) -> None:
    """CsrfNoValido unless the form field (or the htmx header) equals `esperado`, compared
    in constant time."""
    dado = campos.get(CAMPO_CSRF) or request.headers.get(CABECERA_CSRF) or ""
    if not esperado or not hmac.compare_digest(dado.encode(), esperado.encode()):
        raise CsrfNoValido


def nueva_clave_idempotencia() -> str:
    """A fresh key for a write form's hidden field: rendered once per form, so a double
    submit or a retry of that form sends the same key and is done once."""
    return str(uuid.uuid4())


def clave_idempotencia(request: Request, campos: dict[str, str]) -> str | None:
    """The key a write carries (hidden field, or the Idempotency-Key header), None when it
    carries none or one that is not 1 to 255 printable ASCII characters."""
    clave = campos.get(CAMPO_IDEMPOTENCIA) or request.headers.get(CABECERA_IDEMPOTENCIA)
    if not clave or len(clave) > LARGO_MAXIMO_CLAVE:
        return None
    if not all(" " <= c <= "~" for c in clave):
        return None
    return clave
