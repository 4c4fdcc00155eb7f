"""Messaging: the transactional outbox relay (event log → RabbitMQ) and the consumer side.

The event log is the outbox: events commit atomically with the change they describe, and
the relay publishes them in position order, advancing a durable checkpoint only after the
broker confirmed them (see relay.py: a handler of the one event follower,
infrastructure/seguimiento). Consumers get each event's envelope (sobre.py) at
least once and must be idempotent (see consumidor.py)."""

from prometeo.infrastructure.mensajeria.checkpoint import CheckpointMovido, CheckpointRelay
from prometeo.infrastructure.mensajeria.consumidor import (
    CABECERA_ERROR,
    CABECERA_REINTENTOS,
    Consumidor,
    Manejador,
)
from prometeo.infrastructure.mensajeria.publicador import Publicador, PublicadorRabbitMQ
from prometeo.infrastructure.mensajeria.relay import NOMBRE_RELAY, Relay
from prometeo.infrastructure.mensajeria.sobre import (
    Sobre,
    SobreInvalido,
    clave_de_enrutamiento,
    decodificar_sobre,
    evento_de_sobre,
    sobre_de,
)
from prometeo.infrastructure.mensajeria.topologia import COLA_PROYECCIONES, Topologia

__all__ = [
    "CABECERA_ERROR",
    "CABECERA_REINTENTOS",
    "COLA_PROYECCIONES",
    "NOMBRE_RELAY",
    "CheckpointMovido",
    "CheckpointRelay",
    "Consumidor",
    "Manejador",
    "Publicador",
    "PublicadorRabbitMQ",
    "Relay",
    "Sobre",
    "SobreInvalido",
    "Topologia",
    "clave_de_enrutamiento",
    "decodificar_sobre",
    "evento_de_sobre",
    "sobre_de",
]
