"""A small shop wired with the in-memory fakes: one sucursal (001) with one punto de
emisión (001) and two bodegas, a few products and one cliente, a fixed clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypeVar

from fakes import AlmacenEnMemoria, CatalogoEnMemoria, FakeUnidadDeTrabajo

from prometeo.application.bus import BusDeMensajes, crear_bus_de_mensajes
from prometeo.application.comandos import (
    CrearBodega,
    CrearCliente,
    CrearFactura,
    CrearProducto,
    CrearPuntoEmision,
    CrearSucursal,
    LineaFacturaCmd,
    RegistrarEmisor,
    RegistrarIngreso,
)
from prometeo.application.config import Configuracion
from prometeo.application.resultados import DocumentoRegistrado
from prometeo.application.servicios import (
    ServicioCatalogo,
    ServicioFacturas,
    ServicioInventario,
    ServicioNotasCredito,
)
from prometeo.application.unidad_de_trabajo import Metadatos
from prometeo.domain.aggregates.factura import Factura
from prometeo.domain.aggregates.inventario import Inventario
from prometeo.domain.aggregates.nota_credito import NotaCredito
from prometeo.domain.errores import ReglasIncumplidas
from prometeo.domain.reloj import RelojFijo

S = TypeVar("S", ServicioCatalogo, ServicioFacturas, ServicioNotasCredito, ServicioInventario)

HOY = date(2026, 11, 29)
SUCURSAL = "sucursal-1"
PUNTO = "punto-1"
BODEGA = "bodega-1"
BODEGA_2 = "bodega-2"
CAFE = "cafe"  # 10.00, IVA 15 %, stock mínimo 2
PAN = "pan"  # 1.50, IVA 0 %
CLIENTE = "cliente-1"


@dataclass
class Escenario:
    config: Configuracion = field(default_factory=lambda: Configuracion(espera_maxima_segundos=0))
    reloj: RelojFijo = field(default_factory=lambda: RelojFijo(HOY))
    almacen: AlmacenEnMemoria = field(default_factory=AlmacenEnMemoria)
    catalogo: CatalogoEnMemoria = field(default_factory=CatalogoEnMemoria)
    bus: BusDeMensajes = field(default_factory=crear_bus_de_mensajes)
    uows: list[FakeUnidadDeTrabajo] = field(default_factory=list)

    def fabrica(self, metadatos: Metadatos) -> FakeUnidadDeTrabajo:
        uow = FakeUnidadDeTrabajo(self.almacen, self.catalogo, metadatos)
        self.uows.append(uow)
        return uow

    def _servicio(self, clase: type[S]) -> S:
        return clase(self.fabrica, self.reloj, self.bus, self.config)

    @property
    def catalogo_service(self) -> ServicioCatalogo:
        return self._servicio(ServicioCatalogo)

    @property
    def facturas(self) -> ServicioFacturas:
        return self._servicio(ServicioFacturas)

    @property
    def notas(self) -> ServicioNotasCredito:
        return self._servicio(ServicioNotasCredito)

    @property
    def inventario_service(self) -> ServicioInventario:
        return self._servicio(ServicioInventario)

    def sembrar(self) -> Escenario:
        c = self.catalogo_service
        c.registrar_emisor(
            RegistrarEmisor("1790011674001", "Comercial Andina S.A.", "Andina", "Quito", True, "1")
        )
        c.crear_sucursal(CrearSucursal("001", "Matriz", "Av. Amazonas", sucursal_id=SUCURSAL))
        c.crear_punto_emision(CrearPuntoEmision(SUCURSAL, "001", punto_emision_id=PUNTO))
        c.crear_bodega(CrearBodega(SUCURSAL, "B1", "Principal", bodega_id=BODEGA))
        c.crear_bodega(CrearBodega(SUCURSAL, "B2", "Secundaria", bodega_id=BODEGA_2))
        c.crear_producto(CrearProducto("CAF", "Café", "10.00", "4", 2, producto_id=CAFE))
        c.crear_producto(CrearProducto("PAN", "Pan", "1.50", "0", producto_id=PAN))
        c.crear_cliente(
            CrearCliente("05", "0602910945", "María Pérez", "Riobamba", cliente_id=CLIENTE)
        )
        self.uows.clear()
        return self

    # -- helpers --------------------------------------------------------------------------

    def ingresar(self, producto: str, cantidad: str, costo: str, bodega: str = BODEGA) -> str:
        cmd = RegistrarIngreso(producto, bodega, cantidad, costo)
        return self.inventario_service.registrar_ingreso(cmd).lote_id

    def vender(self, *lineas: tuple[str, str], **kwargs: object) -> DocumentoRegistrado:
        """A factura to the cliente, emitted at once, at list prices."""
        kwargs.setdefault("cliente_id", CLIENTE)
        cmd = CrearFactura(
            PUNTO,
            BODEGA,
            tuple(LineaFacturaCmd(p, c) for p, c in lineas),
            **kwargs,  # type: ignore[arg-type]
        )
        return self.facturas.crear_factura(cmd)

    def inventario(self, producto: str, bodega: str = BODEGA) -> Inventario:
        stream = f"inventario-{Inventario.id_para(producto, bodega)}"
        return Inventario.reconstruir(
            Inventario.id_para(producto, bodega), self.almacen.eventos(stream)
        )

    def stock(self, producto: str, bodega: str = BODEGA) -> Decimal:
        return self.inventario(producto, bodega).stock

    def factura(self, factura_id: str) -> Factura:
        return Factura.reconstruir(factura_id, self.almacen.eventos(f"factura-{factura_id}"))

    def nota(self, nota_id: str) -> NotaCredito:
        return NotaCredito.reconstruir(nota_id, self.almacen.eventos(f"nota_credito-{nota_id}"))

    def tipos(self, transaccion: int = -1) -> list[str]:
        return [c.evento.tipo for c in self.almacen.transacciones[transaccion]]


def borrador(tienda: Escenario, *lineas: LineaFacturaCmd, **kwargs: object) -> str:
    """A factura left in BORRADOR; returns its id."""
    cmd = CrearFactura(PUNTO, BODEGA, lineas, borrador=True, **kwargs)  # type: ignore[arg-type]
    return tienda.facturas.crear_factura(cmd).id


def reglas(error: ReglasIncumplidas) -> set[str]:
    return set(error.reglas)
