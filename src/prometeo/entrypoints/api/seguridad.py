"""Who may do what: bearer tokens and the roles of API.md.

admin everything; cajero facturas, notas de crédito and reads; bodeguero inventory entries
and transfers and reads; contador reads only. Catalog writes and tokens: admin only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated
from uuid import uuid4

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from prometeo.application.unit_of_work import Metadatos
from prometeo.bootstrap import Aplicacion
from prometeo.entrypoints.api.errores import ErrorAutorizacion
from prometeo.infrastructure.db.lectura_catalogo import LectorCatalogo
from prometeo.infrastructure.tokens import AlmacenTokens, Portador, Rol

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
    """What a route works with: the wired application, who calls and the metadata that
    every event of this request will carry."""

    app: Aplicacion
    catalogo: LectorCatalogo
    portador: Portador
    metadatos: Metadatos


def aplicacion(request: Request) -> Aplicacion:
    app: Aplicacion = request.app.state.aplicacion
    return app


def almacen_tokens(request: Request) -> AlmacenTokens:
    almacen: AlmacenTokens = request.app.state.tokens
    return almacen


def _portador(
    credenciales: HTTPAuthorizationCredentials | None, almacen: AlmacenTokens
) -> Portador:
    if credenciales is None:
        raise ErrorAutorizacion(
            401, "TokenPresente", "Falta el token: envíe Authorization: Bearer <token>"
        )
    token = credenciales.credentials.strip()
    portador = almacen.portador(token) if token and len(token) <= _LARGO_MAXIMO_TOKEN else None
    if portador is None:
        raise ErrorAutorizacion(401, "TokenValido", "El token no es válido")
    return portador


def _correlacion(request: Request) -> str:
    """The caller's X-Correlation-ID when it is sensible, else a new one."""
    dado = request.headers.get("x-correlation-id", "").strip()
    if dado and len(dado) <= _LARGO_MAXIMO_CORRELACION and dado.isprintable():
        return dado
    return str(uuid4())


def permitido(roles: frozenset[Rol], que: str) -> Callable[..., Contexto]:
    """A dependency that lets in only the given roles (`que` names the action in the 403)."""

    def dependencia(
        request: Request,
        credenciales: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
        app: Annotated[Aplicacion, Depends(aplicacion)],
        almacen: Annotated[AlmacenTokens, Depends(almacen_tokens)],
    ) -> Contexto:
        portador = _portador(credenciales, almacen)
        if portador.rol not in roles:
            permitidos = ", ".join(sorted(r.value for r in roles))
            raise ErrorAutorizacion(
                403,
                "RolAutorizado",
                f"El rol {portador.rol.value} no puede {que}; pueden: {permitidos}",
            )
        metadatos = Metadatos(usuario=portador.nombre, correlation_id=_correlacion(request))
        return Contexto(app, request.app.state.catalogo, portador, metadatos)

    return dependencia


Lectura = Annotated[Contexto, Depends(permitido(TODOS, "consultar"))]
Caja = Annotated[Contexto, Depends(permitido(CAJA, "emitir facturas ni notas de crédito"))]
Bodega = Annotated[Contexto, Depends(permitido(BODEGA, "mover inventario"))]
Administracion = Annotated[
    Contexto, Depends(permitido(ADMINISTRACION, "modificar el catálogo ni crear tokens"))
]
