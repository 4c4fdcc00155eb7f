"""The outbox relay: stored events → RabbitMQ, in order, at least once.

Why this is a transactional outbox without an outbox table: the event log already is one.
A command's events are written in the same database transaction as the state change they
describe (they ARE the state change), so "marking an event for publishing" is simply
committing it into the log: if the command commits, its events are in the log; if it
rolls back, they never existed. The event store hands out global positions under a row
lock held until commit, so events become visible strictly in position order and a reader
that follows positions never skips one that commits late.

The relay only has to remember how far it got: a durable checkpoint (its row in
`checkpoints_seguidor`) holding the last position the broker confirmed. Everything after it
is the pending part of the outbox. The relay reads a batch after the checkpoint,
publishes each event with publisher confirms, and advances the checkpoint only to what
was confirmed. A crash between a confirm and the checkpoint update republishes those
events on restart (at least once, never lost; consumers deduplicate by event id or
stream version); nothing committed can stay unpublished, because the checkpoint never
moves past an unconfirmed event. Commands never talk to the broker: while it is down
they keep committing, and the relay backs off and retries until it is back.

One relay per checkpoint name: a second one would publish everything twice (the
checkpoint update detects it and stops the newcomer with CheckpointMovido).

The loop (reading batches, the checkpoint, back-off while the broker or the database is
away, parking an event that cannot be published at all) is the one event follower's
(infrastructure/seguimiento); the relay is its handler: publish, wait for the confirm,
report the event done."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from sqlalchemy import Engine

from prometeo.infrastructure.db.almacen_eventos import EventoAlmacenado
from prometeo.infrastructure.mensajeria.checkpoint import CheckpointRelay
from prometeo.infrastructure.mensajeria.conexion import ERRORES_TRANSITORIOS
from prometeo.infrastructure.mensajeria.publicador import Publicador
from prometeo.infrastructure.metricas import Metricas, crear_metricas
from prometeo.infrastructure.seguimiento import (
    ConCheckpointPropio,
    FalloDeNuevo,
    Hecho,
    RegistroSql,
    Reintentado,
    Seguidor,
    es_transitorio,
)

logger = logging.getLogger("prometeo.relay")

NOMBRE_RELAY = "rabbitmq"


class PublicarConfirmados:
    """The relay's handler: each event published and confirmed, in order, then reported
    done. Idempotent for the consumers: a republished event has the same message id. An
    event no queue received is done too: its copy is parked on the broker (see
    publicador.py), counted by type, and its type logged the first time."""

    def __init__(self, publicador: Publicador, metricas: Metricas) -> None:
        self.publicador = publicador
        self.metricas = metricas
        self._tipos_sin_destino: set[str] = set()

    def manejar(self, eventos: Sequence[EventoAlmacenado], hecho: Hecho) -> None:
        for evento in eventos:
            if not self.publicador.publicar(evento):
                self._sin_destino(evento)
            hecho(evento.posicion)
            self.metricas.eventos_publicados.inc()

    def _sin_destino(self, evento: EventoAlmacenado) -> None:
        self.metricas.contar_sin_destino(evento.tipo)
        if evento.tipo not in self._tipos_sin_destino:
            self._tipos_sin_destino.add(evento.tipo)
            logger.warning(
                "Ninguna cola recibe los eventos %s (el primero, en la posición %d): sus "
                "copias quedan en la cola %r",
                evento.tipo,
                evento.posicion,
                self.publicador.cola_sin_destino,
            )


class RepublicarAparcados:
    """The relay's Reintentador: each parked event published again, in log order, with
    the same message id. Its consumers get it after later events of its stream, which
    at-least-once delivery already allows (see consumidor.py)."""

    def __init__(self, publicador: Publicador, metricas: Metricas) -> None:
        self.publicador = publicador
        self.publicar = PublicarConfirmados(publicador, metricas)

    def reintentar(
        self, eventos: Sequence[EventoAlmacenado], hecho: Reintentado, fallo: FalloDeNuevo
    ) -> None:
        try:
            for evento in eventos:
                try:
                    self.publicar.manejar([evento], hecho)
                except Exception as error:
                    if es_transitorio(error, ERRORES_TRANSITORIOS):
                        raise
                    fallo(evento.posicion, error)
        finally:
            self.publicador.cerrar()


class Relay:
    """Publishes the event log, in position order, through a Publicador, and keeps its
    durable checkpoint. `publicar_pendientes()` drains the backlog once; `ejecutar()` keeps
    doing it, backing off while the broker (or the database) is unreachable."""

    def __init__(
        self,
        engine: Engine,
        publicador: Publicador,
        *,
        nombre: str = NOMBRE_RELAY,
        lote: int = 500,
        metricas: Metricas | None = None,
        espera_inicial: float = 0.5,
        espera_maxima: float = 30.0,
    ) -> None:
        if lote < 1:
            raise ValueError("El lote del relay debe ser de al menos un evento")
        self.engine = engine
        self.publicador = publicador
        self.checkpoint = CheckpointRelay(engine, nombre)
        self.lote = lote
        self.metricas = metricas if metricas is not None else crear_metricas()
        self.seguidor = Seguidor(
            RegistroSql(engine),
            nombre,
            ConCheckpointPropio(self.checkpoint, PublicarConfirmados(publicador, self.metricas)),
            lote=lote,
            transitorios=ERRORES_TRANSITORIOS,
            espera_inicial=espera_inicial,
            espera_maxima=espera_maxima,
            esperar=publicador.esperar,
            metricas=self.metricas,
            logger=logger,
        )

    def publicar_pendientes(self) -> int:
        """Publish every event after the checkpoint, batch by batch, advancing the
        checkpoint after each batch's confirms. Returns how many were published (or
        parked); raises what the broker or the database raised (the checkpoint keeps what
        was confirmed)."""
        total = 0
        try:
            total = self.seguidor.seguir_pendientes()
            return total
        except Exception:
            self.metricas.fallos_publicacion.inc()
            raise
        finally:
            if total:
                logger.info("Publicados %d eventos; checkpoint del relay al día", total)
            self._actualizar_pendientes()

    def ejecutar(
        self,
        *,
        una_vez: bool = False,
        intervalo: float = 0.5,
        detener: threading.Event | None = None,
    ) -> int:
        """Publish until `detener` is set (or, with `una_vez`, until the backlog is
        drained), polling the log every `intervalo` seconds when idle. Transient errors
        are retried with capped exponential back-off. Returns how many were published."""
        try:
            return self.seguidor.ejecutar(
                una_vez=una_vez,
                intervalo=intervalo,
                detener=detener,
                tanda=self.publicar_pendientes,
            )
        finally:
            self.publicador.cerrar()

    def _actualizar_pendientes(self) -> None:
        try:
            self.metricas.fijar_pendientes_outbox(self.checkpoint.pendientes())
        except Exception:  # the gauge must never hide the error being handled
            logger.debug("No se pudo medir el backlog del outbox", exc_info=True)
