"""Facturas: create (as a draft or emitted at once), complete a draft, emit, annul."""

from __future__ import annotations

from decimal import Decimal

from prometeo.application.comandos import (
    AgregarLinea,
    AnularFactura,
    AplicarDescuento,
    CrearFactura,
    EmitirFactura,
)
from prometeo.application.resultados import DocumentoRegistrado
from prometeo.application.servicios import cargas
from prometeo.application.servicios.base import ServicioAplicacion, nuevo_id
from prometeo.application.servicios.conversiones import (
    comprador_de,
    descuento_global_de,
    dinero_opcional,
    pagos_de,
)
from prometeo.application.unidad_de_trabajo import Metadatos, UnidadDeTrabajo
from prometeo.domain.aggregates.factura import Factura, NuevaLinea
from prometeo.domain.errores import ValorInvalido
from prometeo.domain.services.emision import anular_factura, emitir_factura
from prometeo.domain.specifications.rebajas import (
    LineaPorVender,
    exigir_sin_rebajas,
    rebaja_global,
    rebajas_de_lineas,
)
from prometeo.domain.value_objects.dinero import Cantidad, Numero, Precio
from prometeo.domain.value_objects.motivo import MotivoModificacion
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante
from prometeo.domain.value_objects.tarifa_iva import TarifaIva


class ServicioFacturas(ServicioAplicacion):
    """The life of a sales invoice. Emitting is one transaction: the number, the goods
    taken from each inventario (FIFO) and the FacturaEmitida are stored together or not
    at all; a conflict with another cajero or bodeguero is retried."""

    def crear_factura(
        self, cmd: CrearFactura, metadatos: Metadatos | None = None
    ) -> DocumentoRegistrado:
        """A new factura with its lines, discount and payments; emitted in the same unit of
        work unless `cmd.borrador`."""
        factura_id = nuevo_id(cmd.factura_id)

        def operacion(uow: UnidadDeTrabajo) -> DocumentoRegistrado:
            if cmd.factura_id is not None:
                cargas.exigir_id_libre(
                    uow.facturas.obtener, factura_id, "FacturaUnica", "una factura"
                )
            punto = uow.catalogo.punto_emision(cmd.punto_emision_id)
            bodega = uow.catalogo.bodega(cmd.bodega_id)
            if bodega.sucursal_id != punto.sucursal_id:
                raise ValorInvalido(
                    "BodegaDeLaSucursal",
                    f"La bodega {bodega.codigo} no es de la sucursal del punto de emisión "
                    f"{punto.codigo}: se vende desde una bodega de la misma sucursal",
                )
            cliente = None if cmd.cliente_id is None else uow.catalogo.cliente(cmd.cliente_id)
            con_lista = [
                _nueva_linea(
                    uow, linea.producto_id, linea.cantidad, linea.precio_unitario, linea.descuento
                )
                for linea in cmd.lineas
            ]
            lineas = [linea for linea, _ in con_lista]
            descuento = cmd.descuento_global
            global_ = (
                None if descuento is None else descuento_global_de(descuento.tipo, descuento.valor)
            )
            if not cmd.rebajas_autorizadas:
                maximo = self._config.descuento_maximo_sin_autorizacion
                por_vender = [_por_vender(linea, lista) for linea, lista in con_lista]
                subtotal = sum((p.neto for p in por_vender), Decimal(0))
                exigir_sin_rebajas(
                    rebajas_de_lineas(por_vender, maximo) + rebaja_global(global_, subtotal, maximo)
                )
            factura = Factura.crear(
                factura_id,
                punto_emision_id=punto.id,
                sucursal_id=punto.sucursal_id,
                bodega_id=bodega.id,
                comprador=comprador_de(cliente),
                fecha_emision=cmd.fecha_emision or self._reloj.hoy(),
                cliente_id=cmd.cliente_id,
                propina=dinero_opcional(cmd.propina),
                pagos=pagos_de(cmd.pagos),
                fecha_autorizacion=cmd.fecha_autorizacion,
                fecha_caducidad=cmd.fecha_caducidad,
                lineas=lineas,
                descuento_global=global_,
            )
            uow.facturas.agregar(factura)
            if not cmd.borrador:
                self._emitir(uow, factura)
            return DocumentoRegistrado(factura.id, factura.numero, factura.eventos_pendientes)

        return self._ejecutar(operacion, metadatos)

    def agregar_linea(self, cmd: AgregarLinea, metadatos: Metadatos | None = None) -> int:
        """Add a line to a draft; returns its line number."""

        def operacion(uow: UnidadDeTrabajo) -> int:
            factura = uow.facturas.obtener(cmd.factura_id)
            linea, lista = _nueva_linea(
                uow, cmd.producto_id, cmd.cantidad, cmd.precio_unitario, cmd.descuento
            )
            if not cmd.rebajas_autorizadas:
                maximo = self._config.descuento_maximo_sin_autorizacion
                exigir_sin_rebajas(rebajas_de_lineas([_por_vender(linea, lista)], maximo))
            return factura.agregar(linea)

        return self._ejecutar(operacion, metadatos)

    def aplicar_descuento(self, cmd: AplicarDescuento, metadatos: Metadatos | None = None) -> None:
        """Give a draft a global discount, prorated over its lines when it is emitted."""

        def operacion(uow: UnidadDeTrabajo) -> None:
            factura = uow.facturas.obtener(cmd.factura_id)
            descuento = descuento_global_de(cmd.tipo, cmd.valor)
            if not cmd.rebajas_autorizadas:
                subtotal = sum(
                    (ln.cantidad * ln.precio_unitario - ln.descuento for ln in factura.lineas),
                    Decimal(0),
                )
                maximo = self._config.descuento_maximo_sin_autorizacion
                exigir_sin_rebajas(rebaja_global(descuento, subtotal, maximo))
            factura.aplicar_descuento(descuento)

        self._ejecutar(operacion, metadatos)

    def emitir_factura(
        self, cmd: EmitirFactura, metadatos: Metadatos | None = None
    ) -> DocumentoRegistrado:
        """Emit a draft: every rule checked at once, then numbered and taken from stock."""

        def operacion(uow: UnidadDeTrabajo) -> DocumentoRegistrado:
            factura = uow.facturas.obtener(cmd.factura_id)
            self._emitir(uow, factura)
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

    def _emitir(self, uow: UnidadDeTrabajo, factura: Factura) -> None:
        productos = [ln.producto_id for ln in factura.lineas]
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
            stock_minimo=cargas.stock_minimo(uow, productos),
            codigo_bodega=uow.catalogo.bodega(factura.bodega_id).codigo,
        )


