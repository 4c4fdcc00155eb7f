"""Signing in and out: /ingresar (API.md: "Usuario", "Contraseña", "Ingresar") and
/salir, and `/`, which sends each person where they belong.

Before a session exists, the sign-in form is protected against cross-site posts by a
double-submit token: a random value both in an HttpOnly SameSite=Strict cookie and in the
form, which must match. After, every POST carries the session's own CSRF token."""

from __future__ import annotations

import hmac
import math
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from prometeo.application.personas import LARGO_MAXIMO_CLAVE, LARGO_MAXIMO_USUARIO
from prometeo.entrypoints.web.formularios import CAMPO_CSRF, CsrfNoValido, comprobar_csrf
from prometeo.entrypoints.web.formularios import formulario as leer_formulario
from prometeo.entrypoints.web.paginas import pagina
from prometeo.entrypoints.web.sesiones import (
    COOKIE_SESION,
    TODOS,
    Persona,
    borrar_cookie,
    permitido,
    poner_cookie,
    servicios_de,
    sesion_de,
)

router = APIRouter(include_in_schema=False)
COOKIE_INGRESO = "prometeo_ingreso"
INICIO = "/inicio"
_CREDENCIALES_NO_VALIDAS = "Usuario o contraseña incorrectos."


def destino_seguro(siguiente: str | None) -> str:
    """Where to go after signing in: a path of this site only (never `//otro` nor a full
    URL: no open redirect), else the home."""
    if siguiente and siguiente.startswith("/") and not siguiente.startswith(("//", "/\\")):
        return siguiente
    return INICIO


def _ir(destino: str) -> RedirectResponse:
    return RedirectResponse(destino, status_code=303)


@router.get("/")
async def raiz(request: Request) -> Response:
    sesion = await sesion_de(request)
    return _ir(INICIO if sesion is not None else "/ingresar")


@router.get("/entrar")
async def entrar() -> Response:
    return _ir("/ingresar")


def _formulario_ingreso(
    request: Request,
    *,
    usuario: str = "",
    error: str | None = None,
    estado: int = 200,
    cabeceras: dict[str, str] | None = None,
) -> Response:
    token = secrets.token_urlsafe(32)
    respuesta = pagina(
        request,
        "ingresar.html",
        estado=estado,
        cabeceras=cabeceras,
        usuario=usuario,
        error=error,
        csrf=token,
        siguiente=destino_seguro(request.query_params.get("siguiente")),
    )
    poner_cookie(request, respuesta, COOKIE_INGRESO, token)
    return respuesta


@router.get("/ingresar")
async def ingresar(request: Request) -> Response:
    if await sesion_de(request) is not None:
        return _ir(destino_seguro(request.query_params.get("siguiente")))
    return _formulario_ingreso(request)


@router.post("/ingresar")
async def ingresar_enviado(request: Request) -> Response:
    campos = await leer_formulario(request)
    esperado = request.cookies.get(COOKIE_INGRESO, "")
    dado = campos.get(CAMPO_CSRF, "")
    if not esperado or not hmac.compare_digest(dado.encode(), esperado.encode()):
        raise CsrfNoValido
    usuario = campos.get("usuario", "").strip()[:LARGO_MAXIMO_USUARIO]
    clave = campos.get("clave", "")[: LARGO_MAXIMO_CLAVE + 1]
    if not usuario or not clave:
        return _formulario_ingreso(
            request, usuario=usuario, error="Escriba su usuario y su contraseña.", estado=422
        )
    web = request.app.state.web
    direccion = request.client.host if request.client is not None else ""
    espera = web.bloqueo.espera(usuario, direccion)
    if espera > 0:
        return _pausa(request, usuario, espera)
    servicios = servicios_de(request)
    persona = await run_in_threadpool(servicios.usuarios.verificar, usuario, clave)
    if persona is None:
        web.bloqueo.fallo(usuario, direccion)
        espera = web.bloqueo.espera(usuario, direccion)
        if espera > 0:
            return _pausa(request, usuario, espera)
        return _formulario_ingreso(
            request, usuario=usuario, error=_CREDENCIALES_NO_VALIDAS, estado=401
        )
    web.bloqueo.acierto(usuario)
    abierta = await run_in_threadpool(servicios.usuarios.abrir_sesion, persona)
    respuesta = _ir(destino_seguro(campos.get("siguiente")))
    poner_cookie(request, respuesta, COOKIE_SESION, abierta.secreto)
    borrar_cookie(request, respuesta, COOKIE_INGRESO)
    return respuesta


def _pausa(request: Request, usuario: str, espera: float) -> Response:
    minutos = max(math.ceil(espera / 60), 1)
    mensaje = (
        "Demasiados intentos fallidos. Por seguridad, espere "
        f"{minutos} {'minuto' if minutos == 1 else 'minutos'} antes de volver a intentar."
    )
    return _formulario_ingreso(
        request,
        usuario=usuario,
        error=mensaje,
        estado=429,
        cabeceras={"Retry-After": str(math.ceil(espera))},
    )


@router.post("/salir")
async def salir(
    request: Request, persona: Annotated[Persona, Depends(permitido(TODOS, "salir"))]
) -> Response:
    comprobar_csrf(persona.sesion.csrf, request, await leer_formulario(request))
    secreto = request.cookies.get(COOKIE_SESION, "")
    await run_in_threadpool(persona.servicios.usuarios.cerrar_sesion, secreto)
    respuesta = _ir("/ingresar")
    borrar_cookie(request, respuesta, COOKIE_SESION)
    return respuesta
