"""What a cashier types or scans into the sale screen's scan field, read into one action.

The forms (spaces around "*" and at the ends are ignored):
- "CODE": one unit of the product with that code or barcode.
- "3*CODE", "2,5*CODE", "0.750*CODE": that quantity (weighed goods: "," or "." as the
  decimal separator, up to 6 decimals, as `formato.leer_numero` reads numbers).
- "*5": the cart's last line gets quantity 5 (a cashier who scanned first and counted
  after, without reaching for the mouse or F4).

Only "*" multiplies: it is one key on every numeric keypad, and a scanner never sends it
inside an EAN/UPC. "3x CODE" is NOT a quantity: "x" is a letter product codes use
("2X4-PINO"), so that text is looked up as a code like any other. A text whose part
before the first "*" is not number-like ("AB*1") is a code as well: codes may hold "*".

Reading is pure: the screen looks the code up (`productos(codigo=...)`) afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from prometeo.domain.errores import ValorInvalido
from prometeo.domain.value_objects.texto_sri import CampoSri
from prometeo.entrypoints.web.formato import cantidad, leer_numero

# A product code and a barcode are both at most 25 characters (codigoPrincipal and
# codigoAuxiliar in SRI's schema); the same visible-one-line rule as the catalog's.
CODIGO_ESCANEADO = CampoSri("El código", "CodigoValido", 25)
# A line of more than this is a typing accident, not a sale: typically a barcode that
# landed before the "*" (an EAN-8 has 8 digits, so it is caught; the domain's own bound,
# a trillion, would let it through). A larger quantity goes through F4, deliberately.
CANTIDAD_MAXIMA = Decimal(99_999)
# What the part before "*" must look like to be read as a quantity (then strictly).
_PARECE_CANTIDAD = re.compile(r"-?[0-9.,\s]+")


@dataclass(frozen=True, slots=True)
class Escaneo:
    """Add `cantidad` (> 0, at most 6 decimals, Decimal) of the product found by `codigo`."""

    cantidad: Decimal
    codigo: str


@dataclass(frozen=True, slots=True)
class CambioDeCantidad:
    """Set the quantity of the cart's last line to `cantidad` (typed as "*5")."""

    cantidad: Decimal


def _cantidad(texto: str) -> Decimal:
    """A scan's quantity: a number (CantidadValida), above zero (CantidadPositiva), up to
    6 decimals (CantidadConHasta6Decimales), at most CANTIDAD_MAXIMA (CantidadRazonable)."""
    numero = leer_numero(texto, "La cantidad", "CantidadValida", 6, "CantidadConHasta6Decimales")
    if numero <= 0:
        raise ValorInvalido(
            "CantidadPositiva", f"La cantidad debe ser mayor que cero: {texto.strip()}"
        )
    if numero > CANTIDAD_MAXIMA:
        raise ValorInvalido(
            "CantidadRazonable",
            f"La cantidad {cantidad(numero)} es demasiado grande para una línea (máximo "
            f"{cantidad(CANTIDAD_MAXIMA)}): ¿se escaneó un código en la cantidad?",
        )
    return numero


def leer_escaneo(texto: str) -> Escaneo | CambioDeCantidad:
    """The action the scan field's text asks for, or ValorInvalido naming the broken rule
    (EscaneoValido for an empty field or a missing code, CodigoValido for a code no
    catalog could hold, the quantity's rules above)."""
    limpio = texto.strip()
    if not limpio:
        raise ValorInvalido("EscaneoValido", "Escanee o escriba un código")
    antes, asterisco, despues = limpio.partition("*")
    antes, despues = antes.strip(), despues.strip()
    if not asterisco or (antes and _PARECE_CANTIDAD.fullmatch(antes) is None):
        return Escaneo(Decimal(1), CODIGO_ESCANEADO.validar(limpio))
    if not antes:
        return CambioDeCantidad(_cantidad(despues))
    numero = _cantidad(antes)
    if not despues:
        raise ValorInvalido("EscaneoValido", f"Falta el código después de «{antes}*»")
    return Escaneo(numero, CODIGO_ESCANEADO.validar(despues))
