"""Bodies of facturas: the request that creates (and usually emits) one, and the factura
as the read model shows it."""

from __future__ import annotations

from datetime import date
from typing import Self

from pydantic import Field, StrictBool, StrictInt, model_validator

from prometeo.application.comandos import (
    AnularFactura,
    CrearFactura,
    DescuentoGlobalCmd,
    LineaFacturaCmd,
    PagoCmd,
)
from prometeo.application.consultas import (
    CompradorVista,
    FacturaVista,
    LineaFacturaVista,
    PagoVista,
    TotalesVista,
)
from prometeo.domain.value_objects.forma_pago import FormaPago
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

_MAXIMO_LINEAS = 1000


class LineaFacturaEntrada(Entrada):
    """Una línea de la factura: sin precio rige el de lista; el descuento es un monto en USD."""

    producto_id: Id
    cantidad: Numero = Field(description="Unidades vendidas (mayor que cero, hasta 6 decimales).")
    precio_unitario: Numero | None = Field(
        default=None, description="Sin él rige el precio de lista del producto."
    )
    descuento: Numero | None = Field(default=None, description="Descuento de la línea en USD.")


class DescuentoGlobalEntrada(Entrada):
    """Un descuento sobre toda la factura: `porcentaje` (0 a 100) o `monto` (USD), uno solo."""

    porcentaje: Numero | None = None
    monto: Numero | None = None

    @model_validator(mode="after")
    def _uno_solo(self) -> Self:
        if (self.porcentaje is None) == (self.monto is None):
            raise ValueError("indique porcentaje o monto, uno de los dos")
        return self

    def a_comando(self) -> DescuentoGlobalCmd:
        if self.porcentaje is not None:
            return DescuentoGlobalCmd("PORCENTAJE", self.porcentaje)
        assert self.monto is not None
        return DescuentoGlobalCmd("MONTO", self.monto)


class PagoEntrada(Entrada):
    """Un pago de la factura (forma de pago del SRI, total y, si aplica, plazo)."""

    forma_pago: Texto = Field(
        description="Código SRI de la forma de pago: 01 efectivo (sin sistema financiero), "
        "16 débito, 19 crédito, 20 otros con sistema financiero...",
        json_schema_extra={"enum": [f.value for f in FormaPago]},
    )
    total: Numero
    plazo: StrictInt | None = Field(default=None, ge=0, le=36500)
    unidad_tiempo: Texto | None = Field(default=None, examples=["dias"])

    def a_comando(self) -> PagoCmd:
        return PagoCmd(self.forma_pago, self.total, self.plazo, self.unidad_tiempo)


class FacturaEntrada(Entrada):
    """Una factura nueva: se emite en la misma transacción salvo `borrador`."""

    model_config = ejemplos(
        {
            "punto_emision_id": demo.PUNTO_EMISION,
            "bodega_id": demo.BODEGA,
            "cliente_id": demo.CLIENTE,
            "lineas": [{"producto_id": demo.PRODUCTO, "cantidad": "7", "precio_unitario": "8.00"}],
            "descuento_global": {"porcentaje": "10"},
            "pagos": [{"forma_pago": "19", "total": "57.96"}],
        }
    )

    punto_emision_id: Id
    bodega_id: Id = Field(description="Bodega de la que sale la mercadería (FIFO).")
    cliente_id: Id | None = Field(default=None, description="Sin cliente: consumidor final.")
    fecha_emision: Fecha | None = Field(default=None, description="Por omisión, hoy.")
    lineas: list[LineaFacturaEntrada] = Field(max_length=_MAXIMO_LINEAS)
    descuento_global: DescuentoGlobalEntrada | None = None
    pagos: list[PagoEntrada] = Field(
        default_factory=list,
        max_length=100,
        description="Sin pagos: uno de forma 01 por el importe total.",
    )
    propina: Numero | None = None
    fecha_autorizacion: Fecha | None = None
    fecha_caducidad: Fecha | None = None
    borrador: StrictBool = Field(default=False, description="true: se guarda sin emitir.")

    def a_comando(self, *, rebajas_autorizadas: bool) -> CrearFactura:
        return CrearFactura(
            punto_emision_id=self.punto_emision_id,
            bodega_id=self.bodega_id,
            lineas=tuple(
                LineaFacturaCmd(ln.producto_id, ln.cantidad, ln.precio_unitario, ln.descuento)
                for ln in self.lineas
            ),
            cliente_id=self.cliente_id,
            fecha_emision=self.fecha_emision,
            descuento_global=None
            if self.descuento_global is None
            else self.descuento_global.a_comando(),
            pagos=tuple(p.a_comando() for p in self.pagos),
            propina=self.propina,
            fecha_autorizacion=self.fecha_autorizacion,
            fecha_caducidad=self.fecha_caducidad,
            borrador=self.borrador,
            rebajas_autorizadas=rebajas_autorizadas,
        )


