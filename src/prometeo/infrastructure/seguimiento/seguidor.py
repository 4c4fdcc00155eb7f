"""The event follower: one loop that follows the event log from a checkpoint and hands
each batch to a handler, at least once, with one error policy for everybody.

Invariants:
- The log is read by global position after the checkpoint, in batches (`lote`). Positions
  commit in order (the event store's lock), so a follower never skips an event.
- The checkpoint never moves past an event whose effect is not done: handed again after a
  crash, an event must change nothing the second time (handlers are idempotent).
- An error of the infrastructure (`transitorios`: database or broker unreachable) is never
  the event's fault: the drain raises it, and `ejecutar` backs off and retries forever,
  until stopped. Nothing is parked for it.
- Any other error is the event's (or the handler's) fault: the failing batch is retried
  event by event; an event that still fails after `intentos` attempts (with back-off) is
  PARKED: recorded in `eventos_aparcados` with its error, the checkpoint moved past it in
  the same transaction, and the follower goes on with the next. One follower's parked
  event never stops it, nor any other follower (each runs its own loop and checkpoint).

Where the checkpoint lives is the Procesador's business (see procesadores.py): in
`checkpoints_seguidor`, advanced after an external effect is confirmed, or in the
handler's own tables, written in the same transaction as the effect."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Protocol

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_when_event_set,
    wait_exponential,
    wait_exponential_jitter,
)

from prometeo.infrastructure.db.almacen_eventos import EventoAlmacenado, almacen_eventos
from prometeo.infrastructure.metricas import Metricas
from prometeo.infrastructure.seguimiento.aparcados import EventoAparcado, describir_error
from prometeo.infrastructure.seguimiento.checkpoint import CheckpointMovido, conexion_de_lectura

# The database is unreachable, restarting, or chose this transaction as a deadlock victim:
# waiting and trying again fixes it.
TRANSITORIOS_BD: tuple[type[BaseException], ...] = (OperationalError, OSError)


def es_transitorio(
    error: BaseException, transitorios: tuple[type[BaseException], ...] = TRANSITORIOS_BD
) -> bool:
    """Whether `error` says the infrastructure is away (`transitorios`, or a connection the
    database dropped) rather than that an event cannot be handled."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, transitorios)


class RegistroDeEventos(Protocol):
    """The event log, as a follower reads it."""

    def leer_todos(self, desde: int, limite: int) -> Sequence[EventoAlmacenado]:
        """Up to `limite` events with position > `desde`, in position order."""
        ...


class RegistroSql:
    """The event store's log, each batch read in a short read-only transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def leer_todos(self, desde: int, limite: int) -> Sequence[EventoAlmacenado]:
        with conexion_de_lectura(self.engine) as conexion:
            return almacen_eventos(conexion).leer_todos(desde, limite)


class Procesador(Protocol):
    """How a follower's handler does its work and keeps its checkpoint."""

    def posicion(self) -> int:
        """The last position whose effect is done."""
        ...

    def procesar(self, desde: int, eventos: Sequence[EventoAlmacenado]) -> None:
        """Do the effect of `eventos` (consecutive, the first right after `desde`) and leave
        the checkpoint at the last one. On failure the checkpoint stays somewhere between
        `desde` and the last event done."""
        ...

    def aparcar(
        self, seguidor: str, desde: int, evento: EventoAlmacenado, error: BaseException
    ) -> EventoAparcado | None:
        """Record `evento` as parked by `seguidor` and move the checkpoint from `desde` past
        it without its effect, both or neither. None when it was parked already (by
        another follower of the same name, which moved the checkpoint too)."""
        ...


