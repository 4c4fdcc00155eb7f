"""Publishing stored events to a RabbitMQ topic exchange, each one confirmed by the broker.

RabbitMQ confirms a message that no queue receives, and drops it. So every event is
published `mandatory`: one that no binding routes comes back, and a copy of it is parked,
confirmed, in the durable queue `<exchange>.sin-destino` (through the default exchange,
with the original exchange and routing key in its headers) before the call returns. An
event is therefore either in some bound queue or in that one, never only confirmed."""

from __future__ import annotations

import logging
import time
from typing import Any, Protocol

import pika  # type: ignore[import-untyped]
from pika.exceptions import (  # type: ignore[import-untyped]
    ChannelClosedByBroker,
    UnroutableError,
)

from prometeo.infrastructure.db.almacen_eventos import EventoAlmacenado
from prometeo.infrastructure.mensajeria.conexion import describir, parametros
from prometeo.infrastructure.mensajeria.sobre import (
    CABECERA_CLAVE_ORIGINAL,
    CABECERA_EXCHANGE_ORIGINAL,
    clave_de_enrutamiento,
    codificar_sobre,
    en_utc,
    sobre_de,
)

logger = logging.getLogger("prometeo.relay")

# What RabbitMQ closes the channel with when a published message breaks one of its limits
# (larger than max_message_size). On a publish, unlike on a declare, that is the message's
# own fault: sent again, it is refused again.
_PRECONDICION_FALLIDA = 406


class MensajeRechazado(RuntimeError):
    """The broker refused this event's message itself. Not a transient error: the relay
    retries it a few times, then parks it and goes on."""


class Publicador(Protocol):
    """Where the relay hands events. `publicar` returns only once the event is safely with
    the broker (confirmed), and raises otherwise: True when some consumer's queue received
    it, False when none did and a copy waits in the parking queue instead."""

    @property
    def cola_sin_destino(self) -> str:
        """Where the copies of the events no queue received wait."""
        ...

    def publicar(self, evento: EventoAlmacenado) -> bool: ...

    def esperar(self, segundos: float) -> None: ...

    def cerrar(self) -> None: ...


class PublicadorRabbitMQ:
    """Publishes events to a durable topic exchange with publisher confirms: persistent
    messages, routing key `facturacion.<tipo en minúsculas>`, message id = event id, and
    the unroutable ones parked in `cola_sin_destino`. It connects lazily and, after any
    failure, drops the connection so that the next call reconnects."""

    def __init__(self, url: str, exchange: str = "facturacion") -> None:
        self.url = url
        self.exchange = exchange
        self._conexion: Any = None
        self._canal: Any = None

    @property
    def cola_sin_destino(self) -> str:
        return f"{self.exchange}.sin-destino"

    def publicar(self, evento: EventoAlmacenado) -> bool:
        clave = clave_de_enrutamiento(evento.tipo)
        cuerpo = codificar_sobre(sobre_de(evento))  # an event that cannot be encoded
        canal = self._abrir()  # is its own fault, not the connection's
        try:
            # With confirms on, this blocks until the broker acks (stored, and on disk for
            # a persistent message in a durable queue); a nack raises NackError, and a
            # mandatory message no queue received raises UnroutableError once confirmed.
            try:
                canal.basic_publish(
                    exchange=self.exchange,
                    routing_key=clave,
                    body=cuerpo,
                    properties=propiedades(evento),
                    mandatory=True,
                )
                return True
            except UnroutableError:
                pass
            # Mandatory too: should the parking queue be gone, this raises, the connection
            # is dropped, and the next attempt declares it again.
            copia = propiedades(evento)
            copia.headers[CABECERA_CLAVE_ORIGINAL] = clave
            copia.headers[CABECERA_EXCHANGE_ORIGINAL] = self.exchange
            canal.basic_publish(
                exchange="",
                routing_key=self.cola_sin_destino,
                body=cuerpo,
                properties=copia,
                mandatory=True,
            )
            return False
        except ChannelClosedByBroker as error:
            self.cerrar()
            if error.reply_code == _PRECONDICION_FALLIDA:
                raise MensajeRechazado(
                    f"RabbitMQ rechazó el mensaje: {describir(error)}"
                ) from error
            raise
        except BaseException:
            self.cerrar()
            raise

    def esperar(self, segundos: float) -> None:
        """Idle for a while, still answering the broker's heartbeats when connected."""
        if self._conexion is None or not self._conexion.is_open:
            time.sleep(segundos)
            return
        try:
            self._conexion.sleep(segundos)
        except BaseException:
            self.cerrar()
            raise

    def cerrar(self) -> None:
        conexion, self._conexion, self._canal = self._conexion, None, None
        if conexion is not None and conexion.is_open:
            try:
                conexion.close()
            except Exception:  # already broken: nothing left to close cleanly
                logger.debug("La conexión con RabbitMQ ya estaba rota al cerrarla")

    def _abrir(self) -> Any:
        if self._canal is not None and self._canal.is_open:
            return self._canal
        self.cerrar()
        conexion = pika.BlockingConnection(parametros(self.url, nombre_conexion="prometeo relay"))
        try:
            canal = conexion.channel()
            canal.exchange_declare(self.exchange, exchange_type="topic", durable=True)
            canal.queue_declare(self.cola_sin_destino, durable=True)
            canal.confirm_delivery()
        except BaseException:
            conexion.close()
            raise
        self._conexion, self._canal = conexion, canal
        logger.info("Conectado a RabbitMQ; publicando en el exchange %r", self.exchange)
        return canal


def propiedades(evento: EventoAlmacenado) -> Any:
    """AMQP properties of an event's message."""
    return pika.BasicProperties(
        message_id=evento.evento_id,
        type=evento.tipo,
        content_type="application/json",
        content_encoding="utf-8",
        delivery_mode=pika.DeliveryMode.Persistent,
        timestamp=int(en_utc(evento.ocurrido_en).timestamp()),
        app_id="prometeo",
        headers={
            "stream_id": evento.stream_id,
            "version": evento.version,
            "posicion": evento.posicion,
        },
    )
