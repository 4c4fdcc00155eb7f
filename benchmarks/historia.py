"""Long histories, quickly: the same events emissions write (FacturaCreada, LineaAgregada,
FacturaEmitida, SecuencialAsignado, StockReducido, LoteIngresado), produced by the domain
itself (Factura.crear, agregar_linea, emitir_factura, Inventario.ingresar) inside units of
work of many facturas each, without the embedded projections."""

from __future__ import annotations

import random
import uuid
from decimal import Decimal

from benchmarks.escenario import (
    BODEGA,
    CANTIDAD_LINEA,
    CLIENTE,
    HOY,
    LINEAS,
    LOTE,
    REPONER_LOTES,
    SUCURSAL,
)
from prometeo.application.servicios.conversiones import comprador_de
from prometeo.bootstrap import Aplicacion
from prometeo.domain.aggregates.factura import Factura
from prometeo.domain.reloj import RelojFijo
from prometeo.domain.services.emision import emitir_factura
from prometeo.domain.value_objects.dinero import Cantidad, Precio
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante
from prometeo.domain.value_objects.tarifa_iva import TarifaIva
from prometeo.infrastructure.db.almacen_eventos import almacen_eventos

FACTURAS_POR_COMMIT = 25


def construir_historia(
    aplicacion: Aplicacion, productos: list[str], eventos: int, semilla: int = 7
) -> int:
    """Append facturas of LINEAS lines (random products among `productos`) and the lots
    they need until the log holds at least `eventos` events; returns how many it holds."""
    azar = random.Random(semilla)
    reloj = RelojFijo(HOY)
    stock = dict.fromkeys(productos, 0)
    with aplicacion.engine.connect() as conexion:
        escritos = almacen_eventos(conexion).ultima_posicion()
    while escritos < eventos:
        with aplicacion.unidad_de_trabajo() as uow:
            cliente = uow.catalogo.cliente(CLIENTE)
            emisor = uow.catalogo.emisor()
            assert emisor is not None  # escenario.preparar_catalogo registers it
            punto = uow.secuencias.obtener("punto", TipoComprobante.FACTURA)
            for _ in range(FACTURAS_POR_COMMIT):
                elegidos = sorted(azar.sample(productos, LINEAS))
                inventarios = {p: uow.inventarios.obtener(p, BODEGA) for p in elegidos}
                for p in elegidos:
                    if stock[p] < CANTIDAD_LINEA:
                        for i in range(REPONER_LOTES):
                            inventarios[p].ingresar(
                                Cantidad(LOTE), Precio(Decimal("1.25") + i), HOY, documento="COMPRA"
                            )
                        stock[p] += REPONER_LOTES * LOTE
                factura = Factura.crear(
                    str(uuid.UUID(int=azar.getrandbits(128))),
                    punto_emision_id="punto",
                    sucursal_id=SUCURSAL,
                    bodega_id=BODEGA,
                    comprador=comprador_de(cliente),
                    fecha_emision=HOY,
                    cliente_id=CLIENTE,
                )
                uow.facturas.agregar(factura)
                for p in elegidos:
                    factura.agregar_linea(
                        producto_id=p,
                        codigo=p.upper(),
                        descripcion=f"Producto {p} de prueba",
                        cantidad=Cantidad(CANTIDAD_LINEA),
                        precio_unitario=Precio("4.00"),
                        tarifa_iva=TarifaIva.de_codigo("4"),
                    )
                    stock[p] -= CANTIDAD_LINEA
                emitir_factura(
                    factura,
                    punto,
                    inventarios,
                    establecimiento="001",
                    codigo_punto="001",
                    emisor=emisor.datos(),
                    reloj=reloj,
                )
            uow.commit()
            escritos += len(uow.confirmados)
    return escritos
