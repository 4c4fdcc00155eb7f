"""Ports of the electronic documents (implemented in infrastructure/sri/ by the issues
that follow): what the application needs from a signer and from the SRI, in its own
words. A comprobante, to the SRI, is the signed XML document itself."""

from __future__ import annotations

from typing import Protocol


class FirmaComprobantes(Protocol):
    """Signs a comprobante's XML with the issuer's certificate (XAdES-BES, enveloped)."""

    def firmar(self, xml: bytes) -> bytes:
        """The signed document's bytes, to be stored once and always served as stored."""
        ...


class ServicioSri(Protocol):
    """The SRI's reception and authorization web services."""

    def enviar(self, firmado: bytes) -> str:
        """Hand a signed comprobante to Recepción; its answer's estado (RECIBIDA, DEVUELTA)."""
        ...

    def autorizacion(self, clave_acceso: str) -> str:
        """Ask Autorización about a clave de acceso; its answer's estado."""
        ...
