"""A factura in BORRADOR: what a cajero changes on it before emitting it (lines, buyer,
discount, payments, propina), discarding it, and the preview of a new one. Every change
leaves a draft that satisfies `reglas_borrador`, or is refused whole."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import partial

from prometeo.application.comandos import (
    AgregarLinea,
    AplicarDescuento,
    CambiarLinea,
    CrearFactura,
    DescartarBorrador,
    DescuentoGlobalCmd,
    ModificarBorrador,
    QuitarLinea,
    SumarAlBorrador,
)
from prometeo.application.servicios.base import ServicioAplicacion, nuevo_id
from prometeo.application.servicios.conversiones import (
    comprador_de,
    descuento_global_de,
    dinero_opcional,
    pagos_de,
)
from prometeo.application.unidad_de_trabajo import Metadatos, UnidadDeTrabajo
from prometeo.domain.aggregates.factura import Factura, NuevaLinea
from prometeo.domain.errores import (
    OperacionNoPermitida,
    ReglaIncumplida,
    ReglasIncumplidas,
    RevisionDeReglas,
    ValorInvalido,
)
from prometeo.domain.specifications.catalogo_activo import (
    CatalogoInactivo,
    exigir_producto_activo,
)
from prometeo.domain.specifications.factura import exigir_borrador_valido
from prometeo.domain.specifications.rebajas import (
    LineaPorVender,
    exigir_sin_rebajas,
    rebaja_global,
    rebajas_de_lineas,
)
from prometeo.domain.value_objects.dinero import Cantidad, Numero, Precio
from prometeo.domain.value_objects.tarifa_iva import TarifaIva


class OperacionesBorrador(ServicioAplicacion):
    """The commands on a draft (ServicioFacturas adds creation, emission, anulación)."""

    def agregar_linea(self, cmd: AgregarLinea, metadatos: Metadatos | None = None) -> int:
        """Add a line to a draft; returns its line number."""

        def operacion(uow: UnidadDeTrabajo) -> int:
            factura = uow.facturas.obtener(cmd.factura_id)
            linea, lista = nueva_linea(
                uow,
                cmd.producto_id,
                cmd.cantidad,
                cmd.precio_unitario,
                cmd.descuento,
                factura.fecha_emision,
            )
            if not cmd.rebajas_autorizadas:
                maximo = self._config.descuento_maximo_sin_autorizacion
                exigir_sin_rebajas(rebajas_de_lineas([por_vender(linea, lista)], maximo))
            numero = factura.agregar(linea)
            exigir_borrador_valido(factura)
            return numero

        return self._ejecutar(operacion, metadatos)

    def quitar_linea(self, cmd: QuitarLinea, metadatos: Metadatos | None = None) -> None:
        """Take a line off a draft; the lines after it move up one number."""

        def operacion(uow: UnidadDeTrabajo) -> None:
            factura = borrador_en_version(uow, cmd.factura_id, cmd.version_esperada)
            factura.eliminar_linea(cmd.numero_linea)
            exigir_borrador_valido(factura)

        self._ejecutar(operacion, metadatos)

    def aplicar_descuento(self, cmd: AplicarDescuento, metadatos: Metadatos | None = None) -> None:
        """Give a draft a global discount, prorated over its lines when it is emitted."""
        self.modificar_borrador(
            ModificarBorrador(
                cmd.factura_id,
                descuento_global=DescuentoGlobalCmd(cmd.tipo, cmd.valor),
                rebajas_autorizadas=cmd.rebajas_autorizadas,
            ),
            metadatos,
        )

    def modificar_borrador(
        self, cmd: ModificarBorrador, metadatos: Metadatos | None = None
    ) -> None:
        """Change the buyer, the global discount, the payments and the propina of a draft
        together: the draft they leave is checked as a whole (so pagos that add up to
        the new total may come with the change that makes it so)."""
        pagos = None if cmd.pagos is None else pagos_de(cmd.pagos)
        propina = dinero_opcional(cmd.propina)

        def operacion(uow: UnidadDeTrabajo) -> None:
            factura = borrador_en_version(uow, cmd.factura_id, cmd.version_esperada)
            factura.exigir_borrador()  # also when nothing is named
            if cmd.cambiar_cliente:
                cliente = None if cmd.cliente_id is None else uow.catalogo.cliente(cmd.cliente_id)
                factura.asignar_cliente(cmd.cliente_id, comprador_de(cliente))
            if cmd.descuento_global is not None:
                d = cmd.descuento_global
                descuento = descuento_global_de(d.tipo, d.valor)
                if not cmd.rebajas_autorizadas:
                    subtotal = sum(
                        (ln.cantidad * ln.precio_unitario - ln.descuento for ln in factura.lineas),
                        Decimal(0),
                    )
                    maximo = self._config.descuento_maximo_sin_autorizacion
                    exigir_sin_rebajas(rebaja_global(descuento, subtotal, maximo))
                factura.aplicar_descuento(descuento)
            if propina is not None:
                factura.definir_propina(propina)
            if pagos is not None:
                factura.definir_pagos(pagos)
            exigir_borrador_valido(factura)

        self._ejecutar(operacion, metadatos)

    def cambiar_linea(self, cmd: CambiarLinea, metadatos: Metadatos | None = None) -> None:
        """Give a draft's line another quantity and line discount, in place."""

        def operacion(uow: UnidadDeTrabajo) -> None:
            factura = borrador_en_version(uow, cmd.factura_id, cmd.version_esperada)
            factura.cambiar_linea(
                cmd.numero_linea, Cantidad(cmd.cantidad), dinero_opcional(cmd.descuento)
            )
            if not cmd.rebajas_autorizadas:
                linea = factura.linea(cmd.numero_linea)
                lista = uow.catalogo.producto(linea.producto_id).precio
                maximo = self._config.descuento_maximo_sin_autorizacion
                vendida = LineaPorVender(
                    linea.codigo,
                    linea.cantidad,
                    linea.precio_unitario,
                    linea.descuento,
                    lista.valor,
                )
                exigir_sin_rebajas(rebajas_de_lineas([vendida], maximo))
            exigir_borrador_valido(factura)

        self._ejecutar(operacion, metadatos)

    def sumar_al_borrador(self, cmd: SumarAlBorrador, metadatos: Metadatos | None = None) -> str:
        """Add what the till scanned to a draft (a new one without `factura_id`); returns
        the draft's id. All of it or none: one product that cannot be sold refuses the
        whole scan, naming it."""

        def operacion(uow: UnidadDeTrabajo) -> str:
            if cmd.factura_id is None:
                factura, _ = self._borrador_nuevo(
                    uow,
                    CrearFactura(cmd.punto_emision_id, cmd.bodega_id, (), borrador=True),
                )
                uow.facturas.agregar(factura)
            else:
                factura = borrador_en_version(uow, cmd.factura_id, cmd.version_esperada)
            for escaneado in cmd.productos:
                sumar_producto(uow, factura, escaneado.producto_id, Cantidad(escaneado.cantidad))
            exigir_borrador_valido(factura)
            return factura.id

        return self._ejecutar(operacion, metadatos)

    def descartar_borrador(
        self, cmd: DescartarBorrador, metadatos: Metadatos | None = None
    ) -> None:
        """Throw a draft away: it never gets a number."""

        def operacion(uow: UnidadDeTrabajo) -> None:
            borrador_en_version(uow, cmd.factura_id, cmd.version_esperada).descartar()

        self._ejecutar(operacion, metadatos)

    def _borrador_nuevo(
        self, uow: UnidadDeTrabajo, cmd: CrearFactura, *, vista_previa: bool = False
    ) -> tuple[Factura, list[ReglaIncumplida]]:
        """The draft a CrearFactura describes (not stored), with the rebajas its caller
        may not give (empty when authorized). An inactive punto, bodega or product
        refuses it, except for a preview (whose emission rules name them)."""
        punto = uow.catalogo.punto_emision(cmd.punto_emision_id)
        bodega = uow.catalogo.bodega(cmd.bodega_id)
        if bodega.sucursal_id != punto.sucursal_id:
            raise ValorInvalido(
                "BodegaDeLaSucursal",
                f"La bodega {bodega.codigo} no es de la sucursal del punto de emisión "
                f"{punto.codigo}: se vende desde una bodega de la misma sucursal",
            )
        sucursal = uow.catalogo.sucursal(punto.sucursal_id)
        inactivos = CatalogoInactivo.de_venta((), punto, bodega, sucursal).reglas()
        if inactivos and not vista_previa:
            raise ReglasIncumplidas(inactivos)
        fecha = cmd.fecha_emision or self._reloj.hoy()
        cliente = None if cmd.cliente_id is None else uow.catalogo.cliente(cmd.cliente_id)
        # Every line, the discount, the propina and the pagos are checked before any error
        # is reported: a request with several mistakes names them all.
        revision = RevisionDeReglas()
        revisadas = [
            revision.revisar(
                partial(
                    nueva_linea,
                    uow,
                    ln.producto_id,
                    ln.cantidad,
                    ln.precio_unitario,
                    ln.descuento,
                    fecha,
                    exigir_activo=not vista_previa,
                )
            )
            for ln in cmd.lineas
        ]
        d = cmd.descuento_global
        global_ = (
            None if d is None else revision.revisar(lambda: descuento_global_de(d.tipo, d.valor))
        )
        propina = revision.revisar(lambda: dinero_opcional(cmd.propina))
        pagos = revision.revisar(lambda: pagos_de(cmd.pagos))
        revision.exigir()
        con_lista = [linea for linea in revisadas if linea is not None]
        rebajas: list[ReglaIncumplida] = []
        if not cmd.rebajas_autorizadas:
            maximo = self._config.descuento_maximo_sin_autorizacion
            lineas = [por_vender(linea, lista) for linea, lista in con_lista]
            subtotal = sum((p.neto for p in lineas), Decimal(0))
            rebajas = rebajas_de_lineas(lineas, maximo) + rebaja_global(global_, subtotal, maximo)
        factura = Factura.crear(
            nuevo_id(cmd.factura_id),
            punto_emision_id=punto.id,
            sucursal_id=punto.sucursal_id,
            bodega_id=bodega.id,
            comprador=comprador_de(cliente),
            fecha_emision=fecha,
            cliente_id=cmd.cliente_id,
            propina=propina,
            pagos=pagos or (),
            fecha_autorizacion=cmd.fecha_autorizacion,
            fecha_caducidad=cmd.fecha_caducidad,
            lineas=[linea for linea, _ in con_lista],
            descuento_global=global_,
        )
        return factura, rebajas


