"""Errors as application/problem+json (RFC 9457) with `errores`: every broken rule by name.

The application's unit of work guarantees that a rejected command changed nothing; here
each kind of failure only gets its status and its words."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from prometeo.application.idempotencia import ClaveIdempotenciaPerdida
from prometeo.application.sri import ComprobanteSinFirmar, NoAutorizado, XmlNoValido
from prometeo.application.unidad_de_trabajo import BaseDeDatosOcupada
from prometeo.domain.errores import Duplicado, ErrorDeConcurrencia, NoEncontrado, ReglasIncumplidas
from prometeo.entrypoints.api.esquemas.comunes import ErrorRegla, Problema
from prometeo.entrypoints.api.validacion import describir_error

logger = logging.getLogger("prometeo.api")

TIPO_PROBLEMA = "application/problem+json"
# On every answer: a browser must never guess another type than the one declared (a JSON
# or a problem shown as HTML would run whatever a field holds).
CABECERAS_SEGURIDAD = (("X-Content-Type-Options", "nosniff"),)
REGLA_ENTRADA = "EntradaValida"


class ErrorAutorizacion(Exception):
    """No valid token (401), a role that may not do this (403), or too many bad tokens
    from one address (429)."""

    def __init__(
        self, status: int, regla: str, mensaje: str, cabeceras: dict[str, str] | None = None
    ) -> None:
        super().__init__(mensaje)
        self.status = status
        self.regla = regla
        self.mensaje = mensaje
        self.cabeceras = cabeceras or {}


def problema(
    status: int,
    titulo: str,
    detalle: str,
    errores: Sequence[tuple[str, str]] = (),
    *,
    tipo: str = "about:blank",
    cabeceras: dict[str, str] | None = None,
) -> JSONResponse:
    cuerpo = Problema(
        type=tipo,
        title=titulo,
        status=status,
        detail=detalle,
        errores=[ErrorRegla(regla=r, mensaje=m) for r, m in errores],
    )
    return JSONResponse(
        cuerpo.model_dump(), status_code=status, media_type=TIPO_PROBLEMA, headers=cabeceras
    )


def _reglas_incumplidas(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ReglasIncumplidas)
    cantidad = len(error.errores)
    return problema(
        422,
        "Reglas de negocio incumplidas",
        f"La solicitud incumple {cantidad} regla{'s' if cantidad > 1 else ''} de negocio",
        [(e.regla, e.mensaje) for e in error.errores],
        tipo="urn:prometeo:problema:reglas-incumplidas",
    )


def _no_encontrado(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, NoEncontrado)
    mensaje = str(error)
    servicios = getattr(request.app.state, "servicios", None)
    if request.method == "GET" and servicios is not None and servicios.consultas.distribuidas:
        mensaje += (
            " (con PROMETEO_PROYECCIONES=distribuidas, lo recién creado aparece en las "
            "consultas cuando `prometeo worker` lo aplica: reintente en un momento)"
        )
    return problema(
        404,
        "No encontrado",
        mensaje,
        [("ExisteRecurso", mensaje)],
        tipo="urn:prometeo:problema:no-encontrado",
    )


def _duplicado(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, Duplicado)
    return problema(
        409,
        "Ya existe",
        error.mensaje,
        [(error.regla, error.mensaje)],
        tipo="urn:prometeo:problema:duplicado",
    )


def _conflicto(_: Request, error: Exception) -> JSONResponse:
    mensaje = (
        "Otra operación modificó los mismos documentos o el mismo stock al mismo tiempo y "
        "el conflicto persistió tras varios reintentos; vuelva a intentarlo"
    )
    return problema(
        409,
        "Conflicto de concurrencia",
        mensaje,
        [("SinConflictoDeConcurrencia", mensaje)],
        tipo="urn:prometeo:problema:conflicto-concurrencia",
    )


def _ocupada(_: Request, error: Exception) -> JSONResponse:
    mensaje = str(error)
    return problema(
        503,
        "Base de datos ocupada",
        mensaje,
        [("EscrituraDisponible", mensaje)],
        cabeceras={"Retry-After": "1"},
    )


def _clave_perdida(_: Request, error: Exception) -> JSONResponse:
    mensaje = str(error)
    return problema(409, "Idempotency-Key", mensaje, [("IdempotencyKeyLibre", mensaje)])


def _comprobante_no_disponible(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ComprobanteSinFirmar | NoAutorizado)
    return problema(
        409,
        "Comprobante no disponible todavía",
        error.mensaje,
        [(error.regla, error.mensaje)],
        tipo="urn:prometeo:problema:comprobante-no-disponible",
    )


def _xml_no_valido(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, XmlNoValido)
    logger.error("XML de comprobante fuera del esquema del SRI: %s", error)
    mensaje = (
        "El XML de este comprobante no cumple el esquema del SRI (un error de prometeo); no "
        "se firma ni se envía hasta corregirlo"
    )
    return problema(
        409,
        "Comprobante no válido",
        mensaje,
        [("XmlSegunEsquemaSri", e) for e in error.errores],
        tipo="urn:prometeo:problema:comprobante-no-valido",
    )


def respuesta_autorizacion(
    error: ErrorAutorizacion, cabeceras: dict[str, str] | None = None
) -> JSONResponse:
    """The 401, 403 or 429 of `error` (a 401 says which scheme to use), with `cabeceras`."""
    titulo, tipo = _AUTORIZACION[error.status]
    todas = dict(error.cabeceras)
    if error.status == 401:
        todas["WWW-Authenticate"] = "Bearer"
    todas.update(cabeceras or {})
    return problema(
        error.status,
        titulo,
        error.mensaje,
        [(error.regla, error.mensaje)],
        tipo="urn:prometeo:problema:" + tipo,
        cabeceras=todas or None,
    )


_AUTORIZACION = {
    401: ("No autenticado", "no-autenticado"),
    403: ("Sin permiso", "prohibido"),
    429: ("Demasiados intentos", "demasiados-intentos"),
}


def _autorizacion(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ErrorAutorizacion)
    return respuesta_autorizacion(error)


class CuerpoDemasiadoGrande(HTTPException):
    """A request body that grew past the limit while it was being read (an HTTPException:
    FastAPI lets those through from the body's reading, where any other error becomes a
    400)."""

    def __init__(self, limite: int) -> None:
        super().__init__(413)
        self.limite = limite


def respuesta_cuerpo_demasiado_grande(limite: int) -> JSONResponse:
    """The 413 of a body beyond `limite` bytes. The rest of that body is never read, so the
    connection is closed after the answer instead of kept for another request."""
    mensaje = (
        f"El cuerpo de la solicitud supera el límite de {limite} bytes (PROMETEO_LIMITE_CUERPO)"
    )
    return problema(
        413,
        "Cuerpo demasiado grande",
        mensaje,
        [("CuerpoDentroDelLimite", mensaje)],
        tipo="urn:prometeo:problema:cuerpo-demasiado-grande",
        cabeceras={"Connection": "close"},
    )


def _cuerpo_demasiado_grande(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, CuerpoDemasiadoGrande)
    return respuesta_cuerpo_demasiado_grande(error.limite)


def _validacion(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    detalles: Sequence[Any] = error.errors()
    if any(_cuerpo_ilegible(d) for d in detalles):
        mensaje = "El cuerpo de la solicitud debe ser un documento JSON válido"
        return problema(
            400,
            "Cuerpo ilegible",
            mensaje,
            [("JsonValido", mensaje)],
            tipo="urn:prometeo:problema:json-invalido",
        )
    errores = [(REGLA_ENTRADA, describir_error(d)) for d in detalles]
    return problema(
        422,
        "Entrada inválida",
        f"La solicitud tiene {len(errores)} dato{'s' if len(errores) > 1 else ''} inválido"
        f"{'s' if len(errores) > 1 else ''}",
        errores,
        tipo="urn:prometeo:problema:entrada-invalida",
    )


def _cuerpo_ilegible(detalle: Any) -> bool:
    """Malformed JSON, or a body that is not JSON at all (raw bytes reach validation)."""
    if detalle.get("type") == "json_invalid":
        return True
    return tuple(detalle.get("loc", ())) == ("body",) and isinstance(
        detalle.get("input"), bytes | bytearray
    )


def _http(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    mensajes = {
        400: ("Solicitud inválida", "El cuerpo de la solicitud no se pudo leer como JSON"),
        404: ("No encontrado", "No existe esa ruta"),
        405: ("Método no permitido", "La ruta no admite ese método HTTP"),
    }
    titulo, detalle = mensajes.get(error.status_code, ("Error", str(error.detail)))
    errores = [("JsonValido", detalle)] if error.status_code == 400 else []
    return problema(
        error.status_code,
        titulo,
        detalle,
        errores,
        cabeceras=dict(error.headers) if error.headers else None,
    )


def _inesperado(_: Request, error: Exception) -> JSONResponse:
    # The trace goes to the log, never to the client.
    logger.error("Error no controlado", exc_info=error)
    return problema(
        500,
        "Error interno",
        "Ocurrió un error inesperado; quedó registrado para su revisión",
        tipo="urn:prometeo:problema:error-interno",
        # Answered from outside every middleware of the app (Starlette's
        # ServerErrorMiddleware), so the door's headers (guardia.py) are not added to it.
        cabeceras=dict(CABECERAS_SEGURIDAD),
    )


def registrar_manejadores(app: FastAPI) -> None:
    app.add_exception_handler(ReglasIncumplidas, _reglas_incumplidas)
    app.add_exception_handler(NoEncontrado, _no_encontrado)
    app.add_exception_handler(Duplicado, _duplicado)
    app.add_exception_handler(ErrorDeConcurrencia, _conflicto)
    app.add_exception_handler(ClaveIdempotenciaPerdida, _clave_perdida)
    app.add_exception_handler(BaseDeDatosOcupada, _ocupada)
    app.add_exception_handler(ErrorAutorizacion, _autorizacion)
    app.add_exception_handler(ComprobanteSinFirmar, _comprobante_no_disponible)
    app.add_exception_handler(NoAutorizado, _comprobante_no_disponible)
    app.add_exception_handler(XmlNoValido, _xml_no_valido)
    app.add_exception_handler(RequestValidationError, _validacion)
    app.add_exception_handler(CuerpoDemasiadoGrande, _cuerpo_demasiado_grande)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _inesperado)
