"""Bodies of notas de crédito: the request that issues one and the nota as read back."""

from __future__ import annotations

from datetime import date
from typing import Self

from pydantic import Field, StrictBool

from prometeo.application.comandos import EmitirNotaCredito, LineaNotaCreditoCmd
from prometeo.application.consultas import LineaNotaCreditoVista, NotaCreditoVista
from prometeo.entrypoints.api import datos_demo as demo
from prometeo.entrypoints.api.esquemas.comprobantes import SriRespuesta
from prometeo.entrypoints.api.esquemas.comunes import (
    Entrada,
    Fecha,
    Id,
    Numero,
    Salida,
    Texto,
    dinero,
    dinero_opcional,
    ejemplos,
    numero,
    precio,
)


class LineaNotaCreditoEntrada(Entrada):
    """Unidades a acreditar (`cantidad`) o un ajuste solo de valor (`valor`, USD)."""

    producto_id: Id
    cantidad: Numero | None = None
    valor: Numero | None = None


class NotaCreditoEntrada(Entrada):
    """Una nota de crédito sobre una factura emitida."""

    model_config = ejemplos(
        {
            "factura_id": demo.FACTURA,
            "motivo": "Devolución de mercadería",
            "devolucion_inventario": True,
            "lineas": [{"producto_id": demo.PRODUCTO_DEVUELTO, "cantidad": "2"}],
        },
        {
            "factura_id": demo.FACTURA,
            "motivo": "Descuento por pronto pago",
            "devolucion_inventario": False,
            "lineas": [{"producto_id": demo.PRODUCTO_AJUSTADO, "valor": "1.00"}],
        },
    )

    factura_id: Id
    motivo: Texto
    fecha_emision: Fecha | None = Field(default=None, description="Por omisión, hoy.")
    devolucion_inventario: StrictBool = Field(
        description="true: las unidades vuelven a la bodega de la factura como un lote nuevo "
        "al costo promedio de la línea vendida. Las líneas de `valor` exigen false."
    )
    lineas: list[LineaNotaCreditoEntrada] = Field(max_length=1000)

    def a_comando(self) -> EmitirNotaCredito:
        return EmitirNotaCredito(
            factura_id=self.factura_id,
            motivo=self.motivo,
            devolucion_inventario=self.devolucion_inventario,
            lineas=tuple(
                LineaNotaCreditoCmd(ln.producto_id, ln.cantidad, ln.valor) for ln in self.lineas
            ),
            fecha_emision=self.fecha_emision,
        )


class LineaNotaCreditoRespuesta(Salida):
    """Una línea de la nota de crédito, referida a la línea de la factura, con sus propios
    importes: subtotal = round2(cantidad × precio_unitario) − descuento (una línea solo
    por valor es una unidad a ese valor) e iva, su parte del IVA de la línea de la factura."""

    numero_linea_factura: int
    producto_id: str
    codigo: str | None = Field(examples=["CAFE"])
    descripcion: str | None = Field(examples=["Café molido 500 g"])
    cantidad: str = Field(examples=["4"])
    precio_unitario: str | None = Field(examples=["8.00"])
    descuento: str | None = Field(examples=["0.00"])
    subtotal: str = Field(examples=["32.00"])
    valor: str = Field(examples=["32.00"], description="El mismo subtotal (base imponible).")
    tarifa_iva: str = Field(examples=["4"])
    iva: str | None = Field(examples=["4.80"])
    codigo_auxiliar: str | None = Field(
        default=None,
        examples=["7861234567890"],
        description="El código auxiliar de la línea de la factura (su código de barras).",
    )

    @classmethod
    def desde(cls, vista: LineaNotaCreditoVista) -> Self:
        return cls(
            numero_linea_factura=vista.numero_linea_factura,
            producto_id=vista.producto_id,
            codigo=vista.codigo,
            descripcion=vista.descripcion,
            cantidad=numero(vista.cantidad),
            precio_unitario=None
            if vista.precio_unitario is None
            else precio(vista.precio_unitario),
            descuento=dinero_opcional(vista.descuento),
            subtotal=dinero(vista.valor),
            valor=dinero(vista.valor),
            tarifa_iva=vista.tarifa_iva,
            iva=dinero_opcional(vista.iva),
            codigo_auxiliar=vista.codigo_auxiliar,
        )


class TotalesNotaCreditoRespuesta(Salida):
    """Totales de la nota de crédito."""

    subtotal_sin_impuestos: str = Field(examples=["32.00"])
    subtotales_por_tarifa: dict[str, str] = Field(examples=[{"4": "32.00"}])
    iva: str = Field(examples=["4.80"])
    valor_modificacion: str = Field(examples=["36.80"], description="Total con impuestos.")


class NotaCreditoRespuesta(Salida):
    """Una nota de crédito emitida."""

    id: str
    numero: str | None = Field(examples=["001-001-000000001"])
    factura_id: str
    numero_factura: str = Field(examples=["001-001-000000001"])
    estado: str = Field(examples=["EMITIDA"])
    fecha_emision: date
    motivo: str
    devolucion_inventario: bool
    lineas: list[LineaNotaCreditoRespuesta]
    totales: TotalesNotaCreditoRespuesta
    clave_acceso: str | None = Field(
        default=None,
        examples=["0312202201019007200200120029020004874985766297216"],
        description="Clave de acceso del SRI (49 dígitos), fijada al emitir; null en BORRADOR.",
    )
    sri: SriRespuesta | None = Field(default=None, description="El comprobante electrónico.")

    @classmethod
    def desde(cls, vista: NotaCreditoVista) -> Self:
        return cls(
            id=vista.id,
            numero=vista.numero,
            factura_id=vista.factura_id,
            numero_factura=vista.numero_factura,
            estado=vista.estado,
            fecha_emision=vista.fecha_emision,
            motivo=vista.motivo,
            devolucion_inventario=vista.devolucion_inventario,
            lineas=[LineaNotaCreditoRespuesta.desde(ln) for ln in vista.lineas],
            totales=TotalesNotaCreditoRespuesta(
                subtotal_sin_impuestos=dinero(vista.subtotal_sin_impuestos),
                subtotales_por_tarifa={
                    t: dinero(v) for t, v in vista.subtotales_por_tarifa.items()
                },
                iva=dinero(vista.iva),
                valor_modificacion=dinero(vista.valor_modificacion),
            ),
            clave_acceso=vista.clave_acceso,
            sri=SriRespuesta.opcional(vista.sri),
        )


class ListaNotasCredito(Salida):
    """Notas de crédito."""

    items: list[NotaCreditoRespuesta]
