"""The returns form read into the command the JSON API's POST /notas-credito runs
(EmitirNotaCredito): per factura line, units to return and a value to credit, the motivo
and whether the goods come back to stock.

Invariants:
- A field that cannot be read is told beside that field and no command is made; every
  business rule (nothing chosen, more than what remains, a value line with goods back, an
  annulled factura, a motivo left blank) is the domain's to check and to word.
- The domain credits by product: a product on several lines gets the sum of what was
  typed on them, taken from those lines in order (acreditacion.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from prometeo.application.comandos import EmitirNotaCredito, LineaNotaCreditoCmd
from prometeo.domain.errores import ValorInvalido
from prometeo.entrypoints.web.devoluciones_factura import DetalleFactura
from prometeo.entrypoints.web.formato import leer_cantidad, leer_dinero

# A motivo is a line of text on the RIDE: the form lets no longer one through.
LARGO_MAXIMO_MOTIVO = 300
SI, NO = "si", "no"


def campo_cantidad(numero: int) -> str:
    return f"cantidad-{numero}"


def campo_valor(numero: int) -> str:
    return f"valor-{numero}"


@dataclass(frozen=True, slots=True)
class Devolucion:
    """The form as sent (to show it again), what could not be read (field → message), and
    the command when everything could."""

    valores: dict[str, str]
    avisos: dict[str, str] = field(default_factory=dict)
    comando: EmitirNotaCredito | None = None


def vacia() -> Devolucion:
    """The form as first shown: nothing chosen, goods back to stock."""
    return Devolucion({"devolucion": SI, "motivo": ""})


def leer_devolucion(detalle: DetalleFactura, campos: Mapping[str, str]) -> Devolucion:
    """The command for `detalle`'s factura from the form's `campos`."""
    valores = {
        "motivo": campos.get("motivo", "")[:LARGO_MAXIMO_MOTIVO],
        "devolucion": NO if campos.get("devolucion") == NO else SI,
    }
    avisos: dict[str, str] = {}
    cantidades: dict[str, Decimal] = {}
    montos: dict[str, Decimal] = {}
    for linea in detalle.lineas:
        for nombre, leer, suma in (
            (campo_cantidad(linea.numero), leer_cantidad, cantidades),
            (campo_valor(linea.numero), leer_dinero, montos),
        ):
            texto = campos.get(nombre, "").strip()[:40]
            valores[nombre] = texto
            if not texto:
                continue
            try:
                numero = leer(texto)
            except ValorInvalido as error:
                avisos[nombre] = error.errores[0].mensaje
                continue
            if numero < 0:
                avisos[nombre] = f"El valor no puede ser negativo: {texto}"
            elif numero > 0:
                suma[linea.producto_id] = suma.get(linea.producto_id, Decimal(0)) + numero
    if avisos:
        return Devolucion(valores, avisos)
    lineas = [LineaNotaCreditoCmd(p, cantidad=c) for p, c in cantidades.items()]
    lineas += [LineaNotaCreditoCmd(p, valor=v) for p, v in montos.items()]
    comando = EmitirNotaCredito(
        factura_id=detalle.id,
        motivo=valores["motivo"],
        devolucion_inventario=valores["devolucion"] == SI,
        lineas=tuple(lineas),
    )
    return Devolucion(valores, comando=comando)