class AnulacionEntrada(Entrada):
    """Anulación de una factura emitida: el motivo queda registrado."""

    model_config = ejemplos({"motivo": "Error en el cliente facturado"})

    motivo: Texto

    def a_comando(self, factura_id: str) -> AnularFactura:
        return AnularFactura(factura_id, self.motivo)


class CompradorRespuesta(Salida):
    """El comprador tal como figura en la factura (o el consumidor final 9999999999999)."""

    tipo_identificacion: str = Field(examples=["05"])
    identificacion: str = Field(examples=["0602910945"])
    razon_social: str
    direccion: str | None = None
    email: str | None = None
    telefono: str | None = None

    @classmethod
    def desde(cls, vista: CompradorVista) -> Self:
        return cls(
            tipo_identificacion=vista.tipo_identificacion,
            identificacion=vista.identificacion,
            razon_social=vista.razon_social,
            direccion=vista.direccion,
            email=vista.email,
            telefono=vista.telefono,
        )


class LineaFacturaRespuesta(Salida):
    """Una línea de la factura, con su base imponible y el costo FIFO de lo que sacó del stock."""

    numero_linea: int
    producto_id: str
    codigo: str
    descripcion: str
    cantidad: str = Field(examples=["7"])
    precio_unitario: str = Field(examples=["8.00"])
    descuento: str = Field(examples=["0.00"])
    subtotal: str = Field(examples=["56.00"])
    descuento_global: str = Field(examples=["0.00"])
    base_imponible: str = Field(examples=["56.00"])
    tarifa_iva: str = Field(examples=["4"])
    costo: str | None = Field(
        examples=["16.00"], description="Costo FIFO de lo que la línea sacó del stock."
    )
    cantidad_acreditada: str = Field(examples=["0"])
    valor_acreditado: str = Field(examples=["0.00"])
    iva: str | None = Field(
        examples=["8.40"],
        description="IVA de la línea: las líneas de una tarifa suman exactamente su IVA.",
    )
    codigo_auxiliar: str | None = Field(
        default=None,
        examples=["7861234567890"],
        description="El primer código de barras del producto al registrar la línea.",
    )
    unidad_medida: str | None = Field(default=None, examples=["kg"])

    @classmethod
    def desde(cls, vista: LineaFacturaVista) -> Self:
        return cls(
            numero_linea=vista.numero_linea,
            producto_id=vista.producto_id,
            codigo=vista.codigo,
            descripcion=vista.descripcion,
            cantidad=numero(vista.cantidad),
            precio_unitario=precio(vista.precio_unitario),
            descuento=dinero(vista.descuento),
            subtotal=dinero(vista.subtotal),
            descuento_global=dinero(vista.descuento_global),
            base_imponible=dinero(vista.base_imponible),
            tarifa_iva=vista.tarifa_iva,
            costo=dinero_opcional(vista.costo),
            cantidad_acreditada=numero(vista.cantidad_acreditada),
            valor_acreditado=dinero(vista.valor_acreditado),
            iva=dinero_opcional(vista.iva),
            codigo_auxiliar=vista.codigo_auxiliar,
            unidad_medida=vista.unidad_medida,
        )


