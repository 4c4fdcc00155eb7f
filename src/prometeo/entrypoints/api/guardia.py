"""The door of the HTTP API: what every request passes before the application reads it.

A pure ASGI middleware, so that it acts on the request line and headers alone: a request
under /api without a valid token is answered 401 (429 after too many bad tokens from one
address) before a byte of its body is read (an anonymous caller can make the server read
nothing), and no body larger than PROMETEO_LIMITE_CUERPO is read whole: a declared
Content-Length beyond it is answered 413 at once, and a chunked body is cut with 413 as
soon as it passes the limit. Every answer that goes through it says
`X-Content-Type-Options: nosniff`."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from prometeo.application.acceso import RegistroTokens
from prometeo.entrypoints.api.errores import (
    CABECERAS_SEGURIDAD,
    CuerpoDemasiadoGrande,
    ErrorAutorizacion,
    respuesta_autorizacion,
    respuesta_cuerpo_demasiado_grande,
)
from prometeo.entrypoints.api.intentos import LimitadorFallos
from prometeo.entrypoints.api.seguridad import reconocer_cabecera

_CABECERAS = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in CABECERAS_SEGURIDAD]
_PREFIJO_API = "/api/"


class GuardiaHttp:
    """Checks the token of every request under /api and caps every request body; the
    Portador it recognized is left in the request's state (`request.state.portador`), so
    the routes' dependency (seguridad.py) never looks the token up twice."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        tokens: RegistroTokens,
        limitador: LimitadorFallos,
        limite_cuerpo: int,
    ) -> None:
        self.app = app
        self.tokens = tokens
        self.limitador = limitador
        self.limite = limite_cuerpo

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = _con_cabeceras(send)
        autorizacion: str | None = None
        largo: bytes | None = None
        troceado = False
        for nombre, valor in scope["headers"]:
            if nombre == b"authorization":
                autorizacion = valor.decode("latin-1")
            elif nombre == b"content-length":
                largo = valor
            elif nombre == b"transfer-encoding":
                troceado = True
        # With Content-Length the server delivers exactly that many bytes; a chunked body's
        # length is known only as it arrives (a Content-Length beside it does not count);
        # HTTP/1.1: a request with neither has no body.
        declarado = int(largo) if largo is not None and largo.isdigit() else None
        con_cuerpo = troceado or bool(declarado)
        path: str = scope["path"]
        if path.startswith(_PREFIJO_API) or path == _PREFIJO_API[:-1]:
            try:
                cliente = scope.get("client")
                direccion = cliente[0] if cliente else ""
                portador = await reconocer_cabecera(
                    autorizacion, self.tokens, self.limitador, direccion
                )
            except ErrorAutorizacion as error:
                # A body left unread on the connection is not worth reading: close it.
                cierre = {"Connection": "close"} if con_cuerpo else None
                await respuesta_autorizacion(error, cierre)(scope, receive, send)
                return
            scope.setdefault("state", {})["portador"] = portador
        if troceado:
            await self._troceado(scope, receive, send)
        elif declarado is not None and declarado > self.limite:
            await respuesta_cuerpo_demasiado_grande(self.limite)(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _troceado(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The app on a chunked body, cut at the limit. Inside FastAPI the overflow is
        answered by errores.py; one met by a middleware that reads the body itself (the
        idempotency middleware reads a write's) reaches here unanswered, and gets its 413
        here."""
        empezada = False

        async def enviar(mensaje: Message) -> None:
            nonlocal empezada
            empezada = empezada or mensaje["type"] == "http.response.start"
            await send(mensaje)

        try:
            await self.app(scope, _limitado(receive, self.limite), enviar)
        except CuerpoDemasiadoGrande:
            if empezada:
                raise
            await respuesta_cuerpo_demasiado_grande(self.limite)(scope, receive, send)


def _con_cabeceras(send: Send) -> Send:
    async def enviar(mensaje: Message) -> None:
        if mensaje["type"] == "http.response.start":
            # A new list: the response object may still hold (and reuse) its own.
            mensaje["headers"] = [*mensaje.get("headers", ()), *_CABECERAS]
        await send(mensaje)

    return enviar


def _limitado(receive: Receive, limite: int) -> Receive:
    """`receive` that raises CuerpoDemasiadoGrande (answered 413 by errores.py) once the
    body read so far passes `limite`: nothing past it is asked for."""
    leidos = 0

    async def recibir() -> Message:
        nonlocal leidos
        mensaje = await receive()
        if mensaje["type"] == "http.request":
            leidos += len(mensaje.get("body", b""))
            if leidos > limite:
                raise CuerpoDemasiadoGrande(limite)
        return mensaje

    return recibir
