"""Bodies of a factura in BORRADOR: a line added, the changes of the draft, the pagos
given at emission, and the preview of a new factura."""

from __future__ import annotations

from typing import Self

from pydantic import Field

from prometeo.application.comandos import (
    AgregarLinea,
    DescuentoGlobalCmd,
    ModificarBorrador,
    PagoCmd,
)
from prometeo.application.consultas import FacturaVista
from prometeo.application.resultados import Previsualizacion
from prometeo.entrypoints.api import datos_demo as demo
from prometeo.entrypoints.api.esquemas.comunes import Entrada, ErrorRegla, Id, Numero, ejemplos
from prometeo.entrypoints.api.esquemas.facturas import (
    DescuentoGlobalEntrada,
    FacturaRespuesta,
    LineaFacturaEntrada,
    PagoEntrada,
)

_MAXIMO_PAGOS = 100


class LineaBorradorEntrada(LineaFacturaEntrada):
    """Una línea más para el borrador: sin precio rige el de lista; el descuento es un
    monto en USD."""

    model_config = ejemplos({"producto_id": demo.PRODUCTO, "cantidad": "2"})

    def a_comando(self, factura_id: str, *, rebajas_autorizadas: bool) -> AgregarLinea:
        return AgregarLinea(
            factura_id,
            self.producto_id,
            self.cantidad,
            self.precio_unitario,
            self.descuento,
            rebajas_autorizadas,
        )


class BorradorCambios(Entrada):
    """Lo que cambia del borrador; lo que no se nombra queda igual. `cliente_id` null
    vuelve a consumidor final; `descuento_global` null lo quita; `pagos` vacío o null
    deja un solo pago de forma 01 por el total."""

    model_config = ejemplos({"cliente_id": demo.CLIENTE, "descuento_global": {"porcentaje": "5"}})

    cliente_id: Id | None = None
    descuento_global: DescuentoGlobalEntrada | None = None
    pagos: list[PagoEntrada] | None = Field(default=None, max_length=_MAXIMO_PAGOS)
    propina: Numero | None = None

    def a_comando(self, factura_id: str, *, rebajas_autorizadas: bool) -> ModificarBorrador:
        nombrados = self.model_fields_set
        descuento = None
        if self.descuento_global is not None:
            descuento = self.descuento_global.a_comando()
        elif "descuento_global" in nombrados:
            descuento = DescuentoGlobalCmd("PORCENTAJE", 0)
        return ModificarBorrador(
            factura_id,
            cambiar_cliente="cliente_id" in nombrados,
            cliente_id=self.cliente_id,
            descuento_global=descuento,
            pagos=_pagos(self.pagos) if "pagos" in nombrados else None,
            propina=self.propina,
            rebajas_autorizadas=rebajas_autorizadas,
        )


class EmisionEntrada(Entrada):
    """Emitir el borrador; con `pagos`, estos reemplazan los suyos al emitir."""

    model_config = ejemplos({"pagos": [{"forma_pago": "19", "total": "9.20"}]})

    pagos: list[PagoEntrada] | None = Field(default=None, max_length=_MAXIMO_PAGOS)

    def pagos_cmd(self) -> tuple[PagoCmd, ...] | None:
        return None if self.pagos is None else _pagos(self.pagos)


class PrevisualizacionRespuesta(FacturaRespuesta):
    """La factura tal como quedaría (sin número ni id guardado: nada se guarda) y cada
    regla que hoy impediría emitirla; `errores` vacío: se emitiría."""

    errores: list[ErrorRegla]

    @classmethod
    def de(cls, vista: FacturaVista, previsualizacion: Previsualizacion) -> Self:
        factura = FacturaRespuesta.desde(vista)
        return cls(
            **factura.model_dump(),
            errores=[
                ErrorRegla(regla=e.regla, mensaje=e.mensaje) for e in previsualizacion.errores
            ],
        )


def _pagos(pagos: list[PagoEntrada] | None) -> tuple[PagoCmd, ...]:
    return tuple(p.a_comando() for p in pagos or ())
