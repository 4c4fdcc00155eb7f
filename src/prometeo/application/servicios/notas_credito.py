"""Notas de crédito: crediting an emitted factura, with or without goods coming back."""

from __future__ import annotations

from decimal import Decimal

from prometeo.application.comandos import EmitirNotaCredito
from prometeo.application.resultados import DocumentoRegistrado, NotaPrevista
from prometeo.application.servicios import cargas
from prometeo.application.servicios.base import ServicioAplicacion, nuevo_id
from prometeo.application.servicios.conversiones import solicitudes_de
from prometeo.application.unidad_de_trabajo import Metadatos, UnidadDeTrabajo
from prometeo.domain.aggregates.factura import Factura
from prometeo.domain.aggregates.inventario import Inventario
from prometeo.domain.aggregates.nota_credito import importes_de_lineas
from prometeo.domain.errores import ambas
from prometeo.domain.services.acreditacion import SolicitudLineaCredito
from prometeo.domain.services.emision_nota_credito import (
    emitir_nota_credito,
    revisar_nota_credito,
)
from prometeo.domain.value_objects.motivo import MotivoModificacion
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante


class ServicioNotasCredito(ServicioAplicacion):
    """Issues notas de crédito. One transaction stores the nota with its number, the
    CreditoAplicado on the factura's own stream (so two notas racing against one factura
    conflict instead of over-crediting it) and, with devolución, the goods returned to
    the factura's bodega."""

    def emitir_nota_credito(
        self, cmd: EmitirNotaCredito, metadatos: Metadatos | None = None
    ) -> DocumentoRegistrado:
        """Check the nota against its factura and every earlier nota, then issue it with
        the next number of the factura's punto de emisión."""
        nota_id = nuevo_id(cmd.nota_credito_id)
        # The motivo and every line are checked before any is reported.
        motivo, solicitudes = ambas(
            lambda: MotivoModificacion(cmd.motivo), lambda: solicitudes_de(cmd.lineas)
        )

        def operacion(uow: UnidadDeTrabajo) -> DocumentoRegistrado:
            if cmd.nota_credito_id is not None:
                cargas.exigir_id_libre(
                    uow.notas_credito.obtener, nota_id, "NotaCreditoUnica", "una nota de crédito"
                )
            factura = uow.facturas.obtener(cmd.factura_id)
            numeracion = cargas.numeracion(
                uow, factura.punto_emision_id, TipoComprobante.NOTA_CREDITO
            )
            inventarios = _inventarios(uow, cmd, factura, solicitudes)
            nota = emitir_nota_credito(
                nota_id,
                factura,
                numeracion.secuencia,
                inventarios,
                solicitudes=solicitudes,
                motivo=motivo,
                devolucion_inventario=cmd.devolucion_inventario,
                establecimiento=numeracion.establecimiento,
                codigo_punto=numeracion.codigo_punto,
                emisor=numeracion.emisor,
                direccion_establecimiento=numeracion.direccion_establecimiento,
                secuencial_inicial=numeracion.secuencial_inicial,
                reloj=self._reloj,
                fecha_emision=cmd.fecha_emision,
                plazo_dias=self._config.plazo_nota_credito_dias,
            )
            uow.notas_credito.agregar(nota)
            return DocumentoRegistrado(nota.id, nota.numero, nota.eventos_pendientes)

        return self._ejecutar(operacion, metadatos)

    def revisar_nota_credito(self, cmd: EmitirNotaCredito) -> NotaPrevista:
        """A dry run of `emitir_nota_credito`: every rule of the lines checked against the
        factura and its earlier notas as emitting would (ReglasIncumplidas), and what the
        nota would credit; nothing recorded, no number taken. The motivo is not asked
        for yet: a screen shows this while the person is still filling the form."""
        solicitudes = solicitudes_de(cmd.lineas)
        with self._uow_factory(Metadatos()) as uow:
            factura = uow.facturas.obtener(cmd.factura_id)
            contexto = revisar_nota_credito(
                factura,
                _inventarios(uow, cmd, factura, solicitudes),
                solicitudes=solicitudes,
                devolucion_inventario=cmd.devolucion_inventario,
                reloj=self._reloj,
                fecha_emision=cmd.fecha_emision,
                plazo_dias=self._config.plazo_nota_credito_dias,
            )
            # Left without commit: the unit of work rolls back whatever it read.
        lineas = contexto.acreditacion.lineas
        importes = importes_de_lineas(lineas, factura.porcentajes_iva())
        subtotal = sum((i.base_imponible for i in importes), Decimal("0.00"))
        iva = sum((i.iva for i in importes), Decimal("0.00"))
        return NotaPrevista(lineas, subtotal, iva, subtotal + iva)


def _inventarios(
    uow: UnidadDeTrabajo,
    cmd: EmitirNotaCredito,
    factura: Factura,
    solicitudes: list[SolicitudLineaCredito],
) -> dict[str, Inventario]:
    # Without devolución no stock moves, so no inventario is read.
    if not cmd.devolucion_inventario:
        return {}
    return cargas.inventarios(uow, (s.producto_id for s in solicitudes), factura.bodega_id)
