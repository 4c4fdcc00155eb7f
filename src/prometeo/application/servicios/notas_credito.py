"""Notas de crédito: crediting an emitted factura, with or without goods coming back."""

from __future__ import annotations

from prometeo.application.comandos import EmitirNotaCredito
from prometeo.application.resultados import DocumentoRegistrado
from prometeo.application.servicios import cargas
from prometeo.application.servicios.base import ServicioAplicacion, nuevo_id
from prometeo.application.servicios.conversiones import solicitudes_de
from prometeo.application.unidad_de_trabajo import Metadatos, UnidadDeTrabajo
from prometeo.domain.errores import ambas
from prometeo.domain.services.emision_nota_credito import emitir_nota_credito
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
            # Without devolución no stock moves, so no inventario is read.
            inventarios = (
                cargas.inventarios(uow, (s.producto_id for s in solicitudes), factura.bodega_id)
                if cmd.devolucion_inventario
                else {}
            )
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
