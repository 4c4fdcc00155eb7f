"""Settings (/ajustes, admin): the emisor, the sucursales and their puntos de emisión, the
bodegas (/ajustes), and the people who sign in (/ajustes/usuarios).

Every write is one of the catalog's commands (or the user registry's calls) the JSON API
and the command line use, run once per form (escribir_una_vez) after the CSRF check, then
Post/Redirect/Get. A refused write shows the same page again, status 422, with the
refusal's messages beside the form that sent it and what was typed kept (never a
password); nothing was changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from prometeo.application.comandos import CambiarActivo
from prometeo.application.unidad_de_trabajo import Metadatos
from prometeo.domain.errores import ValorInvalido
from prometeo.entrypoints.web.ajustes_formularios import (
    ENTIDADES,
    activo_de,
    bodega_de,
    clave_de,
    emisor_de,
    punto_de,
    rol_de,
    sin_claves,
    sucursal_de,
)
from prometeo.entrypoints.web.ajustes_pantallas import (
    Pantalla,
    pantalla_ajustes,
    pantalla_usuarios,
)
from prometeo.entrypoints.web.avisos import RECHAZOS, Aviso, avisos_de
from prometeo.entrypoints.web.escrituras import escribir_una_vez, huella_de
from prometeo.entrypoints.web.formularios import (
    clave_idempotencia,
    comprobar_csrf,
    formulario,
)
from prometeo.entrypoints.web.sesiones import AJUSTES, Persona, permitido

router = APIRouter(include_in_schema=False)

Admin = Annotated[Persona, Depends(permitido(AJUSTES, "abrir Ajustes"))]

USUARIOS = "/ajustes/usuarios"
_SIN_CLAVE = Aviso(
    "ClaveIdempotencia",
    "El formulario está incompleto (le falta su marca de envío). Vuelva a abrir la "
    "pantalla y envíelo otra vez.",
)
_LARGO_MAXIMO_ID = 100

Hacer = Callable[[Metadatos], str]
C = TypeVar("C")


def _ir(destino: str) -> Response:
    return RedirectResponse(destino, status_code=303)


@router.get("/ajustes", name="ajustes")
async def ajustes(request: Request, persona: Admin) -> Response:
    return await pantalla_ajustes(request, persona)


@router.get(USUARIOS, name="ajustes_usuarios")
async def usuarios(request: Request, persona: Admin) -> Response:
    return await pantalla_usuarios(request, persona)


async def _escribir(
    request: Request,
    persona: Persona,
    seccion: str,
    preparar: Callable[[dict[str, str]], Hacer],
    *,
    pantalla: Pantalla = pantalla_ajustes,
) -> Response:
    """Check the CSRF token, read the form, build its write (`preparar` may refuse what
    the form itself gets wrong), run it once for the form's key, and go where it leads;
    a refusal shows `pantalla` again with its messages under `seccion`."""
    campos = await formulario(request)
    comprobar_csrf(persona.sesion.csrf, request, campos)
    mostrables = sin_claves(campos)

    async def rechazar(avisos: list[Aviso]) -> Response:
        return await pantalla(
            request, persona, estado=422, errores={seccion: avisos}, valores={seccion: mostrables}
        )

    clave = clave_idempotencia(request, campos)
    if clave is None:
        return await rechazar([_SIN_CLAVE])
    try:
        hacer = preparar(campos)
        destino = await run_in_threadpool(
            escribir_una_vez,
            persona.servicios,
            persona.sesion,
            clave,
            huella_de(request.url.path, mostrables),
            hacer,
        )
    except RECHAZOS as error:
        return await rechazar(avisos_de(error))
    return _ir(destino)


def _comando(
    construir: Callable[[dict[str, str]], C],
    ejecutar: Callable[[C, Metadatos], object],
    destino: str,
) -> Callable[[dict[str, str]], Hacer]:
    """A form read into a catalog command (`construir`, which may refuse it), run by
    `ejecutar` with the write's metadata, then on to `destino`."""

    def preparar(campos: dict[str, str]) -> Hacer:
        comando = construir(campos)

        def hacer(metadatos: Metadatos) -> str:
            ejecutar(comando, metadatos)
            return destino

        return hacer

    return preparar


@router.post("/ajustes/emisor")
async def guardar_emisor(request: Request, persona: Admin) -> Response:
    registrar = persona.servicios.catalogo.registrar_emisor
    preparar = _comando(emisor_de, registrar, "/ajustes?hecho=emisor#emisor")
    return await _escribir(request, persona, "emisor", preparar)


