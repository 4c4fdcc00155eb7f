"""The rows of the factura read model, built from its events (pure functions: the same
event gives the same columns whether it lands on a row in memory or in an UPDATE)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from prometeo.domain.aggregates.factura import iva_de_lineas
from prometeo.domain.events.comprobante import (
    ComprobanteAutorizado,
    ComprobanteCorregido,
    ComprobanteDevuelto,
    ComprobanteEnProceso,
    ComprobanteEnviado,
    ComprobanteFirmado,
    ComprobanteNoAutorizado,
    ComprobanteNoEntregado,
    ComprobanteNoValido,
    ComprobanteRecibido,
    DatosComprador,
    MensajeSriDatos,
)
from prometeo.domain.events.factura import (
    CreditoAplicado,
    DatosLinea,
    DatosPago,
    FacturaAnulada,
    FacturaCreada,
    FacturaEmitida,
    ImportePorTarifa,
    LineaAgregada,
)
from prometeo.domain.services.totales import (
    DescuentoGlobal,
    LineaParaTotales,
    calcular_totales,
    porcentaje_de,
)
from prometeo.infrastructure.proyecciones.base import (
    EventoProyectado,
    a_centavos,
    a_json,
    a_micro,
    texto,
)

Fila = dict[str, Any]


def importes_json(importes: Iterable[ImportePorTarifa]) -> str:
    return a_json(
        [
            {
                "tarifa_iva": i.tarifa_iva,
                "base_imponible": texto(i.base_imponible),
                "iva": texto(i.iva),
            }
            for i in importes
        ]
    )


def pagos_json(pagos: Iterable[DatosPago]) -> str:
    return a_json(
        [
            {
                "forma_pago": p.forma_pago,
                "total": texto(p.total),
                "plazo": p.plazo,
                "unidad_tiempo": p.unidad_tiempo,
            }
            for p in pagos
        ]
    )


def factura_creada(proyectado: EventoProyectado, evento: FacturaCreada) -> Fila:
    """A new draft, with the global discount it was created with; its totals are zero
    until `recalcular_borrador` sees its lines."""
    descuento = evento.descuento_global
    return {
        "id": evento.factura_id,
        "posicion": proyectado.posicion,
        "numero": None,
        "estado": "BORRADOR",
        "fecha_emision": evento.fecha_emision,
        "punto_emision_id": evento.punto_emision_id,
        "sucursal_id": evento.sucursal_id,
        "bodega_id": evento.bodega_id,
        **columnas_comprador(evento.cliente_id, evento.comprador),
        "descuento_tipo": None if descuento is None else descuento.tipo_descuento,
        "descuento_valor": None if descuento is None else texto(descuento.valor),
        "subtotal_sin_impuestos": "0.00",
        "importes_por_tarifa": "[]",
        "total_descuento": "0.00",
        "iva": "0.00",
        "propina": texto(evento.propina),
        "importe_total": texto(evento.propina),
        "pagos": pagos_json(evento.pagos),
        "costo_total": None,
        "valor_acreditado": 0,
        "motivo_anulacion": None,
        "fecha_anulacion": None,
        "clave_acceso": None,
        **SIN_SRI,
    }


def linea_agregada(factura_id: str, evento: LineaAgregada | DatosLinea) -> Fila:
    """A draft line; its subtotal, share of the global discount and base are set by
    `recalcular_borrador`."""
    return {
        "factura_id": factura_id,
        "numero_linea": evento.numero_linea,
        "producto_id": evento.producto_id,
        "codigo": evento.codigo,
        "descripcion": evento.descripcion,
        "cantidad": texto(evento.cantidad),
        "precio_unitario": texto(evento.precio_unitario),
        "descuento": texto(evento.descuento),
        "subtotal": "0.00",
        "descuento_global": "0.00",
        "base_imponible": "0.00",
        "tarifa_iva": evento.tarifa_iva,
        "costo": None,
        "cantidad_acreditada": 0,
        "valor_acreditado": 0,
        "iva": "0.00",
        "porcentaje_iva": None,
        "codigo_auxiliar": evento.codigo_auxiliar,
        "unidad_medida": evento.unidad_medida,
    }


def recalcular_borrador(factura: Fila, lineas: Mapping[int, Fila]) -> None:
    """A draft's totals, computed as its emission will compute them (same domain service)."""
    descuento = (
        DescuentoGlobal(factura["descuento_tipo"], Decimal(factura["descuento_valor"]))
        if factura["descuento_tipo"]
        else None
    )
    ordenadas = [lineas[n] for n in sorted(lineas)]
    totales = calcular_totales(
        [
            LineaParaTotales(
                ln["numero_linea"],
                Decimal(ln["cantidad"]),
                Decimal(ln["precio_unitario"]),
                Decimal(ln["descuento"]),
                ln["tarifa_iva"],
            )
            for ln in ordenadas
        ],
        descuento,
        Decimal(factura["propina"]),
    )
    for linea, total in zip(ordenadas, totales.lineas, strict=True):
        linea["subtotal"] = texto(total.subtotal)
        linea["descuento_global"] = texto(total.descuento_global)
        linea["base_imponible"] = texto(total.base_imponible)
        linea["iva"] = texto(total.iva)
        linea["porcentaje_iva"] = texto(total.porcentaje_iva)
    factura.update(
        subtotal_sin_impuestos=texto(totales.subtotal_sin_impuestos),
        importes_por_tarifa=importes_json(
            ImportePorTarifa(t, base, iva, porcentaje_de(t))
            for (t, base), (_, iva) in zip(
                totales.bases_por_tarifa, totales.iva_por_tarifa, strict=True
            )
        ),
        total_descuento=texto(totales.total_descuento),
        iva=texto(totales.iva),
        importe_total=texto(totales.importe_total),
    )


