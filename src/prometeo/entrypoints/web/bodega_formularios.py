"""The warehouse's write forms read into commands: what a person typed (amounts with "," or
".", dates dd/mm/aaaa or as a date input sends them) checked before anything is written,
and each refusal placed beside the field it concerns."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from prometeo.domain.errores import ValorInvalido
from prometeo.entrypoints.web.avisos import Aviso
from prometeo.entrypoints.web.formato import leer_fecha, leer_numero

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