@router.post("/ajustes/sucursales")
async def crear_sucursal(request: Request, persona: Admin) -> Response:
    crear = persona.servicios.catalogo.crear_sucursal
    preparar = _comando(sucursal_de, crear, "/ajustes?hecho=sucursal#sucursales")
    return await _escribir(request, persona, "sucursal", preparar)


@router.post("/ajustes/sucursales/{sucursal_id}/puntos")
async def crear_punto(sucursal_id: str, request: Request, persona: Admin) -> Response:
    if len(sucursal_id) > _LARGO_MAXIMO_ID:
        raise HTTPException(404)
    preparar = _comando(
        lambda campos: punto_de(sucursal_id, campos),
        persona.servicios.catalogo.crear_punto_emision,
        f"/ajustes?hecho=punto#puntos-{sucursal_id}",
    )
    return await _escribir(request, persona, f"punto-{sucursal_id}", preparar)


@router.post("/ajustes/bodegas")
async def crear_bodega(request: Request, persona: Admin) -> Response:
    crear = persona.servicios.catalogo.crear_bodega
    preparar = _comando(bodega_de, crear, "/ajustes?hecho=bodega#bodegas")
    return await _escribir(request, persona, "bodega", preparar)


@router.post("/ajustes/{entidades}/{entidad_id}/activo")
async def cambiar_activo(
    entidades: str, entidad_id: str, request: Request, persona: Admin
) -> Response:
    """Deactivate (or activate again) a sucursal, a punto or a bodega: the API's PATCH."""
    entidad = ENTIDADES.get(entidades)
    if entidad is None or len(entidad_id) > _LARGO_MAXIMO_ID:
        raise HTTPException(404)
    catalogo = persona.servicios.catalogo

    def preparar(campos: dict[str, str]) -> Hacer:
        activo = activo_de(campos)
        comando = CambiarActivo(entidad, entidad_id, activo)

        def hacer(metadatos: Metadatos) -> str:
            catalogo.cambiar_activo(comando, metadatos)
            hecho = f"{entidad}-{'activada' if activo else 'desactivada'}"
            return f"/ajustes?hecho={hecho}#{entidades}"

        return hacer

    return await _escribir(request, persona, f"activo-{entidades}", preparar)


@router.post(USUARIOS)
async def crear_usuario(request: Request, persona: Admin) -> Response:
    registro = persona.servicios.usuarios

    def preparar(campos: dict[str, str]) -> Hacer:
        nombre, rol, clave = campos.get("nombre", "").strip(), rol_de(campos), clave_de(campos)

        def hacer(_: Metadatos) -> str:
            try:
                registro.crear(nombre, rol, clave)
            except ValueError as error:
                # The registry's message for a name or a password it refuses (it never
                # repeats the password).
                raise ValorInvalido("UsuarioValido", str(error)) from None
            return f"{USUARIOS}?hecho=usuario#usuarios"

        return hacer

    return await _escribir(request, persona, "usuario", preparar, pantalla=pantalla_usuarios)


@router.post(f"{USUARIOS}/desactivar")
async def desactivar_usuario(request: Request, persona: Admin) -> Response:
    registro, sesion = persona.servicios.usuarios, persona.sesion

    def preparar(campos: dict[str, str]) -> Hacer:
        nombre = campos.get("nombre", "").strip()
        if nombre.casefold() == sesion.usuario.casefold():
            # An admin who locked themself out could not undo it from the screens.
            raise ValorInvalido(
                "NoDesactivarseASiMismo",
                "No puede desactivar su propio usuario. Pida a otro administrador que lo haga.",
            )

        def hacer(_: Metadatos) -> str:
            registro.desactivar(nombre)
            return f"{USUARIOS}?hecho=usuario-desactivado#usuarios"

        return hacer

    return await _escribir(request, persona, "desactivar", preparar, pantalla=pantalla_usuarios)


@router.post(f"{USUARIOS}/reactivar")
async def reactivar_usuario(request: Request, persona: Admin) -> Response:
    registro = persona.servicios.usuarios

    def preparar(campos: dict[str, str]) -> Hacer:
        nombre = campos.get("nombre", "").strip()

        def hacer(_: Metadatos) -> str:
            registro.reactivar(nombre)
            return f"{USUARIOS}?hecho=usuario-reactivado#usuarios"

        return hacer

    return await _escribir(request, persona, "desactivar", preparar, pantalla=pantalla_usuarios)
