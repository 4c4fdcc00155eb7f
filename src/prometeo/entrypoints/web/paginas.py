"""Rendering the screens: the templates (plantillas/), the navigation each role sees, and
the headers every page carries (a strict Content-Security-Policy: every script and style
is a local file, none inline)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from jinja2_fragments.fastapi import Jinja2Blocks
from starlette.responses import HTMLResponse

from prometeo.application.acceso import Rol
from prometeo.application.personas import SesionVigente
from prometeo.entrypoints.web.formularios import (
    CABECERA_CSRF,
    CAMPO_CSRF,
    CAMPO_IDEMPOTENCIA,
    nueva_clave_idempotencia,
)
from prometeo.entrypoints.web.sesiones import AJUSTES, BODEGA, CAJA, DUENO, TODOS

CARPETA = Path(__file__).parent
HTMX = "vendor/htmx-2.0.11/htmx.min.js"

CABECERAS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    # A page shows one person's session: never kept by the browser nor a proxy.
    "Cache-Control": "no-store",
}


@dataclass(frozen=True, slots=True)
class Area:
    """An entry of the navigation: where it goes, what it says, who sees it."""

    ruta: str
    nombre: str
    roles: frozenset[Rol]
    descripcion: str


AREAS = (
    Area("/inicio", "Inicio", TODOS, "Su resumen del día."),
    Area("/caja", "Caja", CAJA, "Vender: escanear productos y emitir facturas."),
    Area(
        "/devoluciones",
        "Devoluciones",
        CAJA,
        "Notas de crédito: devolver o rebajar lo de una factura.",
    ),
    Area("/bodega", "Bodega", BODEGA, "Ingresos, transferencias, stock y kardex."),
    Area(
        "/dueno",
        "Dueño",
        DUENO,
        "Ventas del día y del mes, IVA, estado en el SRI e historia de cada documento.",
    ),
    Area("/ajustes", "Ajustes", AJUSTES, "Emisor, sucursales, puntos, bodegas y usuarios."),
)
NOMBRE_ROL = {
    Rol.ADMIN: "Administrador",
    Rol.CAJERO: "Cajero",
    Rol.BODEGUERO: "Bodeguero",
    Rol.CONTADOR: "Contador",
}

plantillas = Jinja2Blocks(directory=str(CARPETA / "plantillas"))
plantillas.env.globals.update(
    htmx=HTMX,
    campo_csrf=CAMPO_CSRF,
    cabecera_csrf=CABECERA_CSRF,
    campo_idempotencia=CAMPO_IDEMPOTENCIA,
    nueva_clave_idempotencia=nueva_clave_idempotencia,
    nombre_rol=NOMBRE_ROL,
)


def areas_de(rol: Rol) -> list[Area]:
    return [a for a in AREAS if rol in a.roles]


def pagina(
    request: Request,
    plantilla: str,
    sesion: SesionVigente | None = None,
    *,
    estado: int = 200,
    bloque: str | None = None,
    cabeceras: dict[str, str] | None = None,
    **contexto: Any,
) -> HTMLResponse:
    """`plantilla` rendered (only `bloque` of it for an htmx fragment) with the session's
    navigation, under the screens' headers."""
    if sesion is not None:
        contexto.setdefault("areas", areas_de(sesion.rol))
    contexto.update(sesion=sesion, ruta=request.url.path)
    respuesta = plantillas.TemplateResponse(
        request,
        plantilla,
        contexto,
        status_code=estado,
        headers={**CABECERAS, **(cabeceras or {})},
        block_name=bloque,
    )
    assert isinstance(respuesta, HTMLResponse)
    return respuesta
