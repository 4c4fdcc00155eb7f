"""The RabbitMQ objects a consumer needs, declared idempotently (all durable):

    exchange (topic) --facturacion.#--> <cola>                  the work queue
    "" (default)     ----------------> <cola>.reintentos        failed messages wait here
                                            (per-message TTL)   ... then dead-letter back
                                                                into <cola>
    <cola>.dlx (direct) --<cola>-----> <cola>.dlq               messages that kept failing

The work queue also dead-letters into <cola>.dlx, so a message rejected without requeue
(by anyone) ends in the dead-letter queue too instead of being lost."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

COLA_PROYECCIONES = "prometeo.proyecciones"


@dataclass(frozen=True, slots=True)
class Topologia:
    """Names of a consumer's exchange and queues; the derived names follow `cola`."""

    exchange: str = "facturacion"
    cola: str = COLA_PROYECCIONES
    patron: str = "facturacion.#"

    @property
    def exchange_muertos(self) -> str:
        return f"{self.cola}.dlx"

    @property
    def cola_muertos(self) -> str:
        return f"{self.cola}.dlq"

    @property
    def cola_reintentos(self) -> str:
        return f"{self.cola}.reintentos"

    def declarar(self, canal: Any) -> None:
        """Declare (or confirm) every exchange, queue and binding on a pika channel."""
        canal.exchange_declare(self.exchange, exchange_type="topic", durable=True)
        canal.exchange_declare(self.exchange_muertos, exchange_type="direct", durable=True)
        canal.queue_declare(self.cola_muertos, durable=True)
        canal.queue_bind(self.cola_muertos, self.exchange_muertos, routing_key=self.cola)
        canal.queue_declare(
            self.cola_reintentos,
            durable=True,
            arguments={
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": self.cola,
            },
        )
        canal.queue_declare(
            self.cola,
            durable=True,
            arguments={
                "x-dead-letter-exchange": self.exchange_muertos,
                "x-dead-letter-routing-key": self.cola,
            },
        )
        canal.queue_bind(self.cola, self.exchange, routing_key=self.patron)

    def eliminar(self, canal: Any) -> None:
        """Delete everything `declarar` created (tests, and decommissioning a consumer);
        the shared topic exchange stays."""
        for cola in (self.cola, self.cola_reintentos, self.cola_muertos):
            canal.queue_delete(cola)
        canal.exchange_delete(self.exchange_muertos)
