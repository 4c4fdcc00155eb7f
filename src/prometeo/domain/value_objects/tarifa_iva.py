"""IVA rates by SRI codigoPorcentaje. Rates change by decree: they are data, kept here
in one table, and looked up by code everywhere else."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from prometeo.domain.errores import ValorInvalido
from prometeo.domain.value_objects.dinero import redondear2

CODIGO_IMPUESTO_IVA = "2"


@dataclass(frozen=True, slots=True)
class TarifaIva:
    """One row of SRI's IVA table: codigoPorcentaje, its rate in percent and its name."""

    codigo: str
    porcentaje: Decimal
    descripcion: str

    @classmethod
    def de_codigo(cls, codigo: str) -> TarifaIva:
        tarifa = TARIFAS_IVA.get(str(codigo).strip())
        if tarifa is None:
            validos = ", ".join(TARIFAS_IVA)
            raise ValorInvalido(
                "TarifaIvaValida",
                f"La tarifa de IVA {codigo!r} no existe en la tabla del SRI (válidas: {validos})",
            )
        return tarifa

    def iva_de(self, base: Decimal) -> Decimal:
        """round2(base × rate): the IVA of one tarifa group."""
        return redondear2(base * self.porcentaje / 100)


TARIFAS_IVA: MappingProxyType[str, TarifaIva] = MappingProxyType(
    {
        t.codigo: t
        for t in (
            TarifaIva("0", Decimal(0), "0 %"),
            TarifaIva("2", Decimal(12), "12 %"),
            TarifaIva("3", Decimal(14), "14 %"),
            TarifaIva("4", Decimal(15), "15 %"),
            TarifaIva("5", Decimal(5), "5 %"),
            TarifaIva("6", Decimal(0), "No objeto de impuesto"),
            TarifaIva("7", Decimal(0), "Exento de IVA"),
            TarifaIva("8", Decimal(8), "IVA diferenciado"),
            TarifaIva("10", Decimal(13), "13 %"),
        )
    }
)
