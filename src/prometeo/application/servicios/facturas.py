"""Facturas: create (as a draft or emitted at once), complete a draft, emit, annul."""

from __future__ import annotations

from dataclasses import replace

from prometeo.application.comandos import AnularFactura, CrearFactura, EmitirFactura
from prometeo.application.resultados import (
    BorradorRevisado,
    DocumentoRegistrado,
    Previsualizacion,
)
from prometeo.application.servicios import cargas
from prometeo.application.servicios.base import nuevo_id
from prometeo.application.servicios.borradores import OperacionesBorrador, borrador_en_version
from prometeo.application.servicios.conversiones import pagos_de
from prometeo.application.unidad_de_trabajo import Metadatos, UnidadDeTrabajo
from prometeo.domain.aggregates.factura import Factura
from prometeo.domain.errores import ReglaIncumplida
from prometeo.domain.services.emision import anular_factura, emitir_factura, existencias
from prometeo.domain.specifications.factura import (
    ContextoEmisionFactura,
    exigir_borrador_valido,
    reglas_emision_factura,
)
from prometeo.domain.specifications.rebajas import exigir_sin_rebajas
from prometeo.domain.value_objects.motivo import MotivoModificacion
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante


class ServicioFacturas(OperacionesBorrador):
    """The life of a sales invoice. Emitting is one transaction: the number, the goods
    taken from each inventario (FIFO) and the FacturaEmitida are stored together or not
    at all; a conflict with another cajero or bodeguero is retried."""

    def crear_factura(
        self, cmd: CrearFactura, metadatos: Metadatos | None = None
    ) -> DocumentoRegistrado:
        """A new factura with its lines, discount and payments; emitted in the same unit of
        work unless `cmd.borrador` (then it must satisfy the draft rules)."""
        factura_id = nuevo_id(cmd.factura_id)

        def operacion(uow: UnidadDeTrabajo) -> DocumentoRegistrado:
            if cmd.factura_id is not None:
                cargas.exigir_id_libre(
                    uow.facturas.obtener, factura_id, "FacturaUnica", "una factura"
                )
            factura, rebajas = self._borrador_nuevo(uow, replace(cmd, factura_id=factura_id))
            exigir_sin_rebajas(rebajas)
            uow.facturas.agregar(factura)
            if cmd.borrador:
                exigir_borrador_valido(factura)
            else:
                self._emitir(uow, factura)
            return DocumentoRegistrado(factura.id, factura.numero, factura.eventos_pendientes)

        return self._ejecutar(operacion, metadatos)

    def previsualizar(
        self, cmd: CrearFactura, metadatos: Metadatos | None = None
    ) -> Previsualizacion:
        """The factura `cmd` would create, with its totals and every rule that would stop
        its emission today (rebajas its caller may not give, stock, dates, limits,
        payments). Nothing is stored: the unit of work is never committed."""
        with self._uow_factory(metadatos or Metadatos()) as uow:
            factura, rebajas = self._borrador_nuevo(uow, cmd, vista_previa=True)
            errores = rebajas + self._impedimentos(uow, factura)
            documento = DocumentoRegistrado(factura.id, None, factura.eventos_pendientes)
            return Previsualizacion(documento, tuple(errores))

    def revisar_borrador(self, factura_id: str) -> BorradorRevisado:
        """A stored factura as its events say it is now, with its version, its totals and,
        while a draft, every rule that would stop its emission today. Nothing is stored:
        the unit of work is never committed."""
        with self._uow_factory(Metadatos()) as uow:
            factura = uow.facturas.obtener(factura_id)
            errores = self._impedimentos(uow, factura) if factura.es_borrador else []
            return BorradorRevisado(factura, factura.totales(), tuple(errores))

    def _impedimentos(self, uow: UnidadDeTrabajo, factura: Factura) -> list[ReglaIncumplida]:
        """The emission rules `factura` breaks today, against its bodega's stock."""
        productos = [ln.producto_id for ln in factura.lineas]
        inventarios = cargas.inventarios(uow, productos, factura.bodega_id)
        vendibles, vencidas = existencias(inventarios, factura.fecha_emision)
        catalogo = cargas.productos_de(uow, factura)
        contexto = ContextoEmisionFactura(
            factura,
            self._reloj.hoy(),
            vendibles,
            codigo_bodega=uow.catalogo.bodega(factura.bodega_id).codigo,
            inactivo=cargas.inactivo(uow, factura, catalogo),
            productos=catalogo,
            vencidas=vencidas,
        )
        return reglas_emision_factura().incumplidas(contexto)

    def emitir_factura(
        self, cmd: EmitirFactura, metadatos: Metadatos | None = None
    ) -> DocumentoRegistrado:
        """Emit a draft (with the payments given, if any, in place of its own): every rule
        checked at once, then numbered and taken from stock."""

        pagos = None if cmd.pagos is None else pagos_de(cmd.pagos)

        def operacion(uow: UnidadDeTrabajo) -> DocumentoRegistrado:
            factura = borrador_en_version(uow, cmd.factura_id, cmd.version_esperada)
            if pagos is not None:
                factura.definir_pagos(pagos)
            self._emitir(uow, factura, borrador_guardado=True)
            return DocumentoRegistrado(factura.id, factura.numero)

        return self._ejecutar(operacion, metadatos)

    def anular_factura(self, cmd: AnularFactura, metadatos: Metadatos | None = None) -> None:
        """Annul an emitted factura: its goods go back to the exact lots they left."""
        motivo = MotivoModificacion(cmd.motivo)

        def operacion(uow: UnidadDeTrabajo) -> None:
            factura = uow.facturas.obtener(cmd.factura_id)
            inventarios = cargas.inventarios(
                uow, (ln.producto_id for ln in factura.lineas), factura.bodega_id
            )
            anular_factura(
                factura,
                inventarios,
                motivo,
                self._reloj,
                dia_limite=self._config.dia_limite_anulacion,
            )

        self._ejecutar(operacion, metadatos)

    def _emitir(
        self, uow: UnidadDeTrabajo, factura: Factura, *, borrador_guardado: bool = False
    ) -> None:
        productos = [ln.producto_id for ln in factura.lineas]
        catalogo = cargas.productos_de(uow, factura)
        numeracion = cargas.numeracion(uow, factura.punto_emision_id, TipoComprobante.FACTURA)
        emitir_factura(
            factura,
            numeracion.secuencia,
            cargas.inventarios(uow, productos, factura.bodega_id),
            establecimiento=numeracion.establecimiento,
            codigo_punto=numeracion.codigo_punto,
            emisor=numeracion.emisor,
            direccion_establecimiento=numeracion.direccion_establecimiento,
            secuencial_inicial=numeracion.secuencial_inicial,
            reloj=self._reloj,
            stock_minimo={p: producto.stock_minimo for p, producto in catalogo.items()},
            codigo_bodega=uow.catalogo.bodega(factura.bodega_id).codigo,
            borrador_guardado=borrador_guardado,
            inactivo=cargas.inactivo(uow, factura, catalogo),
            productos=catalogo,
        )
