"""Distributed mode: `prometeo worker` keeps the read models from RabbitMQ deliveries.

Each delivery is applied in its own transaction, at most once per projection (events at or
below a projection's checkpoint are skipped, so duplicates and redeliveries change
nothing). A delivery that arrives after a gap — the worker started behind, a message was
delayed by a retry, the broker lost nothing but reordered — makes the worker catch up from
the event store, which always holds every event in commit order; the delivery is then
already applied and the rest follow normally."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from prometeo.infrastructure.db.almacen_eventos import almacen_eventos
from prometeo.infrastructure.mensajeria.sobre import evento_de_sobre
from prometeo.infrastructure.metricas import Metricas
from prometeo.infrastructure.proyecciones.proyector import HuecoEnProyeccion, Proyector
from prometeo.infrastructure.proyecciones.reconstruccion import ponerse_al_dia

Manejador = Callable[[dict[str, Any]], None]
logger = logging.getLogger("prometeo.worker")


def crear_manejador_proyecciones(
    engine: Engine, proyector: Proyector, metricas: Metricas | None = None
) -> Manejador:
    """The handler of `prometeo worker`: project one delivered event envelope."""

    def manejar(sobre: dict[str, Any]) -> None:
        almacenado = evento_de_sobre(sobre)  # a malformed envelope raises: dead-lettered
        try:
            with engine.begin() as conexion:
                proyector.aplicar(conexion, [almacenado], estricto=True)
        except HuecoEnProyeccion:
            logger.info("Hueco antes de la posición %s: poniéndose al día", almacenado.posicion)
            ponerse_al_dia(engine, proyector)
        logger.info(
            "Evento proyectado: %s (stream %s, versión %s, posición %s)",
            almacenado.tipo,
            almacenado.stream_id,
            almacenado.version,
            almacenado.posicion,
        )
        if metricas is not None:
            publicar_retraso(engine, proyector, metricas)

    return manejar


def publicar_retraso(engine: Engine, proyector: Proyector, metricas: Metricas) -> None:
    """Set the lag gauge of every projection: events stored but not yet applied."""
    with engine.connect() as conexion:
        ultima = almacen_eventos(conexion).ultima_posicion()
        puntos = proyector.checkpoints(conexion)
        conexion.commit()
    for nombre, punto in puntos.items():
        metricas.fijar_retraso_proyeccion(nombre, max(ultima - punto, 0))
