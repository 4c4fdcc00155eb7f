"""The warehouse's write forms read into commands: what a person typed (amounts with "," or
".", dates dd/mm/aaaa or as a date input sends them) checked before anything is written,
each refusal placed beside the field it concerns, and the write itself run once per
idempotency key after the CSRF check (escrituras.py), answered with a redirect."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from prometeo.application.unidad_de_trabajo import Metadatos
from prometeo.domain.errores import ValorInvalido
from prometeo.entrypoints.web.avisos import RECHAZOS, Aviso, avisos_de
from prometeo.entrypoints.web.escrituras import escribir_una_vez, huella_de
from prometeo.entrypoints.web.formato import leer_fecha, leer_numero
from prometeo.entrypoints.web.formularios import comprobar_csrf, formulario
from prometeo.entrypoints.web.sesiones import Persona

SIN_CLAVE = Aviso(
    "ClaveIdempotencia",
    "El formulario no trae su clave de envío. Vuelva a abrir la pantalla y envíelo otra vez.",
)
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# The field a broken rule concerns (the rest are told above the form).
_CAMPO_DE_REGLA = {
    "ProductoElegido": "producto",
    "ProductoExiste": "producto",
    "ProductoActivo": "producto",
    "BodegaElegida": "bodega",
    "BodegaActiva": "bodega",
    "OrigenElegido": "origen",
    "DestinoElegido": "destino",
    "TransferenciaEntreBodegasDistintas": "destino",
    "CantidadValida": "cantidad",
    "CantidadPositiva": "cantidad",
    "CantidadConHasta6Decimales": "cantidad",
    "StockSuficiente": "cantidad",
    "CostoValido": "costo",
    "PrecioValido": "costo",
    "FechaValida": "caducidad",
    "FechaCaducidadLoteValida": "caducidad",
}


@dataclass
class Avisos:
    """The refusals of one form: each beside its field, the others above the form."""

    generales: list[Aviso] = field(default_factory=list)
    por_campo: dict[str, list[Aviso]] = field(default_factory=dict)

    def agregar(self, avisos: Iterable[Aviso], bodega_en: str = "bodega") -> None:
        for aviso in avisos:
            campo = _CAMPO_DE_REGLA.get(aviso.regla)
            if aviso.regla.startswith("Referencia"):
                campo = "referencia"
            if campo == "bodega":
                campo = bodega_en
            if campo is None:
                self.generales.append(aviso)
            else:
                self.por_campo.setdefault(campo, []).append(aviso)

    def primero(self) -> str | None:
        """The first field with a refusal (in the order they were checked): the focus
        goes there."""
        return next(iter(self.por_campo), None)

    def __bool__(self) -> bool:
        return bool(self.generales or self.por_campo)


def aviso_de(error: ValorInvalido) -> list[Aviso]:
    return [Aviso(e.regla, e.mensaje) for e in error.errores]


def leer_costo(texto: str) -> str:
    """A lot's unit cost as typed (up to 6 decimals, "," or "."), as the command takes it."""
    numero = leer_numero(texto, "El costo unitario", "CostoValido", 6, "CostoValido")
    return str(numero)


def leer_caducidad(texto: str) -> date | None:
    """An optional expiry date: dd/mm/aaaa, or aaaa-mm-dd as a date input sends it."""
    limpio = texto.strip()
    if not limpio:
        return None
    if _ISO.fullmatch(limpio):
        try:
            return date.fromisoformat(limpio)
        except ValueError:
            raise ValorInvalido(
                "FechaValida", f"La fecha «{limpio}» no existe en el calendario"
            ) from None
    return leer_fecha(limpio)


def exigir_eleccion(valor: str, regla: str, mensaje: str) -> str:
    if not valor:
        raise ValorInvalido(regla, mensaje)
    return valor


# A write's work, run in a thread: where it leads (a path), or the form again.
Escritura = Callable[[Request, Persona, dict[str, str]], str | Response]


async def responder(request: Request, persona: Persona, escritura: Escritura) -> Response:
    """The form read and its CSRF token checked, then `escritura`: a 303 to where the
    write leads (Post/Redirect/Get), or the page it answered (a refusal)."""
    campos = await formulario(request)
    comprobar_csrf(persona.sesion.csrf, request, campos)
    resultado = await run_in_threadpool(escritura, request, persona, campos)
    if isinstance(resultado, Response):
        return resultado
    return RedirectResponse(resultado, status_code=303)


def una_vez(
    request: Request,
    persona: Persona,
    campos: dict[str, str],
    clave: str,
    hacer: Callable[[Metadatos], str],
    avisos: Avisos,
) -> str | None:
    """Where the write leads, done once under the form's key; None, with why in
    `avisos`, when the command refused it (nothing written)."""
    huella = huella_de(request.url.path, campos)
    try:
        return escribir_una_vez(persona.servicios, persona.sesion, clave, huella, hacer)
    except RECHAZOS as error:
        avisos.agregar(avisos_de(error))
        return None
