"""Prometheus metrics of prometeo, on a registry of their own (never the global one).

`crear_metricas()` builds a fresh set; the composition root makes one per process and
hands it to whoever measures something. `exponer(metricas)` renders the text for
GET /metrics. Nothing is registered at import time.

Several server processes (`prometeo serve --workers N`) share one exposition through
prometheus_client's multiprocess mode: with PROMETHEUS_MULTIPROC_DIR set before
prometheus_client is imported (`metricas_de_varios_procesos` does it for the workers),
each process writes its values to files there, and whichever process is scraped adds up
every process's counters and histograms. The gauges are states of the database that the
scraped process measures just before rendering them, so the most recent value is the
answer (`mostrecent`), one series, not one per process."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import Connection

from prometeo.domain.events.base import EventoDominio
from prometeo.infrastructure.db.almacen_eventos import EventoAlmacenado

TIPO_CONTENIDO = CONTENT_TYPE_LATEST

# Commands run from a few milliseconds (a catalog insert) to seconds (a large factura
# under contention, with retries).
_CUBETAS_COMANDOS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# The SRI answers in tens of milliseconds to tens of seconds (its calls time out at
# PROMETEO_SRI_TIMEOUT, 30 s by default).
_CUBETAS_SRI = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0)
# A batch of the SQLite group commit holds from one command up to
# PROMETEO_GRUPO_COMMIT_MAXIMO; the last bucket is that setting's upper bound.
_CUBETAS_LOTE = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000)


# The variable prometheus_client reads, once, when it is imported.
VARIABLE_MULTIPROCESO = "PROMETHEUS_MULTIPROC_DIR"


# Every gauge here is set to a measurement, never moved (mostrecent forbids inc and dec):
# across processes, the latest measurement is its value.
MEDIDA: Final = "mostrecent"


class Metricas:
    """The metrics a prometeo process exposes, all on `registro`."""

    def __init__(self, registro: CollectorRegistry | None = None) -> None:
        self.registro = registro if registro is not None else CollectorRegistry()
        # prometheus_client chose at import whether values live in this process or in
        # the shared directory; the exposition must read them from the same place.
        self.varios_procesos = VARIABLE_MULTIPROCESO in os.environ
        self._por_tipo: dict[str, Any] = {}
        self._con_aparcados: set[str] = set()  # followers shown in aparcados_pendientes
        self.eventos_agregados = Counter(
            "prometeo_eventos_agregados",
            "Eventos guardados en el event store (confirmados con su transacción), por tipo.",
            ["tipo"],
            registry=self.registro,
        )
        self.eventos_publicados = Counter(
            "prometeo_eventos_publicados",
            "Eventos publicados en RabbitMQ y confirmados por el broker. Los cuenta el proceso "
            "`prometeo relay`: mírelos en su /metrics (--puerto-metricas); en el del API "
            "quedan en 0.",
            registry=self.registro,
        )
        self.fallos_publicacion = Counter(
            "prometeo_fallos_publicacion",
            "Intentos de publicación fallidos (broker caído, conexión perdida, nack).",
            registry=self.registro,
        )
        self.eventos_sin_destino = Counter(
            "prometeo_eventos_sin_destino",
            "Eventos que ninguna cola recibía al publicarse, por tipo: RabbitMQ los devolvió "
            "y una copia quedó en la cola <exchange>.sin-destino.",
            ["tipo"],
            registry=self.registro,
        )
        self.pendientes_outbox = Gauge(
            "prometeo_outbox_pendientes",
            "Eventos guardados que el relay aún no publica (última posición − checkpoint).",
            registry=self.registro,
            multiprocess_mode=MEDIDA,
        )
        self.retraso_proyecciones = Gauge(
            "prometeo_proyeccion_retraso",
            "Eventos que le faltan a cada proyección (última posición − su checkpoint).",
            ["proyeccion"],
            registry=self.registro,
            multiprocess_mode=MEDIDA,
        )
        self.eventos_aparcados = Counter(
            "prometeo_eventos_aparcados",
            "Eventos que un seguidor del registro aparcó tras agotar sus reintentos "
            "(véanse con `prometeo aparcados`), por seguidor.",
            ["seguidor"],
            registry=self.registro,
        )
        self.aparcados_pendientes = Gauge(
            "prometeo_eventos_aparcados_pendientes",
            "Eventos aparcados que esperan que alguien los reintente (`prometeo aparcados "
            "reintentar`) o los descarte, por seguidor.",
            ["seguidor"],
            registry=self.registro,
            multiprocess_mode=MEDIDA,
        )
        self.fallos_manejadores = Counter(
            "prometeo_fallos_manejadores",
            "Manejadores del bus de mensajes que fallaron con un evento, por manejador y tipo.",
            ["manejador", "tipo"],
            registry=self.registro,
        )
        self.comprobantes_xml_no_valido = Counter(
            "prometeo_comprobantes_xml_no_valido",
            "Comprobantes cuyo XML no cumplió el esquema del SRI (un error de prometeo: no "
            "se firman ni se envían), por tipo.",
            ["tipo"],
            registry=self.registro,
        )
        self.comprobantes_por_estado = Gauge(
            "prometeo_comprobantes_por_estado_sri",
            "Comprobantes emitidos por estado del SRI.",
            ["estado"],
            registry=self.registro,
            multiprocess_mode=MEDIDA,
        )
        self.comprobantes_sin_autorizar = Gauge(
            "prometeo_comprobantes_sin_autorizar",
            "Comprobantes firmados que esperan la respuesta final del SRI (FIRMADO, "
            "RECIBIDA, EN PROCESO).",
            registry=self.registro,
            multiprocess_mode=MEDIDA,
        )
        self.comprobantes_sin_autorizar_edad = Gauge(
            "prometeo_comprobantes_sin_autorizar_edad_segundos",
            "Edad del comprobante más antiguo que espera la respuesta final del SRI, desde "
            "el inicio de su día de emisión (0 si no hay ninguno; el SRI responde en 24 h).",
            registry=self.registro,
            multiprocess_mode=MEDIDA,
        )
        self.comprobantes_pendientes = Gauge(
            "prometeo_comprobantes_pendientes",
            "Comprobantes emitidos que esperan su firma.",
            registry=self.registro,
            multiprocess_mode=MEDIDA,
        )
        self.latencia_sri = Histogram(
            "prometeo_sri_latencia_segundos",
            "Duración de las llamadas a los servicios web del SRI, por servicio (recepcion, "
            "autorizacion) y resultado (ok: respondió HTTP 2xx; error: sin respuesta útil).",
            ["servicio", "resultado"],
            buckets=_CUBETAS_SRI,
            registry=self.registro,
        )
        self.latencia_comandos = Histogram(
            "prometeo_comando_duracion_segundos",
            "Duración de los comandos, por nombre de comando.",
            ["comando"],
            buckets=_CUBETAS_COMANDOS,
            registry=self.registro,
        )

        self.comandos_por_lote = Histogram(
            "prometeo_grupo_commit_comandos",
            "Comandos confirmados por cada COMMIT del commit en grupo de SQLite (su _count "
            "son los COMMIT; su _sum, los comandos).",
            buckets=_CUBETAS_LOTE,
            registry=self.registro,
        )

    def contar_lote(self, comandos: int) -> None:
        """A group commit's COMMIT returned, with `comandos` commands in it."""
        self.comandos_por_lote.observe(comandos)

    def observador_eventos(
        self,
        _conexion: Connection,
        almacenados: Sequence[EventoAlmacenado],
        _eventos: Sequence[EventoDominio],
        _checkpoints_movidos: int | None = None,
    ) -> None:
        """A UnidadDeTrabajoSql observer that counts the events appended, by type.

        It runs inside the transaction, just before commit: wire it as the LAST observer
        so that a failing observer aborts the commit before anything is counted."""
        por_tipo: dict[str, int] = {}
        for evento in almacenados:
            por_tipo[evento.tipo] = por_tipo.get(evento.tipo, 0) + 1
        for tipo, cuantos in por_tipo.items():
            hijo = self._por_tipo.get(tipo)
            if hijo is None:  # labels() hashes and locks on every call: keep the child
                hijo = self._por_tipo[tipo] = self.eventos_agregados.labels(tipo=tipo)
            hijo.inc(cuantos)

    def contar_xml_no_valido(self, tipo: str, _errores: tuple[str, ...]) -> None:
        self.comprobantes_xml_no_valido.labels(tipo=tipo).inc()

    def llamada_sri(self, servicio: str, resultado: str, segundos: float) -> None:
        """A call to the SRI's web services took `segundos`."""
        self.latencia_sri.labels(servicio=servicio, resultado=resultado).observe(segundos)

    def fijar_pendientes_outbox(self, pendientes: int) -> None:
        self.pendientes_outbox.set(pendientes)

    def contar_sin_destino(self, tipo: str) -> None:
        """The relay published an event of type `tipo` that no queue received."""
        self.eventos_sin_destino.labels(tipo=tipo).inc()

    def contar_aparcado(self, seguidor: str) -> None:
        """Follower `seguidor` parked one more event."""
        self.eventos_aparcados.labels(seguidor=seguidor).inc()

    def fijar_aparcados(self, por_seguidor: dict[str, int], seguidores: Sequence[str]) -> None:
        """The parked events waiting, per follower: `seguidores` (and any seen before) are
        shown at 0 when they have none, so that their series never vanish."""
        self._con_aparcados.update(seguidores, por_seguidor)
        for seguidor in self._con_aparcados:
            self.aparcados_pendientes.labels(seguidor=seguidor).set(por_seguidor.get(seguidor, 0))

    def contar_fallo_manejador(self, manejador: str, tipo_evento: str) -> None:
        """A message bus handler failed with an event (the bus's `al_fallar` port)."""
        self.fallos_manejadores.labels(manejador=manejador, tipo=tipo_evento).inc()

    def fijar_retraso_proyeccion(self, proyeccion: str, retraso: int) -> None:
        """How many events projection `proyeccion` is behind the event log."""
        self.retraso_proyecciones.labels(proyeccion=proyeccion).set(retraso)

    @contextmanager
    def medir_comando(self, comando: str) -> Iterator[None]:
        """Time a command (successful or not): `with metricas.medir_comando("EmitirFactura"):`."""
        inicio = time.perf_counter()
        try:
            yield
        finally:
            self.latencia_comandos.labels(comando=comando).observe(time.perf_counter() - inicio)


