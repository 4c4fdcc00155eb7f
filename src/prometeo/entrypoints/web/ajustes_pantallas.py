"""The settings pages (/ajustes, /ajustes/usuarios) as they are shown: after a GET, after
a write (the notice of what was done, ?hecho=), and after a refused write (its messages
and what was typed, under the section of the form that sent it)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from prometeo.bootstrap import Servicios
from prometeo.entrypoints.web.ajustes_datos import (
    AMBIENTES,
    REGIMENES_ELEGIBLES,
    leer_ajustes,
    leer_usuarios,
)
from prometeo.entrypoints.web.avisos import Aviso
from prometeo.entrypoints.web.paginas import pagina
from prometeo.entrypoints.web.sesiones import Persona

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
    "usuario-reactivado": "Usuario reactivado: puede volver a ingresar con su contraseña.",
}


class Pantalla(Protocol):
    """A settings page shown with a refusal's messages (`errores`) and what was typed
    (`valores`), each under its form's section."""

    async def __call__(
        self,
        request: Request,
        persona: Persona,
        *,
        estado: int = 200,
        errores: Mapping[str, list[Aviso]] | None = None,
        valores: Mapping[str, Mapping[str, str]] | None = None,
    ) -> Response: ...


def _pantalla_de(plantilla: str, leer: Callable[[Servicios], dict[str, Any]]) -> Pantalla:
    """The page `plantilla` with what `leer` reads (in a thread) and the notice of a write
    just done (?hecho=)."""

    async def pantalla(
        request: Request,
        persona: Persona,
        *,
        estado: int = 200,
        errores: Mapping[str, list[Aviso]] | None = None,
        valores: Mapping[str, Mapping[str, str]] | None = None,
    ) -> Response:
        datos = await run_in_threadpool(leer, persona.servicios)
        return pagina(
            request,
            plantilla,
            persona.sesion,
            estado=estado,
            errores=errores or {},
            valores=valores or {},
            hecho=HECHOS.get(request.query_params.get("hecho", "")),
            **datos,
        )

    return pantalla


pantalla_ajustes = _pantalla_de(
    "ajustes.html",
    lambda servicios: {
        "ajustes": leer_ajustes(servicios),
        "ambientes": AMBIENTES,
        "regimenes": REGIMENES_ELEGIBLES,
    },
)
pantalla_usuarios = _pantalla_de(
    "ajustes_usuarios.html", lambda servicios: {"usuarios": leer_usuarios(servicios)}
)
