"""Formas de pago (SRI table) and the payments of a factura."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from prometeo.domain.errores import ValorInvalido
from prometeo.domain.value_objects.dinero import Dinero
from prometeo.domain.value_objects.texto_sri import UNIDAD_TIEMPO


class FormaPago(StrEnum):
    """SRI's formaPago codes."""

    SIN_SISTEMA_FINANCIERO = "01"
    COMPENSACION_DEUDAS = "15"
    TARJETA_DEBITO = "16"
    DINERO_ELECTRONICO = "17"
    TARJETA_PREPAGO = "18"
    TARJETA_CREDITO = "19"
    OTROS_CON_SISTEMA_FINANCIERO = "20"
    ENDOSO_TITULOS = "21"

    @classmethod
    def de_codigo(cls, codigo: str) -> FormaPago:
        try:
            return cls(str(codigo).strip())
        except ValueError:
            validos = ", ".join(f.value for f in cls)
            raise ValorInvalido(
                "FormaPagoValida",
                f"La forma de pago {codigo!r} no existe en la tabla del SRI (válidas: {validos})",
            ) from None


@dataclass(frozen=True, slots=True)
class Pago:
    """One payment of a factura: forma, total, and optionally a term (plazo, in days)."""

    forma_pago: FormaPago
    total: Dinero
    plazo: int | None = None
    unidad_tiempo: str | None = None

    def __post_init__(self) -> None:
        if self.total.es_negativo():
            raise ValorInvalido(
                "PagoValido", f"El total de un pago no puede ser negativo: {self.total}"
            )
        if self.plazo is not None and not 0 <= self.plazo <= 36500:
            raise ValorInvalido(
                "PagoValido", f"El plazo del pago debe estar entre 0 y 36500: {self.plazo}"
            )
        if self.unidad_tiempo is not None:
            object.__setattr__(self, "unidad_tiempo", UNIDAD_TIEMPO.validar(self.unidad_tiempo))
