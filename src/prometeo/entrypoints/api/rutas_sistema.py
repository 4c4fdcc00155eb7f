"""The event log (every role) and tokens (admin)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response

from prometeo.entrypoints.api.esquemas.sistema import (
    EventoRespuesta,
    ListaTokens,
    PaginaEventos,
    TokenEntrada,
    TokenRespuesta,
    TokenVistaRespuesta,
)
from prometeo.entrypoints.api.parametros import IdRuta
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
    description="El token se muestra solo en esta respuesta (que ningún caché guarda: "
    "`Cache-Control: no-store`); se guarda únicamente su hash SHA-256. Solo el rol admin.",
    responses={
        201: {"headers": {"Cache-Control": {"schema": {"type": "string", "const": "no-store"}}}}
    },
)
async def crear_token(
    cuerpo: TokenEntrada, ctx: Administracion, respuesta: Response
) -> TokenRespuesta:
    def emitir() -> TokenRespuesta:
        emitido = ctx.servicios.tokens.emitir(cuerpo.nombre, cuerpo.rol, cuerpo.expira_en)
        return TokenRespuesta.desde(emitido)

    # The secret is in this answer alone: no proxy or browser cache may keep a copy.
    respuesta.headers["Cache-Control"] = "no-store"
    return await ctx.comando(emitir)


@router.get(
    "/tokens",
    summary="Los tokens emitidos",
    description="Nombre, rol, creación, expiración, revocación y último uso de cada token "
    "(nunca su secreto), del más antiguo al más nuevo. Solo el rol admin. "
    "PROMETEO_ADMIN_TOKEN no figura: no se guarda.",
)
def listar_tokens(ctx: Administracion) -> ListaTokens:
    ahora = datetime.now(UTC)
    return ListaTokens(
        items=[TokenVistaRespuesta.desde(v, ahora) for v in ctx.servicios.tokens.listar()]
    )


@router.delete(
    "/tokens/{token_id}",
    summary="Revocar un token",
    description="Desde ya, el token no vale (401). Revocar otra vez no cambia nada. Solo el "
    "rol admin.",
)
async def revocar_token(token_id: IdRuta, ctx: Administracion) -> TokenVistaRespuesta:
    def revocar() -> TokenVistaRespuesta:
        vista = ctx.servicios.tokens.revocar(token_id)
        return TokenVistaRespuesta.desde(vista, datetime.now(UTC))

    return await ctx.comando(revocar)