class TotalesRespuesta(Salida):
    """Totales de la factura, redondeados a centavos (ROUND_HALF_UP)."""

    subtotal_sin_impuestos: str = Field(examples=["56.00"])
    subtotales_por_tarifa: dict[str, str] = Field(examples=[{"4": "56.00"}])
    total_descuento: str = Field(examples=["0.00"])
    iva: str = Field(examples=["8.40"])
    propina: str = Field(examples=["0.00"])
    importe_total: str = Field(examples=["64.40"])

    @classmethod
    def desde(cls, vista: TotalesVista) -> Self:
        return cls(
            subtotal_sin_impuestos=dinero(vista.subtotal_sin_impuestos),
            subtotales_por_tarifa={t: dinero(v) for t, v in vista.subtotales_por_tarifa.items()},
            total_descuento=dinero(vista.total_descuento),
            iva=dinero(vista.iva),
            propina=dinero(vista.propina),
            importe_total=dinero(vista.importe_total),
        )


class PagoRespuesta(Salida):
    """Un pago de la factura."""

    forma_pago: str = Field(examples=["01"])
    total: str = Field(examples=["64.40"])
    plazo: int | None = None
    unidad_tiempo: str | None = None

    @classmethod
    def desde(cls, vista: PagoVista) -> Self:
        return cls(
            forma_pago=vista.forma_pago,
            total=dinero(vista.total),
            plazo=vista.plazo,
            unidad_tiempo=vista.unidad_tiempo,
        )


class FacturaRespuesta(Salida):
    """Una factura como la guarda el modelo de lectura, con totales y costo FIFO por línea."""

    id: str
    numero: str | None = Field(
        examples=["001-001-000000001"], description="null mientras está en BORRADOR."
    )
    estado: str = Field(
        examples=["EMITIDA"], description="BORRADOR, EMITIDA, ANULADA o DESCARTADA."
    )
    fecha_emision: date
    punto_emision_id: str
    sucursal_id: str
    bodega_id: str
    cliente_id: str | None
    cliente: CompradorRespuesta
    lineas: list[LineaFacturaRespuesta]
    totales: TotalesRespuesta
    pagos: list[PagoRespuesta]
    costo_total: str | None = Field(examples=["16.00"])
    valor_acreditado: str = Field(examples=["0.00"], description="Acreditado por notas.")
    notas_credito: list[str] = Field(description="Ids de sus notas de crédito.")
    motivo_anulacion: str | None = None
    clave_acceso: str | None = Field(
        default=None,
        examples=["0312202201019007200200120029020004874985766297216"],
        description="Clave de acceso del SRI (49 dígitos), fijada al emitir; null en BORRADOR.",
    )
    sri: SriRespuesta | None = Field(
        default=None, description="El comprobante electrónico; null en BORRADOR."
    )

    @classmethod
    def desde(cls, vista: FacturaVista) -> Self:
        return cls(
            id=vista.id,
            numero=vista.numero,
            estado=vista.estado,
            fecha_emision=vista.fecha_emision,
            punto_emision_id=vista.punto_emision_id,
            sucursal_id=vista.sucursal_id,
            bodega_id=vista.bodega_id,
            cliente_id=vista.cliente_id,
            cliente=CompradorRespuesta.desde(vista.cliente),
            lineas=[LineaFacturaRespuesta.desde(ln) for ln in vista.lineas],
            totales=TotalesRespuesta.desde(vista.totales),
            pagos=[PagoRespuesta.desde(p) for p in vista.pagos],
            costo_total=dinero_opcional(vista.costo_total),
            valor_acreditado=dinero(vista.valor_acreditado),
            notas_credito=list(vista.notas_credito),
            motivo_anulacion=vista.motivo_anulacion,
            clave_acceso=vista.clave_acceso,
            sri=SriRespuesta.opcional(vista.sri),
        )


class ListaFacturas(Salida):
    """Facturas."""

    items: list[FacturaRespuesta]