def emision(evento: FacturaEmitida) -> tuple[Fila, list[Fila]]:
    """What emission fixes for good: the number, the final amounts, the payments and the
    cost of each line (changes of the factura, changes of each line by its key)."""
    factura = {
        "numero": evento.numero,
        "estado": "EMITIDA",
        "fecha_emision": evento.fecha_emision,
        "subtotal_sin_impuestos": texto(evento.subtotal_sin_impuestos),
        "importes_por_tarifa": importes_json(evento.importes_por_tarifa),
        "total_descuento": texto(evento.total_descuento),
        "iva": texto(evento.iva),
        "propina": texto(evento.propina),
        "importe_total": texto(evento.importe_total),
        "pagos": pagos_json(evento.pagos),
        "costo_total": texto(evento.costo_total),
        "clave_acceso": evento.clave_acceso,
        **PENDIENTE_SRI,
    }
    lineas = [
        {
            "factura_id": evento.factura_id,
            "numero_linea": ln.numero_linea,
            "subtotal": texto(ln.subtotal),
            "descuento_global": texto(ln.descuento_global),
            "base_imponible": texto(ln.base_imponible),
            "costo": texto(ln.costo),
            "iva": texto(iva),
            "porcentaje_iva": None if ln.porcentaje_iva is None else texto(ln.porcentaje_iva),
        }
        for ln, iva in zip(evento.lineas, iva_de_lineas(evento), strict=True)
    ]
    return factura, lineas


def nota_de(proyectado: EventoProyectado, evento: CreditoAplicado) -> Fila:
    return {
        "factura_id": evento.factura_id,
        "nota_credito_id": evento.nota_credito_id,
        "posicion": proyectado.posicion,
        "numero_nota_credito": evento.numero_nota_credito,
        "valor_total": texto(evento.valor_total),
    }


def creditos_por_linea(evento: CreditoAplicado) -> list[tuple[int, int, int]]:
    """(numero_linea, micro-units, cents) credited on each line."""
    return [(c.numero_linea, a_micro(c.cantidad), a_centavos(c.valor)) for c in evento.lineas]


def anulacion(evento: FacturaAnulada) -> Fila:
    return {
        "estado": "ANULADA",
        "motivo_anulacion": evento.motivo,
        "fecha_anulacion": evento.fecha,
    }


