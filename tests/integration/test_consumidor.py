"""The consumer side against the real RabbitMQ: envelopes in order, manual acks, bounded
retries then the dead-letter queue (and the worker goes on), duplicates reaching the
handler again. (`prometeo worker` follows the event log, not a queue: its command is
tested in test_modo_distribuido.py.)"""

from __future__ import annotations

import json
import threading
from typing import Any

import pika
import pytest
from apoyo_mensajeria import (
    URL_RABBITMQ,
    Broker,
    agregar_eventos,
    esperar,
    fixture_broker,  # noqa: F401  (the `broker` fixture)
)
from sqlalchemy import Engine

from prometeo.infrastructure.mensajeria import (
    CABECERA_ERROR,
    CABECERA_REINTENTOS,
    Consumidor,
    PublicadorRabbitMQ,
    Relay,
    Sobre,
    Topologia,
    sobre_de,
)
from prometeo.infrastructure.mensajeria.consumidor import CABECERA_TIPO_ERROR


class Veneno(Exception):
    pass


def publicar_eventos(engine: Engine, broker: Broker, cuantos: int) -> list[Sobre]:
    """Store `cuantos` events and publish them with the real relay; their envelopes."""
    eventos = agregar_eventos(engine, cuantos)
    publicador = PublicadorRabbitMQ(URL_RABBITMQ, broker.exchange)
    assert Relay(engine, publicador).publicar_pendientes() == cuantos
    publicador.cerrar()
    return [sobre_de(e) for e in eventos]


def consumidor(broker: Broker, manejador: Any, topologia: Topologia, **opciones: Any) -> Consumidor:
    return Consumidor(URL_RABBITMQ, manejador, topologia=topologia, **opciones)


def test_entrega_cada_sobre_en_orden_y_confirma(engine: Engine, broker: Broker) -> None:
    topologia = broker.topologia()
    recibidos: list[Sobre] = []
    trabajador = consumidor(broker, recibidos.append, topologia, prefetch=3)
    trabajador.procesar_disponibles(espera=0.1)  # declares the queue before publishing
    sobres = publicar_eventos(engine, broker, 6)

    assert trabajador.procesar_disponibles(espera=0.3) == 6
    trabajador.cerrar()
    assert recibidos == sobres
    assert [s["posicion"] for s in recibidos] == list(range(1, 7))
    assert broker.mensajes_en(topologia.cola) == 0  # all acked
    assert broker.mensajes_en(topologia.cola_muertos) == 0


def test_un_mensaje_venenoso_acaba_en_la_cola_de_muertos_y_el_worker_sigue(
    engine: Engine, broker: Broker
) -> None:
    topologia = broker.topologia()
    llamadas: list[int] = []
    procesados: list[int] = []

    def manejador(sobre: Sobre) -> None:
        llamadas.append(sobre["posicion"])
        if sobre["posicion"] == 2:
            raise Veneno("la factura 2 no cuadra")
        procesados.append(sobre["posicion"])

    trabajador = consumidor(broker, manejador, topologia, reintentos=2, espera_reintento=0.05)
    trabajador.procesar_disponibles(espera=0.1)
    sobres = publicar_eventos(engine, broker, 4)

    trabajador.procesar_disponibles(espera=1.0)  # longer than the retry delays
    trabajador.cerrar()

    assert llamadas.count(2) == 3  # the first attempt and two retries
    assert procesados == [1, 3, 4]  # the others were not held up
    muertos = broker.leer(topologia.cola_muertos)
    assert len(muertos) == 1
    _, propiedades, cuerpo = muertos[0]
    assert json.loads(cuerpo) == sobres[1]  # the envelope, untouched
    assert propiedades.message_id == sobres[1]["id"]
    assert propiedades.headers[CABECERA_REINTENTOS] == 2
    assert propiedades.headers[CABECERA_ERROR] == "Veneno: la factura 2 no cuadra"
    assert propiedades.headers[CABECERA_TIPO_ERROR] == "Veneno"
    clave = propiedades.headers["x-prometeo-clave-original"]
    assert clave == f"facturacion.{sobres[1]['tipo'].lower()}"
    for cola in (topologia.cola, topologia.cola_reintentos):
        assert broker.mensajes_en(cola) == 0


def test_un_mensaje_que_no_es_un_sobre_va_directo_a_la_cola_de_muertos(broker: Broker) -> None:
    topologia = broker.topologia()
    recibidos: list[Sobre] = []
    trabajador = consumidor(broker, recibidos.append, topologia, reintentos=5)
    trabajador.procesar_disponibles(espera=0.1)
    broker.canal.basic_publish(broker.exchange, "facturacion.algo", b"{no es json")

    assert trabajador.procesar_disponibles(espera=0.3) == 1
    trabajador.cerrar()
    assert recibidos == []
    (_, propiedades, cuerpo), *_ = broker.leer(topologia.cola_muertos)
    assert cuerpo == b"{no es json"
    assert propiedades.headers[CABECERA_TIPO_ERROR] == "SobreInvalido"
    assert propiedades.headers[CABECERA_REINTENTOS] == 0


def test_una_entrega_duplicada_llega_otra_vez_al_manejador(engine: Engine, broker: Broker) -> None:
    """At least once: a message published twice, or redelivered after a crash before its
    ack, reaches the handler again. Skipping what was already applied (by event id or
    stream version) is the handler's job."""
    topologia = broker.topologia()
    recibidos: list[str] = []
    trabajador = consumidor(broker, lambda s: recibidos.append(s["id"]), topologia)
    trabajador.procesar_disponibles(espera=0.1)
    (sobre,) = publicar_eventos(engine, broker, 1)
    broker.canal.basic_publish(
        broker.exchange,
        f"facturacion.{sobre['tipo'].lower()}",
        json.dumps(sobre).encode(),
        pika.BasicProperties(message_id=sobre["id"], delivery_mode=2),
    )
    assert trabajador.procesar_disponibles(espera=0.3) == 2
    assert recibidos == [sobre["id"], sobre["id"]]

    # A worker that dies while handling (no ack): the broker redelivers to the next one.
    def muere(_sobre: Sobre) -> None:
        raise SystemExit("el proceso muere a media tarea")

    broker.canal.basic_publish(broker.exchange, "facturacion.x", json.dumps(sobre).encode())
    with pytest.raises(SystemExit):
        consumidor(broker, muere, topologia).procesar_disponibles(espera=0.3)
    assert trabajador.procesar_disponibles(espera=0.3) == 1
    trabajador.cerrar()
    assert recibidos == [sobre["id"]] * 3


def test_ejecutar_consume_hasta_que_lo_detienen(engine: Engine, broker: Broker) -> None:
    topologia = broker.topologia()
    recibidos: list[int] = []
    trabajador = consumidor(broker, lambda s: recibidos.append(s["posicion"]), topologia)
    trabajador.procesar_disponibles(espera=0.1)
    detener = threading.Event()
    hilo = threading.Thread(target=trabajador.ejecutar, args=(detener,))
    hilo.start()
    try:
        publicar_eventos(engine, broker, 5)
        esperar(lambda: len(recibidos) == 5, que="los 5 eventos")
    finally:
        detener.set()
        hilo.join(10)
    assert not hilo.is_alive()
    assert recibidos == [1, 2, 3, 4, 5]
