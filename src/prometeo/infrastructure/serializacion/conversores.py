"""The type-directed JSON behind CodecEventos (see serializacion.py).

An event is stored as a JSON object of its fields. Decimals are JSON strings with their
exact digits and exponent ("16.00" stays "16.00"), dates ISO "YYYY-MM-DD", datetimes ISO
with their UTC offset, tuples arrays, nested dataclasses objects, None null. Values of the
wrong type are refused both ways, so nothing unreadable is stored.

Each event class gets, once, two functions generated from its annotations: an encoder
that writes the JSON text directly and a decoder that builds the event from the parsed
JSON object, with the type checks and conversions inlined (no reflection, no converter
call per field). Whenever one meets anything unusual (a missing or unknown field, a value
of the wrong type, a str subclass) it hands over to the plain path (`referencia`): one
converter per field, which either produces exactly the same result or says precisely what
is wrong. Both paths write byte-identical JSON; the tests compare them.
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
CodificadorTexto = Callable[[Any], str]


class ErrorSerializacion(ValueError):
    """A value that cannot be written, or stored data that cannot be read back."""


# Built once: json.dumps with arguments builds a new JSONEncoder on every call.
_CODIFICADOR_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def a_json(datos: Any) -> str:
    """Compact JSON text; non-ASCII stays as is (the store keeps UTF-8 text)."""
    return _CODIFICADOR_JSON.encode(datos)


# What JSON text a str becomes with ensure_ascii=False (the C function json itself uses).
_texto_json: Callable[[str], str] = getattr(json.encoder, "c_encode_basestring", None) or (
    json.encoder.py_encode_basestring
)


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


@dataclasses.dataclass(frozen=True, slots=True)
class _Campo:
    nombre: str
    tipo: Any
    codificar: Conversor
    decodificar: Conversor
    requerido: bool
    # For a field that may be missing: its default, or the factory that makes it.
    por_defecto: Any
    fabrica: Callable[[], Any] | None


def _campos(clase: type[Any]) -> list[_Campo]:
    # Annotations are resolved here, once; nothing below does reflection per call.
    anotaciones = typing.get_type_hints(clase)
    campos = []
    for campo in dataclasses.fields(clase):
        if not campo.init:
            raise TypeError(f"{clase.__name__}.{campo.name}: init=False fields are not stored")
        tipo = anotaciones[campo.name]
        codificar, decodificar = conversores(tipo)
        fabrica = None if campo.default_factory is dataclasses.MISSING else campo.default_factory
        requerido = campo.default is dataclasses.MISSING and fabrica is None
        campos.append(
            _Campo(campo.name, tipo, codificar, decodificar, requerido, campo.default, fabrica)
        )
    return campos


def _dataclase_referencia(clase: type[Any], campos: list[_Campo]) -> tuple[Conversor, Conversor]:
    """The plain path: one converter call per field, and the exact reason when a value
    does not fit. The generated functions fall back to it."""
    nombre_clase = clase.__name__

    def codificar_objeto(objeto: Any) -> dict[str, Any]:
        if type(objeto) is not clase:
            raise _falla(nombre_clase, objeto)
        datos = {}
        for campo in campos:
            try:
                datos[campo.nombre] = campo.codificar(getattr(objeto, campo.nombre))
            except ErrorSerializacion as error:
                raise ErrorSerializacion(f"{nombre_clase}.{campo.nombre}: {error}") from None
        return datos

    def decodificar_objeto(datos: Any) -> Any:
        if type(datos) is not dict:
            raise _falla(f"a JSON object for {nombre_clase}", datos)
        argumentos = {}
        for campo in campos:
            if campo.nombre in datos:
                try:
                    argumentos[campo.nombre] = campo.decodificar(datos[campo.nombre])
                except ErrorSerializacion as error:
                    raise ErrorSerializacion(f"{nombre_clase}.{campo.nombre}: {error}") from None
            elif campo.requerido:
                raise ErrorSerializacion(f"{nombre_clase}: missing field {campo.nombre!r}")
        if len(argumentos) != len(datos):
            sobran = sorted(set(datos) - set(argumentos))
            raise ErrorSerializacion(f"{nombre_clase}: unknown fields {sobran}")
        return clase(**argumentos)

    return codificar_objeto, decodificar_objeto


# --- generated fast paths ----------------------------------------------------------------


class _Desvio(Exception):
    """Raised inside generated code: leave the fast path, the plain one will decide."""


# Whatever a generated function may meet on bad input; the plain path then runs again and
# either succeeds (a value the fast path does not handle) or raises ErrorSerializacion.
_DESVIOS = (_Desvio, LookupError, ValueError, TypeError, ArithmeticError, AttributeError)
_FALTA = object()
# Texts already parsed, by every generated decoder (emptied when full).
_DECIMALES: dict[str, Decimal] = {}
_FECHAS: dict[str, date] = {}
_TOPE = 4096


def _es_dataclase(tipo: Any) -> bool:
    return isinstance(tipo, type) and dataclasses.is_dataclass(tipo)


def _opcional_de(tipo: Any) -> Any | None:
    """X for `X | None`, else None."""
    if typing.get_origin(tipo) in (typing.Union, types.UnionType):
        argumentos = typing.get_args(tipo)
        internos = [a for a in argumentos if a is not type(None)]
        if len(argumentos) == 2 and len(internos) == 1:
            return internos[0]
    return None


def _elemento_de(tipo: Any) -> Any | None:
    """X for `tuple[X, ...]`, else None."""
    argumentos = typing.get_args(tipo)
    if typing.get_origin(tipo) is tuple and len(argumentos) == 2 and argumentos[1] is Ellipsis:
        return argumentos[0]
    return None


class _Generador:
    """Source lines of one generated function, with the objects they refer to."""

    def __init__(self) -> None:
        self.lineas: list[str] = []
        self.nombres: dict[str, Any] = {
            "_Desvio": _Desvio,
            "_DESVIOS": _DESVIOS,
            "_FALTA": _FALTA,
            "_Decimal": Decimal,
            "_date": date,
            "_datetime": datetime,
            "_fecha": date.fromisoformat,
            "_instante": datetime.fromisoformat,
            "_texto": _texto_json,
            "_a_json": a_json,
            "_decimales": _DECIMALES,
            "_fechas": _FECHAS,
            "_TOPE": _TOPE,
        }

    def objeto(self, valor: Any) -> str:
        nombre = f"_o{len(self.nombres)}"
        self.nombres[nombre] = valor
        return nombre

    def linea(self, sangria: int, texto: str) -> None:
        self.lineas.append("    " * sangria + texto)

    def funcion(self, nombre: str) -> Any:
        espacio = dict(self.nombres)
        # The source is built above, from the annotations only; nothing read is run.
        exec("\n".join(self.lineas), espacio)
        return espacio[nombre]


def _leer(g: _Generador, tipo: Any, v: str, n: int) -> None:
    """Lines turning the parsed JSON value in variable `v` into a value of `tipo`
    (raising to leave the fast path when it does not fit)."""
    if tipo in (str, int, bool):
        g.linea(n, f"if type({v}) is not {tipo.__name__}: raise _Desvio")
    elif tipo is Decimal or tipo is date:
        # The same few amounts and dates come back again and again: each text is parsed
        # once (both types are immutable, so sharing the values is safe).
        cache, crear = ("_decimales", "_Decimal") if tipo is Decimal else ("_fechas", "_fecha")
        g.linea(n, f"x = {cache}.get({v})")
        g.linea(n, "if x is None:")
        g.linea(n + 1, f"if type({v}) is not str: raise _Desvio")
        g.linea(n + 1, f"x = {crear}({v})")
        g.linea(n + 1, f"if len({cache}) >= _TOPE: {cache}.clear()")
        g.linea(n + 1, f"{cache}[{v}] = x")
        g.linea(n, f"{v} = x")
    elif tipo is datetime:
        g.linea(n, f"if type({v}) is not str: raise _Desvio")
        g.linea(n, f"{v} = _instante({v})")
        g.linea(n, f"if {v}.utcoffset() is None: raise _Desvio")
    elif typing.get_origin(tipo) is Literal:
        permitidos = typing.get_args(tipo)
        tipos = g.objeto(frozenset(type(p) for p in permitidos))
        valores = g.objeto(frozenset(permitidos))
        g.linea(n, f"if type({v}) not in {tipos} or {v} not in {valores}: raise _Desvio")
    elif (interno := _opcional_de(tipo)) is not None:
        g.linea(n, f"if {v} is not None:")
        _leer(g, interno, v, n + 1)
    elif (elemento := _elemento_de(tipo)) is not None:
        leer_elemento = g.objeto(conversores(elemento)[1])
        g.linea(n, f"if type({v}) is not list: raise _Desvio")
        g.linea(n, f"{v} = tuple([{leer_elemento}(x) for x in {v}])")
    else:  # a nested dataclass (its own generated decoder), or anything else
        g.linea(n, f"{v} = {g.objeto(conversores(tipo)[1])}({v})")


def _escribir(g: _Generador, tipo: Any, v: str, n: int) -> None:
    """Lines turning the value in variable `v` into its JSON text (raising to leave the
    fast path when it is not exactly of `tipo`)."""
    if tipo is str:
        g.linea(n, f"if type({v}) is not str: raise _Desvio")
        g.linea(n, f"{v} = _texto({v})")
    elif tipo is int:
        g.linea(n, f"if type({v}) is not int: raise _Desvio")
        g.linea(n, f"{v} = int.__repr__({v})")
    elif tipo is bool:
        g.linea(n, f"if type({v}) is not bool: raise _Desvio")
        g.linea(n, f"{v} = 'true' if {v} else 'false'")
    elif tipo is Decimal:
        g.linea(n, f"if type({v}) is not _Decimal: raise _Desvio")
        g.linea(n, f"{v} = f'\"{{{v}!s}}\"'")
    elif tipo is date or tipo is datetime:
        g.linea(n, f"if type({v}) is not _{tipo.__name__}: raise _Desvio")
        if tipo is datetime:
            g.linea(n, f"if {v}.utcoffset() is None: raise _Desvio")
        g.linea(n, f"{v} = f'\"{{{v}.isoformat()}}\"'")
    elif typing.get_origin(tipo) is Literal:
        permitidos = typing.get_args(tipo)
        tipos = g.objeto(frozenset(type(p) for p in permitidos))
        textos = g.objeto({p: a_json(p) for p in permitidos})
        g.linea(n, f"if type({v}) not in {tipos}: raise _Desvio")
        g.linea(n, f"{v} = {textos}[{v}]")
    elif (interno := _opcional_de(tipo)) is not None:
        g.linea(n, f"if {v} is None:")
        g.linea(n + 1, f"{v} = 'null'")
        g.linea(n, "else:")
        _escribir(g, interno, v, n + 1)
    elif (elemento := _elemento_de(tipo)) is not None:
        escribir_elemento = g.objeto(_codificador_de(elemento))
        g.linea(n, f"if type({v}) is not tuple: raise _Desvio")
        g.linea(n, f"{v} = '[' + ','.join([{escribir_elemento}(x) for x in {v}]) + ']'")
    else:
        g.linea(n, f"{v} = {g.objeto(_codificador_de(tipo))}({v})")


def _literal_fstring(texto: str) -> str:
    """`texto` as the literal part of an f-string in generated source."""
    for caracter, escapado in (("\\", "\\\\"), ("'", "\\'"), ("{", "{{"), ("}", "}}")):
        texto = texto.replace(caracter, escapado)
    return texto


def _generar_decodificador(
    clase: type[Any], campos: list[_Campo], referencia: Conversor
) -> Conversor:
    g = _Generador()
    g.nombres.update(_C=clase, _referencia=referencia)
    g.linea(0, "def decodificar(d):")
    g.linea(1, "if type(d) is dict:")
    g.linea(2, "try:")
    g.linea(3, "faltan = 0")
    for i, campo in enumerate(campos):
        v = f"v{i}"
        if campo.requerido:
            g.linea(3, f"{v} = d[{campo.nombre!r}]")
            _leer(g, campo.tipo, v, 3)
        else:
            g.linea(3, f"{v} = d.get({campo.nombre!r}, _FALTA)")
            g.linea(3, f"if {v} is _FALTA:")  # an event stored before the field existed
            g.linea(4, "faltan += 1")
            if campo.fabrica is None:
                g.linea(4, f"{v} = {g.objeto(campo.por_defecto)}")
            else:
                g.linea(4, f"{v} = {g.objeto(campo.fabrica)}()")
            g.linea(3, "else:")
            _leer(g, campo.tipo, v, 4)
    argumentos = ", ".join(f"{c.nombre}=v{i}" for i, c in enumerate(campos))
    g.linea(3, f"if len(d) + faltan == {len(campos)}:")  # else unknown fields
    g.linea(4, f"return _C({argumentos})")
    g.linea(2, "except _DESVIOS:")
    g.linea(3, "pass")
    g.linea(1, "return _referencia(d)")
    decodificar: Conversor = g.funcion("decodificar")
    return decodificar


def _generar_codificador(
    clase: type[Any], campos: list[_Campo], referencia: Conversor
) -> CodificadorTexto:
    g = _Generador()
    g.nombres.update(_C=clase, _referencia=referencia)
    g.linea(0, "def codificar(o):")
    g.linea(1, "if type(o) is _C:")
    g.linea(2, "try:")
    partes = []
    for i, campo in enumerate(campos):
        v = f"v{i}"
        g.linea(3, f"{v} = o.{campo.nombre}")
        _escribir(g, campo.tipo, v, 3)
        separador = "{" if i == 0 else ","
        partes.append(_literal_fstring(f"{separador}{a_json(campo.nombre)}:") + f"{{{v}}}")
    texto = "".join(partes) + _literal_fstring("}") if campos else "{{}}"
    g.linea(3, f"return f'{texto}'")
    g.linea(2, "except _DESVIOS:")
    g.linea(3, "pass")
    g.linea(1, "return _a_json(_referencia(o))")
    codificar: CodificadorTexto = g.funcion("codificar")
    return codificar


# --- registry ----------------------------------------------------------------------------

_CONVERSORES: dict[Any, tuple[Conversor, Conversor]] = {}
_REFERENCIAS: dict[type, tuple[Conversor, Conversor]] = {}
_CODIFICADORES: dict[Any, CodificadorTexto] = {}


def conversores(tipo: Any) -> tuple[Conversor, Conversor]:
    """The (encode to JSON-ready values, decode from parsed JSON) pair for one annotated
    type (an event class among them), built once; unsupported types fail when a codec is
    built, not when an event is first written. A dataclass decodes through its generated
    decoder."""
    pareja = _CONVERSORES.get(tipo)
    if pareja is None:
        pareja = _CONVERSORES[tipo] = _construir(tipo)
    return pareja


def referencia(clase: type[Any]) -> tuple[Conversor, Conversor]:
    """The plain (encode, decode) path of a dataclass, which the generated functions fall
    back to and must always agree with."""
    conversores(clase)
    return _REFERENCIAS[clase]


def codificador_json(clase: type[Any]) -> CodificadorTexto:
    """A function writing an instance of `clase` (a dataclass) as compact JSON text,
    exactly `a_json(conversores(clase)[0](instancia))`, generated once."""
    if not _es_dataclase(clase):
        raise TypeError(f"{clase!r} is not a dataclass")
    return _codificador_de(clase)


def _codificador_de(tipo: Any) -> CodificadorTexto:
    codificar = _CODIFICADORES.get(tipo)
    if codificar is None:
        if _es_dataclase(tipo):
            conversores(tipo)
            codificar = _CODIFICADORES[tipo]
        else:
            codificar_valor = conversores(tipo)[0]
            codificar = _CODIFICADORES[tipo] = lambda valor: a_json(codificar_valor(valor))
    return codificar


def _dataclase(clase: type[Any]) -> tuple[Conversor, Conversor]:
    campos = _campos(clase)
    codificar, decodificar = _REFERENCIAS[clase] = _dataclase_referencia(clase, campos)
    _CODIFICADORES[clase] = _generar_codificador(clase, campos, codificar)
    return codificar, _generar_decodificador(clase, campos, decodificar)


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
    if (interno := _opcional_de(tipo)) is not None:
        return _opcional(*conversores(interno))
    if (elemento := _elemento_de(tipo)) is not None:
        return _tupla(*conversores(elemento))
    if _es_dataclase(tipo):
        return _dataclase(tipo)
    raise TypeError(f"Event fields of type {tipo!r} cannot be serialized")