# -- the electronic document ------------------------------------------------------------------

SIN_SRI: Fila = {
    "estado_sri": None,
    "mensajes_sri": None,
    "numero_autorizacion": None,
    "fecha_autorizacion": None,
}
PENDIENTE_SRI: Fila = {**SIN_SRI, "estado_sri": "PENDIENTE", "mensajes_sri": "[]"}


EventoSri = (
    ComprobanteFirmado
    | ComprobanteCorregido
    | ComprobanteNoEntregado
    | ComprobanteNoValido
    | ComprobanteEnviado
    | ComprobanteRecibido
    | ComprobanteDevuelto
    | ComprobanteEnProceso
    | ComprobanteAutorizado
    | ComprobanteNoAutorizado
)
TIPOS_SRI = frozenset(
    {
        ComprobanteFirmado,
        ComprobanteCorregido,
        ComprobanteNoEntregado,
        ComprobanteNoValido,
        ComprobanteEnviado,
        ComprobanteRecibido,
        ComprobanteDevuelto,
        ComprobanteEnProceso,
        ComprobanteAutorizado,
        ComprobanteNoAutorizado,
    }
)


def _mensajes(mensajes: Iterable[MensajeSriDatos]) -> str:
    return a_json(
        [
            {
                "identificador": m.identificador,
                "mensaje": m.mensaje,
                "informacion_adicional": m.informacion_adicional,
                "tipo": m.tipo,
            }
            for m in mensajes
        ]
    )


def estado_sri(evento: EventoSri) -> Fila:
    """What a step of the comprobante's life changes on its document's row (always the
    same four columns, so that a batch updates them in one statement)."""
    fila: Fila = {**SIN_SRI, "mensajes_sri": "[]"}
    match evento:
        case ComprobanteFirmado() | ComprobanteEnviado() | ComprobanteNoEntregado():
            fila["estado_sri"] = "FIRMADO"
        case ComprobanteNoValido():
            fila["estado_sri"] = "PENDIENTE"
            fila["mensajes_sri"] = _mensajes(
                MensajeSriDatos(
                    "XSD", "El XML no cumple el esquema del SRI; no se envía", error, "ERROR"
                )
                for error in evento.errores
            )
        case ComprobanteRecibido():
            fila.update(estado_sri="RECIBIDA", mensajes_sri=_mensajes(evento.mensajes))
        case ComprobanteDevuelto():
            # "0" is prometeo's own: the SRI had nothing for a send in flight; it goes again.
            otra_vez = any(m.identificador == "0" for m in evento.mensajes)
            fila.update(
                estado_sri="FIRMADO" if otra_vez else "DEVUELTA",
                mensajes_sri=_mensajes(evento.mensajes),
            )
        case ComprobanteEnProceso():
            fila["estado_sri"] = "EN PROCESO"
        case ComprobanteAutorizado():
            fila.update(
                estado_sri="AUTORIZADO",
                mensajes_sri=_mensajes(evento.mensajes),
                numero_autorizacion=evento.numero_autorizacion,
                fecha_autorizacion=evento.fecha_autorizacion.isoformat(),
            )
        case ComprobanteNoAutorizado():
            fila.update(estado_sri="NO AUTORIZADO", mensajes_sri=_mensajes(evento.mensajes))
        case ComprobanteCorregido():
            fila["estado_sri"] = "PENDIENTE"
            fila["mensajes_sri"] = _mensajes(
                (
                    MensajeSriDatos(
                        "CORRECCION",
                        "Corregido: se firma y se envía de nuevo al SRI",
                        evento.motivo,
                        "INFORMATIVO",
                    ),
                )
            )
    return fila


def columnas_comprador(cliente_id: str | None, c: DatosComprador) -> Fila:
    """The buyer's columns (written at creation, rewritten by a correction)."""
    return {
        "cliente_id": cliente_id,
        "tipo_identificacion": c.tipo_identificacion,
        "identificacion": c.identificacion,
        "razon_social": c.razon_social,
        "direccion": c.direccion,
        "email": c.email,
        "telefono": c.telefono,
    }
