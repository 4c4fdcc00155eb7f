"""Dates, money and quantities as people in Ecuador read and type them (es-EC).

Every function is pure and takes the value first, so a template environment can register
them as filters as they are (`entorno.filters.update(FILTROS)`); none imports a web
framework. Numbers are Decimal in and Decimal out: a float is refused, never converted.

The separators follow CLDR's es_EC locale (unicode-org/cldr, common/main/es_EC.xml):
`<decimal>,</decimal>`, `<group>.</group>` and the currency pattern `¤#,##0.00;¤-#,##0.00`
with the symbol `$` for USD, so an amount reads "$1.234,56" and a negative one "$-1.234,56".
Its dates are dd/MM/y (medium) in the Gregorian calendar: "06/12/2026".

What people type is read more leniently than it is written: either "," or "." is the
decimal separator (a till's numeric keypad has only "."), and thousands may be grouped
with the other one. Anything that could be read two ways is refused, not guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import TypeAlias

from prometeo.domain.errores import ValorInvalido
from prometeo.domain.value_objects.dinero import (
    CENTAVO,
    LIMITE,
    Cantidad,
    Dinero,
    Precio,
    redondear2,
    redondear6,
)

# Ecuador (continental) keeps UTC-05:00 all year. The same offset as the infrastructure's
# clock; entrypoints may not import infrastructure, so the screens keep their own.
HORA_ECUADOR = timezone(timedelta(hours=-5))

SEPARADOR_DECIMAL = ","  # CLDR es_EC <decimal>
SEPARADOR_MILES = "."  # CLDR es_EC <group>
SIMBOLO_DOLAR = "$"  # CLDR es_EC <currency type="USD"><symbol>

# What a template may hand to a number filter: exact numbers and the domain's values.
Exacto: TypeAlias = Decimal | int | Dinero | Precio | Cantidad

_FECHA = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_NUMERO = re.compile(r"[0-9]([0-9.,]*[0-9])?")


def exacto(valor: Exacto) -> Decimal:
    """The Decimal inside `valor`; floats, bools, text and non-finite numbers are
    programming errors (a template handed the wrong thing), not user input."""
    if isinstance(valor, Dinero):
        return valor.monto
    if isinstance(valor, Precio | Cantidad):
        return valor.valor
    if isinstance(valor, bool) or not isinstance(valor, Decimal | int):
        raise TypeError(f"Se esperaba un número exacto (Decimal), no {type(valor).__name__}")
    numero = Decimal(valor)
    if not numero.is_finite():
        raise ValueError(f"No se puede mostrar un número no finito: {numero}")
    return numero


def _agrupar(entero: str) -> str:
    """Digits in groups of three from the right, split by CLDR's group separator."""
    cabeza = len(entero) % 3 or 3
    grupos = [entero[:cabeza]] + [entero[i : i + 3] for i in range(cabeza, len(entero), 3)]
    return SEPARADOR_MILES.join(grupos)


def _escribir(numero: Decimal, minimo: int, agrupar: bool) -> str:
    """`numero` (already rounded) with at least `minimo` decimals, its other trailing zeros
    dropped, es-EC separators; the sign stays ahead of the digits ("-1.234,5")."""
    signo = "-" if numero < 0 else ""  # -0.00 is not negative: no "-0,00"
    entero, _, fraccion = f"{abs(numero):f}".partition(".")
    fraccion = fraccion.rstrip("0").ljust(minimo, "0")
    cifras = _agrupar(entero) if agrupar else entero
    return signo + cifras + (SEPARADOR_DECIMAL + fraccion if fraccion else "")


def dinero(valor: Exacto) -> str:
    """An amount in USD as CLDR es_EC writes it, rounded half up to cents:
    "$1.234,56", "$-0,50", "$0,00"."""
    texto = _escribir(redondear2(exacto(valor)), 2, agrupar=True)
    return SIMBOLO_DOLAR + texto


