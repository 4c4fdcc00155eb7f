"""The type-directed JSON behind CodecEventos (see serializacion.py).

An event is stored as a JSON object of its fields. Decimals are JSON strings with their
exact digits and exponent ("16.00" stays "16.00"), dates ISO "YYYY-MM-DD", datetimes ISO
with their UTC offset, tuples arrays, nested dataclasses objects, None null. Decoding is
directed by the dataclass annotations, read once per class and turned into one converter
function per field (no reflection per call): it runs for every event of every aggregate
loaded. Values of the wrong type are refused both ways, so nothing unreadable is stored.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

Conversor = Callable[[Any], Any]


class ErrorSerializacion(ValueError):
    """A value that cannot be written, or stored data that cannot be read back."""


def a_json(datos: Any) -> str:
    """Compact JSON text; non-ASCII stays as is (the store keeps UTF-8 text)."""
    return json.dumps(datos, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


# --- converters, one (encode, decode) pair per annotated type ----------------------------


def _falla(esperado: str, valor: object) -> ErrorSerializacion:
    return ErrorSerializacion(f"expected {esperado}, got {valor!r}")


def _primitivo(tipo: type) -> tuple[Conversor, Conversor]:
    nombre = tipo.__name__

    def codificar(valor: Any) -> Any:
        if type(valor) is tipo:
            return valor
        if isinstance(valor, tipo) and not isinstance(valor, bool):
            return tipo(valor)  # a StrEnum member in a str field is stored as plain text
        raise _falla(nombre, valor)

    def decodificar(valor: Any) -> Any:
        if type(valor) is not tipo:
            raise _falla(nombre, valor)
        return valor

    return codificar, decodificar


def _codificar_decimal(valor: Any) -> str:
    if type(valor) is not Decimal:
        raise _falla("Decimal", valor)
    return str(valor)  # str() keeps every digit and the exponent; Decimal(str) gives it back


def _decodificar_decimal(valor: Any) -> Decimal:
    if type(valor) is str or type(valor) is int:
        try:
            return Decimal(valor)
        except InvalidOperation:
            pass
    raise _falla("a decimal number as text", valor)


def _codificar_fecha(valor: Any) -> str:
    if type(valor) is not date:
        raise _falla("date", valor)
    return valor.isoformat()


def _decodificar_fecha(valor: Any) -> date:
    if type(valor) is str:
        try:
            return date.fromisoformat(valor)
        except ValueError:
            pass
    raise _falla("an ISO date YYYY-MM-DD", valor)


def _codificar_instante(valor: Any) -> str:
    if type(valor) is not datetime or valor.utcoffset() is None:
        raise _falla("a datetime with time zone", valor)
    return valor.isoformat()


def _decodificar_instante(valor: Any) -> datetime:
    if type(valor) is str:
        try:
            instante = datetime.fromisoformat(valor)
        except ValueError:
            pass
        else:
            if instante.utcoffset() is not None:
                return instante
    raise _falla("an ISO datetime with UTC offset", valor)


def _literal(permitidos: tuple[Any, ...]) -> tuple[Conversor, Conversor]:
    tipos = frozenset(type(p) for p in permitidos)
    valores = frozenset(permitidos)

    def validar(valor: Any) -> Any:
        if type(valor) not in tipos or valor not in valores:
            raise _falla(f"one of {list(permitidos)}", valor)
        return valor

    return validar, validar


def _opcional(codificar: Conversor, decodificar: Conversor) -> tuple[Conversor, Conversor]:
    return (
        lambda valor: None if valor is None else codificar(valor),
        lambda valor: None if valor is None else decodificar(valor),
    )


def _tupla(codificar: Conversor, decodificar: Conversor) -> tuple[Conversor, Conversor]:
    def codificar_tupla(valor: Any) -> list[Any]:
        if type(valor) is not tuple:
            raise _falla("tuple", valor)
        return [codificar(elemento) for elemento in valor]

    def decodificar_tupla(valor: Any) -> tuple[Any, ...]:
        if type(valor) is not list:
            raise _falla("a JSON array", valor)
        return tuple(map(decodificar, valor))

    return codificar_tupla, decodificar_tupla


def _dataclase(clase: type[Any]) -> tuple[Conversor, Conversor]:
    # Annotations are resolved here, once; the closures below do no reflection at all.
    anotaciones = typing.get_type_hints(clase)
    campos: list[tuple[str, Conversor, Conversor, bool]] = []
    for campo in dataclasses.fields(clase):
        if not campo.init:
            raise TypeError(f"{clase.__name__}.{campo.name}: init=False fields are not stored")
        codificar, decodificar = conversores(anotaciones[campo.name])
        requerido = campo.default is campo.default_factory is dataclasses.MISSING
        campos.append((campo.name, codificar, decodificar, requerido))
    nombre_clase = clase.__name__

    def codificar_objeto(objeto: Any) -> dict[str, Any]:
        if type(objeto) is not clase:
            raise _falla(nombre_clase, objeto)
        datos = {}
        for nombre, codificar, _, _ in campos:
            try:
                datos[nombre] = codificar(getattr(objeto, nombre))
            except ErrorSerializacion as error:
                raise ErrorSerializacion(f"{nombre_clase}.{nombre}: {error}") from None
        return datos

    lectores = tuple((nombre, decodificar) for nombre, _, decodificar, _ in campos)
    cuantos = len(lectores)

    def decodificar_objeto(datos: Any) -> Any:
        # Fast path: every field present, as the current code writes them.
        if type(datos) is dict and len(datos) == cuantos:
            try:
                return clase(**{nombre: leer(datos[nombre]) for nombre, leer in lectores})
            except (KeyError, ErrorSerializacion):
                pass  # the careful path below says exactly what is wrong
        return decodificar_con_cuidado(datos)

    def decodificar_con_cuidado(datos: Any) -> Any:
        if type(datos) is not dict:
            raise _falla(f"a JSON object for {nombre_clase}", datos)
        argumentos = {}
        for nombre, _, decodificar, requerido in campos:
            if nombre in datos:
                try:
                    argumentos[nombre] = decodificar(datos[nombre])
                except ErrorSerializacion as error:
                    raise ErrorSerializacion(f"{nombre_clase}.{nombre}: {error}") from None
            elif requerido:
                raise ErrorSerializacion(f"{nombre_clase}: missing field {nombre!r}")
        if len(argumentos) != len(datos):
            sobran = sorted(set(datos) - set(argumentos))
            raise ErrorSerializacion(f"{nombre_clase}: unknown fields {sobran}")
        return clase(**argumentos)

    return codificar_objeto, decodificar_objeto


_CONVERSORES: dict[Any, tuple[Conversor, Conversor]] = {}


def conversores(tipo: Any) -> tuple[Conversor, Conversor]:
    """The (encode, decode) pair for one annotated type (an event class among them),
    built once; unsupported types fail when a codec is built, not when an event is
    first written."""
    pareja = _CONVERSORES.get(tipo)
    if pareja is None:
        pareja = _CONVERSORES[tipo] = _construir(tipo)
    return pareja


def _construir(tipo: Any) -> tuple[Conversor, Conversor]:
    if tipo in (str, int, bool):
        return _primitivo(tipo)
    if tipo is Decimal:
        return _codificar_decimal, _decodificar_decimal
    if tipo is datetime:
        return _codificar_instante, _decodificar_instante
    if tipo is date:
        return _codificar_fecha, _decodificar_fecha
    origen, argumentos = typing.get_origin(tipo), typing.get_args(tipo)
    if origen is Literal:
        return _literal(argumentos)
    if origen in (typing.Union, types.UnionType) and len(argumentos) == 2:
        internos = [a for a in argumentos if a is not type(None)]
        if len(internos) == 1:
            return _opcional(*conversores(internos[0]))
    if origen is tuple and len(argumentos) == 2 and argumentos[1] is Ellipsis:
        return _tupla(*conversores(argumentos[0]))
    if isinstance(tipo, type) and dataclasses.is_dataclass(tipo):
        return _dataclase(tipo)
    raise TypeError(f"Event fields of type {tipo!r} cannot be serialized")
