"""Issuing a nota de crédito: checked against its factura and all earlier notas, numbered,
credited on the factura's own stream and, with devolución, returned to stock."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from prometeo.domain.aggregates.factura import Factura
from prometeo.domain.aggregates.inventario import Inventario
from prometeo.domain.aggregates.nota_credito import NotaCredito
from prometeo.domain.aggregates.secuencia import SecuenciaComprobantes
from prometeo.domain.events.comprobante import DatosEmisor, DatosEstablecimiento
from prometeo.domain.events.factura import LineaCredito
from prometeo.domain.reloj import Reloj
from prometeo.domain.services.acreditacion import SolicitudLineaCredito
from prometeo.domain.specifications.nota_credito import (
    PLAZO_NOTA_CREDITO_DIAS,
    ContextoNotaCredito,
    reglas_nota_credito,
)
from prometeo.domain.value_objects.dinero import Cantidad, Precio
from prometeo.domain.value_objects.motivo import MotivoModificacion


def revisar_nota_credito(
    factura: Factura,
    inventarios: Mapping[str, Inventario],
    *,
    solicitudes: Sequence[SolicitudLineaCredito],
    devolucion_inventario: bool,
    reloj: Reloj,
    fecha_emision: date | None = None,
    plazo_dias: int = PLAZO_NOTA_CREDITO_DIAS,
) -> ContextoNotaCredito:
    """Check every rule of a nota de crédito at once (ReglasIncumplidas) and record
    nothing: the context's `acreditacion` holds the lines the nota would credit. Neither
    the factura nor the inventarios change, so it also answers a dry run."""
    hoy = reloj.hoy()
    contexto = ContextoNotaCredito(
        factura=factura,
        solicitudes=solicitudes,
        devolucion_inventario=devolucion_inventario,
        fecha_emision=fecha_emision or hoy,
        hoy=hoy,
        plazo_dias=plazo_dias,
        inventarios_existentes=frozenset(p for p, inv in inventarios.items() if inv.existe),
    )
    reglas_nota_credito().exigir(contexto)
    return contexto


def emitir_nota_credito(
    nota_credito_id: str,
    factura: Factura,
    punto: SecuenciaComprobantes,
    inventarios: Mapping[str, Inventario],
    *,
    solicitudes: Sequence[SolicitudLineaCredito],
    motivo: MotivoModificacion,
    devolucion_inventario: bool,
    establecimiento: str,
    codigo_punto: str,
    emisor: DatosEmisor,
    reloj: Reloj,
    direccion_establecimiento: str | None = None,
    secuencial_inicial: int = 1,
    fecha_emision: date | None = None,
    plazo_dias: int = PLAZO_NOTA_CREDITO_DIAS,
) -> NotaCredito:
    """Check every rule at once, then record: the nota (created and emitted), its number,
    the CreditoAplicado on the factura and, with devolución, one new lot per credited
    line at the sale line's average cost. `inventarios` maps producto_id to its
    Inventario in the factura's bodega. IVA is credited at the percentages the factura
    charged, whatever the table says today."""
    contexto = revisar_nota_credito(
        factura,
        inventarios,
        solicitudes=solicitudes,
        devolucion_inventario=devolucion_inventario,
        reloj=reloj,
        fecha_emision=fecha_emision,
        plazo_dias=plazo_dias,
    )
    lineas = contexto.acreditacion.lineas
    nota = NotaCredito.crear(
        nota_credito_id,
        factura_id=factura.id,
        numero_factura=factura.numero or "",
        fecha_emision_factura=factura.fecha_emision,
        punto_emision_id=factura.punto_emision_id,
        sucursal_id=factura.sucursal_id,
        bodega_id=factura.bodega_id,
        comprador=factura.comprador.datos(),
        motivo=motivo,
        fecha_emision=contexto.fecha_emision,
        devolucion_inventario=devolucion_inventario,
        lineas=lineas,
    )
    numero = punto.asignar_secuencial(
        establecimiento, codigo_punto, nota_credito_id, secuencial_inicial
    )
    emitida = nota.emitir(
        numero,
        emisor=emisor,
        establecimiento=DatosEstablecimiento(
            establecimiento, direccion_establecimiento, codigo_punto
        ),
        porcentajes=factura.porcentajes_iva(),
    )
    factura.aplicar_credito(
        nota_credito_id,
        emitida.numero,
        tuple(
            LineaCredito(ln.numero_linea_factura, ln.producto_id, ln.cantidad, ln.valor, ln.iva)
            for ln in lineas
        ),
        emitida.valor_modificacion,
    )
    if devolucion_inventario:
        for ln in lineas:
            inventarios[ln.producto_id].devolver(
                Cantidad(ln.cantidad),
                Precio(ln.costo_unitario),
                contexto.fecha_emision,
                documento=f"NOTA CREDITO {emitida.numero}",
                documento_id=nota_credito_id,
            )
    return nota
