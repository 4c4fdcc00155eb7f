"""Inventario: goods entering a bodega (purchases) and moving between bodegas."""

from __future__ import annotations

from decimal import Decimal

from prometeo.application.comandos import RegistrarIngreso, TransferirStock
from prometeo.application.resultados import IngresoRegistrado, TransferenciaRealizada
from prometeo.application.servicios.base import ServicioAplicacion, nuevo_id
from prometeo.application.unidad_de_trabajo import Metadatos, UnidadDeTrabajo
from prometeo.domain.errores import ambas
from prometeo.domain.services.transferencia import transferir
from prometeo.domain.specifications.catalogo_activo import (
    exigir_bodega_activa,
    exigir_producto_activo,
)
from prometeo.domain.value_objects.dinero import Cantidad, Precio


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
