"""A random history for the rebuild property: operations drawn by hypothesis and played
through the real services (the domain may refuse any of them), and a check of the read
models against the aggregates loaded from the event store."""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import Any

from apoyo_proyecciones import (
    BODEGAS,
    CLIENTE,
    HOY,
    PRODUCTOS,
    PUNTOS,
    abrir,
    inventarios,
    sembrar,
    vaciar,
)
from hypothesis import strategies as st

from prometeo.application.comandos import (
    AgregarLinea,
    AnularFactura,
    AplicarDescuento,
    CrearFactura,
    DarDeBaja,
    DescartarBorrador,
    DescuentoGlobalCmd,
    EmitirFactura,
    EmitirNotaCredito,
    LineaConteoCmd,
    LineaFacturaCmd,
    LineaNotaCreditoCmd,
    ModificarBorrador,
    QuitarLinea,
    RegistrarConteo,
    RegistrarIngreso,
    TransferirStock,
)
from prometeo.domain.errores import ErrorDeDominio

_cantidades = st.sampled_from(["1", "2", "3", "5", "0.5", "1.25", "2.000001"])
_costos = st.sampled_from(["0.10", "1.00", "2.333333", "4.50", "7.25"])
_productos = st.sampled_from(list(PRODUCTOS))
_bodegas = st.sampled_from(BODEGAS)
_indices = st.integers(0, 60)
_lineas = st.lists(st.tuples(_productos, _cantidades), min_size=1, max_size=3)
_descuentos = st.none() | st.tuples(
    st.sampled_from(["PORCENTAJE", "MONTO"]), st.sampled_from(["5", "12.5", "0.50", "1.00"])
)
# Some lots expire (today, or in one or two days: "dia" makes them expire).
_caducidades = st.sampled_from([None, None, 0, 1, 2])
_ingreso = st.tuples(st.just("ingreso"), _productos, _bodegas, _cantidades, _costos, _caducidades)
_conteo = st.tuples(
    st.just("conteo"),
    _bodegas,
    st.lists(
        st.tuples(_productos, st.sampled_from(["0", "1", "4", "7.5", "12"])),
        min_size=1,
        max_size=3,
        unique_by=lambda linea: linea[0],
    ),
)
_baja = st.tuples(st.just("baja"), _indices)
_factura = st.tuples(st.just("factura"), _indices, _bodegas, _lineas, _descuentos, st.booleans())
_nota = st.tuples(
    st.just("nota"),
    _indices,
    st.booleans(),
    st.lists(
        st.tuples(_indices, st.booleans(), _cantidades, st.sampled_from(["0.50", "3.00"])),
        min_size=1,
        max_size=2,
    ),
)
_transferencia = st.tuples(st.just("transferir"), _productos, _bodegas, _cantidades)
# Repeated branches weigh more: mostly sales, credits and stock movements, now and then a
# draft, an anulación or a new day.
operaciones = st.one_of(
    _ingreso,
    _factura,
    _factura,
    _factura,
    _nota,
    _nota,
    _transferencia,
    _conteo,
    _baja,
    st.tuples(st.just("borrador"), _indices, _bodegas, _lineas, _descuentos),
    st.tuples(st.just("emitir"), _indices),
    st.tuples(st.just("quitar"), _indices, st.integers(1, 3)),
    st.tuples(
        st.just("modificar"), _indices, st.booleans(), st.sampled_from([None, "0.10", "0.50"])
    ),
    st.tuples(st.just("descartar"), _indices),
    st.tuples(st.just("anular"), _indices),
    st.tuples(st.just("dia")),
)


