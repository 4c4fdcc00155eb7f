"""What every service shares: one unit of work per attempt, bounded retries when another
writer moved the same streams, and publishing what was committed."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar
from uuid import uuid4

from tenacity import (
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)

from prometeo.application.bus import BusDeMensajes
from prometeo.application.config import Configuracion
from prometeo.application.unidad_de_trabajo import EventoConfirmado, Metadatos, UnidadDeTrabajo
from prometeo.domain.errores import ErrorDeConcurrencia
from prometeo.domain.reloj import Reloj

R = TypeVar("R")

FabricaUnidadDeTrabajo = Callable[[Metadatos], UnidadDeTrabajo]
Operacion = Callable[[UnidadDeTrabajo], R]

# The first waits stay around a few milliseconds; the configured maximum caps them.
_MULTIPLICADOR_ESPERA = 0.005


def nuevo_id(elegido: str | None) -> str:
    """The id the caller chose, or a fresh one (drawn once, before any retry, so every
    attempt writes the same document)."""
    return elegido if elegido is not None else str(uuid4())


class ServicioAplicacion:
    """Runs an operation on the domain inside a unit of work. An ErrorDeConcurrencia on commit
    means another writer got there first: the whole operation is run again on a fresh unit
    of work (fresh state), up to `Configuracion.reintentos_concurrencia` attempts, and the
    last conflict surfaces. Business errors are never retried."""

    def __init__(
        self,
        uow_factory: FabricaUnidadDeTrabajo,
        reloj: Reloj,
        bus: BusDeMensajes,
        config: Configuracion | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        self._reloj = reloj
        self._bus = bus
        self._config = config or Configuracion()

    def _ejecutar(self, operacion: Operacion[R], metadatos: Metadatos | None) -> R:
        # One Metadatos for every attempt: the retries belong to the same request.
        metadatos = metadatos or Metadatos()
        try:
            # Most commands meet no other writer: skip building the retry machinery.
            resultado, confirmados = self._intentar(operacion, metadatos)
        except ErrorDeConcurrencia as conflicto:
            if self._config.reintentos_concurrencia <= 1:
                raise
            time.sleep(
                random.uniform(0, min(_MULTIPLICADOR_ESPERA, self._config.espera_maxima_segundos))
            )
            resultado, confirmados = self._reintentar(operacion, metadatos, conflicto.streams)
        self._bus.publicar(confirmados)
        return resultado

    def _reintentar(
        self, operacion: Operacion[R], metadatos: Metadatos, disputados: tuple[str, ...]
    ) -> tuple[R, list[EventoConfirmado]]:
        """The attempts after a first conflict, with a short random exponential wait; each
        reserves the streams every attempt before it collided on."""
        reintentar = Retrying(
            retry=retry_if_exception_type(ErrorDeConcurrencia),
            stop=stop_after_attempt(max(self._config.reintentos_concurrencia - 1, 1)),
            wait=wait_random_exponential(
                multiplier=_MULTIPLICADOR_ESPERA, max=self._config.espera_maxima_segundos
            ),
            reraise=True,
        )
        for intento in reintentar:
            with intento:
                try:
                    return self._intentar(operacion, metadatos, disputados)
                except ErrorDeConcurrencia as conflicto:
                    disputados = tuple(sorted({*disputados, *conflicto.streams}))
                    raise
        raise AssertionError("tenacity reraises the last conflict")  # pragma: no cover

    def _intentar(
        self, operacion: Operacion[R], metadatos: Metadatos, disputados: tuple[str, ...] = ()
    ) -> tuple[R, list[EventoConfirmado]]:
        with self._uow_factory(metadatos) as uow:
            if disputados:
                uow.reservar(disputados)
            resultado = operacion(uow)
            uow.commit()
            return resultado, list(uow.confirmados)
