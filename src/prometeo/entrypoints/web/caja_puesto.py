"""Where a till sells from: a punto de emisión and a bodega of the same sucursal, both
active. Chosen once per device (a cookie, like the session's: HttpOnly, SameSite=Strict)
and asked again only when it stops being valid; a business with one active punto and one
active bodega in its sucursal is never asked (API.md)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from prometeo.application.consultas import BodegaVista, PuntoEmisionVista
from prometeo.bootstrap import Servicios
from prometeo.entrypoints.web.formularios import comprobar_csrf, formulario
from prometeo.entrypoints.web.paginas import pagina
from prometeo.entrypoints.web.sesiones import Persona, poner_cookie, servicios_de

COOKIE_PUESTO = "prometeo_caja"


@dataclass(frozen=True, slots=True)
class Puesto:
    punto_id: str
    bodega_id: str
    nombre: str  # "Matriz · punto 001 · Bodega principal"

    @property
    def clave(self) -> str:
        return f"{self.punto_id},{self.bodega_id}"


@dataclass(frozen=True, slots=True)
class Opciones:
    """The active puntos and bodegas a till may choose, each with its sucursal's name."""

    puntos: list[tuple[PuntoEmisionVista, str]]
    bodegas: list[tuple[BodegaVista, str]]

    @property
    def pares(self) -> list[Puesto]:
        """Every punto with every bodega of its sucursal: what a till may sell from."""
        return [
            Puesto(punto.id, bodega.id, _nombre(sucursal, punto, bodega))
            for punto, sucursal in self.puntos
            for bodega, _ in self.bodegas
            if bodega.sucursal_id == punto.sucursal_id
        ]


def _nombre(sucursal: str, punto: PuntoEmisionVista, bodega: BodegaVista) -> str:
    return f"{sucursal} · punto {punto.codigo} · bodega {bodega.codigo} {bodega.nombre}"


def _opciones(servicios: Servicios) -> Opciones:
    consultas = servicios.consultas
    puntos: list[tuple[PuntoEmisionVista, str]] = []
    bodegas: list[tuple[BodegaVista, str]] = []
    for sucursal in consultas.sucursales():
        if not sucursal.activo:
            continue
        nombre = f"{sucursal.codigo} {sucursal.nombre}"
        puntos += [(p, nombre) for p in consultas.puntos_emision(sucursal.id) if p.activo]
        bodegas += [(b, nombre) for b in consultas.bodegas(sucursal.id) if b.activo]
    return Opciones(puntos, bodegas)


def _puesto(opciones: Opciones, punto_id: str, bodega_id: str) -> Puesto | None:
    """The pair if both are among the options and of one sucursal, else None."""
    punto = next(((p, s) for p, s in opciones.puntos if p.id == punto_id), None)
    bodega = next((b for b, _ in opciones.bodegas if b.id == bodega_id), None)
    if punto is None or bodega is None or punto[0].sucursal_id != bodega.sucursal_id:
        return None
    return Puesto(punto_id, bodega_id, _nombre(punto[1], punto[0], bodega))


def puesto_de(request: Request, servicios: Servicios) -> Puesto | None:
    """The device's punto and bodega (blocking): its cookie's while still valid, else the
    only ones when there is one of each, else None (the till must choose)."""
    opciones = _opciones(servicios)
    punto_id, _, bodega_id = request.cookies.get(COOKIE_PUESTO, "").partition(",")
    elegido = _puesto(opciones, punto_id, bodega_id)
    if elegido is not None:
        return elegido
    pares = opciones.pares
    return pares[0] if len(pares) == 1 else None


async def elegir_puesto(request: Request, persona: Persona) -> Response:
    """GET: the form to choose; POST: the choice, kept in the device's cookie."""
    opciones = await run_in_threadpool(_opciones, servicios_de(request))
    error = None
    if request.method == "POST":
        campos = await formulario(request)
        comprobar_csrf(persona.sesion.csrf, request, campos)
        punto_id, _, bodega_id = campos.get("puesto", "").partition(",")
        elegido = _puesto(opciones, punto_id, bodega_id)
        if elegido is not None:
            respuesta = RedirectResponse("/caja", status_code=303)
            poner_cookie(request, respuesta, COOKIE_PUESTO, elegido.clave)
            return respuesta
        error = "Elija un punto de emisión con una bodega de su sucursal, ambos activos."
    return pagina(
        request,
        "caja_puesto.html",
        persona.sesion,
        estado=422 if error else 200,
        opciones=opciones,
        error=error,
        pares=opciones.pares,
    )
