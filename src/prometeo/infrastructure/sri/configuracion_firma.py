"""The signer the settings describe (PROMETEO_FIRMA_ARCHIVO with PROMETEO_FIRMA_CLAVE or
PROMETEO_FIRMA_CLAVE_ARCHIVO), as the application's FirmaComprobantes port: certificate
problems reach the application as ErrorFirma (ErrorCertificado is one), with the rule and a
message free of secrets."""

from __future__ import annotations

from datetime import datetime

from prometeo.application.sri import FirmaComprobantes
from prometeo.infrastructure.reloj import HORA_ECUADOR
from prometeo.infrastructure.settings import Settings
from prometeo.infrastructure.sri.certificados import leer_credencial
from prometeo.infrastructure.sri.firma import FirmadorXades


def ahora_ecuador() -> datetime:
    """The system's current instant in Ecuador's offset, to the second (SigningTime must
    never be ahead of the SRI's clock: it is the real time, never PROMETEO_HOY)."""
    return datetime.now(HORA_ECUADOR).replace(microsecond=0)


def cargar_firma(settings: Settings) -> FirmaComprobantes | None:
    """The configured signer; None when no certificate is configured; ErrorFirma when it
    cannot be used."""
    if settings.firma_archivo is None:
        return None
    clave = settings.firma_clave.get_secret_value() if settings.firma_clave else None
    credencial = leer_credencial(
        settings.firma_archivo, clave, settings.firma_clave_archivo, ahora=ahora_ecuador()
    )
    return FirmadorXades(credencial, ahora_ecuador)
