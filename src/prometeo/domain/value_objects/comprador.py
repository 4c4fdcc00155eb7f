"""The buyer of a document."""

from __future__ import annotations

from dataclasses import dataclass

from prometeo.domain.events.comprobante import DatosComprador

CONSUMIDOR_FINAL_ID = "9999999999999"
TIPO_CONSUMIDOR_FINAL = "07"


@dataclass(frozen=True, slots=True)
class Comprador:
    """Who buys: a customer's identification and name, or the consumidor final."""

    tipo_identificacion: str
    identificacion: str
    razon_social: str
    direccion: str | None = None
    email: str | None = None
    telefono: str | None = None

    @classmethod
    def consumidor_final(cls) -> Comprador:
        return cls(TIPO_CONSUMIDOR_FINAL, CONSUMIDOR_FINAL_ID, "CONSUMIDOR FINAL")

    @property
    def es_consumidor_final(self) -> bool:
        return self.tipo_identificacion == TIPO_CONSUMIDOR_FINAL

    def datos(self) -> DatosComprador:
        """The copy a document's events carry."""
        return DatosComprador(
            self.tipo_identificacion,
            self.identificacion,
            self.razon_social,
            self.direccion,
            self.email,
            self.telefono,
        )

    @classmethod
    def de_datos(cls, c: DatosComprador) -> Comprador:
        return cls(
            c.tipo_identificacion,
            c.identificacion,
            c.razon_social,
            c.direccion,
            c.email,
            c.telefono,
        )
