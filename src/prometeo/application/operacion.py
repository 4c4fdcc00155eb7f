"""Running the service: health checks and metrics, the port the operational endpoints
(/health, /metrics) and the command timing of the API use."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Literal

EstadoBroker = Literal["ok", "no configurado", "error", "comprobando"]
EstadoCertificado = Literal["ok", "no configurado", "error"]


@dataclass(frozen=True, slots=True)
class EstadoComprobantes:
    """The electronic documents at a glance: who signs them here (PROMETEO_SRI_ENVIO), the
    signature certificate's state and, when unusable, why (never a secret), and how many
    emitted documents wait for their signature."""

    envio: str
    certificado: EstadoCertificado
    detalle: str | None
    pendientes: int
    # The SRI dispatcher: "activo" here, "en otro proceso" (another holds the lease),
    # or "detenido" (PROMETEO_SRI_ENVIO is not embebido); its last SRI error; how many
    # documents are between signed and a final answer, and the oldest one's age.
    despacho: str = "detenido"
    error_sri: str | None = None
    en_curso: int = 0
    segundos_sin_autorizar: float | None = None


@dataclass(frozen=True, slots=True)
class ExposicionMetricas:
    """The metrics rendered for a scrape, with the media type to serve them as."""

    contenido: bytes
    tipo_contenido: str


class ServicioOperacion(ABC):
    @abstractmethod
    def base_de_datos_responde(self) -> bool:
        """Whether the database answers a trivial read; never waits for (nor blocks) a
        writer."""

    @abstractmethod
    def estado_broker(self) -> EstadoBroker:
        """ "no configurado" without a broker URL; else whether a connection opened the
        last time it was tried, a few seconds ago at most ("comprobando" until the first
        try ends). Never waits for the broker."""

    @abstractmethod
    def eventos_aparcados(self) -> dict[str, int]:
        """How many events each follower of the log (relay, worker) parked and nobody has
        retried or discarded yet; followers with none are absent."""

    @abstractmethod
    def medir_comando(self, comando: str, segundos: float) -> None:
        """Record how long one command took, labelled by `comando` (a method and a route
        template, never ids)."""

    @abstractmethod
    def exponer_metricas(self) -> ExposicionMetricas:
        """The state gauges brought up to date, then every metric rendered."""

    @abstractmethod
    def estado_comprobantes(self) -> EstadoComprobantes:
        """The signature's state and the documents waiting (for /health)."""
