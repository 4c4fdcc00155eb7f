"""FacturaEmitida and NotaCreditoEmitida v1 → v2 (issue 13): events as the previous version
stored them load with their percentages, establecimiento and a clave de acceso derived the
same way every time; the stored data is never changed."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

from prometeo.domain.events.comprobante import DatosEstablecimiento
from prometeo.domain.events.factura import FacturaEmitida
from prometeo.domain.events.nota_credito import NotaCreditoEmitida
from prometeo.domain.value_objects.clave_acceso import ClaveAcceso, codigo_numerico_de
from prometeo.infrastructure.serializacion.codec_eventos import CodecEventos
from prometeo.infrastructure.serializacion.upcasters import (
    UPCASTERS,
    factura_emitida_v1_a_v2,
)

CODEC = CodecEventos()

# Exactly as schema v1 stored them (the JSON column of almacen_eventos).
FACTURA_V1 = (
    '{"factura_id":"factura-1","numero":"001-002-000000007","secuencial":7,'
    '"fecha_emision":"2026-11-29","lineas":[{"numero_linea":1,"producto_id":"cafe",'
    '"cantidad":"3","subtotal":"24.00","descuento_global":"0.00","base_imponible":"24.00",'
    '"tarifa_iva":"4","costo":"6.00","consumos":[{"lote_id":"661ca149-8bbd-4e04-b3d1-'
    '8d67c0346fb3","cantidad":"3","costo_unitario":"2.00","costo":"6.00",'
    '"fecha_caducidad":null,"fecha_ingreso":"2026-11-29","cantidad_inicial":"5"}]},'
    '{"numero_linea":2,"producto_id":"pan","cantidad":"1","subtotal":"1.00",'
    '"descuento_global":"0.00","base_imponible":"1.00","tarifa_iva":"2","costo":"0.50",'
    '"consumos":[]}],"importes_por_tarifa":[{"tarifa_iva":"2","base_imponible":"1.00",'
    '"iva":"0.12"},{"tarifa_iva":"4","base_imponible":"24.00","iva":"3.60"}],'
    '"subtotal_sin_impuestos":"25.00","total_descuento":"0.00","iva":"3.72",'
    '"propina":"0.00","importe_total":"28.72","costo_total":"6.50","pagos":[{"forma_pago":'
    '"01","total":"28.72","plazo":null,"unidad_tiempo":null}]}'
)
NOTA_V1 = (
    '{"nota_credito_id":"nota-2","factura_id":"factura-1","numero":"001-002-000000003",'
    '"secuencial":3,"fecha_emision":"2026-11-30","importes_por_tarifa":[{"tarifa_iva":"4",'
    '"base_imponible":"8.00","iva":"1.20"}],"subtotal_sin_impuestos":"8.00","iva":"1.20",'
    '"valor_modificacion":"9.20"}'
)


def test_version_actual_y_upcasters_registrados() -> None:
    assert FacturaEmitida.VERSION_ESQUEMA == NotaCreditoEmitida.VERSION_ESQUEMA == 2
    assert {("FacturaEmitida", 1), ("NotaCreditoEmitida", 1)} <= set(UPCASTERS)


def test_factura_emitida_v1() -> None:
    evento = CODEC.decodificar("FacturaEmitida", 1, FACTURA_V1)
    assert isinstance(evento, FacturaEmitida)
    assert evento.importe_total == Decimal("28.72")  # everything v1 had, as it was
    assert [(i.tarifa_iva, i.porcentaje) for i in evento.importes_por_tarifa] == [
        ("2", Decimal(12)),  # the rate v1 computed with, even after 2024-03-31
        ("4", Decimal(15)),
    ]
    assert [ln.porcentaje_iva for ln in evento.lineas] == [Decimal(15), Decimal(12)]
    assert evento.emisor is None
    assert evento.establecimiento == DatosEstablecimiento("001", None, "002")
    clave = ClaveAcceso(evento.clave_acceso)
    assert clave.valor[:10] == "2911202601"
    assert (clave.ruc, clave.ambiente, clave.serie, clave.secuencial) == (
        "0000000000000",
        "1",
        "001002",
        7,
    )
    assert evento.codigo_numerico == clave.codigo_numerico == codigo_numerico_de("factura-1")
    assert evento.tipo_emision == "1"


def test_nota_credito_emitida_v1() -> None:
    evento = CODEC.decodificar("NotaCreditoEmitida", 1, NOTA_V1)
    assert isinstance(evento, NotaCreditoEmitida)
    assert evento.importes_por_tarifa[0].porcentaje == Decimal(15)
    assert evento.emisor is None
    clave = ClaveAcceso(evento.clave_acceso)
    assert (clave.tipo_comprobante, clave.secuencial) == ("04", 3)
    assert clave.codigo_numerico == codigo_numerico_de("nota-2")


def test_el_upcast_es_puro_y_siempre_igual() -> None:
    guardado = json.loads(FACTURA_V1)
    intacto = copy.deepcopy(guardado)
    primero = factura_emitida_v1_a_v2(guardado)
    assert guardado == intacto  # the stored data is never touched
    assert factura_emitida_v1_a_v2(guardado) == primero
    assert CODEC.decodificar("FacturaEmitida", 1, guardado) == CODEC.decodificar(
        "FacturaEmitida", 1, FACTURA_V1
    )
    assert guardado == intacto


def test_un_evento_v1_subido_se_guarda_y_lee_igual_como_v2() -> None:
    evento = CODEC.decodificar("FacturaEmitida", 1, FACTURA_V1)
    tipo, version, texto = CODEC.codificar(evento)
    assert (tipo, version) == ("FacturaEmitida", 2)
    assert CODEC.decodificar(tipo, version, texto) == evento