def borrador_en_version(
    uow: UnidadDeTrabajo, factura_id: str, version_esperada: int | None
) -> Factura:
    """The stored factura, refused when it is no longer at the version its caller saw:
    a till open in two tabs or on two devices never silently overwrites the other's
    change."""
    factura = uow.facturas.obtener(factura_id)
    if version_esperada is not None and factura.version != version_esperada:
        raise OperacionNoPermitida(
            "BorradorSinCambiosAjenos",
            "Esta venta cambió desde que se mostró aquí (en otra pestaña, en otro equipo o "
            "por un envío repetido); no se aplicó lo último que hizo. Se muestra como quedó: "
            "revísela y repítalo si hace falta.",
        )
    return factura


def sumar_producto(
    uow: UnidadDeTrabajo, factura: Factura, producto_id: str, cantidad: Cantidad
) -> None:
    """`cantidad` more of a product on a draft: onto its line sold at list price without
    a discount (the one a scan opened), else on a new line."""
    producto = uow.catalogo.producto(producto_id)
    exigir_producto_activo(producto, "vender")
    for linea in factura.lineas:
        if (
            linea.producto_id == producto_id
            and linea.descuento == 0
            and linea.precio_unitario == producto.precio.valor
        ):
            factura.cambiar_linea(linea.numero_linea, Cantidad(linea.cantidad + cantidad.valor))
            return
    linea_nueva, _ = nueva_linea(
        uow, producto_id, cantidad.valor, None, None, factura.fecha_emision
    )
    factura.agregar(linea_nueva)


