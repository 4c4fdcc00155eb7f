"""The signer that runs beside the API (PROMETEO_SRI_ENVIO=embebido) or in `prometeo sri
enviar`: rounds of ServicioComprobantes.firmar_pendientes, a thread of its own, never on
an emission's path.

The certificate is loaded when first needed and kept; a load that fails (no file, wrong
password, expired...) is reported in the state /health shows and tried again after a
while, so replacing the file fixes it without a restart. Documents simply wait meanwhile:
emission never depends on the signature."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from prometeo.application.servicios.comprobantes import (
    POR_TRANSACCION,
    RondaFirma,
    ServicioComprobantes,
)
from prometeo.application.sri import ErrorFirma, FirmaComprobantes
from prometeo.domain.events.base import EventoDominio
from prometeo.domain.events.comprobante import ComprobanteFirmado, ComprobanteNoValido
from prometeo.infrastructure.sri.hilo_de_fondo import HiloDeFondo

logger = logging.getLogger("prometeo.sri")

EstadoCertificado = Literal["ok", "no configurado", "error"]
_PAUSA_MAXIMA = 5.0  # seconds: a slow batch never parks the signer for long
_AGRUPAR = 0.1  # seconds a woken signer waits for the rest of a burst of emissions


@dataclass(frozen=True, slots=True)
class EstadoFirma:
    """What /health says of the signature: the certificate's state and, when it cannot
    be used, why (never a secret)."""

    certificado: EstadoCertificado
    detalle: str | None = None


class ContadorActividad:
    """A UnidadDeTrabajoSql observer that counts the commits of everybody but the signer:
    how the signer knows the cajeros are at work."""

    def __init__(self) -> None:
        self.valor = 0

    def observador(
        self,
        _conexion: object,
        _almacenados: Sequence[object],
        eventos: Sequence[EventoDominio],
        _checkpoints_movidos: int | None = None,
    ) -> None:
        if any(not isinstance(e, ComprobanteFirmado | ComprobanteNoValido) for e in eventos):
            self.valor += 1  # a lost increment under a race only delays one pause


class FirmadorEnSegundoPlano(HiloDeFondo):
    """Signs pending documents in rounds: right away while there is work, every
    `intervalo` seconds when idle. `cargar_firma` gives the signer, None when no
    certificate is configured, or raises ErrorFirma.

    The signer yields to the cajeros: in the server it shares the process (and its GIL)
    with every request, so while other commands commit (`actividad` moves) it keeps to
    `cuota` of the time, pausing after each batch for as long as the batch took × (1 −
    cuota) / cuota; when nobody else writes it signs at full speed. Under a load that
    saturates the process it falls behind and catches up as soon as the load drops."""

    NOMBRE_HILO = "firma-sri"

    def __init__(
        self,
        servicio: ServicioComprobantes,
        cargar_firma: Callable[[], FirmaComprobantes | None],
        *,
        intervalo: float = 1.0,
        reintento_certificado: float = 30.0,
        lote: int = 100,
        actividad: Callable[[], int] | None = None,
        cuota: float = 0.1,
    ) -> None:
        self._servicio = servicio
        self._cargar_firma = cargar_firma
        self.intervalo = intervalo
        self._reintento = reintento_certificado
        self._lote = lote
        self._actividad = actividad
        self.cuota = cuota
        self._firma: FirmaComprobantes | None = None
        self._ultimo_intento = float("-inf")
        self.estado = EstadoFirma("no configurado")
        super().__init__()

    def _firma_lista(self) -> FirmaComprobantes | None:
        if self._firma is not None:
            return self._firma
        ahora = time.monotonic()
        if ahora - self._ultimo_intento < self._reintento and self.estado.certificado != "ok":
            return None
        self._ultimo_intento = ahora
        try:
            self._firma = self._cargar_firma()
        except ErrorFirma as error:
            self._error(error)
            return None
        self.estado = EstadoFirma("ok" if self._firma is not None else "no configurado")
        return self._firma

    def _error(self, error: ErrorFirma) -> None:
        if self.estado.detalle != error.mensaje:
            logger.error("No se puede firmar comprobantes (%s): %s", error.regla, error.mensaje)
        self.estado = EstadoFirma("error", f"{error.regla}: {error.mensaje}")

    def comprobar(self) -> EstadoFirma:
        """The certificate's state, loading it if it was never tried or is due again."""
        self._firma_lista()
        return self.estado

    def ronda(self, lote: int | None = None) -> RondaFirma | None:
        """One round of up to `lote` documents; None without a usable certificate."""
        firma = self._firma_lista()
        if firma is None:
            return None
        try:
            return self._servicio.firmar_pendientes(firma, lote or self._lote)
        except ErrorFirma as error:
            # The certificate stopped being usable (it expired, say): load it again later.
            self._firma = None
            self._ultimo_intento = time.monotonic()
            self._error(error)
            return None

    def pausa(self, duracion: float, otros_escribieron: bool) -> float:
        """Seconds to rest after a batch that took `duracion`: none when nobody else
        wrote meanwhile, else what keeps the signer to `cuota` of the time (capped)."""
        if not otros_escribieron or self.cuota >= 1:
            return 0.0
        return min(duracion * (1 - self.cuota) / self.cuota, _PAUSA_MAXIMA)

    def _bucle(self) -> None:
        while not self._parar.is_set():
            antes = self._actividad() if self._actividad is not None else None
            inicio = time.monotonic()
            try:
                ronda = self.ronda(POR_TRANSACCION)
            except Exception:  # a round must never kill the thread; the next one retries
                logger.exception("Falló una ronda de firma de comprobantes")
                ronda = None
            if ronda is not None and ronda.firmados == POR_TRANSACCION:  # more are waiting
                otros = self._actividad is not None and self._actividad() != antes
                self._parar.wait(self.pausa(time.monotonic() - inicio, otros))
                continue
            if self._despertar.wait(self.intervalo):
                # Woken by an emission: let the rest of a burst arrive, to sign it in one
                # unit of work rather than one commit per document.
                self._parar.wait(_AGRUPAR)
            self._despertar.clear()