class Historia:
    """Plays random operations through the real services; the domain may refuse any."""

    def __init__(self, url: str) -> None:
        self.url, self.hoy = url, HOY
        self.aplicacion = abrir(url)
        vaciar(self.aplicacion.engine)
        sembrar(self.aplicacion)
        for producto in PRODUCTOS:
            for bodega in BODEGAS:
                for cantidad, costo in (("6", "1.10"), ("4.5", "2.345678")):
                    self.jugar(("ingreso", producto, bodega, cantidad, costo))
        self.facturas: list[str] = []  # emitted (or annulled since)
        self.borradores: list[str] = []
        self.anuladas: list[str] = []
        self.descartadas: list[str] = []
        self.productos: dict[str, list[str]] = {}  # of each factura, by line

    def jugar(self, operacion: tuple[Any, ...]) -> None:
        with contextlib.suppress(ErrorDeDominio):
            self._jugar(*operacion)

    def _jugar(self, tipo: str, *datos: Any) -> None:
        app = self.aplicacion
        if tipo == "ingreso":
            producto, bodega, cantidad, costo, *caduca = datos
            caducidad = None if not caduca or caduca[0] is None else self.hoy + timedelta(caduca[0])
            app.inventario.registrar_ingreso(
                RegistrarIngreso(producto, bodega, cantidad, costo, caducidad)
            )
        elif tipo == "conteo":
            bodega, lineas = datos
            app.inventario.registrar_conteo(
                RegistrarConteo(bodega, "CONTEO", tuple(LineaConteoCmd(*ln) for ln in lineas))
            )
        elif tipo == "baja":
            vencidos = [v for v in app.consultas.por_vencer(0, limite=1000) if v.vencido]
            if vencidos:
                lote = vencidos[datos[0] % len(vencidos)]
                app.inventario.dar_de_baja(
                    DarDeBaja(lote.producto_id, lote.bodega_id, lote.lote_id, "Caducado")
                )
        elif tipo in ("factura", "borrador"):
            indice, bodega, lineas, descuento = datos[:4]
            cliente = CLIENTE if tipo == "borrador" or datos[4] else None
            comando = CrearFactura(
                PUNTOS[indice % 2],
                bodega,
                tuple(LineaFacturaCmd(p, c) for p, c in lineas[: 1 if tipo == "borrador" else 3]),
                cliente,
                descuento_global=None if descuento is None else DescuentoGlobalCmd(*descuento),
                borrador=tipo == "borrador",
            )
            factura_id = app.facturas.crear_factura(comando).id
            self.productos[factura_id] = [p for p, _ in lineas]
            if tipo == "factura":
                self.facturas.append(factura_id)
            else:
                self.borradores.append(factura_id)
                for producto, cantidad in lineas[1:]:
                    app.facturas.agregar_linea(AgregarLinea(factura_id, producto, cantidad))
                if descuento is not None:
                    app.facturas.aplicar_descuento(AplicarDescuento(factura_id, *descuento))
        elif tipo == "emitir" and self.borradores:
            factura_id = self.borradores[datos[0] % len(self.borradores)]
            app.facturas.emitir_factura(EmitirFactura(factura_id))
            self.borradores.remove(factura_id)
            self.facturas.append(factura_id)
        elif tipo == "quitar" and self.borradores:
            factura_id = self.borradores[datos[0] % len(self.borradores)]
            app.facturas.quitar_linea(QuitarLinea(factura_id, datos[1]))
            productos = self.productos[factura_id]
            if datos[1] <= len(productos):
                del productos[datos[1] - 1]
        elif tipo == "modificar" and self.borradores:
            indice, con_cliente, propina = datos
            factura_id = self.borradores[indice % len(self.borradores)]
            cliente = CLIENTE if con_cliente else None
            app.facturas.modificar_borrador(
                ModificarBorrador(factura_id, True, cliente, propina=propina)
            )
        elif tipo == "descartar" and self.borradores:
            factura_id = self.borradores[datos[0] % len(self.borradores)]
            app.facturas.descartar_borrador(DescartarBorrador(factura_id))
            self.borradores.remove(factura_id)
            self.descartadas.append(factura_id)
        elif tipo == "nota" and self.facturas:
            indice, devolucion, lineas = datos
            factura_id = self.facturas[indice % len(self.facturas)]
            productos = self.productos[factura_id]
            app.notas_credito.emitir_nota_credito(
                EmitirNotaCredito(
                    factura_id,
                    "Corrección",
                    devolucion,
                    tuple(
                        LineaNotaCreditoCmd(productos[i % len(productos)], cantidad=c)
                        if por_cantidad
                        else LineaNotaCreditoCmd(productos[i % len(productos)], valor=v)
                        for i, por_cantidad, c, v in lineas
                    ),
                )
            )
        elif tipo == "anular" and self.facturas:
            factura_id = self.facturas[datos[0] % len(self.facturas)]
            app.facturas.anular_factura(AnularFactura(factura_id, "Anulada en la prueba"))
            self.facturas.remove(factura_id)
            self.anuladas.append(factura_id)
        elif tipo == "transferir":
            producto, origen, cantidad = datos
            destino = BODEGAS[1 - BODEGAS.index(origen)]
            app.inventario.transferir_stock(TransferirStock(producto, origen, destino, cantidad))
        elif tipo == "dia":
            app.cerrar()
            self.hoy += timedelta(days=1)
            self.aplicacion = abrir(self.url, self.hoy)

    def comprobar_contra_el_dominio(self) -> None:
        """The read models agree with the aggregates loaded from the event store."""
        consultas = self.aplicacion.consultas
        for inventario in inventarios(self.aplicacion):
            producto, bodega = inventario.producto_id, inventario.bodega_id
            (stock,) = consultas.stock(producto, bodega)
            assert (stock.cantidad, stock.valor) == (inventario.stock, inventario.valor)
            lotes = consultas.lotes(producto, bodega)
            assert [(lt.lote_id, lt.cantidad_disponible) for lt in lotes] == [
                (lt.lote_id, lt.cantidad_disponible) for lt in inventario.lotes
            ]
            ultimo = consultas.kardex(producto, bodega)[-1]
            assert (ultimo.saldo_cantidad, ultimo.saldo_valor) == (stock.cantidad, stock.valor)
        with self.aplicacion.unidad_de_trabajo() as uow:
            for factura_id in self.facturas + self.anuladas + self.borradores + self.descartadas:
                factura, vista = uow.facturas.obtener(factura_id), consultas.factura(factura_id)
                assert (vista.estado, vista.numero) == (factura.estado.value, factura.numero)
                assert vista.notas_credito == factura.notas_credito
                assert [(ln.cantidad_acreditada, ln.valor_acreditado) for ln in vista.lineas] == [
                    (ln.cantidad_acreditada, ln.valor_acreditado) for ln in factura.lineas
                ]
                assert [ln.producto_id for ln in vista.lineas] == [
                    ln.producto_id for ln in factura.lineas
                ]
                assert vista.cliente_id == factura.cliente_id
                if factura.importe_total is not None:
                    assert vista.totales.importe_total == factura.importe_total
                else:  # not emitted: the totals its emission would compute
                    assert vista.totales.importe_total == factura.totales().importe_total
