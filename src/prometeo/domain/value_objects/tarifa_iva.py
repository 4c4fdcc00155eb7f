"""IVA rates by SRI codigoPorcentaje. Rates change by decree: they are data, kept here
in one table with the dates each code may be sold on, and looked up by code everywhere
else. A document stores the percentage it was computed with (an edit of this table never
changes an issued document)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from prometeo.domain.errores import ValorInvalido
from prometeo.domain.value_objects.dinero import redondear2

CODIGO_IMPUESTO_IVA = "2"


@dataclass(frozen=True, slots=True)
class Vigencia:
    """The days a rate may be sold on, both ends included; None = unbounded."""

    desde: date | None = None
    hasta: date | None = None

    def incluye(self, fecha: date) -> bool:
        return (self.desde is None or self.desde <= fecha) and (
            self.hasta is None or fecha <= self.hasta
        )

    def __str__(self) -> str:
        if self.desde is None:
            return "siempre" if self.hasta is None else f"hasta el {self.hasta.isoformat()}"
        if self.hasta is None:
            return f"desde el {self.desde.isoformat()}"
        return f"del {self.desde.isoformat()} al {self.hasta.isoformat()}"


SIEMPRE = (Vigencia(),)


@dataclass(frozen=True, slots=True)
class TarifaIva:
    """One row of SRI's IVA table: codigoPorcentaje, its rate in percent, its name and the
    date ranges it may be sold on (possibly none: a code only decrees open)."""

    codigo: str
    porcentaje: Decimal
    descripcion: str
    vigencias: tuple[Vigencia, ...] = SIEMPRE

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

    def vigente_en(self, fecha: date) -> bool:
        return any(v.incluye(fecha) for v in self.vigencias)

    def exigir_vigente(self, fecha: date) -> TarifaIva:
        """This tarifa, if it may be sold on `fecha`."""
        if not self.vigente_en(fecha):
            raise ValorInvalido("TarifaIvaVigente", self.mensaje_no_vigente(fecha))
        return self

    def mensaje_no_vigente(self, fecha: date) -> str:
        rangos = "; ".join(str(v) for v in self.vigencias) or "ningún día decretado"
        return (
            f"La tarifa de IVA {self.codigo} ({self.descripcion}) no está vigente el "
            f"{fecha.isoformat()} (vigencia: {rangos})"
        )

    def iva_de(self, base: Decimal) -> Decimal:
        """round2(base × rate): the IVA of one tarifa group."""
        return iva_de(base, self.porcentaje)


def iva_de(base: Decimal, porcentaje: Decimal) -> Decimal:
    """round2(base × porcentaje / 100)."""
    return redondear2(base * porcentaje / 100)


# Code 8 (IVA diferenciado) applies only on the days a decree opens: add each decreed range
# to its vigencias; with none, selling it is refused.
TARIFAS_IVA: MappingProxyType[str, TarifaIva] = MappingProxyType(
    {
        t.codigo: t
        for t in (
            TarifaIva("0", Decimal(0), "0 %"),
            TarifaIva("2", Decimal(12), "12 %", (Vigencia(hasta=date(2024, 3, 31)),)),
            TarifaIva("3", Decimal(14), "14 %", (Vigencia(date(2016, 6, 1), date(2017, 5, 31)),)),
            TarifaIva("4", Decimal(15), "15 %", (Vigencia(desde=date(2024, 4, 1)),)),
            TarifaIva("5", Decimal(5), "5 %"),
            TarifaIva("6", Decimal(0), "No objeto de impuesto"),
            TarifaIva("7", Decimal(0), "Exento de IVA"),
            TarifaIva("8", Decimal(8), "IVA diferenciado", ()),
            TarifaIva("10", Decimal(13), "13 %"),
        )
    }
)
