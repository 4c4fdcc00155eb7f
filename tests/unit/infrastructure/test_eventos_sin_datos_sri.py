"""Events stored before documents copied the catalog's SRI data (issue 14: the buyer's
telefono, each line's codigo_auxiliar and unidad_medida) still load, with None for what
they never had; events that carry them keep them through the codec and the snapshots."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from prometeo.domain.aggregates.factura import Factura, NuevaLinea
from prometeo.domain.aggregates.nota_credito import NotaCredito
from prometeo.domain.events.factura import FacturaCreada, LineaAgregada
from prometeo.domain.events.nota_credito import NotaCreditoCreada
from prometeo.domain.value_objects.comprador import Comprador
from prometeo.domain.value_objects.dinero import Cantidad, Precio
from prometeo.domain.value_objects.tarifa_iva import TarifaIva
from prometeo.infrastructure.serializacion import CodecEventos, CodecSnapshots

# As the encoder wrote them before the fields existed.
FACTURA_CREADA = (
    '{"factura_id":"factura-1","punto_emision_id":"punto-1","sucursal_id":"sucursal-1",'
    '"bodega_id":"bodega-1","cliente_id":"cliente-1","comprador":{"tipo_identificacion":"05",'
    '"identificacion":"0602910945","razon_social":"María Pérez","direccion":"Riobamba",'
    '"email":"maria@example.com"},"fecha_emision":"2026-11-29","propina":"0.00","pagos":[],'
    '"fecha_autorizacion":null,"fecha_caducidad":null,"lineas":[{"numero_linea":1,'
    '"producto_id":"a","codigo":"A","descripcion":"Producto a","cantidad":"2",'
    '"precio_unitario":"0.10","descuento":"0.00","tarifa_iva":"4"}],"descuento_global":null}'
)
LINEA_AGREGADA = (
    '{"factura_id":"factura-1","numero_linea":2,"producto_id":"b","codigo":"B",'
    '"descripcion":"Producto b","cantidad":"1","precio_unitario":"0.10","descuento":"0.00",'
    '"tarifa_iva":"0"}'
)
NOTA_CREDITO_CREADA = (
    '{"nota_credito_id":"nota-2","factura_id":"factura-1","numero_factura":'
    '"001-001-000000001","fecha_emision_factura":"2026-11-29","punto_emision_id":'
    '"punto-1","sucursal_id":"sucursal-1","bodega_id":"bodega-1","comprador":'
    '{"tipo_identificacion":"05","identificacion":"0602910945","razon_social":'
    '"María Pérez","direccion":"Riobamba","email":"maria@example.com"},"motivo":'
    '"Devolución del cliente","fecha_emision":"2026-11-29","devolucion_inventario":true,'
    '"lineas":[{"numero_linea_factura":1,"producto_id":"a","cantidad":"1","valor":"0.10",'
    '"tarifa_iva":"4","costo_unitario":"1.000000","codigo":"A","descripcion":"Producto a",'
    '"precio_unitario":"0.10","descuento":"0.00","porcentaje_iva":"15","iva":"0.02"}]}'
)


def test_una_factura_guardada_sin_telefono_ni_codigo_auxiliar_se_lee() -> None:
    codec = CodecEventos()
    creada = codec.decodificar("FacturaCreada", 1, FACTURA_CREADA)
    agregada = codec.decodificar("LineaAgregada", 1, LINEA_AGREGADA)
    assert isinstance(creada, FacturaCreada)
    assert isinstance(agregada, LineaAgregada)

    assert creada.comprador.telefono is None
    assert (creada.lineas[0].codigo_auxiliar, creada.lineas[0].unidad_medida) == (None, None)
    assert (agregada.codigo_auxiliar, agregada.unidad_medida) == (None, None)
    factura = Factura.reconstruir("factura-1", [creada, agregada])
    assert factura.comprador.telefono is None
    assert factura.comprador.email == "maria@example.com"
    assert [(ln.codigo, ln.codigo_auxiliar, ln.unidad_medida) for ln in factura.lineas] == [
        ("A", None, None),
        ("B", None, None),
    ]


def test_una_nota_guardada_sin_codigo_auxiliar_se_lee() -> None:
    evento = CodecEventos().decodificar("NotaCreditoCreada", 1, NOTA_CREDITO_CREADA)
    assert isinstance(evento, NotaCreditoCreada)

    assert evento.comprador.telefono is None
    assert evento.lineas[0].codigo_auxiliar is None
    assert evento.lineas[0].iva == Decimal("0.02")


def _factura_con_datos_sri() -> Factura:
    comprador = Comprador("05", "0602910945", "María Pérez", "Riobamba", None, "0991234567")
    factura = Factura.crear(
        "factura-2",
        punto_emision_id="punto-1",
        sucursal_id="sucursal-1",
        bodega_id="bodega-1",
        comprador=comprador,
        fecha_emision=date(2026, 11, 29),
        lineas=[
            NuevaLinea(
                "a",
                "A",
                "Arroz",
                Cantidad(2),
                Precio("1.20"),
                TarifaIva.de_codigo("0"),
                codigo_auxiliar="7861234567890",
                unidad_medida="kg",
            )
        ],
    )
    factura.agregar(
        NuevaLinea(
            "b", "B", "Bolsa", Cantidad(1), Precio("0.10"), TarifaIva.de_codigo("4"), None, "X1"
        )
    )
    return factura


def test_los_eventos_con_datos_sri_los_conservan() -> None:
    codec = CodecEventos()
    factura = _factura_con_datos_sri()

    leidos = [codec.decodificar(*codec.codificar(e)) for e in factura.eventos_pendientes]
    assert leidos == list(factura.eventos_pendientes)
    reconstruida = Factura.reconstruir(factura.id, leidos)
    assert reconstruida.comprador.telefono == "0991234567"
    assert [(ln.codigo_auxiliar, ln.unidad_medida) for ln in reconstruida.lineas] == [
        ("7861234567890", "kg"),
        ("X1", None),
    ]


def test_los_snapshots_conservan_los_datos_sri() -> None:
    codec = CodecSnapshots()
    factura = _factura_con_datos_sri()
    nota = NotaCredito.reconstruir(
        "nota-2", [CodecEventos().decodificar("NotaCreditoCreada", 1, NOTA_CREDITO_CREADA)]
    )

    _, datos = codec.codificar(factura)
    restaurada = codec.decodificar(Factura, datos)
    assert restaurada.comprador == factura.comprador
    assert restaurada.lineas == factura.lineas
    _, datos = codec.codificar(nota)
    assert codec.decodificar(NotaCredito, datos).lineas == nota.lineas
