"""Who is signed in: the session cookie, read on every screen, and the roles each area
admits.

The cookie holds only the session's random secret (the database keeps its SHA-256); it is
HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), Secure
when the request came over https (or as PROMETEO_COOKIE_SEGURA says), and lasts no longer
than the session's absolute limit. A screen asked for without a live session sends the
browser to /ingresar; a role that may not open an area gets 403."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from prometeo.application.acceso import Rol
from prometeo.application.personas import SesionVigente
from prometeo.bootstrap import Servicios

COOKIE_SESION = "prometeo_sesion"
_LARGO_MAXIMO_SECRETO = 100

CAJA = frozenset({Rol.ADMIN, Rol.CAJERO})
BODEGA = frozenset({Rol.ADMIN, Rol.BODEGUERO})
DUENO = frozenset({Rol.ADMIN, Rol.CONTADOR})
AJUSTES = frozenset({Rol.ADMIN})
TODOS = frozenset(Rol)


class SinSesion(Exception):
    """No live session: the browser goes to /ingresar (and back to `siguiente` after)."""

    def __init__(self, siguiente: str) -> None:
        super().__init__(siguiente)
        self.siguiente = siguiente


class RolNoPermitido(Exception):
    """The session's role may not open this area: answered 403."""

    def __init__(self, sesion: SesionVigente, area: str) -> None:
        super().__init__(area)
        self.sesion = sesion
        self.area = area


@dataclass(frozen=True, slots=True)
class Persona:
    """What a screen works with: the services and the live session of who asks."""

    servicios: Servicios
    sesion: SesionVigente


def servicios_de(request: Request) -> Servicios:
    wired: Servicios = request.app.state.servicios
    return wired


async def sesion_de(request: Request) -> SesionVigente | None:
    """The live session of the request's cookie, or None."""
    secreto = request.cookies.get(COOKIE_SESION, "")
    if not secreto or len(secreto) > _LARGO_MAXIMO_SECRETO:
        return None
    return await run_in_threadpool(servicios_de(request).usuarios.sesion, secreto)


def permitido(roles: frozenset[Rol], area: str) -> Callable[[Request], Awaitable[Persona]]:
    """A dependency that lets in a live session of one of `roles` (`area` names the area
    in the 403 page)."""

    async def dependencia(request: Request) -> Persona:
        sesion = await sesion_de(request)
        if sesion is None:
            destino = request.url.path
            if request.url.query:
                destino += "?" + request.url.query
            raise SinSesion(destino)
        if sesion.rol not in roles:
            raise RolNoPermitido(sesion, area)
        return Persona(servicios_de(request), sesion)

    return dependencia


def cookie_segura(request: Request) -> bool:
    fija = servicios_de(request).web.cookie_segura
    return fija if fija is not None else request.url.scheme == "https"


def poner_cookie(request: Request, respuesta: Response, nombre: str, valor: str) -> None:
    """Set one of the screens' cookies: HttpOnly, SameSite=Strict, path /, Secure as
    `cookie_segura` says, gone with the session's absolute limit."""
    respuesta.set_cookie(
        nombre,
        valor,
        max_age=servicios_de(request).web.sesion_horas_maximas * 3600,
        path="/",
        httponly=True,
        samesite="strict",
        secure=cookie_segura(request),
    )


def borrar_cookie(request: Request, respuesta: Response, nombre: str) -> None:
    respuesta.delete_cookie(
        nombre, path="/", httponly=True, samesite="strict", secure=cookie_segura(request)
    )
