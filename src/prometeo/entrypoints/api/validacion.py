"""Request validation errors in Spanish, each naming the field it is about."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

_UBICACIONES = {"body": "El campo", "query": "El parámetro", "path": "El segmento de ruta"}


def _ctx(detalle: Mapping[str, Any], clave: str) -> Any:
    return (detalle.get("ctx") or {}).get(clave)


def _opciones(detalle: Mapping[str, Any]) -> str:
    """pydantic's "'A', 'B' or 'C'" as Spanish lists it: "'A', 'B' o 'C'"."""
    esperado = str(_ctx(detalle, "expected"))
    antes, separador, ultima = esperado.rpartition(" or ")
    return f"{antes} o {ultima}" if separador else esperado


_DESCRIPCIONES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "missing": lambda _: "es obligatorio",
    "parametro_repetido": lambda _: "aparece más de una vez",
    "parametro_desconocido": lambda _: "no es un parámetro admitido",
    "rango_invertido": lambda _: "no puede ser posterior a `hasta`",
    "extra_forbidden": lambda _: "no es un campo admitido",
    "string_type": lambda _: "debe ser un texto",
    "bool_type": lambda _: "debe ser true o false",
    "int_type": lambda _: "debe ser un número entero",
    "int_parsing": lambda _: "debe ser un número entero",
    "int_from_float": lambda _: "debe ser un número entero, sin decimales",
    "list_type": lambda _: "debe ser una lista",
    "dict_type": lambda _: "debe ser un objeto JSON",
    "model_type": lambda _: "debe ser un objeto JSON",
    "model_attributes_type": lambda _: "debe ser un objeto JSON",
    "date_type": lambda _: "debe ser una fecha AAAA-MM-DD",
    "date_parsing": lambda _: "debe ser una fecha AAAA-MM-DD",
    "literal_error": lambda d: f"debe ser uno de: {_opciones(d)}",
    "enum": lambda d: f"debe ser uno de: {_opciones(d)}",
    "greater_than": lambda d: f"debe ser mayor que {_ctx(d, 'gt')}",
    "greater_than_equal": lambda d: f"debe ser mayor o igual que {_ctx(d, 'ge')}",
    "less_than": lambda d: f"debe ser menor que {_ctx(d, 'lt')}",
    "less_than_equal": lambda d: f"debe ser menor o igual que {_ctx(d, 'le')}",
    "string_too_short": lambda d: f"debe tener al menos {_ctx(d, 'min_length')} caracteres",
    "string_too_long": lambda d: f"debe tener como máximo {_ctx(d, 'max_length')} caracteres",
    "too_short": lambda d: f"debe tener al menos {_ctx(d, 'min_length')} elementos",
    "too_long": lambda d: f"debe tener como máximo {_ctx(d, 'max_length')} elementos",
    "string_pattern_mismatch": lambda _: "no tiene el formato esperado",
    "value_error": lambda d: str(_ctx(d, "error") or "no es válido"),
    "assertion_error": lambda d: str(_ctx(d, "error") or "no es válido"),
}


def nombre_del_campo(ubicacion: tuple[Any, ...]) -> tuple[str, str]:
    """("body", "lineas", 0, "cantidad") → ("El campo", "lineas[0].cantidad")."""
    if not ubicacion:
        return "El cuerpo", ""
    origen, *resto = ubicacion
    sujeto = _UBICACIONES.get(str(origen), "El dato")
    nombre = ""
    for parte in resto:
        if isinstance(parte, int):
            nombre += f"[{parte}]"
        else:
            nombre += f".{parte}" if nombre else str(parte)
    return sujeto, nombre


def que_se_espera(detalle: Mapping[str, Any]) -> str:
    """What a pydantic validation error says of its value, in Spanish ("debe ser un número
    entero"), without naming the field."""
    descripcion = _DESCRIPCIONES.get(str(detalle.get("type")))
    return descripcion(detalle) if descripcion else f"no es válido ({detalle.get('type')})"


def describir_error(detalle: Mapping[str, Any]) -> str:
    """A validation error of pydantic as one Spanish sentence that names the field."""
    sujeto, nombre = nombre_del_campo(tuple(detalle.get("loc", ())))
    texto = que_se_espera(detalle)
    if not nombre:
        return f"{'El cuerpo de la solicitud' if sujeto == 'El campo' else sujeto} {texto}"
    return f"{sujeto} «{nombre}» {texto}"
