"""The event log (every role) and tokens (admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from prometeo.entrypoints.api.esquemas.sistema import (
    EventoRespuesta,
    PaginaEventos,
    TokenEntrada,
    TokenRespuesta,
)
from prometeo.entrypoints.api.seguridad import Administracion, Lectura

router = APIRouter(tags=["sistema"])
_POSICION_MAXIMA = 2**63 - 1


@router.get(
    "/eventos",
    summary="El registro de eventos, en orden de commit",
    description="Eventos con posición mayor que `desde`; para seguir leyendo, pida "
    "`desde=siguiente`.",
)
def eventos(
    ctx: Lectura,
    desde: Annotated[int, Query(ge=0, le=_POSICION_MAXIMA)] = 0,
    limite: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> PaginaEventos:
    vistas = ctx.servicios.consultas.eventos(desde, limite)
    siguiente = vistas[-1].posicion if vistas else desde
    return PaginaEventos(items=[EventoRespuesta.desde(v) for v in vistas], siguiente=siguiente)


@router.post(
    "/tokens",
    status_code=201,
    summary="Crear un token de acceso",
    description="El token se muestra solo en esta respuesta; se guarda únicamente su hash "
    "SHA-256. Solo el rol admin.",
)
async def crear_token(cuerpo: TokenEntrada, ctx: Administracion) -> TokenRespuesta:
    def emitir() -> TokenRespuesta:
        return TokenRespuesta.desde(ctx.servicios.tokens.emitir(cuerpo.nombre, cuerpo.rol))

    return await ctx.comando(emitir)
