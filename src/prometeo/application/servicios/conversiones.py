"""From what a client sends to what the business speaks: primitives become value objects
here, so a malformed value is refused by the domain with the rule it breaks."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Literal

from prometeo.application.comandos import LineaNotaCreditoCmd, PagoCmd
from prometeo.domain.entities.catalogo import Cliente
from prometeo.domain.errores import RevisionDeReglas, ValorInvalido
from prometeo.domain.services.acreditacion import SolicitudLineaCredito
from prometeo.domain.services.totales import DescuentoGlobal
from prometeo.domain.value_objects.comprador import Comprador
from prometeo.domain.value_objects.dinero import Cantidad, Dinero, Numero, a_decimal
from prometeo.domain.value_objects.forma_pago import FormaPago, Pago


def comprador_de(cliente: Cliente | None) -> Comprador:
    """The buyer as printed on a document: the cliente's data, or consumidor final."""
    if cliente is None:
        return Comprador.consumidor_final()
    return Comprador(
        cliente.identificacion.tipo.value,
        cliente.identificacion.numero,
        cliente.razon_social,
        str(cliente.direccion) if cliente.direccion is not None else None,
        cliente.email,
        cliente.telefono,
    )


def dinero_opcional(monto: Numero | None) -> Dinero | None:
    return None if monto is None else Dinero(monto)


def pagos_de(pagos: Iterable[PagoCmd]) -> tuple[Pago, ...]:
    return tuple(
        Pago(FormaPago.de_codigo(p.forma_pago), Dinero(p.total), p.plazo, p.unidad_tiempo)
        for p in pagos
    )


def _tipo_descuento(tipo: str) -> Literal["PORCENTAJE", "MONTO"]:
    normalizado = tipo.strip().upper() if isinstance(tipo, str) else ""
    if normalizado == "PORCENTAJE":
        return "PORCENTAJE"
    if normalizado == "MONTO":
        return "MONTO"
    raise ValorInvalido(
        "DescuentoGlobalValido",
        f"El tipo de descuento global debe ser PORCENTAJE o MONTO, no {tipo!r}",
    )


def descuento_global_de(tipo: str, valor: Numero) -> DescuentoGlobal:
    return DescuentoGlobal(
        _tipo_descuento(tipo), a_decimal(valor, "DescuentoGlobalValido", "El descuento global")
    )


def solicitudes_de(lineas: Iterable[LineaNotaCreditoCmd]) -> list[SolicitudLineaCredito]:
    """The lines of a nota de crédito as the domain reads them: units or a value. Every
    wrong line is reported, not only the first."""

    def solicitud(numero: int, linea: LineaNotaCreditoCmd) -> SolicitudLineaCredito:
        return SolicitudLineaCredito(
            linea.producto_id,
            cantidad=None if linea.cantidad is None else Cantidad(linea.cantidad),
            valor=dinero_opcional(linea.valor),
            numero=numero,
        )

    revision = RevisionDeReglas()
    solicitudes = [
        revision.revisar(partial(solicitud, numero, linea))
        for numero, linea in enumerate(lineas, start=1)
    ]
    revision.exigir()
    return [s for s in solicitudes if s is not None]
