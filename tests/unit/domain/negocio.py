"""Builders for domain tests: real aggregates, a fixed clock, no mocks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from prometeo.domain.aggregates.factura import Factura
from prometeo.domain.aggregates.inventario import Inventario
from prometeo.domain.aggregates.nota_credito import NotaCredito
from prometeo.domain.aggregates.secuencia import SecuenciaComprobantes
from prometeo.domain.events.comprobante import DatosEmisor
from prometeo.domain.events.factura import FacturaEmitida
from prometeo.domain.reloj import RelojFijo
from prometeo.domain.services.acreditacion import SolicitudLineaCredito
from prometeo.domain.services.emision import emitir_factura
from prometeo.domain.services.emision_nota_credito import emitir_nota_credito
from prometeo.domain.value_objects.comprador import Comprador
from prometeo.domain.value_objects.dinero import Cantidad, Dinero, Precio
from prometeo.domain.value_objects.motivo import MotivoModificacion
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante
from prometeo.domain.value_objects.tarifa_iva import TarifaIva

HOY = date(2026, 11, 29)
EMISOR = DatosEmisor(
    "1790011674001", "Comercial Andina S.A.", "Andina", "Quito", True, "1", None, None, "GENERAL"
)
BODEGA = "bodega-1"
CLIENTE = Comprador("05", "0602910945", "María Pérez", "Riobamba", "maria@example.com")


@dataclass
class Negocio:
    """A small shop: one punto de emisión, one bodega, inventories per product."""

    reloj: RelojFijo = field(default_factory=lambda: RelojFijo(HOY))
    puntos: dict[TipoComprobante, SecuenciaComprobantes] = field(default_factory=dict)
    inventarios: dict[str, Inventario] = field(default_factory=dict)
    contador: int = 0
    emisor: DatosEmisor = field(default_factory=lambda: EMISOR)

    def punto(self, tipo: TipoComprobante = TipoComprobante.FACTURA) -> SecuenciaComprobantes:
        return self.puntos.setdefault(tipo, SecuenciaComprobantes.para("punto-1", tipo))

    def inventario(self, producto: str) -> Inventario:
        return self.inventarios.setdefault(producto, Inventario.para(producto, BODEGA))

    def ingresar(self, producto: str, cantidad: str, costo: str) -> str:
        return self.inventario(producto).ingresar(Cantidad(cantidad), Precio(costo), HOY)

    def nuevo_id(self, prefijo: str) -> str:
        self.contador += 1
        return f"{prefijo}-{self.contador}"

    def borrador(
        self,
        lineas: list[tuple[str, str, str]],
        *,
        comprador: Comprador = CLIENTE,
        tarifa: str = "4",
        **kwargs: object,
    ) -> Factura:
        factura = Factura.crear(
            self.nuevo_id("factura"),
            punto_emision_id="punto-1",
            sucursal_id="sucursal-1",
            bodega_id=BODEGA,
            comprador=comprador,
            fecha_emision=kwargs.pop("fecha_emision", HOY),  # type: ignore[arg-type]
            **kwargs,  # type: ignore[arg-type]
        )
        for producto, cantidad, precio in lineas:
            factura.agregar_linea(
                producto_id=producto,
                codigo=producto.upper(),
                descripcion=f"Producto {producto}",
                cantidad=Cantidad(cantidad),
                precio_unitario=Precio(precio),
                tarifa_iva=TarifaIva.de_codigo(tarifa),
            )
        return factura

    def emitir(self, factura: Factura, **kwargs: object) -> FacturaEmitida:
        return emitir_factura(
            factura,
            self.punto(),
            {ln.producto_id: self.inventario(ln.producto_id) for ln in factura.lineas},
            establecimiento="001",
            codigo_punto="001",
            emisor=self.emisor,
            direccion_establecimiento="Av. Amazonas N24-03, Quito",
            reloj=self.reloj,
            **kwargs,  # type: ignore[arg-type]
        )

    def nota(
        self,
        factura: Factura,
        lineas: list[tuple[str, str]] | list[SolicitudLineaCredito],
        *,
        devolucion: bool = True,
        **kwargs: object,
    ) -> NotaCredito:
        solicitudes = [s if isinstance(s, SolicitudLineaCredito) else unidades(*s) for s in lineas]
        return emitir_nota_credito(
            self.nuevo_id("nota"),
            factura,
            self.punto(TipoComprobante.NOTA_CREDITO),
            {s.producto_id: self.inventario(s.producto_id) for s in solicitudes},
            solicitudes=solicitudes,
            motivo=MotivoModificacion("Devolución del cliente"),
            devolucion_inventario=devolucion,
            establecimiento="001",
            codigo_punto="001",
            emisor=self.emisor,
            direccion_establecimiento="Av. Amazonas N24-03, Quito",
            reloj=self.reloj,
            **kwargs,  # type: ignore[arg-type]
        )


def unidades(producto: str, cantidad: str) -> SolicitudLineaCredito:
    return SolicitudLineaCredito(producto, cantidad=Cantidad(cantidad))


def valor(producto: str, monto: str) -> SolicitudLineaCredito:
    return SolicitudLineaCredito(producto, valor=Dinero(monto))


def d(texto: str) -> Decimal:
    return Decimal(texto)


Builder = Callable[..., Factura]
