"""What every emitted comprobante carries of its issuer: copies taken at emission, so an
edit of the catalog never changes a document already issued (a reprint or a resend shows
what was issued)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DatosEmisor:
    """The emisor as printed on the document (infoTributaria and the issuer's fields of
    infoFactura / infoNotaCredito)."""

    ruc: str
    razon_social: str
    nombre_comercial: str
    direccion_matriz: str
    obligado_contabilidad: bool
    ambiente: str
    contribuyente_especial: str | None = None
    agente_retencion: str | None = None
    regimen: str = "GENERAL"


@dataclass(frozen=True, slots=True)
class DatosEstablecimiento:
    """Where the document was issued: the sucursal's code (estab) and address
    (dirEstablecimiento; None on documents stored before it was copied) and the punto's
    code (ptoEmi)."""

    codigo: str
    direccion: str | None
    punto_emision: str
