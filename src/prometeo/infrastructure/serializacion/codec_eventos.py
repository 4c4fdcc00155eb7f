"""What the event store writes of a domain event: its type name, schema version and JSON,
upcast when read (snapshots have their own codec, in snapshots.py).

Stored events are never rewritten: an event stored under an older schema version of its
class is brought up to date, in memory, by pure dict → dict upcasters, one version at a
time, each time it is read.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable, Mapping
from typing import Any

import msgspec

from prometeo.domain.events import comprobante, factura, inventario, nota_credito, secuencia
from prometeo.domain.events.base import EventoDominio
from prometeo.infrastructure.serializacion.conversores import (
    CodificadorTexto,
    Conversor,
    ErrorSerializacion,
    codificador_json,
    conversores,
)
from prometeo.infrastructure.serializacion.upcasters import UPCASTERS, Upcaster

_MODULOS_DE_EVENTOS = (comprobante, factura, inventario, nota_credito, secuencia)

# The stored JSON is compact, written by a_json: parse it without json.loads' whitespace
# handling; anything else (bytes, surrounding whitespace, errors) goes through json.loads.
_leer_json = json.JSONDecoder().raw_decode


# msgspec builds an event straight from the JSON text, in C, with no parsing or building
# of the dataclasses in Python. It is more lenient than this codec (it ignores unknown
# fields, fills in missing ones with their defaults, takes JSON numbers for Decimals), so
# what it builds is kept only if it writes back to exactly the stored text: a canonical
# text holds exactly the fields, with exactly the values and types, that the strict decoder
# would have read from it. Anything else goes the strict way.
_ENCODER_CANONICO = msgspec.json.Encoder()
_ERRORES_MSGSPEC = (msgspec.DecodeError, msgspec.ValidationError, ValueError, TypeError)


class TipoEventoDesconocido(ErrorSerializacion):
    """A stored event type that no EventoDominio subclass is registered for."""


class UpcasterFaltante(ErrorSerializacion):
    """A stored event older than its class, with no upcaster for one of the steps."""


@functools.cache
def _tipos() -> dict[str, type[EventoDominio]]:
    tipos: dict[str, type[EventoDominio]] = {}
    for modulo in _MODULOS_DE_EVENTOS:
        for valor in vars(modulo).values():
            if (
                isinstance(valor, type)
                and issubclass(valor, EventoDominio)
                and valor.__module__ == modulo.__name__
            ):
                if valor.__name__ in tipos:
                    raise TypeError(f"Two event classes are named {valor.__name__}")
                tipos[valor.__name__] = valor
    return tipos


def tipos_de_evento() -> dict[str, type[EventoDominio]]:
    """Every domain event class, by its type name (the name stored with each event)."""
    return dict(_tipos())


class CodecEventos:
    """Turns domain events into what the event store keeps (type name, schema version,
    JSON) and stored rows back into events of the current shape. Rows written under an
    older schema version go through the registered upcasters, one version at a time;
    the stored data itself is never changed."""

    def __init__(
        self,
        tipos: Mapping[str, type[EventoDominio]] | None = None,
        upcasters: Mapping[tuple[str, int], Upcaster] | None = None,
    ) -> None:
        tipos = tipos_de_evento() if tipos is None else tipos
        self._por_tipo: dict[str, tuple[int, Conversor]] = {}
        self._msgspec: dict[str, Callable[[str], Any]] = {}
        self._por_clase: dict[type[EventoDominio], tuple[str, int, CodificadorTexto]] = {}
        for tipo, clase in tipos.items():
            if tipo != clase.__name__:
                raise ValueError(f"Event type {tipo!r} must be its class's name")
            self._por_tipo[tipo] = (clase.VERSION_ESQUEMA, conversores(clase)[1])
            self._msgspec[tipo] = msgspec.json.Decoder(clase).decode
            self._por_clase[clase] = (tipo, clase.VERSION_ESQUEMA, codificador_json(clase))
        self._upcasters: dict[tuple[str, int], Upcaster] = {}
        # The registered upcasters apply to the types this codec knows (a codec built for
        # a few types takes theirs); upcasters given explicitly must all apply.
        for (tipo, desde_version), funcion in (
            UPCASTERS if upcasters is None else upcasters
        ).items():
            if upcasters is None and tipo not in self._por_tipo:
                continue
            self.registrar_upcaster(tipo, desde_version, funcion)

    @property
    def tipos(self) -> frozenset[str]:
        return frozenset(self._por_tipo)

    def registrar_upcaster(self, tipo: str, desde_version: int, funcion: Upcaster) -> None:
        """`funcion` turns the data of `tipo` at `desde_version` into its next version's
        shape. It must be pure: take a dict, return a dict."""
        if tipo not in self._por_tipo:
            raise TipoEventoDesconocido(f"Cannot upcast unknown event type {tipo!r}")
        actual = self._por_tipo[tipo][0]
        if not 1 <= desde_version < actual:
            raise ValueError(
                f"{tipo} is at schema v{actual}: upcasters go from v1..v{actual - 1}, "
                f"not from v{desde_version}"
            )
        if (tipo, desde_version) in self._upcasters:
            raise ValueError(f"{tipo} already has an upcaster from v{desde_version}")
        self._upcasters[tipo, desde_version] = funcion

    def codificar(self, evento: EventoDominio) -> tuple[str, int, str]:
        """(event type name, schema version, compact JSON) of one event."""
        registro = self._por_clase.get(type(evento))
        if registro is None:
            raise TipoEventoDesconocido(f"{type(evento).__qualname__} is not a registered event")
        tipo, version, codificar = registro
        return tipo, version, codificar(evento)

    def decodificar(
        self, tipo: str, version: int, datos: str | bytes | dict[str, Any]
    ) -> EventoDominio:
        """The event a stored row holds, in the current shape of its class."""
        registro = self._por_tipo.get(tipo)
        if registro is None:
            raise TipoEventoDesconocido(
                f"Unknown event type {tipo!r}: no registered EventoDominio class has that name"
            )
        actual, decodificar = registro
        if type(datos) is str and version == actual:  # the common case, first
            try:
                construido = self._msgspec[tipo](datos)
                canonico = _ENCODER_CANONICO.encode(construido) == datos.encode()
            except _ERRORES_MSGSPEC:  # UnicodeEncodeError (a lone surrogate) is a ValueError
                canonico = False
            if canonico:
                evento_canonico: EventoDominio = construido
                return evento_canonico
            try:
                objeto, fin = _leer_json(datos)
            except ValueError:
                pass
            else:
                if fin == len(datos):
                    rapido: EventoDominio = decodificar(objeto)
                    return rapido
        if isinstance(datos, str | bytes):
            try:
                datos = json.loads(datos)
            except ValueError as error:
                raise ErrorSerializacion(f"{tipo} v{version}: invalid JSON ({error})") from None
        elif version != actual:
            datos = copy.deepcopy(datos)  # upcasters must never touch what the store returned
        if version != actual:
            datos = self._subir(tipo, version, actual, datos)
        evento: EventoDominio = decodificar(datos)
        return evento

    def _subir(self, tipo: str, version: int, actual: int, datos: Any) -> Any:
        if version > actual:
            raise ErrorSerializacion(
                f"{tipo} stored at schema v{version}, newer than this code's v{actual}"
            )
        for desde in range(version, actual):
            upcaster = self._upcasters.get((tipo, desde))
            if upcaster is None:
                raise UpcasterFaltante(
                    f"{tipo} stored at schema v{version} needs an upcaster from v{desde} to "
                    f"v{desde + 1} (current v{actual})"
                )
            datos = upcaster(datos)
            if type(datos) is not dict:
                raise ErrorSerializacion(f"The upcaster of {tipo} v{desde} did not return a dict")
        return datos
