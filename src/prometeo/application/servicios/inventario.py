"""Inventario: goods entering a bodega (purchases), moving between bodegas, counted
(conteo físico) and written off when expired (baja)."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from prometeo.application.comandos import (
    DarDeBaja,
    RegistrarConteo,
    RegistrarIngreso,
    TransferirStock,
)
from prometeo.application.resultados import (
    AjusteRegistrado,
    BajaRegistrada,
    ConteoRegistrado,
    IngresoRegistrado,
    TransferenciaRealizada,
)
from prometeo.application.servicios.base import ServicioAplicacion, nuevo_id
from prometeo.application.unidad_de_trabajo import Metadatos, UnidadDeTrabajo
from prometeo.domain.errores import RevisionDeReglas, ambas
from prometeo.domain.services.conteo import ProductoContado, registrar_conteo
from prometeo.domain.services.transferencia import transferir
from prometeo.domain.specifications.catalogo_activo import (
    exigir_bodega_activa,
    exigir_producto_activo,
)
from prometeo.domain.specifications.conteo import cantidad_contada, exigir_lineas_de_conteo
from prometeo.domain.value_objects.dinero import Cantidad, Precio
from prometeo.domain.value_objects.texto_sri import REFERENCIA_CONTEO


class ServicioInventario(ServicioAplicacion):
    """Keeps the FIFO stock of each product in each bodega. Entries and transfers are
    dated today by the clock; a transfer's exit and entries are one transaction."""

    def registrar_ingreso(
        self, cmd: RegistrarIngreso, metadatos: Metadatos | None = None
    ) -> IngresoRegistrado:
        """Receive goods of a known, active product into a known, active bodega as a new
        lot, at the end of the FIFO queue."""
        lote_id = nuevo_id(cmd.lote_id)
        # Quantity and cost are checked together: both wrong, both named.
        cantidad, costo = ambas(
            lambda: Cantidad(cmd.cantidad), lambda: Precio.costo(cmd.costo_unitario)
        )

        def operacion(uow: UnidadDeTrabajo) -> IngresoRegistrado:
            producto = uow.catalogo.producto(cmd.producto_id)
            bodega = uow.catalogo.bodega(cmd.bodega_id)
            exigir_producto_activo(producto, "ingresar")
            exigir_bodega_activa(bodega, uow.catalogo.sucursal(bodega.sucursal_id), "recibir")
            inventario = uow.inventarios.obtener(producto.id, bodega.id)
            inventario.ingresar(
                cantidad,
                costo,
                self._reloj.hoy(),
                fecha_caducidad=cmd.fecha_caducidad,
                documento=(cmd.referencia or "").strip(),
                lote_id=lote_id,
            )
            return IngresoRegistrado(lote_id)

        return self._ejecutar(operacion, metadatos)

    def transferir_stock(
        self, cmd: TransferirStock, metadatos: Metadatos | None = None
    ) -> TransferenciaRealizada:
        """Move goods from one bodega to another: the origin gives its oldest lots, the
        destination receives them as new lots with the same unit cost and expiry. A
        StockBajo is raised when the origin falls to the product's minimum."""
        transferencia_id = nuevo_id(cmd.transferencia_id)
        cantidad = Cantidad(cmd.cantidad)

        def operacion(uow: UnidadDeTrabajo) -> TransferenciaRealizada:
            producto = uow.catalogo.producto(cmd.producto_id)
            origen = uow.catalogo.bodega(cmd.bodega_origen_id)
            destino = uow.catalogo.bodega(cmd.bodega_destino_id)
            # The origin may be inactive: that is how a bodega being closed is emptied.
            exigir_bodega_activa(destino, uow.catalogo.sucursal(destino.sucursal_id), "recibir")
            consumos = transferir(
                uow.inventarios.obtener(producto.id, origen.id),
                uow.inventarios.obtener(producto.id, destino.id),
                cantidad,
                self._reloj.hoy(),
                documento=f"TRANSFERENCIA {transferencia_id}",
                documento_id=transferencia_id,
                stock_minimo_origen=producto.stock_minimo,
                codigo_producto=producto.codigo,
                codigo_bodega_origen=origen.codigo,
            )
            costo = sum((c.costo for c in consumos), Decimal("0.00"))
            return TransferenciaRealizada(transferencia_id, cantidad.valor, costo)

        return self._ejecutar(operacion, metadatos)

    def registrar_conteo(
        self, cmd: RegistrarConteo, metadatos: Metadatos | None = None
    ) -> ConteoRegistrado:
        """Post what a physical count of some products of a bodega found: each product's
        difference with its stock as its own StockAjustado (a shortage leaves FIFO, a
        surplus enters as a new lot at the average cost), all products in one transaction
        or none. Dated today by the clock; the kardex shows each as AJUSTE with the count's
        referencia.

        `contado_en` (when the counting began) guards against goods that moved while they
        were counted: a product whose inventario got events from that second on refuses
        the count (ConteoSinMovimientos) unless `usar_stock_al_contar`, which compares it
        with its stock before that second. Without `contado_en` the count is of now:
        nothing can have moved since (a writer that commits meanwhile makes this command
        retry on fresh stock, as any other)."""
        conteo_id = nuevo_id(cmd.conteo_id)
        revision = RevisionDeReglas()
        referencia = revision.revisar(lambda: REFERENCIA_CONTEO.validar(cmd.referencia))
        revision.revisar(lambda: exigir_lineas_de_conteo([ln.producto_id for ln in cmd.lineas]))
        contadas = {
            linea.producto_id: revision.revisar(partial(cantidad_contada, linea.cantidad, lugar))
            for lugar, linea in enumerate(cmd.lineas, start=1)
        }
        revision.exigir()
        assert referencia is not None

        def operacion(uow: UnidadDeTrabajo) -> ConteoRegistrado:
            bodega = uow.catalogo.bodega(cmd.bodega_id)
            productos = {p: uow.catalogo.producto(p) for p in sorted(contadas)}
            contados = []
            # Streams are read (and, at commit, written) in one sorted order.
            for producto_id, producto in productos.items():
                actual = uow.inventarios.obtener(producto_id, bodega.id)
                al_contar = (
                    actual
                    if cmd.contado_en is None
                    else uow.inventarios.al_instante(producto_id, bodega.id, cmd.contado_en)
                )
                contada = contadas[producto_id]
                assert contada is not None
                contados.append(
                    ProductoContado(
                        actual, al_contar, contada, producto.codigo, producto.stock_minimo
                    )
                )
            ajustes = registrar_conteo(
                contados,
                self._reloj.hoy(),
                documento=referencia,
                documento_id=conteo_id,
                usar_stock_al_contar=cmd.usar_stock_al_contar,
                codigo_bodega=bodega.codigo,
            )
            por_producto = {a.producto_id: a for a in ajustes}
            return ConteoRegistrado(
                conteo_id,
                tuple(
                    AjusteRegistrado(
                        a.producto_id,
                        productos[a.producto_id].codigo,
                        productos[a.producto_id].nombre,
                        a.contada,
                        a.esperada,
                        a.diferencia,
                        a.evento.costo if a.evento is not None else Decimal("0.00"),
                    )
                    # In the order the count named them (they were posted in sorted order).
                    for a in (por_producto[ln.producto_id] for ln in cmd.lineas)
                ),
            )

        return self._ejecutar(operacion, metadatos)

    def dar_de_baja(self, cmd: DarDeBaja, metadatos: Metadatos | None = None) -> BajaRegistrada:
        """Write off what is left of an expired lot (expired on today's date, by the
        clock), at its cost: LoteDadoDeBaja, a BAJA line in the kardex. A lot that is not
        expired, or holds nothing, is refused by name."""
        baja_id = nuevo_id(cmd.baja_id)

        def operacion(uow: UnidadDeTrabajo) -> BajaRegistrada:
            producto = uow.catalogo.producto(cmd.producto_id)
            bodega = uow.catalogo.bodega(cmd.bodega_id)
            evento = uow.inventarios.obtener(producto.id, bodega.id).dar_de_baja(
                cmd.lote_id,
                self._reloj.hoy(),
                motivo=cmd.motivo,
                documento_id=baja_id,
                codigo_producto=producto.codigo,
                codigo_bodega=bodega.codigo,
            )
            return BajaRegistrada(baja_id, cmd.lote_id, evento.lote.cantidad, evento.lote.costo)

        return self._ejecutar(operacion, metadatos)
