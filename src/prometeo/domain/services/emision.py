"""Emitting and annulling a factura: the rules across Factura, SecuenciaComprobantes and the
Inventario of each product, checked together and recorded together."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from prometeo.domain.aggregates.factura import EstadoFactura, Factura
from prometeo.domain.aggregates.inventario import Inventario
from prometeo.domain.aggregates.secuencia import SecuenciaComprobantes
from prometeo.domain.entities.producto import Producto
from prometeo.domain.errores import OperacionNoPermitida
from prometeo.domain.events.comprobante import DatosEmisor, DatosEstablecimiento
from prometeo.domain.events.factura import FacturaEmitida
from prometeo.domain.events.inventario import ConsumoLote
from prometeo.domain.reloj import Reloj
from prometeo.domain.specifications.anulacion import (
    DIA_LIMITE_ANULACION,
    ContextoAnulacion,
    reglas_anulacion,
)
from prometeo.domain.specifications.catalogo_activo import CatalogoInactivo
from prometeo.domain.specifications.factura import (
    LIMITE_CONSUMIDOR_FINAL,
    ContextoEmisionFactura,
    reglas_emision_factura,
)
from prometeo.domain.value_objects.dinero import Cantidad
from prometeo.domain.value_objects.motivo import MotivoModificacion

_SIN_MINIMOS: Mapping[str, Decimal] = {}


def existencias(
    inventarios: Mapping[str, Inventario], fecha: date
) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """(sellable, expired) units of each product on the date its goods leave: the stock
    StockSuficienteParaFactura judges is exactly what Inventario.reducir may take."""
    return (
        {producto: inventario.vendible_en(fecha) for producto, inventario in inventarios.items()},
        {producto: inventario.vencido_en(fecha) for producto, inventario in inventarios.items()},
    )


def emitir_factura(
    factura: Factura,
    punto: SecuenciaComprobantes,
    inventarios: Mapping[str, Inventario],
    *,
    establecimiento: str,
    codigo_punto: str,
    emisor: DatosEmisor,
    reloj: Reloj,
    direccion_establecimiento: str | None = None,
    secuencial_inicial: int = 1,
    stock_minimo: Mapping[str, Decimal] = _SIN_MINIMOS,
    limite_consumidor_final: Decimal = LIMITE_CONSUMIDOR_FINAL,
    codigo_bodega: str | None = None,
    borrador_guardado: bool = False,
    inactivo: CatalogoInactivo | None = None,
    productos: Mapping[str, Producto] | None = None,
) -> FacturaEmitida:
    """Check every emission rule at once; then assign the next number, take each line's
    goods from stock (FIFO) and record FacturaEmitida with the cost of each line.

    `inventarios` maps producto_id to its Inventario in the factura's bodega. The emisor
    and the establecimiento (codes and address) are copied into the FacturaEmitida; the
    bodega's code names it in a rule's message; `inactivo` says what of its catalog has
    been deactivated (a draft parked before it was), which stops the sale; `productos`,
    its products as the catalog has them now, whose tarifa on the emission date each
    line must carry.

    A `borrador_guardado` (a draft stored earlier, emitted now) whose date has passed is
    emitted with today's: the SRI dates a comprobante the day it is issued
    (FechaEmisionValida), and a parked draft may wait overnight. A factura created and
    emitted at once keeps the date it was given, and its rules judge that date."""
    hoy = reloj.hoy()
    fecha = hoy if borrador_guardado and factura.fecha_emision < hoy else factura.fecha_emision
    vendibles, vencidas = existencias(inventarios, fecha)
    contexto = ContextoEmisionFactura(
        factura,
        hoy,
        vendibles,
        limite_consumidor_final,
        codigo_bodega,
        fecha=fecha,
        inactivo=inactivo or CatalogoInactivo(),
        productos=productos or {},
        vencidas=vencidas,
    )
    reglas_emision_factura().exigir(contexto)
    numero = punto.asignar_secuencial(establecimiento, codigo_punto, factura.id, secuencial_inicial)
    consumos: dict[int, tuple[ConsumoLote, ...]] = {}
    for linea in factura.lineas:
        consumos[linea.numero_linea] = inventarios[linea.producto_id].reducir(
            Cantidad(linea.cantidad),
            fecha,
            documento=f"FACTURA {numero}",
            documento_id=factura.id,
            stock_minimo=stock_minimo.get(linea.producto_id, Decimal(0)),
        )
    return factura.emitir(
        numero,
        consumos,
        contexto.totales,
        emisor=emisor,
        establecimiento=DatosEstablecimiento(
            establecimiento, direccion_establecimiento, codigo_punto
        ),
        fecha_emision=fecha,
    )


def anular_factura(
    factura: Factura,
    inventarios: Mapping[str, Inventario],
    motivo: MotivoModificacion,
    reloj: Reloj,
    *,
    dia_limite: int = DIA_LIMITE_ANULACION,
) -> None:
    """Annul an emitted factura and put back the exact quantities into the exact lots they
    were taken from, at their cost. Its number stays used. Only within the SRI's window
    (until day `dia_limite` of the following month), never to consumidor final, never
    once a nota de crédito touched it: every broken rule is reported at once."""
    fecha = reloj.hoy()
    if factura.estado is EstadoFactura.EMITIDA:
        errores = reglas_anulacion().incumplidas(ContextoAnulacion(factura, fecha, dia_limite))
        if errores:
            raise OperacionNoPermitida.varias(errores)
    factura.anular(motivo, fecha)
    for linea in factura.lineas:
        inventarios[linea.producto_id].revertir(
            linea.consumos,
            fecha,
            documento=f"ANULACION FACTURA {factura.numero}",
            documento_id=factura.id,
        )