def nueva_linea(
    uow: UnidadDeTrabajo,
    producto_id: str,
    cantidad: Numero,
    precio_unitario: Numero | None,
    descuento: Numero | None,
    fecha: date,
    *,
    exigir_activo: bool = True,
) -> tuple[NuevaLinea, Precio]:
    """A line of a catalog product: its code, name, the tarifa it has on the factura's
    `fecha`, its first barcode and unit of measure (copied: later catalog edits never
    rewrite the line); its list price unless the caller gives one. With the product's
    list price. An inactive product is not sold (ProductoActivo), unless told not to
    check it."""
    producto = uow.catalogo.producto(producto_id)
    if exigir_activo:
        exigir_producto_activo(producto, "vender")
    return NuevaLinea(
        producto_id=producto.id,
        codigo=producto.codigo,
        descripcion=producto.nombre,
        cantidad=Cantidad(cantidad),
        precio_unitario=producto.precio if precio_unitario is None else Precio(precio_unitario),
        tarifa_iva=TarifaIva.de_codigo(producto.tarifa_en(fecha)),
        descuento=dinero_opcional(descuento),
        codigo_auxiliar=producto.codigo_auxiliar,
        unidad_medida=producto.unidad_medida,
    ), producto.precio


def por_vender(linea: NuevaLinea, lista: Precio) -> LineaPorVender:
    return LineaPorVender(
        linea.codigo,
        linea.cantidad.valor,
        linea.precio_unitario.valor,
        linea.descuento.monto if linea.descuento is not None else Decimal(0),
        lista.valor,
    )
