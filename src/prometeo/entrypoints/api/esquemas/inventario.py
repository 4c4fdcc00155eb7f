"""Bodies of the inventory: entries (lots), transfers, stock, lots and the kardex."""

from __future__ import annotations

from datetime import date
from typing import Literal, Self

from pydantic import Field

from prometeo.application.comandos import RegistrarIngreso, TransferirStock
from prometeo.application.consultas import LoteVista, MovimientoKardex, StockVista
from prometeo.application.resultados import TransferenciaRealizada
from prometeo.entrypoints.api import datos_demo as demo
from prometeo.entrypoints.api.esquemas.comunes import (
    Entrada,
    Fecha,
    Id,
    Numero,
    Salida,
    Texto,
    dinero,
    ejemplos,
    numero,
    precio,
)


class IngresoEntrada(Entrada):
    """Un ingreso de mercadería (compra): crea un lote al final de la cola FIFO."""

    model_config = ejemplos(
        {
            "producto_id": demo.PRODUCTO,
            "bodega_id": demo.BODEGA,
            "cantidad": "5",
            "costo_unitario": "4.80",
            "referencia": "Factura proveedor 001-002-000004512",
        }
    )

    producto_id: Id
    bodega_id: Id
    cantidad: Numero = Field(description="Unidades que ingresan (mayor que cero).")
    costo_unitario: Numero = Field(description="Costo de cada unidad (hasta 6 decimales).")
    fecha_caducidad: Fecha | None = None
    referencia: Texto | None = Field(
        default=None, description="Documento de respaldo, p. ej. la factura del proveedor."
    )

    def a_comando(self) -> RegistrarIngreso:
        return RegistrarIngreso(
            self.producto_id,
            self.bodega_id,
            self.cantidad,
            self.costo_unitario,
            self.fecha_caducidad,
            self.referencia,
        )


class IngresoRespuesta(Salida):
    """El lote creado por el ingreso."""

    lote_id: str
    producto_id: str
    bodega_id: str
    cantidad: str = Field(examples=["5"])
    costo_unitario: str = Field(examples=["2.00"])
    fecha_caducidad: date | None
    referencia: str | None

    @classmethod
    def desde(cls, entrada: IngresoEntrada, lote_id: str) -> Self:
        return cls(
            lote_id=lote_id,
            producto_id=entrada.producto_id,
            bodega_id=entrada.bodega_id,
            cantidad=numero(entrada.cantidad),
            costo_unitario=precio(entrada.costo_unitario),
            fecha_caducidad=entrada.fecha_caducidad,
            referencia=entrada.referencia,
        )


class TransferenciaEntrada(Entrada):
    """Una transferencia de stock entre dos bodegas."""

    model_config = ejemplos(
        {
            "producto_id": demo.PRODUCTO,
            "bodega_origen_id": demo.BODEGA,
            "bodega_destino_id": demo.BODEGA_DESTINO,
            "cantidad": "2",
        }
    )

    producto_id: Id
    bodega_origen_id: Id
    bodega_destino_id: Id
    cantidad: Numero

    def a_comando(self) -> TransferirStock:
        return TransferirStock(
            self.producto_id, self.bodega_origen_id, self.bodega_destino_id, self.cantidad
        )


class TransferenciaRespuesta(Salida):
    """La transferencia hecha y su costo FIFO."""

    transferencia_id: str
    producto_id: str
    bodega_origen_id: str
    bodega_destino_id: str
    cantidad: str = Field(examples=["2"])
    costo: str = Field(
        examples=["4.00"], description="Costo FIFO de lo transferido; el destino lo conserva."
    )

    @classmethod
    def desde(cls, entrada: TransferenciaEntrada, hecha: TransferenciaRealizada) -> Self:
        return cls(
            transferencia_id=hecha.transferencia_id,
            producto_id=entrada.producto_id,
            bodega_origen_id=entrada.bodega_origen_id,
            bodega_destino_id=entrada.bodega_destino_id,
            cantidad=numero(hecha.cantidad),
            costo=dinero(hecha.costo),
        )