def crear_metricas() -> Metricas:
    """A fresh set of metrics on a registry of its own."""
    return Metricas(CollectorRegistry())


def exponer(metricas: Metricas) -> bytes:
    """The Prometheus text exposition of every metric (serve it as TIPO_CONTENIDO): this
    process's, or every server process's in multiprocess mode."""
    if not metricas.varios_procesos:
        return generate_latest(metricas.registro)
    registro = CollectorRegistry()
    MultiProcessCollector(registro)  # type: ignore[no-untyped-call]
    return generate_latest(registro)


@contextmanager
def metricas_de_varios_procesos(procesos: int) -> Iterator[None]:
    """Around a server of `procesos` processes, started (and importing prometheus_client)
    inside: with PROMETHEUS_MULTIPROC_DIR given, that directory, emptied of the values of
    an earlier run (they would be added in); else, for more than one process, a new one,
    removed afterwards. One process without it keeps its values in memory."""
    dado = os.environ.get(VARIABLE_MULTIPROCESO)
    if dado:
        directorio = Path(dado)
        directorio.mkdir(parents=True, exist_ok=True)
        for viejo in directorio.glob("*.db"):
            viejo.unlink()
        yield
        return
    if procesos <= 1:
        yield
        return
    propio = tempfile.mkdtemp(prefix="prometeo-metricas-")
    os.environ[VARIABLE_MULTIPROCESO] = propio
    try:
        yield
    finally:
        os.environ.pop(VARIABLE_MULTIPROCESO, None)
        shutil.rmtree(propio, ignore_errors=True)
