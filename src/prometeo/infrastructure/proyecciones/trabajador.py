"""Distributed mode: `prometeo worker` keeps the read models by following the event log.

The worker is one event follower (infrastructure/seguimiento) named "proyecciones" whose
handler is the Proyector: each batch read from the log is applied, in one transaction,
together with the projections' own checkpoints (`checkpoints_proyeccion`), so a batch is
applied entirely or not at all, and at most once per projection (events at or below a
projection's checkpoint are skipped; the checkpoints are locked while a batch is applied,
so two workers, or a worker and a rebuild, never apply the same events). After a crash or
a restart it resumes from the furthest-behind checkpoint. An event a projection cannot
apply (a bug) is retried, then parked, and the projections move past it: each one that
can apply it does (one projection's bug never costs the others an event), the others go
without it until `prometeo aparcados reintentar` rebuilds them from the log.

Why the log and not RabbitMQ deliveries (which the worker consumed before): the log holds
every event in commit order, the broker only what the relay published, in whatever order
retries left it. A worker fed by deliveries needed gap detection and catch-ups from the
log anyway; following the log directly needs neither, nor the broker, nor the relay to be
up. The worker polls (`intervalo`); `Seguidor.despertar()` cuts the wait short when a
process that commits runs it in a thread. The relay still publishes to RabbitMQ for the
consumers outside prometeo."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import Connection, Engine

from prometeo.infrastructure.db.almacen_eventos import EventoAlmacenado, almacen_eventos
from prometeo.infrastructure.metricas import Metricas
from prometeo.infrastructure.proyecciones.proyector import Proyector
from prometeo.infrastructure.proyecciones.reconstruccion import reconstruir
from prometeo.infrastructure.seguimiento import (
    EnLaMismaTransaccion,
    FalloDeNuevo,
    RegistroSql,
    Reintentado,
    Seguidor,
    conexion_de_lectura,
    describir_error,
    es_transitorio,
)

NOMBRE_SEGUIDOR = "proyecciones"
logger = logging.getLogger("prometeo.worker")


class ProyectarEnLaBase:
    """The projections as a follower's transactional handler: their checkpoint is the
    furthest-behind of their own, moved by the Proyector in the batch's transaction."""

    def __init__(self, proyector: Proyector) -> None:
        self.proyector = proyector

    def posicion(self, conexion: Connection) -> int:
        return min(self.proyector.checkpoints(conexion).values(), default=0)

    def manejar(
        self, conexion: Connection, desde: int, eventos: Sequence[EventoAlmacenado]
    ) -> None:
        aplicadas = self.proyector.aplicar(conexion, eventos)
        # Every batch: DEBUG, or a busy worker's log is one line per handful of events.
        logger.debug(
            "Eventos proyectados: posiciones %d..%d (%s)",
            eventos[0].posicion,
            eventos[-1].posicion,
            ", ".join(aplicadas) or "ya estaban aplicados",
        )

    def saltar(self, conexion: Connection, desde: int, evento: EventoAlmacenado) -> None:
        """Move past a parked event: each projection right before it tries it alone, in a
        savepoint, and keeps it if it applies; those that fail go without it."""
        # Only the projections right before it move; one further behind (a rebuild) will
        # meet the event again and decide for itself.
        puntos = self.proyector.checkpoints(conexion, bloquear=True)
        listas = [n for n, punto in puntos.items() if punto == evento.posicion - 1]
        sin_el = [n for n in listas if not self._aplicar_solo(conexion, n, puntos, evento)]
        self.proyector.fijar_checkpoints(conexion, listas, evento.posicion)
        if sin_el:
            logger.error(
                "Las proyecciones %s siguen sin el evento %d (%s); las demás lo aplicaron",
                ", ".join(sin_el),
                evento.posicion,
                evento.tipo,
            )

    def _aplicar_solo(
        self, conexion: Connection, nombre: str, puntos: dict[str, int], evento: EventoAlmacenado
    ) -> bool:
        # The others count as done with it, so that only `nombre` applies it.
        solo = {otra: max(punto, evento.posicion) for otra, punto in puntos.items()}
        solo[nombre] = evento.posicion - 1
        try:
            with conexion.begin_nested():
                self.proyector.aplicar(conexion, [evento], puntos=solo, fijar=False)
        except Exception as error:
            # The database away is nobody's fault: the whole parking is tried again.
            if es_transitorio(error):
                raise
            logger.debug("%s no aplica %d: %s", nombre, evento.posicion, describir_error(error))
            return False
        return True


class ReconstruirAparcados:
    """The worker's Reintentador: the projections that read the parked events' types are
    rebuilt from the log. Applied late and alone, an event would land after later ones (a
    kardex's running balances depend on their order); replayed from the start, every
    event lands in its place, and those the projections had applied give the same rows."""

    def __init__(self, engine: Engine, proyector: Proyector) -> None:
        self.engine = engine
        self.proyector = proyector

    def reintentar(
        self, eventos: Sequence[EventoAlmacenado], hecho: Reintentado, fallo: FalloDeNuevo
    ) -> None:
        tipos = {evento.tipo for evento in eventos}
        nombres = [
            p.nombre for p in self.proyector.proyecciones if tipos & {t.__name__ for t in p.tipos}
        ]
        try:
            if nombres:
                logger.info("Reconstruyendo %s desde el historial", ", ".join(nombres))
                reconstruir(self.engine, nombres, codec=self.proyector.codec)
        except Exception as error:
            if es_transitorio(error):
                raise
            for evento in eventos:
                fallo(evento.posicion, error)
            return
        for evento in eventos:
            hecho(evento.posicion)


def crear_seguidor_proyecciones(
    engine: Engine,
    proyector: Proyector,
    *,
    lote: int = 500,
    metricas: Metricas | None = None,
) -> Seguidor:
    """The follower `prometeo worker` runs: the log → the read models."""
    return Seguidor(
        RegistroSql(engine),
        NOMBRE_SEGUIDOR,
        EnLaMismaTransaccion(engine, ProyectarEnLaBase(proyector)),
        lote=lote,
        metricas=metricas,
        logger=logger,
    )


def publicar_retraso(engine: Engine, proyector: Proyector, metricas: Metricas) -> None:
    """Set the lag gauge of every projection: events stored but not yet applied. It only
    reads (a scrape of /metrics must never take SQLite's write lock, nor wait for it)."""
    with conexion_de_lectura(engine) as conexion:
        ultima = almacen_eventos(conexion).ultima_posicion()
        puntos = proyector.posiciones(conexion)
    for nombre, punto in puntos.items():
        metricas.fijar_retraso_proyeccion(nombre, max(ultima - punto, 0))