class StockRespuesta(Salida):
    """El stock de un producto en una bodega, valorado al costo FIFO."""

    producto_id: str
    producto_codigo: str = Field(examples=["TE-25"])
    producto_nombre: str = Field(examples=["Té de manzanilla, 25 sobres"])
    bodega_id: str
    cantidad: str = Field(examples=["3"])
    valor: str = Field(examples=["9.00"], description="Valor del stock al costo FIFO.")
    stock_minimo: str = Field(examples=["2"])
    bajo_minimo: bool

    @classmethod
    def desde(cls, vista: StockVista) -> Self:
        return cls(
            producto_id=vista.producto_id,
            producto_codigo=vista.producto_codigo,
            producto_nombre=vista.producto_nombre,
            bodega_id=vista.bodega_id,
            cantidad=numero(vista.cantidad),
            valor=dinero(vista.valor),
            stock_minimo=numero(vista.stock_minimo),
            bajo_minimo=vista.bajo_minimo,
        )


class ListaStock(Salida):
    """Stock por producto y bodega."""

    items: list[StockRespuesta]


class LoteRespuesta(Salida):
    """Un lote FIFO: lo que ingresó, lo que queda y a qué costo."""

    lote_id: str
    producto_id: str
    producto_codigo: str = Field(examples=["TE-25"])
    producto_nombre: str = Field(examples=["Té de manzanilla, 25 sobres"])
    bodega_id: str
    fecha_ingreso: date
    cantidad_inicial: str = Field(examples=["5"])
    cantidad_disponible: str = Field(examples=["3"])
    costo_unitario: str = Field(examples=["3.00"])
    fecha_caducidad: date | None
    vencido: bool = Field(
        description="Pasó su fecha de caducidad: ninguna salida lo toma (espera su baja)."
    )

    @classmethod
    def desde(cls, vista: LoteVista) -> Self:
        return cls(
            lote_id=vista.lote_id,
            producto_id=vista.producto_id,
            producto_codigo=vista.producto_codigo,
            producto_nombre=vista.producto_nombre,
            bodega_id=vista.bodega_id,
            fecha_ingreso=vista.fecha_ingreso,
            cantidad_inicial=numero(vista.cantidad_inicial),
            cantidad_disponible=numero(vista.cantidad_disponible),
            costo_unitario=precio(vista.costo_unitario),
            fecha_caducidad=vista.fecha_caducidad,
            vencido=vista.vencido,
        )


class ListaLotes(Salida):
    """Lotes con unidades disponibles."""

    items: list[LoteRespuesta] = Field(description="Lotes con unidades, en orden FIFO.")


class MovimientoRespuesta(Salida):
    """Una entrada o salida de un lote, con el saldo corrido del producto en la bodega:
    ENTRADA, SALIDA, AJUSTE (de un conteo físico; `motivo` FALTANTE sale, SOBRANTE entra)
    o BAJA (un lote vencido, `motivo` VENCIDO)."""

    fecha: date
    tipo: Literal["ENTRADA", "SALIDA", "AJUSTE", "BAJA"]
    motivo: str = Field(examples=["VENTA"], description="Por qué se movió el lote.")
    producto_codigo: str = Field(examples=["TE-25"])
    producto_nombre: str = Field(examples=["Té de manzanilla, 25 sobres"])
    documento: str = Field(examples=["FACTURA 001-001-000000001"])
    lote_id: str
    cantidad: str = Field(examples=["5"])
    costo_unitario: str = Field(examples=["2.00"])
    costo_total: str = Field(examples=["10.00"])
    saldo_cantidad: str = Field(examples=["5"])
    saldo_valor: str = Field(examples=["10.00"])

    @classmethod
    def desde(cls, vista: MovimientoKardex) -> Self:
        return cls(
            fecha=vista.fecha,
            tipo=vista.tipo,
            motivo=vista.motivo,
            producto_codigo=vista.producto_codigo,
            producto_nombre=vista.producto_nombre,
            documento=vista.documento,
            lote_id=vista.lote_id,
            cantidad=numero(vista.cantidad),
            costo_unitario=precio(vista.costo_unitario),
            costo_total=dinero(vista.costo_total),
            saldo_cantidad=numero(vista.saldo_cantidad),
            saldo_valor=dinero(vista.saldo_valor),
        )


class Kardex(Salida):
    """El kardex de un producto en una bodega."""

    items: list[MovimientoRespuesta] = Field(description="Movimientos, el más antiguo primero.")
