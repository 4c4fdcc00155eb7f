"""Notas de crédito as they are read: lines, amounts, number and the factura they credit."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from prometeo.domain.aggregates.nota_credito import importes_de_lineas
from prometeo.domain.events.base import EventoDominio
from prometeo.domain.events.nota_credito import NotaCreditoCreada, NotaCreditoEmitida
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante
from prometeo.infrastructure.proyecciones.base import EventoProyectado, Proyeccion, texto
from prometeo.infrastructure.proyecciones.escritura import actualizar_por_clave, insertar
from prometeo.infrastructure.proyecciones.facturas_filas import (
    PENDIENTE_SRI,
    SIN_SRI,
    TIPOS_SRI,
    EventoSri,
    estado_sri,
    importes_json,
)
from prometeo.infrastructure.proyecciones.tablas import (
    vista_lineas_nota_credito,
    vista_notas_credito,
)

Fila = dict[str, Any]
CERO = Decimal("0.00")


class ProyeccionNotasCredito(Proyeccion):
    """Each nota de crédito with the factura it credits (by id and number), its reason,
    whether goods came back, what each line credits (units or value only), its IVA per
    tarifa and the valor de modificación."""

    nombre = "notas_credito"
    tablas = (vista_lineas_nota_credito, vista_notas_credito)
    tipos = frozenset({NotaCreditoCreada, NotaCreditoEmitida}) | TIPOS_SRI

    def aplicar(self, conexion: Connection, eventos: Sequence[EventoProyectado]) -> None:
        nuevas: dict[str, Fila] = {}
        lineas: list[Fila] = []
        emitidas: list[Fila] = []
        sri: list[Fila] = []
        for proyectado in eventos:
            evento = proyectado.evento
            if isinstance(evento, NotaCreditoCreada):
                nuevas[evento.nota_credito_id] = _creada(proyectado.posicion, evento)
                lineas.extend(_lineas(evento))
            elif isinstance(evento, NotaCreditoEmitida):
                cambios = _emision(evento)
                if evento.nota_credito_id in nuevas:
                    nuevas[evento.nota_credito_id].update(cambios)
                else:
                    emitidas.append({"id": evento.nota_credito_id, **cambios})
            elif (
                isinstance(evento, EventoSri)
                and evento.tipo_comprobante == TipoComprobante.NOTA_CREDITO.value
            ):
                cambios = estado_sri(evento)
                if evento.documento_id in nuevas:
                    nuevas[evento.documento_id].update(cambios)
                else:
                    sri.append({"id": evento.documento_id, **cambios})
        insertar(conexion, vista_notas_credito, list(nuevas.values()))
        insertar(conexion, vista_lineas_nota_credito, lineas)
        actualizar_por_clave(conexion, vista_notas_credito, ("id",), emitidas)
        actualizar_por_clave(conexion, vista_notas_credito, ("id",), sri)


def filas_de_creacion(eventos: Sequence[EventoDominio]) -> tuple[Fila, list[Fila]] | None:
    """The rows (nota, its lines in order) that `aplicar` writes for a nota de crédito
    from the events of the command that created it (its NotaCreditoCreada, then at most
    its emission), built in memory by the same functions; None for any other events."""
    if not eventos or not isinstance(eventos[0], NotaCreditoCreada) or len(eventos) > 2:
        return None
    creada = eventos[0]
    # Only the position column reads the log's place, and no view returns it.
    fila = _creada(0, creada)
    for evento in eventos[1:]:
        if (
            not isinstance(evento, NotaCreditoEmitida)
            or evento.nota_credito_id != creada.nota_credito_id
        ):
            return None
        fila.update(_emision(evento))
    return fila, _lineas(creada)


def _creada(posicion: int, evento: NotaCreditoCreada) -> Fila:
    """Until it is emitted a nota shows the amounts its emission will fix (same service)."""
    importes = importes_de_lineas(evento.lineas)
    subtotal = sum((i.base_imponible for i in importes), CERO)
    iva = sum((i.iva for i in importes), CERO)
    return {
        "id": evento.nota_credito_id,
        "posicion": posicion,
        "numero": None,
        "factura_id": evento.factura_id,
        "numero_factura": evento.numero_factura,
        "estado": "BORRADOR",
        "fecha_emision": evento.fecha_emision,
        "punto_emision_id": evento.punto_emision_id,
        "sucursal_id": evento.sucursal_id,
        "bodega_id": evento.bodega_id,
        "motivo": evento.motivo,
        "devolucion_inventario": evento.devolucion_inventario,
        "subtotal_sin_impuestos": texto(subtotal),
        "importes_por_tarifa": importes_json(importes),
        "iva": texto(iva),
        "valor_modificacion": texto(subtotal + iva),
        "clave_acceso": None,
        **SIN_SRI,
    }


def _lineas(evento: NotaCreditoCreada) -> list[Fila]:
    return [
        {
            "nota_credito_id": evento.nota_credito_id,
            "renglon": renglon,
            "numero_linea_factura": ln.numero_linea_factura,
            "producto_id": ln.producto_id,
            "cantidad": texto(ln.cantidad),
            "valor": texto(ln.valor),
            "tarifa_iva": ln.tarifa_iva,
            "costo_unitario": texto(ln.costo_unitario),
            "codigo": ln.codigo or None,
            "descripcion": ln.descripcion or None,
            "precio_unitario": _texto_o_nulo(ln.precio_unitario),
            "descuento": _texto_o_nulo(ln.descuento),
            "porcentaje_iva": _texto_o_nulo(ln.porcentaje_iva),
            "iva": _texto_o_nulo(ln.iva),
            "codigo_auxiliar": ln.codigo_auxiliar,
        }
        for renglon, ln in enumerate(evento.lineas, start=1)
    ]


def _emision(evento: NotaCreditoEmitida) -> Fila:
    return {
        "numero": evento.numero,
        "estado": "EMITIDA",
        "fecha_emision": evento.fecha_emision,
        "subtotal_sin_impuestos": texto(evento.subtotal_sin_impuestos),
        "importes_por_tarifa": importes_json(evento.importes_por_tarifa),
        "iva": texto(evento.iva),
        "valor_modificacion": texto(evento.valor_modificacion),
        "clave_acceso": evento.clave_acceso,
        **PENDIENTE_SRI,
    }


def _texto_o_nulo(valor: Decimal | None) -> str | None:
    return None if valor is None else texto(valor)
