"""Path and query parameters shared by the routes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any

from fastapi import Path, Query, Request
from fastapi.exceptions import RequestValidationError

from prometeo.entrypoints.api import datos_demo as demo
from prometeo.entrypoints.api.datos_demo import de_la_demo

# One line of printable text: an id never holds control characters (nor NUL, which no
# database column takes).
_PATRON_ID = r"^[^\x00-\x1f\x7f]+$"

IdRuta = Annotated[
    str,
    Path(min_length=1, max_length=100, pattern=_PATRON_ID, description="Id (UUID) del recurso."),
]


def id_ruta(descripcion: str, ejemplo: str) -> Any:
    """An id in the path, documented with an example from the demo data (datos_demo.py)."""
    return Path(
        min_length=1,
        max_length=100,
        pattern=_PATRON_ID,
        description=descripcion,
        openapi_examples=de_la_demo(ejemplo),
    )


def id_consulta(descripcion: str, ejemplo: str | None = None) -> Any:
    return Query(
        min_length=1,
        max_length=100,
        pattern=_PATRON_ID,
        description=descripcion,
        openapi_examples=None if ejemplo is None else de_la_demo(ejemplo),
    )


SucursalRuta = Annotated[str, id_ruta("La sucursal.", demo.SUCURSAL)]
PuntoEmisionRuta = Annotated[str, id_ruta("El punto de emisión.", demo.PUNTO_EMISION)]
BodegaRuta = Annotated[str, id_ruta("La bodega.", demo.BODEGA)]
ProductoRuta = Annotated[str, id_ruta("El producto.", demo.PRODUCTO)]
ClienteRuta = Annotated[str, id_ruta("El cliente.", demo.CLIENTE)]
FacturaRuta = Annotated[str, id_ruta("La factura.", demo.FACTURA)]
FacturaAnulableRuta = Annotated[str, id_ruta("La factura.", demo.FACTURA_ANULABLE)]
BorradorRuta = Annotated[str, id_ruta("La factura en BORRADOR.", demo.BORRADOR)]
BorradorAEmitirRuta = Annotated[str, id_ruta("La factura en BORRADOR.", demo.BORRADOR_A_EMITIR)]

ProductoFiltro = Annotated[str | None, id_consulta("Solo este producto.")]
BodegaFiltro = Annotated[str | None, id_consulta("Solo esta bodega.")]
ProductoRequerido = Annotated[str, id_consulta("El producto.", demo.PRODUCTO)]
BodegaRequerida = Annotated[str, id_consulta("La bodega.", demo.BODEGA)]


# Every list is paginated the same way (the read ports cap a page at 1000 items too).
Limite = Annotated[
    int,
    Query(ge=1, le=1000, description="Cuántos elementos a lo más (de 1 a 1000)."),
]
Desplazamiento = Annotated[
    int,
    Query(
        ge=0,
        le=1_000_000_000,
        description="Cuántos elementos saltar desde el primero: la página siguiente empieza "
        "en `desplazamiento + limite`.",
    ),
]
PAGINADA = (
    " Paginada: `limite` elementos (100 si no se indica, hasta 1000) desde el "
    "`desplazamiento`; una página con menos de `limite` elementos es la última."
)


def _admitidos(ruta: object) -> frozenset[str]:
    """The query parameters the matched route declares (its own and its dependencies')."""
    dependant = getattr(ruta, "dependant", None)
    nombres: set[str] = set()
    pendientes = [] if dependant is None else [dependant]
    while pendientes:
        actual = pendientes.pop()
        nombres.update(p.alias for p in actual.query_params)
        pendientes.extend(actual.dependencies)
    return frozenset(nombres)


async def parametros_de_consulta_validos(request: Request) -> None:
    """Query parameters are taken as declared: an unknown one (a typo such as `?producto=`
    would otherwise list everything) or one given twice (taking either value would answer
    a question nobody asked) is refused. A coroutine, so that FastAPI does not hand it to
    the thread pool on every request.

    Only the routes of the contract (those in the OpenAPI document) are held to it: the
    screens (and /docs) read the parameters they know and ignore the rest, as a page
    opened in a browser should."""
    if not request.scope.get("query_string"):
        return
    ruta = request.scope.get("route")
    if not getattr(ruta, "include_in_schema", True):
        return
    admitidos = _admitidos(ruta)
    errores = [
        {"type": "parametro_desconocido", "loc": ("query", clave), "msg": "", "input": None}
        for clave in sorted(set(request.query_params) - admitidos)
    ] + [
        {"type": "parametro_repetido", "loc": ("query", clave), "msg": "", "input": None}
        for clave in sorted(set(request.query_params) & admitidos)
        if len(request.query_params.getlist(clave)) > 1
    ]
    errores += _rango_invertido(request.query_params)
    if errores:
        raise RequestValidationError(errores)


def _rango_invertido(parametros: Mapping[str, str]) -> list[dict[str, Any]]:
    """`desde` after `hasta` asks for an empty range: say so instead of answering nothing
    (a malformed date is reported by the route's own validation)."""
    try:
        desde = date.fromisoformat(parametros["desde"])
        hasta = date.fromisoformat(parametros["hasta"])
    except (KeyError, ValueError):
        return []
    if desde <= hasta:
        return []
    return [{"type": "rango_invertido", "loc": ("query", "desde"), "msg": "", "input": None}]