class Seguidor:
    """Follows the event log for one Procesador under the name `nombre` (the name of its
    checkpoint and of its parked events). `seguir_pendientes()` drains the backlog once;
    `ejecutar()` keeps doing it until stopped, waiting `intervalo` seconds (or until
    `despertar()`) when there is nothing new."""

    def __init__(
        self,
        registro: RegistroDeEventos,
        nombre: str,
        procesador: Procesador,
        *,
        lote: int = 500,
        intentos: int = 3,
        transitorios: tuple[type[BaseException], ...] = TRANSITORIOS_BD,
        espera_inicial: float = 0.5,
        espera_maxima: float = 30.0,
        esperar: Callable[[float], None] | None = None,
        metricas: Metricas | None = None,
        logger: logging.Logger | None = None,
    ) -> None:
        if lote < 1:
            raise ValueError("El lote de un seguidor debe ser de al menos un evento")
        if intentos < 1:
            raise ValueError("Un seguidor intenta cada evento al menos una vez")
        self.registro = registro
        self.nombre = nombre
        self.procesador = procesador
        self.lote = lote
        self.intentos = intentos
        self.transitorios = transitorios
        self.espera_inicial = espera_inicial
        self.espera_maxima = espera_maxima
        self.metricas = metricas
        self.logger = logger or logging.getLogger(f"prometeo.seguidor.{nombre}")
        self._esperar = esperar
        self._despertador = threading.Event()
        self._detener = threading.Event()

    # -- one drain ---------------------------------------------------------------------

    def seguir_pendientes(self) -> int:
        """Handle (or park) every event after the checkpoint, batch by batch. Returns how
        many were handled or parked; raises transient errors and CheckpointMovido (the
        checkpoint keeps what was done)."""
        total = 0
        desde = self.procesador.posicion()
        while True:
            eventos = self.registro.leer_todos(desde, self.lote)
            if not eventos:
                return total
            desde = self._procesar_lote(desde, eventos)
            total += len(eventos)
            if len(eventos) < self.lote:
                return total

    def es_transitorio(self, error: BaseException) -> bool:
        """Whether `error` says the infrastructure is away (retry forever), not that the
        event cannot be handled (retry a few times, then park)."""
        return es_transitorio(error, self.transitorios)

    def _procesar_lote(self, desde: int, eventos: Sequence[EventoAlmacenado]) -> int:
        try:
            self.procesador.procesar(desde, eventos)
            return eventos[-1].posicion
        except CheckpointMovido:
            raise
        except Exception as error:
            if self.es_transitorio(error):
                raise
            self.logger.warning(
                "El lote %d..%d falló (%s): se reintenta evento por evento",
                eventos[0].posicion,
                eventos[-1].posicion,
                describir_error(error),
            )
        # What the batch finished stays done; the rest goes one event at a time.
        desde = self.procesador.posicion()
        for evento in eventos:
            if evento.posicion > desde:
                self._procesar_uno(desde, evento)
                desde = evento.posicion
        return max(desde, eventos[-1].posicion)

    def _procesar_uno(self, desde: int, evento: EventoAlmacenado) -> None:
        reintentar = Retrying(
            retry=retry_if_exception(
                lambda e: not self.es_transitorio(e) and not isinstance(e, CheckpointMovido)
            ),
            stop=stop_after_attempt(self.intentos) | stop_when_event_set(self._detener),
            wait=wait_exponential(multiplier=self.espera_inicial, max=self.espera_maxima),
            sleep=self._dormir,
            reraise=True,
        )
        try:
            reintentar(self.procesador.procesar, desde, [evento])
        except CheckpointMovido:
            raise
        except Exception as error:
            # Asked to stop mid-retries: the event was not given its chances, keep it.
            if self.es_transitorio(error) or self._detener.is_set():
                raise
            self._aparcar(desde, evento, error)

    def _aparcar(self, desde: int, evento: EventoAlmacenado, error: BaseException) -> None:
        aparcado = self.procesador.aparcar(self.nombre, desde, evento, error)
        if aparcado is None:
            self.logger.info("El evento %d ya estaba aparcado", evento.posicion)
            return
        self.logger.error(
            "Evento aparcado por %s tras %d intentos: %s en la posición %d (%s)",
            self.nombre,
            self.intentos,
            aparcado.tipo,
            aparcado.posicion,
            aparcado.error,
        )
        if self.metricas is not None:
            self.metricas.contar_aparcado(self.nombre)

    # -- running -----------------------------------------------------------------------

    def despertar(self) -> None:
        """Cut the idle wait short: there is something new in the log (optional; without
        it the follower notices within `intervalo`)."""
        self._despertador.set()

    def ejecutar(
        self,
        *,
        una_vez: bool = False,
        intervalo: float = 0.5,
        detener: threading.Event | None = None,
        tanda: Callable[[], int] | None = None,
    ) -> int:
        """Drain the backlog until `detener` is set (or, with `una_vez`, once), polling
        every `intervalo` seconds when idle. Transient errors are retried forever with
        capped exponential back-off. `tanda` replaces `seguir_pendientes` as the drain
        (a wrapper that measures it). Returns how many events were handled or parked."""
        if detener is not None:
            self._detener = detener
        detener = self._detener
        drenar = tanda if tanda is not None else self.seguir_pendientes
        reintentar = self._reintentos_transitorios(detener)
        total = 0
        try:
            while not detener.is_set():
                hechos: int = reintentar(drenar)
                if reintentar.statistics.get("attempt_number", 1) > 1:
                    self.logger.info("Conexión restablecida; %s sigue", self.nombre)
                total += hechos
                if una_vez:
                    break
                if hechos == 0:
                    reintentar(self._esperar_novedades, intervalo)
        except Exception:
            if not detener.is_set():
                raise
            self.logger.info("%s detenido mientras esperaba a la infraestructura", self.nombre)
        return total

    def _dormir(self, segundos: float) -> None:
        """Back-off between retries; a stop request cuts it short."""
        self._detener.wait(segundos)

    def _esperar_novedades(self, intervalo: float) -> None:
        if self._esperar is not None:
            self._esperar(intervalo)
            return
        if self._despertador.wait(intervalo):
            self._despertador.clear()

    def _reintentos_transitorios(self, detener: threading.Event) -> Retrying:
        def antes_de_esperar(estado: RetryCallState) -> None:
            error = estado.outcome.exception() if estado.outcome is not None else None
            espera = estado.next_action.sleep if estado.next_action is not None else 0.0
            self.logger.warning(
                "La infraestructura no responde (%s); intento %d, reintento en %.1f s",
                describir_error(error) if error is not None else "sin detalle",
                estado.attempt_number,
                espera,
            )

        return Retrying(
            retry=retry_if_exception(self.es_transitorio),
            wait=wait_exponential_jitter(
                multiplier=self.espera_inicial,
                max=self.espera_maxima,
                jitter=self.espera_inicial,
            ),
            stop=lambda _estado: detener.is_set(),
            sleep=self._dormir,
            before_sleep=antes_de_esperar,
            reraise=True,
        )
