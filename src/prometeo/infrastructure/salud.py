"""Health checks: does the database answer, can the broker be reached. A health check must
answer at once even when a dependency is stalled, so the broker is never contacted on a
request's path: a probe in the background keeps its last known state."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import pika  # type: ignore[import-untyped]
from sqlalchemy import Engine, text

from prometeo.application.operacion import EstadoBroker
from prometeo.infrastructure.mensajeria.conexion import describir, parametros

logger = logging.getLogger("prometeo.api.salud")

# A probe gives up on a broker that does not complete the handshake within this bound.
_ESPERA_BROKER_SEGUNDOS = 2.0
# The broker's state is at most this old (plus one probe) when someone asks.
INTERVALO_SONDA_SEGUNDOS = 5.0


def base_de_datos_responde(engine: Engine) -> bool:
    try:
        # DEFERRED: the check must not wait for (or block) a writer holding SQLite's lock.
        with engine.connect().execution_options(sqlite_begin="DEFERRED") as conexion:
            conexion.execute(text("SELECT 1"))
        return True
    except Exception:
        logger.warning("La base de datos no responde", exc_info=True)
        return False


def conectar_y_cerrar(url: str) -> None:
    """Open and close one AMQP connection to `url`, each step bounded; raises why not."""
    parametros_sonda = parametros(url, nombre_conexion="prometeo salud")
    parametros_sonda.retry_delay = 0
    parametros_sonda.socket_timeout = _ESPERA_BROKER_SEGUNDOS
    parametros_sonda.stack_timeout = _ESPERA_BROKER_SEGUNDOS
    parametros_sonda.blocked_connection_timeout = _ESPERA_BROKER_SEGUNDOS
    pika.BlockingConnection(parametros_sonda).close()


class SondaBroker:
    """The broker's state as the last probe saw it. Asking never waits: when the state is
    older than `intervalo` seconds, a probe starts in a thread of its own (one at a time,
    whoever and however many ask) and the answer is the state known so far ("comprobando"
    before the first probe ends). Without anyone asking, nothing connects."""

    def __init__(
        self,
        comprobar: Callable[[], None] | None,
        *,
        intervalo: float = INTERVALO_SONDA_SEGUNDOS,
        reloj: Callable[[], float] = time.monotonic,
    ) -> None:
        self._comprobar = comprobar
        self.intervalo = intervalo
        self._reloj = reloj
        self._estado: EstadoBroker = "comprobando" if comprobar else "no configurado"
        self._inicio_ultima: float | None = None
        self._en_curso = False
        self._cerrojo = threading.Lock()

    @classmethod
    def para(cls, url: str | None) -> SondaBroker:
        """The probe of the broker at `url` (None: no broker configured)."""
        return cls((lambda: conectar_y_cerrar(url)) if url else None)

    def estado(self) -> EstadoBroker:
        if self._comprobar is None:
            return "no configurado"
        with self._cerrojo:
            ahora = self._reloj()
            vencido = self._inicio_ultima is None or ahora - self._inicio_ultima >= self.intervalo
            if vencido and not self._en_curso:
                self._en_curso, self._inicio_ultima = True, ahora
                threading.Thread(
                    target=self._sondear, name="prometeo-sonda-broker", daemon=True
                ).start()
            return self._estado

    def _sondear(self) -> None:
        assert self._comprobar is not None
        error: Exception | None = None
        try:
            self._comprobar()
        except Exception as fallo:  # whatever stops a connection means "unreachable"
            error = fallo
        nuevo: EstadoBroker = "ok" if error is None else "error"
        with self._cerrojo:
            anterior, self._estado, self._en_curso = self._estado, nuevo, False
        if nuevo != anterior:  # a change is news; the same state every few seconds is not
            if error is not None:
                logger.warning("RabbitMQ no responde: %s", describir(error))
            elif anterior == "error":
                logger.info("RabbitMQ responde de nuevo")
