"""Events of the SecuenciaComprobantes aggregate (one stream per punto × tipo de comprobante)."""

from __future__ import annotations

from dataclasses import dataclass

from prometeo.domain.events.base import EventoDominio


@dataclass(frozen=True, slots=True, kw_only=True)
class SecuencialAsignado(EventoDominio):
    """A document number was given to a document, for good: it is never reused."""

    punto_emision_id: str
    tipo_comprobante: str
    establecimiento: str
    punto_emision: str
    secuencial: int
    numero: str
    documento_id: str
