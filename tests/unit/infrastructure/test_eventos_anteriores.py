"""Events stored before lines carried their IVA (issue 13) still load, and the aggregates
derive the same amounts from what they do store."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from prometeo.domain.aggregates.factura import Factura, LineaFactura, iva_de_creditos
from prometeo.domain.aggregates.nota_credito import importes_de_lineas
from prometeo.domain.events.factura import (
    CreditoAplicado,
    DatosComprador,
    DatosLinea,
    FacturaCreada,
    FacturaEmitida,
    ImportePorTarifa,
)
from prometeo.domain.events.nota_credito import NotaCreditoCreada
from prometeo.domain.services.acreditacion import SolicitudLineaCredito, acreditar
from prometeo.domain.value_objects.dinero import Cantidad
from prometeo.infrastructure.serializacion import CodecEventos


def test_una_factura_guardada_sin_iva_por_linea_lo_deriva_de_su_tarifa() -> None:
    """FacturaEmitida as stored before lines carried their IVA (JSON from that encoder)."""
    guardado = (
        '{"factura_id":"factura-1","numero":"001-001-000000001","secuencial":1,'
        '"fecha_emision":"2026-11-29","lineas":[{"numero_linea":1,"producto_id":"a",'
        '"cantidad":"2","subtotal":"0.20","descuento_global":"0.00","base_imponible":"0.20",'
        '"tarifa_iva":"4","costo":"2.00","consumos":[{"lote_id":'
        '"dc7e0c65-2331-4c50-9da8-63d2f51f62e3","cantidad":"2","costo_unitario":"1.00",'
        '"costo":"2.00","fecha_caducidad":null,"fecha_ingreso":"2026-11-29",'
        '"cantidad_inicial":"2"}]},{"numero_linea":2,"producto_id":"b","cantidad":"1",'
        '"subtotal":"0.10","descuento_global":"0.00","base_imponible":"0.10",'
        '"tarifa_iva":"4","costo":"1.00","consumos":[{"lote_id":'
        '"4ec329a2-7d06-44e6-a978-ce1eaba1105c","cantidad":"1","costo_unitario":"1.00",'
        '"costo":"1.00","fecha_caducidad":null,"fecha_ingreso":"2026-11-29",'
        '"cantidad_inicial":"1"}]}],"importes_por_tarifa":[{"tarifa_iva":"4",'
        '"base_imponible":"0.30","iva":"0.05"}],"subtotal_sin_impuestos":"0.30",'
        '"total_descuento":"0.00","iva":"0.05","propina":"0.00","importe_total":"0.35",'
        '"costo_total":"3.00","pagos":[{"forma_pago":"01","total":"0.35","plazo":null,'
        '"unidad_tiempo":null}]}'
    )
    evento = CodecEventos().decodificar("FacturaEmitida", 1, guardado)
    assert isinstance(evento, FacturaEmitida)
    # The v1 → v2 upcaster gives each line the rate v1 computed with; its IVA is derived.
    assert [(ln.porcentaje_iva, ln.iva) for ln in evento.lineas] == [(d("15"), None)] * 2
    creada = FacturaCreada(
        factura_id="factura-1",
        punto_emision_id="punto-1",
        sucursal_id="sucursal-1",
        bodega_id="bodega-1",
        cliente_id=None,
        comprador=DatosComprador("05", "0602910945", "María Pérez"),
        fecha_emision=date(2026, 11, 29),
        lineas=(
            DatosLinea(1, "a", "A", "Producto a", d("2"), d("0.10"), d("0.00"), "4"),
            DatosLinea(2, "b", "B", "Producto b", d("1"), d("0.10"), d("0.00"), "4"),
        ),
    )
    factura = Factura.reconstruir("factura-1", [creada, evento])
    assert [ln.iva for ln in factura.lineas] == [d("0.03"), d("0.02")]
    acreditacion = acreditar(
        factura,
        [
            SolicitudLineaCredito("a", cantidad=Cantidad(2)),
            SolicitudLineaCredito("b", cantidad=Cantidad(1)),
        ],
    )
    assert sum(ln.iva or 0 for ln in acreditacion.lineas) == d("0.05")


def test_una_nota_guardada_sin_importes_por_linea_se_lee_igual() -> None:
    """NotaCreditoCreada as stored before its lines carried their own amounts."""
    guardado = (
        '{"nota_credito_id":"nota-2","factura_id":"factura-1","numero_factura":'
        '"001-001-000000001","fecha_emision_factura":"2026-11-29","punto_emision_id":'
        '"punto-1","sucursal_id":"sucursal-1","bodega_id":"bodega-1","comprador":'
        '{"tipo_identificacion":"05","identificacion":"0602910945","razon_social":'
        '"María Pérez","direccion":"Riobamba","email":"maria@example.com"},"motivo":'
        '"Devolución del cliente","fecha_emision":"2026-11-29","devolucion_inventario":true,'
        '"lineas":[{"numero_linea_factura":1,"producto_id":"a","cantidad":"1","valor":"0.10",'
        '"tarifa_iva":"4","costo_unitario":"1.000000"}]}'
    )
    evento = CodecEventos().decodificar("NotaCreditoCreada", 1, guardado)
    assert isinstance(evento, NotaCreditoCreada)
    (linea,) = evento.lineas
    assert (linea.codigo, linea.precio_unitario, linea.descuento, linea.iva) == (
        "",
        None,
        None,
        None,
    )
    # As that version computed it: round2(base × rate) per tarifa.
    assert importes_de_lineas(evento.lineas) == (
        ImportePorTarifa("4", d("0.10"), d("0.02"), d("15")),
    )


def d(texto: str) -> Decimal:
    return Decimal(texto)


def test_un_credito_guardado_sin_iva_se_reparte_como_lo_calculo_su_nota() -> None:
    """CreditoAplicado as stored before credits carried their IVA: it loads with iva None,
    and the factura allots what that nota credited then, round2(Σ valor × 15 %) = 0.08, to
    its lines."""
    guardado = (
        '{"factura_id":"factura-1","nota_credito_id":"nota-1","numero_nota_credito":'
        '"001-001-000000001","lineas":[{"numero_linea":1,"producto_id":"a","cantidad":"1",'
        '"valor":"0.25"},{"numero_linea":2,"producto_id":"b","cantidad":"1","valor":"0.25"}],'
        '"valor_total":"0.58"}'
    )
    evento = CodecEventos().decodificar("CreditoAplicado", 1, guardado)
    assert isinstance(evento, CreditoAplicado)
    assert [c.iva for c in evento.lineas] == [None, None]
    lineas = [
        LineaFactura(
            n,
            p,
            p.upper(),
            p,
            Decimal(1),
            Decimal("0.25"),
            Decimal(0),
            "4",
            base_imponible=Decimal("0.25"),
            porcentaje_iva=Decimal(15),
            iva=Decimal("0.04"),
        )
        for n, p in ((1, "a"), (2, "b"))
    ]
    assert iva_de_creditos(evento, lineas) == [Decimal("0.04"), Decimal("0.04")]
