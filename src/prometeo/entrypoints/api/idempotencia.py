"""`Idempotency-Key` on every write under /api (API.md): the same key with the same request
answers the first result again, status and body, without running anything twice, also
after a restart and from another server process; the same key with another request is a
422. Keys belong to the token that used them.

A pure ASGI middleware: it claims the key before the route runs, hands the claim to the
route (the command's own transaction marks it done, see application/idempotencia.py),
passes the answer through to the client as it goes and stores it once complete."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from prometeo.application.idempotencia import (
    LARGO_MAXIMO_CLAVE,
    EstadoReclamo,
    RegistroIdempotencia,
    ReservaIdempotencia,
    RespuestaGuardada,
)
from prometeo.entrypoints.api.errores import problema

CABECERA = "idempotency-key"
_ESCRITURAS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ESTADO_IDEMPOTENCIA = "idempotencia"  # where the route finds the claim: request.state

# (status, rule, message) of the answers the middleware gives itself.
_CLAVE_NO_VALIDA = (
    400,
    "IdempotencyKeyValida",
    f"Idempotency-Key debe tener de 1 a {LARGO_MAXIMO_CLAVE} caracteres ASCII imprimibles",
)
_OTRA_SOLICITUD = (
    422,
    "IdempotencyKeyUnica",
    "Esta Idempotency-Key ya se usó con otra solicitud (otro método, ruta o cuerpo); use "
    "una clave nueva para cada operación",
)
_EN_CURSO = (
    409,
    "IdempotencyKeyLibre",
    "Otra solicitud con esta Idempotency-Key se está procesando; reintente en un momento",
)
_SIN_RESPUESTA = (
    409,
    "IdempotencyKeyRespondida",
    "La operación de esta Idempotency-Key ya se realizó, pero su respuesta no se conservó; "
    "consulte el recurso en lugar de repetirla",
)


class MiddlewareIdempotencia:
    def __init__(self, app: ASGIApp, registro: Callable[[], RegistroIdempotencia]) -> None:
        self.app = app
        self._registro = registro

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        clave = _clave(scope)
        if clave is None:
            await self.app(scope, receive, send)
            return
        if not _valida(clave):
            await _problema(scope, send, *_CLAVE_NO_VALIDA)
            return
        cuerpo = await _leer_cuerpo(receive)
        registro = self._registro()
        reclamo = await run_in_threadpool(
            registro.reclamar, _alcance(scope), clave, _huella(scope, cuerpo)
        )
        if reclamo.estado is EstadoReclamo.REPETIDA:
            assert reclamo.respuesta is not None
            await _repetir(scope, send, reclamo.respuesta)
        elif reclamo.estado is EstadoReclamo.OTRO_CUERPO:
            await _problema(scope, send, *_OTRA_SOLICITUD)
        elif reclamo.estado is EstadoReclamo.EN_CURSO:
            await _problema(scope, send, *_EN_CURSO, cabeceras={"Retry-After": "1"})
        elif reclamo.estado is EstadoReclamo.SIN_RESPUESTA:
            await _problema(scope, send, *_SIN_RESPUESTA)
        else:
            assert reclamo.reserva is not None
            await self._ejecutar(scope, send, cuerpo, registro, reclamo.reserva)

    async def _ejecutar(
        self,
        scope: Scope,
        send: Send,
        cuerpo: bytes,
        registro: RegistroIdempotencia,
        reserva: ReservaIdempotencia,
    ) -> None:
        estado: dict[str, object] = dict(scope.get("state") or {})
        estado[ESTADO_IDEMPOTENCIA] = reserva
        entregado = False

        async def recibir() -> Message:
            nonlocal entregado
            if not entregado:
                entregado = True
                return {"type": "http.request", "body": cuerpo, "more_body": False}
            return {"type": "http.disconnect"}

        respuesta: dict[str, object] = {"estado": 500, "tipo": None}
        partes: list[bytes] = []
        retenidos: list[Message] = []

        async def enviar(mensaje: Message) -> None:
            if mensaje["type"] == "http.response.start":
                respuesta["estado"] = mensaje["status"]
                for nombre, valor in mensaje.get("headers", []):
                    if nombre.lower() == b"content-type":
                        respuesta["tipo"] = valor.decode("latin-1")
            elif mensaje["type"] == "http.response.body":
                partes.append(mensaje.get("body", b""))
            retenidos.append(mensaje)

        try:
            await self.app({**scope, "state": estado}, recibir, enviar)
        finally:
            guardada = RespuestaGuardada(
                int(str(respuesta["estado"])),
                None if respuesta["tipo"] is None else str(respuesta["tipo"]),
                b"".join(partes),
            )
            await run_in_threadpool(registro.cerrar, reserva, guardada)
        # The answer reaches the client only once it is stored: a client that retries the
        # moment it hears back finds it to replay, not a key still in flight (409).
        for mensaje in retenidos:
            await send(mensaje)


def _clave(scope: Scope) -> str | None:
    if scope["type"] != "http" or scope["method"] not in _ESCRITURAS:
        return None
    if not scope["path"].startswith("/api/"):
        return None
    for nombre, valor in scope["headers"]:
        if nombre == CABECERA.encode():
            return str(valor.decode("latin-1"))
    return None


def _valida(clave: str) -> bool:
    return 0 < len(clave) <= LARGO_MAXIMO_CLAVE and clave.isascii() and clave.isprintable()


def _alcance(scope: Scope) -> str:
    """Whose key it is: a digest of the credentials (never the token itself)."""
    for nombre, valor in scope["headers"]:
        if nombre == b"authorization":
            return hashlib.sha256(bytes(valor)).hexdigest()
    return hashlib.sha256(b"").hexdigest()


def _huella(scope: Scope, cuerpo: bytes) -> str:
    """The request a key stands for: method, path, query and body."""
    resumen = hashlib.sha256()
    for parte in (scope["method"].encode(), scope["path"].encode(), scope["query_string"]):
        resumen.update(parte)
        resumen.update(b"\n")
    resumen.update(cuerpo)
    return resumen.hexdigest()


async def _leer_cuerpo(receive: Receive) -> bytes:
    partes = []
    while True:
        mensaje = await receive()
        if mensaje["type"] != "http.request":
            break
        partes.append(mensaje.get("body", b""))
        if not mensaje.get("more_body", False):
            break
    return b"".join(partes)


async def _repetir(scope: Scope, send: Send, respuesta: RespuestaGuardada) -> None:
    replica = Response(
        respuesta.cuerpo,
        status_code=respuesta.estado_http,
        headers={"Idempotent-Replayed": "true"},
        media_type=respuesta.tipo_contenido,
    )
    await replica(scope, _sin_cuerpo, send)


async def _problema(
    scope: Scope,
    send: Send,
    estado: int,
    regla: str,
    mensaje: str,
    *,
    cabeceras: dict[str, str] | None = None,
) -> None:
    respuesta = problema(
        estado, "Idempotency-Key", mensaje, [(regla, mensaje)], cabeceras=cabeceras
    )
    await respuesta(scope, _sin_cuerpo, send)


async def _sin_cuerpo() -> Message:
    """The body was already read: a response that asks for more sees the client gone."""
    return {"type": "http.disconnect"}
