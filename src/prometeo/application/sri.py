"""Ports of the electronic documents (implemented in infrastructure/sri/): what the
application needs from an XML writer, a signer and the SRI, in its own words. A
comprobante, to the SRI, is the signed XML document itself."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from prometeo.domain.aggregates.factura import Factura
from prometeo.domain.aggregates.nota_credito import NotaCredito


@dataclass(frozen=True, slots=True)
class ComprobantePendiente:
    """A document waiting for its signature: its type ("01", "04") and id."""

    tipo: str
    documento_id: str


class ComprobanteSinFirmar(Exception):
    """The signed XML of a document that is not signed yet was asked for."""

    regla = "ComprobanteFirmado"

    def __init__(self, numero: str | None) -> None:
        self.mensaje = (
            "El documento está en borrador: tendrá comprobante electrónico al emitirse"
            if numero is None
            else f"El comprobante {numero} todavía no está firmado: su XML existe cuando se firma"
        )
        super().__init__(self.mensaje)


class NoAutorizado(Exception):
    """The SRI's authorization of a document that the SRI has not authorized (yet)."""

    regla = "ComprobanteAutorizado"

    def __init__(self, clave_acceso: str, estado: str) -> None:
        self.mensaje = (
            f"El comprobante con clave {clave_acceso} está {estado}: su autorización existe "
            "cuando el SRI lo autoriza"
        )
        super().__init__(self.mensaje)


class XmlNoValido(Exception):
    """A document's XML breaks the SRI's schema: a bug in prometeo; it is never sent."""

    def __init__(self, mensaje: str, errores: Sequence[str]) -> None:
        self.errores = tuple(errores)
        super().__init__(mensaje)


class ErrorFirma(Exception):
    """The signature cannot be made: no usable certificate (wrong password, expired, not
    a signing certificate, another RUC...). `regla` names the broken rule; the message
    never holds the password or any key material."""

    def __init__(self, regla: str, mensaje: str) -> None:
        self.regla = regla
        self.mensaje = mensaje
        super().__init__(mensaje)


class GeneradorXml(Protocol):
    """Writes the SRI XML of an emitted document, checked against the schema."""

    def xml(self, documento: Factura | NotaCredito) -> bytes:
        """The unsigned comprobante; XmlNoValido when it breaks the schema."""
        ...


class FirmaComprobantes(Protocol):
    """Signs a comprobante's XML with the issuer's certificate (XAdES-BES, enveloped)."""

    def firmar(self, xml: bytes) -> bytes:
        """The signed document's bytes, to be stored once and always served as stored;
        ErrorFirma when no valid signature can be made."""
        ...


class GeneradorRide(Protocol):
    """Prints a comprobante (its XML, signed or not yet) as the RIDE, a PDF."""

    def ride(
        self,
        xml: bytes,
        *,
        estado: str,
        numero_autorizacion: str | None,
        fecha_autorizacion: datetime | None,
    ) -> bytes: ...


class ComprobantesPendientes(Protocol):
    """The signer's queue: emitted documents not signed yet, oldest first."""

    def pendientes(self, limite: int) -> list[ComprobantePendiente]: ...


class ServicioSri(Protocol):
    """The SRI's reception and authorization web services."""

    def enviar(self, firmado: bytes) -> str:
        """Hand a signed comprobante to Recepción; its answer's estado (RECIBIDA, DEVUELTA)."""
        ...

    def autorizacion(self, clave_acceso: str) -> str:
        """Ask Autorización about a clave de acceso; its answer's estado."""
        ...
