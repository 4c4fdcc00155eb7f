"""Consuming published events: manual acks, bounded retries, a dead-letter queue.

The seam for whoever consumes (e.g. the projection worker) is the Manejador: a callable
that receives the decoded envelope (see sobre.py) and returns when the event is fully
handled; raising means "not handled". Delivery is AT LEAST ONCE: after a crash, a lost
connection or a retry, the same event can arrive again (same `id`), and it may then arrive
after later events of its stream. Idempotence is the handler's job: remember the last
applied `version` of each stream (or `posicion`) in the same transaction as the effect,
skip what is already applied, and raise on a gap so that the message is retried later.
Keep it brief (well under a minute): while it runs, the connection's heartbeats wait.

A handler that raises: the message is republished to `<cola>.reintentos` with the header
x-prometeo-reintentos incremented and a per-message TTL (exponential back-off), from where
RabbitMQ dead-letters it back into the work queue; the original is acked only after the
broker confirmed the copy. After `reintentos` retries it goes to `<cola>.dlq` instead,
with the error in the header x-prometeo-error, and the consumer goes on with the next."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import pika  # type: ignore[import-untyped]

from prometeo.infrastructure.mensajeria.conexion import parametros, politica_de_reintentos
from prometeo.infrastructure.mensajeria.sobre import (
    CABECERA_CLAVE_ORIGINAL,
    Sobre,
    SobreInvalido,
    decodificar_sobre,
)
from prometeo.infrastructure.mensajeria.topologia import Topologia

logger = logging.getLogger("prometeo.worker")

Manejador = Callable[[Sobre], None]

CABECERA_REINTENTOS = "x-prometeo-reintentos"
CABECERA_ERROR = "x-prometeo-error"
CABECERA_TIPO_ERROR = "x-prometeo-error-tipo"
_LARGO_MAXIMO_ERROR = 2000
# Added by RabbitMQ on each dead-lettering; our own counter is what counts, and copying
# them into a new message only grows it.
_CABECERAS_DEL_BROKER = ("x-death", "x-first-death-", "x-last-death-")


class Consumidor:
    """Feeds the events of a durable queue to a Manejador, one at a time, acking each only
    once it is handled (or safely parked for a retry, or dead-lettered)."""

    def __init__(
        self,
        url: str,
        manejador: Manejador,
        *,
        topologia: Topologia | None = None,
        prefetch: int = 10,
        reintentos: int = 3,
        espera_reintento: float = 1.0,
        espera_reintento_maxima: float = 300.0,
        espera_inicial: float = 0.5,
        espera_maxima: float = 30.0,
    ) -> None:
        self.url = url
        self.manejador = manejador
        self.topologia = topologia if topologia is not None else Topologia()
        self.prefetch = prefetch
        self.reintentos = reintentos
        self.espera_reintento = espera_reintento
        self.espera_reintento_maxima = espera_reintento_maxima
        self.espera_inicial = espera_inicial
        self.espera_maxima = espera_maxima
        self._conexion: Any = None
        self._canal: Any = None

    def ejecutar(self, detener: threading.Event | None = None) -> None:
        """Consume until `detener` is set, reconnecting with back-off whenever the broker
        goes away (unacked messages are redelivered by the broker meanwhile)."""
        detener = detener if detener is not None else threading.Event()
        reintentar = politica_de_reintentos(
            logger, detener, espera_inicial=self.espera_inicial, espera_maxima=self.espera_maxima
        )
        try:
            while not detener.is_set():
                reintentar(self._consumir, detener)
        except Exception:
            if not detener.is_set():
                raise
        finally:
            self.cerrar()

    def procesar_disponibles(self, espera: float = 0.5) -> int:
        """Handle messages until none arrives for `espera` seconds; how many were handled."""
        manejados = 0
        canal = self._abrir()
        try:
            for metodo, propiedades, cuerpo in canal.consume(
                self.topologia.cola, inactivity_timeout=espera
            ):
                if metodo is None:
                    break
                self._procesar(canal, metodo, propiedades, cuerpo)
                manejados += 1
            canal.cancel()
        except BaseException:
            self.cerrar()
            raise
        return manejados

    def cerrar(self) -> None:
        conexion, self._conexion, self._canal = self._conexion, None, None
        if conexion is not None and conexion.is_open:
            try:
                conexion.close()
            except Exception:
                logger.debug("La conexión con RabbitMQ ya estaba rota al cerrarla")

    def _consumir(self, detener: threading.Event) -> None:
        canal = self._abrir()
        logger.info("Consumiendo la cola %r", self.topologia.cola)
        try:
            for metodo, propiedades, cuerpo in canal.consume(
                self.topologia.cola, inactivity_timeout=0.5
            ):
                if detener.is_set():
                    break
                if metodo is not None:
                    self._procesar(canal, metodo, propiedades, cuerpo)
            canal.cancel()
        except BaseException:
            self.cerrar()
            raise

    def _abrir(self) -> Any:
        if self._canal is not None and self._canal.is_open:
            return self._canal
        self.cerrar()
        conexion = pika.BlockingConnection(parametros(self.url, nombre_conexion="prometeo worker"))
        try:
            canal = conexion.channel()
            self.topologia.declarar(canal)
            canal.basic_qos(prefetch_count=self.prefetch)
            canal.confirm_delivery()  # retry copies and dead letters are confirmed before the ack
        except BaseException:
            conexion.close()
            raise
        self._conexion, self._canal = conexion, canal
        return canal

    def _procesar(self, canal: Any, metodo: Any, propiedades: Any, cuerpo: bytes) -> None:
        hechos = _reintentos_hechos(propiedades.headers or {})
        try:
            sobre = decodificar_sobre(cuerpo)
        except SobreInvalido as error:
            logger.error(
                "Mensaje %s inválido; va a la cola de muertos: %s", metodo.routing_key, error
            )
            self._enviar(canal, metodo, propiedades, cuerpo, error, hechos, reintentar=False)
            return
        try:
            self.manejador(sobre)
        except Exception as error:
            reintentar = hechos < self.reintentos
            if reintentar:
                logger.warning(
                    "El manejador falló con %s (stream %s, versión %s); reintento %d de %d: %s",
                    sobre["tipo"],
                    sobre["stream_id"],
                    sobre["version"],
                    hechos + 1,
                    self.reintentos,
                    error,
                )
            else:
                logger.error(
                    "El manejador falló con %s (stream %s, versión %s) tras %d reintentos; "
                    "va a la cola de muertos %r",
                    sobre["tipo"],
                    sobre["stream_id"],
                    sobre["version"],
                    hechos,
                    self.topologia.cola_muertos,
                    exc_info=True,
                )
            self._enviar(canal, metodo, propiedades, cuerpo, error, hechos, reintentar=reintentar)
            return
        canal.basic_ack(metodo.delivery_tag)

    def _enviar(
        self,
        canal: Any,
        metodo: Any,
        propiedades: Any,
        cuerpo: bytes,
        error: Exception,
        hechos: int,
        *,
        reintentar: bool,
    ) -> None:
        """Park a copy for a retry or dead-letter it (confirmed), then ack the original."""
        cabeceras = {
            clave: valor
            for clave, valor in (propiedades.headers or {}).items()
            if not clave.startswith(_CABECERAS_DEL_BROKER)
        }
        cabeceras.setdefault(CABECERA_CLAVE_ORIGINAL, metodo.routing_key)
        cabeceras[CABECERA_ERROR] = f"{type(error).__name__}: {error}"[:_LARGO_MAXIMO_ERROR]
        cabeceras[CABECERA_TIPO_ERROR] = type(error).__name__
        expiracion = None
        if reintentar:
            cabeceras[CABECERA_REINTENTOS] = hechos + 1
            espera = min(self.espera_reintento * 2**hechos, self.espera_reintento_maxima)
            expiracion = str(int(espera * 1000))
            exchange, clave = "", self.topologia.cola_reintentos
        else:
            cabeceras[CABECERA_REINTENTOS] = hechos
            exchange, clave = self.topologia.exchange_muertos, self.topologia.cola
        canal.basic_publish(
            exchange=exchange,
            routing_key=clave,
            body=cuerpo,
            properties=_copia(propiedades, cabeceras, expiracion),
            mandatory=True,
        )
        canal.basic_ack(metodo.delivery_tag)


def _reintentos_hechos(cabeceras: dict[str, Any]) -> int:
    valor = cabeceras.get(CABECERA_REINTENTOS, 0)
    return valor if isinstance(valor, int) and valor >= 0 else 0


def _copia(propiedades: Any, cabeceras: dict[str, Any], expiracion: str | None) -> Any:
    return pika.BasicProperties(
        content_type=propiedades.content_type,
        content_encoding=propiedades.content_encoding,
        headers=cabeceras,
        delivery_mode=pika.DeliveryMode.Persistent,
        correlation_id=propiedades.correlation_id,
        expiration=expiracion,
        message_id=propiedades.message_id,
        timestamp=propiedades.timestamp,
        type=propiedades.type,
        app_id=propiedades.app_id,
    )