def _nueva_linea(
    uow: UnidadDeTrabajo,
    producto_id: str,
    cantidad: Numero,
    precio_unitario: Numero | None,
    descuento: Numero | None,
) -> tuple[NuevaLinea, Precio]:
    """A line of a catalog product: its code, name and tarifa, its first barcode and unit
    of measure (copied: later catalog edits never rewrite the line); its list price unless
    the caller gives one. With the product's list price."""
    producto = uow.catalogo.producto(producto_id)
    return NuevaLinea(
        producto_id=producto.id,
        codigo=producto.codigo,
        descripcion=producto.nombre,
        cantidad=Cantidad(cantidad),
        precio_unitario=producto.precio if precio_unitario is None else Precio(precio_unitario),
        tarifa_iva=TarifaIva.de_codigo(producto.tarifa_iva),
        descuento=dinero_opcional(descuento),
        codigo_auxiliar=producto.codigo_auxiliar,
        unidad_medida=producto.unidad_medida,
    ), producto.precio


def _por_vender(linea: NuevaLinea, lista: Precio) -> LineaPorVender:
    return LineaPorVender(
        linea.codigo,
        linea.cantidad.valor,
        linea.precio_unitario.valor,
        linea.descuento.monto if linea.descuento is not None else Decimal(0),
        lista.valor,
    )
