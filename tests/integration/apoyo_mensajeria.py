"""Shared by the RabbitMQ tests: a connection to the real broker, unique exchange and queue
names per test (deleted afterwards), events appended straight to the log, and helpers to
read what reached a queue."""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pika
import pytest
from sqlalchemy import Engine

from bases_de_datos import exigir_servicio
from prometeo.application.comandos import (
    CrearBodega,
    CrearProducto,
    CrearSucursal,
    RegistrarIngreso,
)
from prometeo.bootstrap import Aplicacion
from prometeo.infrastructure.db.almacen_eventos import (
    EventoAlmacenado,
    EventoNuevo,
    almacen_eventos,
)
from prometeo.infrastructure.mensajeria import Topologia

URL_RABBITMQ = os.environ.get("PROMETEO_TEST_RABBITMQ", "amqp://guest:guest@127.0.0.1:5672/%2F")


@dataclass
class Broker:
    """An admin channel on the real broker and the names this test may use."""

    canal: Any
    exchange: str
    prefijo: str
    colas: list[str] = field(default_factory=list)
    topologias: list[Topologia] = field(default_factory=list)

    def cola_capturadora(self, patron: str = "facturacion.#") -> str:
        """A queue bound to the test's exchange that keeps everything published to it."""
        self.canal.exchange_declare(self.exchange, exchange_type="topic", durable=True)
        nombre = f"{self.prefijo}.captura.{len(self.colas)}"
        self.colas.append(nombre)
        self.canal.queue_declare(nombre, durable=True)
        self.canal.queue_bind(nombre, self.exchange, routing_key=patron)
        return nombre

    def topologia(self) -> Topologia:
        """A consumer's topology on the test's exchange, deleted after the test."""
        topologia = Topologia(exchange=self.exchange, cola=f"{self.prefijo}.proyecciones")
        self.topologias.append(topologia)
        return topologia

    def mensajes_en(self, cola: str) -> int:
        return int(self.canal.queue_declare(cola, passive=True).method.message_count)

    def leer(self, cola: str, espera: float = 0.3) -> list[tuple[Any, Any, bytes]]:
        """Every message in `cola` (acked), in queue order, until none comes for `espera`
        (what a confirmed publish put there is already in the queue)."""
        leidos = []
        for metodo, propiedades, cuerpo in self.canal.consume(cola, inactivity_timeout=espera):
            if metodo is None:
                break
            leidos.append((metodo, propiedades, cuerpo))
            self.canal.basic_ack(metodo.delivery_tag)
        self.canal.cancel()
        return leidos

    def posiciones(self, cola: str, espera: float = 0.3) -> list[int]:
        return [json.loads(cuerpo)["posicion"] for _, _, cuerpo in self.leer(cola, espera)]

    def limpiar(self) -> None:
        """Delete the test's queues and exchanges, on a fresh connection (the test's own
        may be closed or broken by now)."""
        conexion = pika.BlockingConnection(pika.URLParameters(URL_RABBITMQ))
        try:
            canal = conexion.channel()
            for cola in self.colas:
                canal.queue_delete(cola)
            for topologia in self.topologias:
                topologia.eliminar(canal)
            canal.queue_delete(f"{self.exchange}.sin-destino")  # the relay's, if it made one
            canal.exchange_delete(self.exchange)
        finally:
            conexion.close()


@pytest.fixture(name="broker")
def fixture_broker() -> Iterator[Broker]:
    """The real RabbitMQ (skip or, in CI, fail when it is down), with names unique to the
    test; its exchanges and queues are deleted afterwards."""
    exigir_servicio("rabbitmq")
    prefijo = f"prometeo.test.{uuid.uuid4().hex[:10]}"
    conexion = pika.BlockingConnection(pika.URLParameters(URL_RABBITMQ))
    datos = Broker(conexion.channel(), f"{prefijo}.facturacion", prefijo)
    try:
        yield datos
    finally:
        datos.limpiar()
        if conexion.is_open:
            conexion.close()


# Types no projection reads: these events carry made-up data, and the embedded
# projections (caught up at every bootstrap) skip them instead of decoding them.
TIPOS = ("PruebaCreada", "PruebaAgregada", "PruebaEmitida", "PruebaIngresada", "PruebaReducida")


def agregar_eventos(
    engine: Engine, cuantos: int, *, streams: int = 3, por_transaccion: int = 1
) -> list[EventoAlmacenado]:
    """Append `cuantos` events round-robin over `streams` streams, straight to the log."""
    with engine.connect() as conexion:
        store = almacen_eventos(conexion)
        versiones = {f"prueba-{s}": store.version(f"prueba-{s}") for s in range(streams)}
        conexion.rollback()
    almacenados: list[EventoAlmacenado] = []
    pendientes: list[EventoNuevo] = []
    for i in range(cuantos):
        stream = f"prueba-{i % streams}"
        versiones[stream] += 1
        pendientes.append(
            EventoNuevo(
                str(uuid.uuid4()),
                stream,
                "prueba",
                versiones[stream],
                TIPOS[i % len(TIPOS)],
                1,
                json.dumps({"n": i, "total": "12.50", "nombre": "Año Ñandú"}, ensure_ascii=False),
                '{"correlation_id":"c-1","causation_id":null,"usuario":"prueba"}',
                datetime(2026, 11, 29, 12, 0, 0, tzinfo=UTC),
            )
        )
        if len(pendientes) == por_transaccion or i == cuantos - 1:
            with engine.begin() as conexion:
                almacenados.extend(almacen_eventos(conexion).agregar(pendientes))
            pendientes = []
    return almacenados


def esperar(condicion: Callable[[], bool], *, timeout: float = 20.0, que: str = "") -> None:
    limite = time.monotonic() + timeout
    while not condicion():
        if time.monotonic() > limite:
            raise AssertionError(f"Pasaron {timeout} s esperando: {que}")
        time.sleep(0.02)


def preparar_ingresos(aplicacion: Aplicacion) -> Callable[[], None]:
    """A product and a bodega, and a command that receives a lot of it."""
    sucursal = aplicacion.catalogo.crear_sucursal(CrearSucursal("001", "Matriz", "Quito")).id
    bodega = aplicacion.catalogo.crear_bodega(CrearBodega(sucursal, "B1", "Principal")).id
    producto = aplicacion.catalogo.crear_producto(CrearProducto("P1", "Café", "2.50", "4")).id

    def ingresar() -> None:
        aplicacion.inventario.registrar_ingreso(RegistrarIngreso(producto, bodega, 3, "1.20"))

    return ingresar
