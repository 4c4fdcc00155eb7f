"""Loading what a use case needs around an aggregate: the numbering of a punto de
emisión with its printed codes, the inventories of a document's products, and the check
that a caller-chosen id is still free."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from prometeo.application.unidad_de_trabajo import UnidadDeTrabajo
from prometeo.domain.aggregates.inventario import Inventario
from prometeo.domain.aggregates.secuencia import SecuenciaComprobantes
from prometeo.domain.errores import Duplicado, NoEncontrado
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante


@dataclass(frozen=True, slots=True)
class Numeracion:
    """Where a document gets its number: the sequence of a punto de emisión for one
    document type, and the codes printed in the number (establecimiento, punto)."""

    secuencia: SecuenciaComprobantes
    establecimiento: str
    codigo_punto: str


def numeracion(uow: UnidadDeTrabajo, punto_emision_id: str, tipo: TipoComprobante) -> Numeracion:
    punto = uow.catalogo.punto_emision(punto_emision_id)
    sucursal = uow.catalogo.sucursal(punto.sucursal_id)
    return Numeracion(uow.secuencias.obtener(punto.id, tipo), sucursal.codigo, punto.codigo)


def inventarios(
    uow: UnidadDeTrabajo, productos: Iterable[str], bodega_id: str
) -> dict[str, Inventario]:
    """The inventario of each product in the bodega (one per product, in a fixed order)."""
    return {p: uow.inventarios.obtener(p, bodega_id) for p in sorted(set(productos))}


def stock_minimo(uow: UnidadDeTrabajo, productos: Iterable[str]) -> dict[str, Decimal]:
    return {p: uow.catalogo.producto(p).stock_minimo for p in sorted(set(productos))}


def exigir_id_libre(obtener: Callable[[str], object], id: str, regla: str, que: str) -> None:
    """A caller-chosen id must not name an existing document."""
    try:
        obtener(id)
    except NoEncontrado:
        return
    raise Duplicado(regla, f"Ya existe {que} con id {id}")
