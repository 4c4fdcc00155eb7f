"""A change of a catalog entry, as its history keeps it: which fields went from what to
what, who made it and when. The catalog is state, not events; this record is what makes
each of its changes attributable and its past (a product's prices) readable."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from decimal import Decimal

from prometeo.domain.value_objects.dinero import Precio
from prometeo.domain.value_objects.direccion import Direccion
from prometeo.domain.value_objects.identificacion import Identificacion

# A field's value as the history shows it: text, yes/no, a list of texts, a small mapping
# (a programmed tarifa) or nothing. Never a float: amounts are decimal text.
ValorPublico = str | bool | list[str] | dict[str, str] | None

ENTIDADES = ("producto", "cliente", "sucursal", "punto_emision", "bodega")


@dataclass(frozen=True, slots=True)
class CampoCambiado:
    campo: str
    antes: ValorPublico
    despues: ValorPublico


@dataclass(frozen=True, slots=True)
class CambioCatalogo:
    """One change (or the creation: every field `antes` None) of one catalog entry.
    `numero` is its place in the catalog's history, given when it is stored: changes are
    numbered in the order they were committed."""

    entidad: str
    entidad_id: str
    campos: tuple[CampoCambiado, ...]
    usuario: str
    ocurrido_en: datetime
    token_id: str | None = None
    numero: int | None = None

    def campo(self, nombre: str) -> CampoCambiado | None:
        return next((c for c in self.campos if c.campo == nombre), None)


def solo_campo(cambios: list[CambioCatalogo], campo: str | None) -> list[CambioCatalogo]:
    """The changes that changed `campo`, each showing only it (a product's prices); all
    of them, whole, without `campo`."""
    if campo is None:
        return cambios
    return [
        replace(cambio, campos=(cambiado,))
        for cambio in cambios
        if (cambiado := cambio.campo(campo)) is not None
    ]


def campos_cambiados(antes: object | None, despues: object) -> tuple[CampoCambiado, ...]:
    """The fields of a frozen catalog entity that differ between two versions of it (all
    of them when there is no `antes`: a creation), the id left out."""
    cambiados = []
    for campo in fields(despues):  # type: ignore[arg-type]
        if campo.name == "id":
            continue
        nuevo = publico(getattr(despues, campo.name))
        viejo = None if antes is None else publico(getattr(antes, campo.name))
        if antes is None or viejo != nuevo:
            cambiados.append(CampoCambiado(campo.name, viejo, nuevo))
    return tuple(cambiados)


def publico(valor: object) -> ValorPublico:
    """A field's value as the history shows it."""
    if valor is None or isinstance(valor, (str, bool)):
        return valor
    if isinstance(valor, Precio):
        return str(valor.valor)
    if isinstance(valor, Decimal):
        return str(valor)
    if isinstance(valor, date):
        return valor.isoformat()
    if isinstance(valor, Direccion):
        return valor.texto
    if isinstance(valor, Identificacion):
        return valor.numero
    if isinstance(valor, Mapping):
        return {str(k): str(v) for k, v in valor.items()}
    if isinstance(valor, tuple):
        if len(valor) == 2 and isinstance(valor[0], date):  # a programmed tarifa
            return {"vigente_desde": valor[0].isoformat(), "tarifa_iva": str(valor[1])}
        return [
            f"{p[0]}={p[1]}" if isinstance(p, tuple) else str(publico(p))  # secuenciales
            for p in valor
        ]
    return str(valor)
