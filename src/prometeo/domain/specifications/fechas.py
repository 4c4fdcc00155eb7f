"""Date rules shared by every document. "Today" comes from the injected clock."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from prometeo.domain.specifications.base import Specification


class ConFechas(Protocol):
    """A document being validated, with the day the clock says it is."""

    @property
    def hoy(self) -> date: ...

    @property
    def fecha_emision(self) -> date: ...


class ConFechasDeAutorizacion(ConFechas, Protocol):
    @property
    def fecha_autorizacion(self) -> date | None: ...

    @property
    def fecha_caducidad(self) -> date | None: ...


class FechaEmisionValida(Specification[ConFechas]):
    """A document is not issued with a date before today."""

    def is_satisfied_by(self, candidate: ConFechas) -> bool:
        return candidate.fecha_emision >= candidate.hoy

    def mensaje(self, candidate: ConFechas) -> str:
        return (
            f"La fecha de emisión {candidate.fecha_emision.isoformat()} no puede ser anterior "
            f"a hoy ({candidate.hoy.isoformat()})"
        )


class FechaEmisionNoFutura(Specification[ConFechas]):
    """A document is not dated after today: the SRI refuses it (error 65, fecha de emisión
    extemporánea). "Today" is the application's clock, in the business's time zone."""

    def is_satisfied_by(self, candidate: ConFechas) -> bool:
        return candidate.fecha_emision <= candidate.hoy

    def mensaje(self, candidate: ConFechas) -> str:
        return (
            f"La fecha de emisión {candidate.fecha_emision.isoformat()} no puede ser posterior "
            f"a hoy ({candidate.hoy.isoformat()}): el SRI rechaza un comprobante con fecha "
            "futura"
        )


class FechaCaducidadValida(Specification[ConFechasDeAutorizacion]):
    """When given, the expiry date comes after the date of issue."""

    def is_satisfied_by(self, candidate: ConFechasDeAutorizacion) -> bool:
        caducidad = candidate.fecha_caducidad
        return caducidad is None or caducidad > candidate.fecha_emision

    def mensaje(self, candidate: ConFechasDeAutorizacion) -> str:
        return (
            f"La fecha de caducidad {candidate.fecha_caducidad} debe ser posterior a la fecha "
            f"de emisión {candidate.fecha_emision.isoformat()}"
        )


class FechaAutorizacionValida(Specification[ConFechasDeAutorizacion]):
    """When given, the authorization date is neither after the issue nor in the future."""

    def is_satisfied_by(self, candidate: ConFechasDeAutorizacion) -> bool:
        autorizacion = candidate.fecha_autorizacion
        return autorizacion is None or (
            autorizacion <= candidate.fecha_emision and autorizacion <= candidate.hoy
        )

    def mensaje(self, candidate: ConFechasDeAutorizacion) -> str:
        return (
            f"La fecha de autorización {candidate.fecha_autorizacion} no puede ser posterior a "
            f"la fecha de emisión {candidate.fecha_emision.isoformat()} ni a hoy "
            f"({candidate.hoy.isoformat()})"
        )
