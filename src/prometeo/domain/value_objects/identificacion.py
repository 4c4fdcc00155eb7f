"""How a buyer or the emisor is identified before the SRI (tipoIdentificacionComprador).

Cédulas and natural-person RUCs are checked strictly. Company RUCs (entidad pública,
sociedad) are checked strictly in their structure only: the SRI has issued real, active
RUCs whose modulo-11 check digit fails, so a wrong check digit there is a warning
(`advertencias`), never a rejection. See SRI.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeAlias

from prometeo.domain.errores import ValorInvalido

NUMERO_CONSUMIDOR_FINAL = "9999999999999"

_DIGITOS = re.compile(r"[0-9]+")
_ALFANUMERICO = re.compile(r"[A-Za-z0-9]+")
_PROVINCIAS = frozenset({f"{n:02d}" for n in range(1, 25)} | {"30"})
_PESOS_PUBLICA = (3, 2, 7, 6, 5, 4, 3, 2)
_PESOS_SOCIEDAD = (4, 3, 2, 7, 6, 5, 4, 3, 2)


class TipoIdentificacion(StrEnum):
    """SRI code of the kind of identification (tipoIdentificacionComprador)."""

    RUC = "04"
    CEDULA = "05"
    PASAPORTE = "06"
    CONSUMIDOR_FINAL = "07"
    EXTERIOR = "08"


class TipoRuc(StrEnum):
    """Who holds a RUC, as told by its third digit."""

    NATURAL = "NATURAL"
    PUBLICA = "PUBLICA"
    SOCIEDAD = "SOCIEDAD"


def _texto(numero: object, regla: str, nombre: str) -> str:
    if not isinstance(numero, str):
        raise ValorInvalido(regla, f"{nombre} debe ser un texto, no {numero!r}")
    return numero.strip()


def _digitos(numero: str, longitud: int, regla: str, nombre: str) -> None:
    if not _DIGITOS.fullmatch(numero):
        raise ValorInvalido(regla, f"{nombre} '{numero}' debe contener solo dígitos")
    if len(numero) != longitud:
        raise ValorInvalido(
            regla, f"{nombre} '{numero}' debe tener {longitud} dígitos, no {len(numero)}"
        )


def _error_cedula(cedula: str) -> str | None:
    """Why ten digits are not a valid cédula, or None when they are."""
    if cedula[:2] not in _PROVINCIAS:
        return f"el código de provincia {cedula[:2]} no existe (01 a 24, o 30)"
    if cedula[2] > "6":
        return f"el tercer dígito {cedula[2]} no corresponde a una persona natural (0 a 6)"
    suma = 0
    for posicion, caracter in enumerate(cedula[:9]):
        producto = int(caracter) * (2 if posicion % 2 == 0 else 1)
        suma += producto - 9 if producto > 9 else producto
    verificador = (10 - suma % 10) % 10
    if verificador != int(cedula[9]):
        return f"el dígito verificador {cedula[9]} no es correcto (módulo 10 da {verificador})"
    return None


def _modulo11(digitos: str, pesos: tuple[int, ...]) -> int:
    resto = sum(int(d) * p for d, p in zip(digitos, pesos, strict=True)) % 11
    return 0 if resto == 0 else 11 - resto


@dataclass(frozen=True, slots=True)
class Cedula:
    """Cédula de identidad ecuatoriana: 10 digits, province, modulo-10 check digit."""

    numero: str
    advertencias: tuple[str, ...] = field(default=(), init=False)

    def __post_init__(self) -> None:
        numero = _texto(self.numero, "CedulaValida", "La cédula")
        _digitos(numero, 10, "CedulaValida", "La cédula")
        error = _error_cedula(numero)
        if error is not None:
            raise ValorInvalido("CedulaValida", f"La cédula {numero} no es válida: {error}")
        object.__setattr__(self, "numero", numero)

    @property
    def tipo(self) -> TipoIdentificacion:
        return TipoIdentificacion.CEDULA


@dataclass(frozen=True, slots=True)
class Ruc:
    """Registro Único de Contribuyentes: 13 digits; the third says who holds it.

    A company RUC (entidad pública or sociedad) whose check digit fails is accepted with a
    warning in `advertencias`, because the SRI has issued such RUCs."""

    numero: str
    advertencias: tuple[str, ...] = field(default=(), init=False)

    def __post_init__(self) -> None:
        numero = _texto(self.numero, "RucValido", "El RUC")
        _digitos(numero, 13, "RucValido", "El RUC")
        if numero[:2] not in _PROVINCIAS:
            raise ValorInvalido(
                "RucValido",
                f"El RUC {numero} no es válido: el código de provincia {numero[:2]} no existe "
                "(01 a 24, o 30)",
            )
        clase = _clase_ruc(numero)
        if clase is None:
            raise ValorInvalido(
                "RucValido",
                f"El RUC {numero} no es válido: el tercer dígito {numero[2]} no corresponde a "
                "ningún tipo de contribuyente (0 a 6, o 9)",
            )
        object.__setattr__(self, "numero", numero)
        object.__setattr__(self, "advertencias", _VALIDACIONES[clase](numero))

    @property
    def tipo(self) -> TipoIdentificacion:
        return TipoIdentificacion.RUC

    @property
    def clase(self) -> TipoRuc:
        clase = _clase_ruc(self.numero)
        assert clase is not None  # the constructor rejected every other third digit
        return clase


def _clase_ruc(numero: str) -> TipoRuc | None:
    """Who holds the RUC, or None for a third digit no contributor has.

    A third digit 6 is also given to natural persons (foreigners with a cédula): a valid
    cédula and an establishment make it NATURAL, unless it is a well-formed public RUC,
    whose check digit passes (about one in ten public RUCs is also a valid cédula)."""
    tercero = numero[2]
    if tercero < "6":
        return TipoRuc.NATURAL
    if tercero == "6":
        if numero[9:] != "0000" and _verificador_correcto(numero, 8, _PESOS_PUBLICA):
            return TipoRuc.PUBLICA
        natural = _error_cedula(numero[:10]) is None and numero[10:] != "000"
        return TipoRuc.NATURAL if natural else TipoRuc.PUBLICA
    if tercero == "9":
        return TipoRuc.SOCIEDAD
    return None


def _validar_natural(numero: str) -> tuple[str, ...]:
    error = _error_cedula(numero[:10])
    if error is not None:
        raise ValorInvalido(
            "RucValido",
            f"El RUC {numero} de persona natural no contiene una cédula válida: {error}",
        )
    if numero[10:] == "000":
        raise ValorInvalido(
            "RucValido", f"El RUC {numero} no es válido: el establecimiento no puede ser 000"
        )
    return ()


def _validar_publica(numero: str) -> tuple[str, ...]:
    if numero[9:] == "0000":
        raise ValorInvalido(
            "RucValido",
            f"El RUC {numero} de entidad pública no es válido: el establecimiento no puede "
            "ser 0000",
        )
    return _advertencia_verificador(numero, 8, _PESOS_PUBLICA)


def _validar_sociedad(numero: str) -> tuple[str, ...]:
    if numero[10:] == "000":
        raise ValorInvalido(
            "RucValido",
            f"El RUC {numero} de sociedad no es válido: el establecimiento no puede ser 000",
        )
    return _advertencia_verificador(numero, 9, _PESOS_SOCIEDAD)


def _verificador_correcto(numero: str, posicion: int, pesos: tuple[int, ...]) -> bool:
    return _modulo11(numero[:posicion], pesos) == int(numero[posicion])


def _advertencia_verificador(numero: str, posicion: int, pesos: tuple[int, ...]) -> tuple[str, ...]:
    if _verificador_correcto(numero, posicion, pesos):
        return ()
    esperado = _modulo11(numero[:posicion], pesos)
    return (
        f"El dígito verificador del RUC {numero} no cumple el módulo 11 (se esperaba "
        f"{esperado}); el SRI ha emitido RUC activos así: confirme el RUC en el SRI.",
    )


_VALIDACIONES: dict[TipoRuc, Callable[[str], tuple[str, ...]]] = {
    TipoRuc.NATURAL: _validar_natural,
    TipoRuc.PUBLICA: _validar_publica,
    TipoRuc.SOCIEDAD: _validar_sociedad,
}


@dataclass(frozen=True, slots=True)
class Pasaporte:
    """A passport number: 3 to 20 letters or digits, kept in upper case."""

    numero: str
    advertencias: tuple[str, ...] = field(default=(), init=False)

    def __post_init__(self) -> None:
        numero = _texto(self.numero, "PasaporteValido", "El pasaporte")
        if not 3 <= len(numero) <= 20 or not _ALFANUMERICO.fullmatch(numero):
            raise ValorInvalido(
                "PasaporteValido",
                f"El pasaporte '{numero}' debe tener de 3 a 20 letras o dígitos, sin espacios "
                "ni signos",
            )
        object.__setattr__(self, "numero", numero.upper())

    @property
    def tipo(self) -> TipoIdentificacion:
        return TipoIdentificacion.PASAPORTE


@dataclass(frozen=True, slots=True)
class IdentificacionExterior:
    """A foreign identification (identificación del exterior): 1 to 20 printable
    characters, as the SRI schema allows."""

    numero: str
    advertencias: tuple[str, ...] = field(default=(), init=False)

    def __post_init__(self) -> None:
        numero = _texto(self.numero, "IdentificacionExteriorValida", "La identificación")
        if not numero or len(numero) > 20 or not numero.isprintable():
            raise ValorInvalido(
                "IdentificacionExteriorValida",
                f"La identificación del exterior {numero!r} debe tener de 1 a 20 caracteres "
                "imprimibles",
            )
        object.__setattr__(self, "numero", numero)

    @property
    def tipo(self) -> TipoIdentificacion:
        return TipoIdentificacion.EXTERIOR


@dataclass(frozen=True, slots=True)
class ConsumidorFinal:
    """The anonymous buyer (consumidor final), always 9999999999999."""

    numero: str = NUMERO_CONSUMIDOR_FINAL
    advertencias: tuple[str, ...] = field(default=(), init=False)

    def __post_init__(self) -> None:
        numero = _texto(self.numero, "ConsumidorFinalValido", "La identificación")
        if numero != NUMERO_CONSUMIDOR_FINAL:
            raise ValorInvalido(
                "ConsumidorFinalValido",
                f"La identificación de consumidor final debe ser {NUMERO_CONSUMIDOR_FINAL}, "
                f"no '{numero}'",
            )
        object.__setattr__(self, "numero", numero)

    @property
    def tipo(self) -> TipoIdentificacion:
        return TipoIdentificacion.CONSUMIDOR_FINAL


Identificacion: TypeAlias = Cedula | Ruc | Pasaporte | IdentificacionExterior | ConsumidorFinal

_CLASES: dict[TipoIdentificacion, type[Identificacion]] = {
    TipoIdentificacion.RUC: Ruc,
    TipoIdentificacion.CEDULA: Cedula,
    TipoIdentificacion.PASAPORTE: Pasaporte,
    TipoIdentificacion.CONSUMIDOR_FINAL: ConsumidorFinal,
    TipoIdentificacion.EXTERIOR: IdentificacionExterior,
}


def crear_identificacion(tipo: str, numero: str) -> Identificacion:
    """The identification of the given SRI code ("04" RUC ... "08" exterior)."""
    try:
        clase = _CLASES[TipoIdentificacion(tipo.strip())]
    except ValueError:
        raise ValorInvalido(
            "TipoIdentificacionValido",
            f"El tipo de identificación {tipo!r} no existe (04, 05, 06, 07 u 08)",
        ) from None
    return clase(numero)
