"""What the relay and the consumer share about talking to RabbitMQ: connection parameters,
which errors mean "the broker (or the database) is away for now", and the back-off policy
with which both wait for it to come back."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import pika  # type: ignore[import-untyped]
from pika.exceptions import AMQPError  # type: ignore[import-untyped]
from sqlalchemy.exc import OperationalError
from tenacity import RetryCallState, Retrying, retry_if_exception_type, wait_exponential_jitter

# The broker is down or restarting, the connection dropped, a publish was not confirmed,
# or the database is briefly unreachable: waiting and trying again fixes all of them.
ERRORES_TRANSITORIOS: tuple[type[BaseException], ...] = (AMQPError, OSError, OperationalError)


def parametros(url: str, *, nombre_conexion: str) -> Any:
    """pika connection parameters for an AMQP URL: one attempt per call (tenacity does the
    retrying, with back-off), short socket timeouts, and a name the broker's UI shows."""
    parametros_url = pika.URLParameters(url)
    parametros_url.connection_attempts = 1
    parametros_url.socket_timeout = 5
    parametros_url.blocked_connection_timeout = 60
    parametros_url.client_properties = {"connection_name": nombre_conexion}
    return parametros_url


def politica_de_reintentos(
    logger: logging.Logger,
    detener: threading.Event,
    *,
    espera_inicial: float,
    espera_maxima: float,
    al_fallar: Callable[[BaseException], None] = lambda _error: None,
) -> Retrying:
    """Retry transient errors forever with capped exponential back-off (plus jitter), until
    `detener` is set; a stop request also cuts the current wait short."""

    def antes_de_esperar(estado: RetryCallState) -> None:
        error = estado.outcome.exception() if estado.outcome is not None else None
        if error is not None:
            al_fallar(error)
        espera = estado.next_action.sleep if estado.next_action is not None else 0.0
        logger.warning(
            "RabbitMQ o la base de datos no responden (%s); intento %d, reintento en %.1f s",
            describir(error),
            estado.attempt_number,
            espera,
        )

    def dormir(segundos: float) -> None:
        detener.wait(segundos)

    return Retrying(
        retry=retry_if_exception_type(ERRORES_TRANSITORIOS),
        wait=wait_exponential_jitter(
            multiplier=espera_inicial, max=espera_maxima, jitter=espera_inicial
        ),
        stop=lambda _estado: detener.is_set(),
        sleep=dormir,
        before_sleep=antes_de_esperar,
        reraise=True,
    )


def describir(error: BaseException | None) -> str:
    """The error's class and text (pika's connection errors often have no text)."""
    if error is None:
        return "sin detalle"
    texto = str(error).strip()
    return f"{type(error).__name__}: {texto}" if texto else type(error).__name__
