"""Aggregate state ⇄ JSON for snapshots.

An aggregate's state is not annotated field by field, so values JSON has no type for are
tagged, the tag always first in its object:

    {"$d": "1.00"}                       Decimal, exact digits and exponent
    {"$f": "2026-01-02"}                 date
    {"$dt": "2026-01-02T10:00:00+00:00"} datetime
    {"$t": [...]}                        tuple
    {"$e": ["module.Enum", value]}       enum member
    {"$c": "module.Class", field: ...}   dataclass
    {"$m": [[key, value], ...]}          dict whose keys are not all plain text

Lists, str, int, bool, float, None and dicts with str keys are plain JSON. Only classes
defined in modules under `prometeo.domain` are written or read: a snapshot can never make
the reader import or build anything else.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, TypeVar

from prometeo.domain.aggregates.base import Agregado
from prometeo.infrastructure.serializacion.conversores import ErrorSerializacion, a_json

A = TypeVar("A", bound=Agregado)

_PAQUETE_PERMITIDO = "prometeo.domain"


class ClaseNoPermitida(ErrorSerializacion):
    """A snapshot names a class that is not a domain dataclass or enum."""


def _permitido(modulo: str) -> bool:
    return modulo == _PAQUETE_PERMITIDO or modulo.startswith(_PAQUETE_PERMITIDO + ".")


class CodecSnapshots:
    """Writes an aggregate's state as JSON and restores a blank aggregate to exactly that
    state (same values, same types, same version), without replaying its events."""

    def __init__(self) -> None:
        self._nombres: dict[type, str] = {}
        self._campos: dict[type, tuple[str, ...]] = {}
        self._dataclases: dict[str, tuple[type, frozenset[str]]] = {}
        self._enums: dict[str, type[Enum]] = {}
        # Built once: json.loads with an object_hook builds a new decoder on every call.
        self._leer_json = json.JSONDecoder(object_hook=self._objeto).decode

    def codificar(self, agregado: Agregado) -> tuple[int, str]:
        """(the aggregate class's snapshot schema version, JSON of its state)."""
        return type(agregado).VERSION_SNAPSHOT, a_json(self._valor(agregado._estado()))

    def decodificar(self, clase: type[A], datos: str | bytes) -> A:
        """A blank `clase(id)` given exactly the stored state. A state whose attributes
        differ from the class's is refused: its VERSION_SNAPSHOT should have changed."""
        try:
            if not isinstance(datos, str):  # bytes, decoded as json.loads would
                datos = datos.decode(json.detect_encoding(datos), "surrogatepass")
            estado = self._leer_json(datos)
        except ErrorSerializacion:
            raise
        except (ValueError, TypeError, KeyError, IndexError, InvalidOperation) as error:
            raise ErrorSerializacion(f"Unreadable snapshot of {clase.__name__}: {error}") from None
        if type(estado) is not dict or type(estado.get("id")) is not str:
            raise ErrorSerializacion(f"A snapshot of {clase.__name__} must hold its id")
        agregado = clase(estado["id"])
        esperados = agregado._estado().keys()
        if estado.keys() != esperados:
            raise ErrorSerializacion(
                f"The snapshot of {clase.__name__} has attributes {sorted(estado)}, the class "
                f"{sorted(esperados)}: its VERSION_SNAPSHOT must change with its state"
            )
        vars(agregado).update(estado)
        return agregado

    # --- writing -------------------------------------------------------------------------

    def _valor(self, valor: Any) -> Any:
        tipo = type(valor)
        if tipo is str or tipo is int or tipo is bool or tipo is float or valor is None:
            return valor
        if tipo is Decimal:
            return {"$d": str(valor)}
        if tipo is date:
            return {"$f": valor.isoformat()}
        if tipo is datetime:
            return {"$dt": valor.isoformat()}
        if tipo is list:
            return [self._valor(elemento) for elemento in valor]
        if tipo is tuple:
            return {"$t": [self._valor(elemento) for elemento in valor]}
        if tipo is dict:
            if all(type(clave) is str and clave[:1] != "$" for clave in valor):
                return {clave: self._valor(v) for clave, v in valor.items()}
            return {"$m": [[self._valor(clave), self._valor(v)] for clave, v in valor.items()]}
        if isinstance(valor, Enum):
            return {"$e": [self._nombre(tipo), self._valor(valor.value)]}
        if dataclasses.is_dataclass(valor):
            objeto = {"$c": self._nombre(tipo)}
            for campo in self._campos_de(tipo):
                objeto[campo] = self._valor(getattr(valor, campo))
            return objeto
        raise ErrorSerializacion(f"A snapshot cannot hold a {tipo.__qualname__}: {valor!r}")

    def _nombre(self, clase: type) -> str:
        nombre = self._nombres.get(clase)
        if nombre is None:
            if not _permitido(clase.__module__) or "." in clase.__qualname__:
                raise ClaseNoPermitida(
                    f"{clase.__module__}.{clase.__qualname__}: snapshots hold only classes "
                    f"defined at the top level of modules under {_PAQUETE_PERMITIDO}"
                )
            nombre = self._nombres[clase] = f"{clase.__module__}.{clase.__qualname__}"
        return nombre

    def _campos_de(self, clase: type) -> tuple[str, ...]:
        campos = self._campos.get(clase)
        if campos is None:
            campos = self._campos[clase] = tuple(f.name for f in dataclasses.fields(clase))
        return campos

    # --- reading -------------------------------------------------------------------------

    def _objeto(self, objeto: dict[str, Any]) -> Any:
        # json calls this for every object, innermost first: tagged values inside have
        # already been rebuilt. The writer puts the tag first and escapes "$" keys.
        etiqueta = next(iter(objeto), "")
        if etiqueta[:1] != "$":
            return objeto
        if etiqueta == "$c":
            return self._dataclase(objeto)
        if len(objeto) != 1:
            raise ErrorSerializacion(f"Malformed tagged value {objeto!r}")
        valor = objeto[etiqueta]
        if etiqueta == "$d":
            return Decimal(valor)
        if etiqueta == "$f":
            return date.fromisoformat(valor)
        if etiqueta == "$t":
            return tuple(valor)
        if etiqueta == "$e":
            nombre, dato = valor
            return self._enum(nombre)(dato)
        if etiqueta == "$m":
            return dict(valor)
        if etiqueta == "$dt":
            return datetime.fromisoformat(valor)
        raise ErrorSerializacion(f"Unknown snapshot tag {etiqueta!r}")

    def _dataclase(self, objeto: dict[str, Any]) -> Any:
        nombre = objeto["$c"]
        registro = self._dataclases.get(nombre)
        if registro is None:
            clase = self._clase(nombre)
            if not dataclasses.is_dataclass(clase):
                raise ClaseNoPermitida(f"{nombre} is not a dataclass")
            registro = self._dataclases[nombre] = (clase, frozenset(self._campos_de(clase)))
        clase, campos = registro
        if len(objeto) != len(campos) + 1 or not campos.issubset(objeto.keys()):
            raise ErrorSerializacion(f"The stored {nombre} does not have the class's fields")
        # Rebuilt as stored, without __init__/__post_init__: the value was valid when taken,
        # and re-validating could reshape it.
        instancia: Any = object.__new__(clase)
        for campo in campos:
            object.__setattr__(instancia, campo, objeto[campo])
        return instancia

    def _enum(self, nombre: str) -> type[Enum]:
        enum = self._enums.get(nombre)
        if enum is None:
            clase = self._clase(nombre)
            if not issubclass(clase, Enum):
                raise ClaseNoPermitida(f"{nombre} is not an enum")
            enum = self._enums[nombre] = clase
        return enum

    def _clase(self, nombre: Any) -> type:
        modulo, _, qualname = nombre.rpartition(".") if type(nombre) is str else ("", "", "")
        if not _permitido(modulo):
            raise ClaseNoPermitida(
                f"Snapshot names {nombre!r}, outside {_PAQUETE_PERMITIDO}: refused"
            )
        try:
            clase = getattr(importlib.import_module(modulo), qualname)
        except (ImportError, AttributeError, ValueError):
            raise ClaseNoPermitida(f"Snapshot names {nombre!r}, which does not exist") from None
        if (
            not isinstance(clase, type)
            or clase.__module__ != modulo
            or clase.__qualname__ != qualname
        ):
            raise ClaseNoPermitida(f"Snapshot names {nombre!r}, not a class defined there")
        return clase
