"""Upcasters: how an event stored under an older schema version of its class becomes the
current shape, in memory, every time it is read (stored events are never rewritten).

One pure dict → dict function per (event type, schema version it upcasts FROM), which
returns the data of the next version; CodecEventos chains them. A class that raises its
VERSION_ESQUEMA must register the step here, and a test must read an event stored by the
previous version through it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from prometeo.domain.value_objects.clave_acceso import (
    TIPO_EMISION_NORMAL,
    ClaveAcceso,
    codigo_numerico_de,
)
from prometeo.domain.value_objects.numero_comprobante import NumeroComprobante, TipoComprobante

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]

# --- FacturaEmitida and NotaCreditoEmitida, v1 → v2 (issue 13) ----------------------------
#
# v1 stored neither the rate percentages, nor the emisor, nor a clave de acceso.
# - Percentages: v1 amounts were computed from the IVA table as it was then, one fixed
#   percentage per code; that table is frozen here (never today's, which may change).
# - Establecimiento: its codes are those of the document number; its address was never
#   copied (None).
# - Emisor: never copied, and an event cannot know what the catalog said then: None.
# - Clave de acceso: fecha, tipo, serie and secuencial come from the event; the código
#   numérico is derived from the document id (the same function new documents use); tipo
#   de emisión 1 (normal). The RUC and the ambiente are not in a v1 event: the RUC is
#   written as 13 zeros and the ambiente as 1 (pruebas). Documents stored by v1 were never
#   sent to the SRI (there was no electronic issuing yet), so their clave only identifies
#   them, uniquely and for good; it can never collide with a real clave (no RUC is zeros).

_PORCENTAJES_V1: Mapping[str, str] = {
    "0": "0",
    "2": "12",
    "3": "14",
    "4": "15",
    "5": "5",
    "6": "0",
    "7": "0",
    "8": "8",
    "10": "13",
}
RUC_DESCONOCIDO_V1 = "0000000000000"
AMBIENTE_V1 = "1"


def _comprobante_v1_a_v2(datos: dict[str, Any], tipo: TipoComprobante, id_: str) -> None:
    numero = NumeroComprobante.parse(datos["numero"])
    codigo_numerico = codigo_numerico_de(id_)
    clave = ClaveAcceso.generar(
        fecha_emision=date.fromisoformat(datos["fecha_emision"]),
        tipo_comprobante=tipo.value,
        ruc=RUC_DESCONOCIDO_V1,
        ambiente=AMBIENTE_V1,
        numero=numero,
        codigo_numerico=codigo_numerico,
    )
    datos["importes_por_tarifa"] = [
        {**importe, "porcentaje": _PORCENTAJES_V1[importe["tarifa_iva"]]}
        for importe in datos["importes_por_tarifa"]
    ]
    datos["emisor"] = None
    datos["establecimiento"] = {
        "codigo": numero.establecimiento,
        "direccion": None,
        "punto_emision": numero.punto_emision,
    }
    datos["clave_acceso"] = str(clave)
    datos["codigo_numerico"] = codigo_numerico
    datos["tipo_emision"] = TIPO_EMISION_NORMAL


def factura_emitida_v1_a_v2(datos: dict[str, Any]) -> dict[str, Any]:
    nuevo = dict(datos)
    _comprobante_v1_a_v2(nuevo, TipoComprobante.FACTURA, nuevo["factura_id"])
    nuevo["lineas"] = [
        # v1 events stored after lines carried their IVA already have it: kept as stored.
        {"porcentaje_iva": _PORCENTAJES_V1[linea["tarifa_iva"]], **linea}
        for linea in datos["lineas"]
    ]
    return nuevo


def nota_credito_emitida_v1_a_v2(datos: dict[str, Any]) -> dict[str, Any]:
    nuevo = dict(datos)
    _comprobante_v1_a_v2(nuevo, TipoComprobante.NOTA_CREDITO, nuevo["nota_credito_id"])
    return nuevo


UPCASTERS: Mapping[tuple[str, int], Upcaster] = {
    ("FacturaEmitida", 1): factura_emitida_v1_a_v2,
    ("NotaCreditoEmitida", 1): nota_credito_emitida_v1_a_v2,
}