def precio(valor: Exacto) -> str:
    """A unit price: at least 2 decimals, up to the 6 SRI allows ("$0,456789", "$2,50")."""
    return SIMBOLO_DOLAR + _escribir(redondear6(exacto(valor)), 2, agrupar=True)


def cantidad(valor: Exacto) -> str:
    """A quantity to read: up to 6 decimals, no trailing zeros, thousands grouped
    ("1.234,5", "2"). To prefill an input use `cantidad_entrada`: "1.234" typed back
    reads as one point two three four kilos, not as a thousand units."""
    return _escribir(redondear6(exacto(valor)), 0, agrupar=True)


def dinero_entrada(valor: Exacto) -> str:
    """An amount as an input's value: no symbol, no grouping ("1234,56"), so that
    `leer_dinero` reads back exactly the same amount."""
    return _escribir(redondear2(exacto(valor)), 2, agrupar=False)


def cantidad_entrada(valor: Exacto) -> str:
    """A quantity as an input's value ("1234,5"): `leer_cantidad` reads it back exactly."""
    return _escribir(redondear6(exacto(valor)), 0, agrupar=False)


def _en_ecuador(valor: datetime) -> datetime:
    if valor.tzinfo is None or valor.utcoffset() is None:
        # A naive datetime could be UTC or local: showing it would guess.
        raise ValueError(f"Fecha y hora sin zona horaria: {valor.isoformat()}")
    return valor.astimezone(HORA_ECUADOR)


def fecha(valor: date) -> str:
    """A day as dd/mm/aaaa ("06/12/2026"); a datetime is shown as its day in Ecuador."""
    dia = _en_ecuador(valor).date() if isinstance(valor, datetime) else valor
    return f"{dia.day:02d}/{dia.month:02d}/{dia.year:04d}"


def fecha_hora(valor: datetime, segundos: bool = False) -> str:
    """An instant in Ecuador's time, 24-hour clock: "06/12/2026 15:07" (":09" more with
    `segundos`). An instant without a time zone is refused."""
    local = _en_ecuador(valor)
    hora = f"{local.hour:02d}:{local.minute:02d}" + (f":{local.second:02d}" if segundos else "")
    return f"{fecha(local.date())} {hora}"


def leer_fecha(texto: str) -> date:
    """The day written dd/mm/aaaa (one-digit day and month are accepted: 6/12/2026);
    FechaValida names any other form and days that do not exist (31/02/2026)."""
    limpio = texto.strip()
    partes = _FECHA.fullmatch(limpio)
    if partes is None:
        raise ValorInvalido(
            "FechaValida", f"La fecha «{limpio}» debe escribirse dd/mm/aaaa, como 06/12/2026"
        )
    dia, mes, anio = (int(p) for p in partes.groups())
    try:
        return date(anio, mes, dia)
    except ValueError:
        raise ValorInvalido(
            "FechaValida", f"La fecha «{limpio}» no existe en el calendario"
        ) from None


def _partir(cuerpo: str) -> tuple[str, str] | None:
    """The integer digits and the decimal digits of `cuerpo` (digits and separators, a
    digit at each end), or None when it can be read two ways.

    Invariants: one separator once is the decimal one, whichever it is; both kinds mean
    the last is decimal (once) and the other groups thousands before it; one kind several
    times groups thousands only. Groups are 1-3 digits, then exactly 3."""
    ultimo = max(cuerpo.rfind("."), cuerpo.rfind(","))
    if ultimo < 0:
        return cuerpo, ""
    separador = cuerpo[ultimo]
    otro = "," if separador == "." else "."
    veces = cuerpo.count(separador)
    if veces == 1 and otro not in cuerpo:
        return cuerpo[:ultimo], cuerpo[ultimo + 1 :]
    if otro in cuerpo:
        if veces > 1:
            return None  # "1.234,5.6": two decimal points
        grupos, fraccion = cuerpo[:ultimo].split(otro), cuerpo[ultimo + 1 :]
    else:
        grupos, fraccion = cuerpo.split(separador), ""
    if not 1 <= len(grupos[0]) <= 3 or any(len(g) != 3 for g in grupos[1:]):
        return None
    return "".join(grupos), fraccion


