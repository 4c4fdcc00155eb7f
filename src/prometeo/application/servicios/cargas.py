"""Loading what a use case needs around an aggregate: the numbering of a punto de
emisión with its printed codes, the inventories of a document's products, and the check
that a caller-chosen id is still free."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from prometeo.application.unidad_de_trabajo import UnidadDeTrabajo
from prometeo.domain.aggregates.factura import Factura
from prometeo.domain.aggregates.inventario import Inventario
from prometeo.domain.aggregates.secuencia import SecuenciaComprobantes
from prometeo.domain.entities.producto import Producto
from prometeo.domain.errores import Duplicado, NoEncontrado, OperacionNoPermitida
from prometeo.domain.events.comprobante import DatosEmisor
from prometeo.domain.specifications.catalogo_activo import CatalogoInactivo
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante


@dataclass(frozen=True, slots=True)
class Numeracion:
    """Where a document gets its number: the sequence of a punto de emisión for one
    document type, and the codes printed in the number (establecimiento, punto)."""

    secuencia: SecuenciaComprobantes
    establecimiento: str
    codigo_punto: str
    direccion_establecimiento: str
    secuencial_inicial: int
    emisor: DatosEmisor


def numeracion(uow: UnidadDeTrabajo, punto_emision_id: str, tipo: TipoComprobante) -> Numeracion:
    """Also what a document copies of who issues it: the emisor (which must be
    registered) and the sucursal's address."""
    punto = uow.catalogo.punto_emision(punto_emision_id)
    sucursal = uow.catalogo.sucursal(punto.sucursal_id)
    emisor = uow.catalogo.emisor()
    if emisor is None:
        raise OperacionNoPermitida(
            "EmisorRegistrado",
            "Registre los datos del emisor (PUT /api/v1/emisor) antes de emitir comprobantes",
        )
    return Numeracion(
        uow.secuencias.obtener(punto.id, tipo),
        sucursal.codigo,
        punto.codigo,
        sucursal.direccion.texto,
        punto.secuencial_inicial(tipo),
        emisor.datos(),
    )


def inventarios(
    uow: UnidadDeTrabajo, productos: Iterable[str], bodega_id: str
) -> dict[str, Inventario]:
    """The inventario of each product in the bodega (one per product, in a fixed order)."""
    return {p: uow.inventarios.obtener(p, bodega_id) for p in sorted(set(productos))}


def inactivo(
    uow: UnidadDeTrabajo, factura: Factura, productos: Mapping[str, Producto]
) -> CatalogoInactivo:
    """What of a factura's catalog (its `productos`, as `productos_de` reads them, its
    punto, bodega and their sucursal) has been deactivated."""
    punto = uow.catalogo.punto_emision(factura.punto_emision_id)
    return CatalogoInactivo.de_venta(
        productos.values(),
        punto,
        uow.catalogo.bodega(factura.bodega_id),
        uow.catalogo.sucursal(punto.sucursal_id),
    )


def productos_de(uow: UnidadDeTrabajo, factura: Factura) -> dict[str, Producto]:
    """The factura's products as the catalog has them now (read once per emission: the
    activity rule, the tarifas and the minimums all take them from here)."""
    return {p: uow.catalogo.producto(p) for p in sorted({ln.producto_id for ln in factura.lineas})}


def exigir_id_libre(obtener: Callable[[str], object], id: str, regla: str, que: str) -> None:
    """A caller-chosen id must not name an existing document."""
    try:
        obtener(id)
    except NoEncontrado:
        return
    raise Duplicado(regla, f"Ya existe {que} con id {id}")
