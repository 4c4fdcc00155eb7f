"""Settings (/ajustes, admin): the emisor, the sucursales and their puntos de emisión, the
bodegas (/ajustes), and the people who sign in (/ajustes/usuarios).

Every write is one of the catalog's commands (or the user registry's calls) the JSON API
and the command line use, run once per form (escribir_una_vez) after the CSRF check, then
Post/Redirect/Get. A refused write shows the same page again, status 422, with the
refusal's messages beside the form that sent it and what was typed kept (never a
password); nothing was changed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from prometeo.application.comandos import CambiarActivo
from prometeo.application.unidad_de_trabajo import Metadatos
from prometeo.domain.errores import ValorInvalido
from prometeo.entrypoints.web.ajustes_datos import (
    AMBIENTES,
    REGIMENES_ELEGIBLES,
    leer_ajustes,
    leer_usuarios,
)
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
from prometeo.entrypoints.web.avisos import RECHAZOS, Aviso, avisos_de
from prometeo.entrypoints.web.escrituras import escribir_una_vez, huella_de
from prometeo.entrypoints.web.formularios import (
    clave_idempotencia,
    comprobar_csrf,
    formulario,
)
from prometeo.entrypoints.web.paginas import pagina
from prometeo.entrypoints.web.sesiones import AJUSTES, Persona, permitido

router = APIRouter(include_in_schema=False)

Admin = Annotated[Persona, Depends(permitido(AJUSTES, "abrir Ajustes"))]

USUARIOS = "/ajustes/usuarios"
# What a write's destination (?hecho=) tells once done, in a role="status" region.
HECHOS = {
    "emisor": "Datos del emisor guardados.",
    "sucursal": "Sucursal creada.",
    "punto": "Punto de emisión creado.",
    "bodega": "Bodega creada.",
    "sucursal-activada": "Sucursal activada de nuevo.",
    "sucursal-desactivada": "Sucursal desactivada: desde ahora no vende ni recibe; lo hecho "
    "se conserva.",
    "punto_emision-activada": "Punto de emisión activado de nuevo.",
    "punto_emision-desactivada": "Punto de emisión desactivado: no emite más; sus números "
    "emitidos se conservan.",
    "bodega-activada": "Bodega activada de nuevo.",
    "bodega-desactivada": "Bodega desactivada: no vende ni recibe; su stock aún puede "
    "transferirse.",
    "usuario": "Usuario creado. Ya puede ingresar con su contraseña.",
    "usuario-desactivado": "Usuario desactivado: ya no puede ingresar y sus sesiones terminaron.",
}
_SIN_CLAVE = Aviso(
    "ClaveIdempotencia",
    "El formulario está incompleto (le falta su marca de envío). Vuelva a abrir la "
    "pantalla y envíelo otra vez.",
)
_LARGO_MAXIMO_ID = 100

Hacer = Callable[[Metadatos], str]


def _ir(destino: str) -> Response:
    return RedirectResponse(destino, status_code=303)


async def _pantalla_ajustes(
    request: Request,
    persona: Persona,
    *,
    estado: int = 200,
    errores: Mapping[str, list[Aviso]] | None = None,
    valores: Mapping[str, Mapping[str, str]] | None = None,
) -> Response:
    ajustes = await run_in_threadpool(leer_ajustes, persona.servicios)
    return pagina(
        request,
        "ajustes.html",
        persona.sesion,
        estado=estado,
        ajustes=ajustes,
        ambientes=AMBIENTES,
        regimenes=REGIMENES_ELEGIBLES,
        errores=errores or {},
        valores=valores or {},
        hecho=HECHOS.get(request.query_params.get("hecho", "")),
    )


async def _pantalla_usuarios(
    request: Request,
    persona: Persona,
    *,
    estado: int = 200,
    errores: Mapping[str, list[Aviso]] | None = None,
    valores: Mapping[str, Mapping[str, str]] | None = None,
) -> Response:
    usuarios = await run_in_threadpool(leer_usuarios, persona.servicios)
    return pagina(
        request,
        "ajustes_usuarios.html",
        persona.sesion,
        estado=estado,
        usuarios=usuarios,
        errores=errores or {},
        valores=valores or {},
        hecho=HECHOS.get(request.query_params.get("hecho", "")),
    )


@router.get("/ajustes", name="ajustes")
async def ajustes(request: Request, persona: Admin) -> Response:
    return await _pantalla_ajustes(request, persona)


@router.get(USUARIOS, name="ajustes_usuarios")
async def usuarios(request: Request, persona: Admin) -> Response:
    return await _pantalla_usuarios(request, persona)


async def _escribir(
    request: Request,
    persona: Persona,
    seccion: str,
    preparar: Callable[[dict[str, str]], Hacer],
    *,
    pantalla: Callable[..., Any] = _pantalla_ajustes,
) -> Response:
    """Check the CSRF token, read the form, build its write (`preparar` may refuse what
    the form itself gets wrong), run it once for the form's key, and go where it leads;
    a refusal shows `pantalla` again with its messages under `seccion`."""
    campos = await formulario(request)
    comprobar_csrf(persona.sesion.csrf, request, campos)
    mostrables = sin_claves(campos)

    async def rechazar(avisos: list[Aviso]) -> Response:
        respuesta: Response = await pantalla(
            request,
            persona,
            estado=422,
            errores={seccion: avisos},
            valores={seccion: mostrables},
        )
        return respuesta

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


@router.post("/ajustes/emisor")
async def guardar_emisor(request: Request, persona: Admin) -> Response:
    catalogo = persona.servicios.catalogo

    def preparar(campos: dict[str, str]) -> Hacer:
        comando = emisor_de(campos)

        def hacer(metadatos: Metadatos) -> str:
            catalogo.registrar_emisor(comando, metadatos)
            return "/ajustes?hecho=emisor#emisor"

        return hacer

    return await _escribir(request, persona, "emisor", preparar)


@router.post("/ajustes/sucursales")
async def crear_sucursal(request: Request, persona: Admin) -> Response:
    catalogo = persona.servicios.catalogo

    def preparar(campos: dict[str, str]) -> Hacer:
        comando = sucursal_de(campos)

        def hacer(metadatos: Metadatos) -> str:
            catalogo.crear_sucursal(comando, metadatos)
            return "/ajustes?hecho=sucursal#sucursales"

        return hacer

    return await _escribir(request, persona, "sucursal", preparar)


@router.post("/ajustes/sucursales/{sucursal_id}/puntos")
async def crear_punto(sucursal_id: str, request: Request, persona: Admin) -> Response:
    if len(sucursal_id) > _LARGO_MAXIMO_ID:
        raise HTTPException(404)
    catalogo = persona.servicios.catalogo

    def preparar(campos: dict[str, str]) -> Hacer:
        comando = punto_de(sucursal_id, campos)

        def hacer(metadatos: Metadatos) -> str:
            catalogo.crear_punto_emision(comando, metadatos)
            return f"/ajustes?hecho=punto#puntos-{sucursal_id}"

        return hacer

    return await _escribir(request, persona, f"punto-{sucursal_id}", preparar)


@router.post("/ajustes/bodegas")
async def crear_bodega(request: Request, persona: Admin) -> Response:
    catalogo = persona.servicios.catalogo

    def preparar(campos: dict[str, str]) -> Hacer:
        comando = bodega_de(campos)

        def hacer(metadatos: Metadatos) -> str:
            catalogo.crear_bodega(comando, metadatos)
            return "/ajustes?hecho=bodega#bodegas"

        return hacer

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

    return await _escribir(request, persona, "usuario", preparar, pantalla=_pantalla_usuarios)


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

    return await _escribir(request, persona, "desactivar", preparar, pantalla=_pantalla_usuarios)