def leer_numero(
    texto: str, nombre: str, regla: str, decimales: int, regla_decimales: str
) -> Decimal:
    """The number a person typed: an optional "-", digits, "," or "." as the decimal
    separator, the other one optionally grouping thousands. At most `decimales` digits
    after the separator (`regla_decimales`); any other problem breaks `regla`, and the
    message quotes what was typed. Never a float; bounded like the domain's numbers."""
    limpio = texto.strip()
    if not limpio:
        raise ValorInvalido(regla, f"{nombre} no puede quedar en blanco")
    negativo = limpio.startswith("-")
    cuerpo = limpio[1:].lstrip() if negativo else limpio
    if _NUMERO.fullmatch(cuerpo) is None:
        raise ValorInvalido(
            regla, f"{nombre} «{limpio}» no es un número: escriba cifras y , o . para decimales"
        )
    partes = _partir(cuerpo)
    if partes is None:
        raise ValorInvalido(
            regla,
            f"{nombre} «{limpio}» es ambiguo: use un solo separador decimal (, o .) y, si "
            "separa los miles, el otro en grupos de tres cifras (1.234,56)",
        )
    entero, fraccion = partes
    if len(fraccion) > decimales:
        pista = f" (si son miles, escriba {entero}{fraccion})" if len(fraccion) == 3 else ""
        raise ValorInvalido(
            regla_decimales,
            f"{nombre} «{limpio}» tiene {len(fraccion)} cifras después del separador "
            f"decimal; admite hasta {decimales}{pista}",
        )
    numero = Decimal(f"{entero}.{fraccion}" if fraccion else entero)
    if numero >= LIMITE:
        raise ValorInvalido(regla, f"{nombre} «{limpio}» excede el máximo permitido")
    # "-0" is zero, not a negative number.
    return -numero if negativo and not numero.is_zero() else numero


def leer_dinero(texto: str) -> Decimal:
    """An amount typed or shown ("12,5", "$1.234,56", "-3.10", "$-1.234,56") with up to 2
    decimals (MontoValido), as a Decimal with exactly 2. The sign is kept: whether a
    negative amount is allowed is the caller's rule."""
    limpio = texto.strip()
    negativo = limpio.startswith("-")
    sin_signo = limpio[1:].lstrip() if negativo else limpio
    if sin_signo.startswith(SIMBOLO_DOLAR):
        limpio = ("-" if negativo else "") + sin_signo[1:].lstrip()
    numero = leer_numero(limpio, "El monto", "MontoValido", 2, "MontoValido")
    return numero.quantize(CENTAVO)


def leer_cantidad(texto: str) -> Decimal:
    """A quantity typed ("2,5", "1.234" = 1.234, "12") with up to 6 decimals
    (CantidadConHasta6Decimales); negative breaks CantidadValida. Zero is allowed (a count
    may find none): where a quantity must be positive, the domain's Cantidad says so."""
    numero = leer_numero(texto, "La cantidad", "CantidadValida", 6, "CantidadConHasta6Decimales")
    if numero < 0:
        raise ValorInvalido("CantidadValida", f"La cantidad no puede ser negativa: {texto.strip()}")
    return numero


# Every formatter under the name a template uses: `entorno.filters.update(FILTROS)`.
FILTROS: dict[str, Callable[..., str]] = {
    "dinero": dinero,
    "precio": precio,
    "cantidad": cantidad,
    "dinero_entrada": dinero_entrada,
    "cantidad_entrada": cantidad_entrada,
    "fecha": fecha,
    "fecha_hora": fecha_hora,
}
