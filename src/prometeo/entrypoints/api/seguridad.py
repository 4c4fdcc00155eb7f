"""Who may do what: bearer tokens and the roles of API.md.

admin everything; cajero facturas, notas de crédito and reads; bodeguero inventory entries
and transfers and reads; contador reads only. Catalog writes and tokens: admin only.

The dependencies here are coroutines: FastAPI runs every plain-function dependency in the
thread pool, one hand-off (and, under load, one wait for the GIL) each; they only read
the request and compare a hash, so they run on the event loop. Only a token that has to
be looked up in the database goes to a thread."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar
from uuid import uuid4

from anyio import CapacityLimiter
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from prometeo.application.acceso import ADMIN, Portador, RegistroTokens, Rol
from prometeo.application.unidad_de_trabajo import Metadatos
from prometeo.bootstrap import Servicios
from prometeo.entrypoints.api.errores import ErrorAutorizacion
from prometeo.entrypoints.api.hilos import en_hilo
from prometeo.entrypoints.api.idempotencia import ESTADO_IDEMPOTENCIA
from prometeo.entrypoints.api.intentos import LimitadorFallos

T = TypeVar("T")

TODOS = frozenset(Rol)
CAJA = frozenset({Rol.ADMIN, Rol.CAJERO})
BODEGA = frozenset({Rol.ADMIN, Rol.BODEGUERO})
ADMINISTRACION = frozenset({Rol.ADMIN})

_LARGO_MAXIMO_TOKEN = 200
_LARGO_MAXIMO_CORRELACION = 100

_bearer = HTTPBearer(
    auto_error=False,
    description="Token de acceso: `Authorization: Bearer <token>`. PROMETEO_ADMIN_TOKEN o "
    "uno creado con POST /api/v1/tokens o `prometeo token`.",
)


@dataclass(frozen=True, slots=True)
class Contexto:
    """What a route works with: the services, who calls and the metadata that every event
    of this request will carry."""

    servicios: Servicios
    portador: Portador
    metadatos: Metadatos
    comandos: CapacityLimiter

    async def comando(self, trabajo: Callable[[], T]) -> T:
        """The one way a route runs a command: `trabajo` (the command, then the read that
        answers it) in a thread, as one of the few commands the application runs at once
        (see hilos.py)."""
        return await en_hilo(self.comandos, trabajo)


async def servicios(request: Request) -> Servicios:
    """The services, for the routes that need no token."""
    wired: Servicios = request.app.state.servicios
    return wired


async def _portador(
    credenciales: HTTPAuthorizationCredentials | None,
    almacen: RegistroTokens,
    limitador: LimitadorFallos,
    direccion: str,
) -> Portador:
    if credenciales is None:
        raise ErrorAutorizacion(
            401, "TokenPresente", "Falta el token: envíe Authorization: Bearer <token>"
        )
    espera = limitador.espera(direccion)
    if espera > 0:
        segundos = math.ceil(espera)
        raise ErrorAutorizacion(
            429,
            "IntentosDeTokenLimitados",
            f"Demasiados tokens no válidos desde esta dirección; espere {segundos} s",
            cabeceras={"Retry-After": str(segundos)},
        )
    token = credenciales.credentials.strip()
    portador: Portador | None = None
    if token and len(token) <= _LARGO_MAXIMO_TOKEN:
        # The admin token is known without the database; any other needs a read, off the
        # event loop.
        if almacen.es_admin(token):
            portador = ADMIN
        else:
            portador = await run_in_threadpool(almacen.portador, token)
    if portador is None:
        limitador.fallo(direccion)
        raise ErrorAutorizacion(
            401, "TokenValido", "El token no es válido (no existe, fue revocado o venció)"
        )
    return portador


async def reconocer_cabecera(
    autorizacion: str | None, almacen: RegistroTokens, limitador: LimitadorFallos, direccion: str
) -> Portador:
    """Who holds the token of an Authorization header, read the way HTTPBearer reads it
    (scheme `Bearer`, any case), from the client at `direccion`; ErrorAutorizacion (401,
    or 429 after too many bad tokens) otherwise. What the door of the API (guardia.py)
    asks before a request's body is read."""
    esquema, _, token = (autorizacion or "").strip().partition(" ")
    token = token.strip()
    if esquema and esquema.lower() != "bearer":
        # A token sent under another scheme (Token, Basic...) is not missing: say what is.
        raise ErrorAutorizacion(
            401,
            "EsquemaBearer",
            f"La cabecera Authorization usa el esquema «{esquema[:20]}»; envíe el token "
            "como Authorization: Bearer <token>",
        )
    credenciales = (
        HTTPAuthorizationCredentials(scheme=esquema, credentials=token)
        if esquema.lower() == "bearer" and token
        else None
    )
    return await _portador(credenciales, almacen, limitador, direccion)


def _correlacion(request: Request) -> str:
    """The caller's X-Correlation-ID when it is sensible, else a new one."""
    dado = request.headers.get("x-correlation-id", "").strip()
    if dado and len(dado) <= _LARGO_MAXIMO_CORRELACION and dado.isprintable():
        return dado
    return str(uuid4())


def permitido(roles: frozenset[Rol], que: str) -> Callable[..., Awaitable[Contexto]]:
    """A dependency that lets in only the given roles (`que` names the action in the 403)."""

    async def dependencia(
        request: Request,
        credenciales: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Contexto:
        estado = request.app.state
        wired: Servicios = estado.servicios
        # Recognized at the door (guardia.py) for every path under /api, before the body
        # was read; looked up here only for a route outside it.
        portador: Portador | None = getattr(request.state, "portador", None)
        if portador is None:
            direccion = request.client.host if request.client is not None else ""
            portador = await _portador(
                credenciales, wired.tokens, estado.limitador_fallos, direccion
            )
        if portador.rol not in roles:
            permitidos = ", ".join(sorted(r.value for r in roles))
            raise ErrorAutorizacion(
                403,
                "RolAutorizado",
                f"El rol {portador.rol.value} no puede {que}; pueden: {permitidos}",
            )
        metadatos = Metadatos(
            usuario=portador.nombre,
            correlation_id=_correlacion(request),
            token_id=portador.id,
            idempotencia=getattr(request.state, ESTADO_IDEMPOTENCIA, None),
        )
        return Contexto(wired, portador, metadatos, estado.limitador_comandos)

    return dependencia


Lectura = Annotated[Contexto, Depends(permitido(TODOS, "consultar"))]
Caja = Annotated[Contexto, Depends(permitido(CAJA, "emitir facturas ni notas de crédito"))]
Bodega = Annotated[Contexto, Depends(permitido(BODEGA, "mover inventario"))]
Correccion = Annotated[
    Contexto, Depends(permitido(ADMINISTRACION, "corregir ni reenviar comprobantes al SRI"))
]
Administracion = Annotated[
    Contexto, Depends(permitido(ADMINISTRACION, "modificar el catálogo ni crear tokens"))
]
