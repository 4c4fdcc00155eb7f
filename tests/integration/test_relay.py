"""The outbox relay against the real RabbitMQ: order, envelope and properties, resuming
from the checkpoint, a SIGKILL halfway through, and a broker that goes away and returns."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from apoyo_mensajeria import (
    URL_RABBITMQ,
    Broker,
    agregar_eventos,
    esperar,
    fixture_broker,  # noqa: F401  (the `broker` fixture)
    preparar_ingresos,
)
from pika.exceptions import ChannelClosedByBroker
from prometheus_client import REGISTRY, generate_latest
from proxy_tcp import ProxyTcp
from sqlalchemy import Engine

from bases_de_datos import todos_los_backends
from prometeo.application.comandos import RegistrarIngreso
from prometeo.bootstrap import bootstrap, reintentar_eventos_aparcados
from prometeo.domain.errores import NoEncontrado
from prometeo.infrastructure.db.almacen_eventos import (
    EventoAlmacenado,
    almacen_eventos,
)
from prometeo.infrastructure.db.engine import crear_engine
from prometeo.infrastructure.db.migracion import migrar
from prometeo.infrastructure.mensajeria import (
    CheckpointRelay,
    PublicadorRabbitMQ,
    Relay,
    sobre_de,
)
from prometeo.infrastructure.mensajeria.conexion import ERRORES_TRANSITORIOS
from prometeo.infrastructure.mensajeria.relay import RepublicarAparcados
from prometeo.infrastructure.metricas import TIPO_CONTENIDO, Metricas, crear_metricas, exponer
from prometeo.infrastructure.seguimiento import RegistroSql, listar_aparcados, reintentar_aparcados
from prometeo.infrastructure.settings import Settings

PROMETEO = str(Path(sys.executable).parent / "prometeo")


def relay_de(engine: Engine, broker: Broker, lote: int, metricas: Metricas) -> Relay:
    publicador = PublicadorRabbitMQ(URL_RABBITMQ, broker.exchange)
    return Relay(engine, publicador, lote=lote, metricas=metricas)


@todos_los_backends
def test_publica_el_backlog_en_orden_con_sobre_y_propiedades(
    engine: Engine, broker: Broker
) -> None:
    cola = broker.cola_capturadora()
    eventos = agregar_eventos(engine, 7, streams=3)
    metricas = crear_metricas()
    relay = relay_de(engine, broker, lote=3, metricas=metricas)

    assert relay.publicar_pendientes() == 7
    relay.publicador.cerrar()

    mensajes = broker.leer(cola)
    assert [json.loads(cuerpo)["posicion"] for _, _, cuerpo in mensajes] == list(range(1, 8))
    for (metodo, propiedades, cuerpo), evento in zip(mensajes, eventos, strict=True):
        assert metodo.routing_key == f"facturacion.{evento.tipo.lower()}"
        assert propiedades.message_id == evento.evento_id
        assert propiedades.delivery_mode == 2
        assert propiedades.content_type == "application/json"
        assert propiedades.type == evento.tipo
        sobre = json.loads(cuerpo)
        assert sobre == sobre_de(evento)
        assert set(sobre) == {
            "id", "stream_id", "version", "posicion", "tipo", "version_esquema",
            "ocurrido_en", "datos", "metadatos",
        }  # fmt: skip
        assert sobre["datos"]["nombre"] == "Año Ñandú"
        assert sobre["metadatos"]["usuario"] == "prueba"
        assert sobre["ocurrido_en"] == "2026-11-29T12:00:00+00:00"
    assert mensajes[2][0].routing_key == "facturacion.pruebaemitida"
    assert CheckpointRelay(engine, "rabbitmq").leer() == 7
    assert metricas.eventos_publicados._value.get() == 7
    assert metricas.pendientes_outbox._value.get() == 0

    # A restarted relay resumes from the checkpoint: nothing is published twice.
    otro = relay_de(engine, broker, lote=3, metricas=metricas)
    assert otro.publicar_pendientes() == 0
    agregar_eventos(engine, 2, streams=3)
    assert otro.publicar_pendientes() == 2
    otro.publicador.cerrar()
    assert broker.posiciones(cola) == [8, 9]


class PublicadorQueSeCae(PublicadorRabbitMQ):
    """The real publisher, through a proxy that is cut just before the event at position
    `falla_en` goes out (as if the broker died right then)."""

    def __init__(self, proxy: ProxyTcp, exchange: str, falla_en: int) -> None:
        super().__init__(proxy.url, exchange)
        self.proxy = proxy
        self.falla_en = falla_en

    def publicar(self, evento: EventoAlmacenado) -> bool:
        if evento.posicion == self.falla_en:
            self.falla_en = 0
            self.proxy.cortar()
        return super().publicar(evento)


def test_una_caida_a_media_tanda_conserva_lo_confirmado(engine: Engine, broker: Broker) -> None:
    cola = broker.cola_capturadora()
    agregar_eventos(engine, 10)
    metricas = crear_metricas()
    proxy = ProxyTcp()
    proxy.abrir()
    publicador = PublicadorQueSeCae(proxy, broker.exchange, falla_en=6)
    relay = Relay(engine, publicador, lote=10, metricas=metricas)
    try:
        with pytest.raises(ERRORES_TRANSITORIOS):
            relay.publicar_pendientes()
        assert relay.checkpoint.leer() == 5
        assert metricas.fallos_publicacion._value.get() == 1
        assert metricas.pendientes_outbox._value.get() == 5

        proxy.abrir()
        assert relay.publicar_pendientes() == 5
    finally:
        publicador.cerrar()
        proxy.cortar()
    assert broker.posiciones(cola) == list(range(1, 11))


def test_relay_matado_con_sigkill_entrega_todo_al_menos_una_vez_y_en_orden(
    tmp_path: Path, broker: Broker
) -> None:
    total, streams = 4000, 8
    url = f"sqlite:///{tmp_path / 'relay.db'}"
    engine = crear_engine(url)
    migrar(engine)
    eventos = agregar_eventos(engine, total, streams=streams, por_transaccion=200)
    cola = broker.cola_capturadora()
    entorno = {
        **os.environ,
        "PROMETEO_DATABASE_URL": url,
        "PROMETEO_BROKER_URL": URL_RABBITMQ,
        "PROMETEO_EXCHANGE": broker.exchange,
    }
    orden = [PROMETEO, "relay", "--lote", "50", "--intervalo", "0.1"]

    registro = tmp_path / "relay.log"
    with registro.open("w") as salida:
        proceso = subprocess.Popen(orden, env=entorno, stdout=salida, stderr=subprocess.STDOUT)
    try:
        esperar(
            lambda: broker.mensajes_en(cola) >= total // 4 or proceso.poll() is not None,
            que="un cuarto del backlog",
        )
    finally:
        proceso.send_signal(signal.SIGKILL)
        proceso.wait(10)
    assert proceso.returncode == -signal.SIGKILL, registro.read_text()
    checkpoint = CheckpointRelay(engine, "rabbitmq").leer()
    assert 0 < checkpoint < total, "el relay debía morir a medio camino"

    reinicio = subprocess.run(
        [*orden, "--una-vez"], env=entorno, capture_output=True, text=True, timeout=120
    )
    assert reinicio.returncode == 0, reinicio.stderr
    assert CheckpointRelay(engine, "rabbitmq").leer() == total
    engine.dispose()

    posiciones = broker.posiciones(cola)
    assert set(posiciones) == set(range(1, total + 1))
    # The first run delivered 1..k (k ≥ its checkpoint), the restart checkpoint+1..total:
    # the only duplicates are the confirmed but not yet checkpointed tail of the first run.
    corte = next(
        (i for i in range(1, len(posiciones)) if posiciones[i] != posiciones[i - 1] + 1),
        len(posiciones),
    )
    primera, segunda = posiciones[:corte], posiciones[corte:]
    assert primera == list(range(1, corte + 1))
    assert corte >= checkpoint
    assert segunda == list(range(checkpoint + 1, total + 1)) or segunda == []
    stream_de = {e.posicion: (e.stream_id, e.version) for e in eventos}
    por_stream: dict[str, list[int]] = defaultdict(list)
    for posicion in primera + segunda:
        stream, version = stream_de[posicion]
        por_stream[stream].append(version)
    for versiones in por_stream.values():
        vistas = list(dict.fromkeys(versiones))  # first delivery of each version
        assert vistas == list(range(1, len(vistas) + 1))


def test_broker_caido_los_comandos_siguen_y_al_volver_no_se_pierde_nada(
    tmp_path: Path, broker: Broker
) -> None:
    aplicacion = bootstrap(Settings(database_url=f"sqlite:///{tmp_path / 'caido.db'}"))
    cola = broker.cola_capturadora()
    proxy = ProxyTcp()  # not listening yet: the broker is unreachable
    relay = Relay(
        aplicacion.engine,
        PublicadorRabbitMQ(proxy.url, broker.exchange),
        lote=20,
        metricas=aplicacion.metricas,
        espera_inicial=0.05,
        espera_maxima=0.2,
    )
    detener = threading.Event()
    hilo = threading.Thread(target=relay.ejecutar, kwargs={"intervalo": 0.05, "detener": detener})
    hilo.start()
    fallos = aplicacion.metricas.fallos_publicacion._value
    try:
        ingresar = preparar_ingresos(aplicacion)
        for _ in range(5):
            ingresar()  # commands never wait for the broker
        esperar(lambda: fallos.get() >= 2, que="reintentos del relay")
        assert relay.checkpoint.leer() == 0
        assert b"prometeo_outbox_pendientes 5.0" in exponer(aplicacion.metricas)

        proxy.abrir()
        esperar(lambda: relay.checkpoint.pendientes() == 0, que="publicar tras la vuelta")

        proxy.cortar()  # the broker dies under a connected relay
        ingresos_durante_la_caida = 7
        for _ in range(ingresos_durante_la_caida):
            ingresar()
        antes = fallos.get()
        esperar(lambda: fallos.get() > antes, que="notar la caída")
        proxy.abrir()
        esperar(lambda: relay.checkpoint.pendientes() == 0, que="publicar tras la segunda vuelta")
    finally:
        detener.set()
        hilo.join(10)
        proxy.cortar()
    assert not hilo.is_alive()
    with aplicacion.engine.connect() as conexion:
        ultima = almacen_eventos(conexion).ultima_posicion()
    assert ultima >= 12
    assert relay.checkpoint.leer() == ultima
    mensajes = broker.leer(cola)
    posiciones = [json.loads(cuerpo)["posicion"] for _, _, cuerpo in mensajes]
    assert set(posiciones) == set(range(1, ultima + 1))
    assert list(dict.fromkeys(posiciones)) == list(range(1, ultima + 1))
    assert {m.routing_key for m, _, _ in mensajes} == {"facturacion.loteingresado"}
    aplicacion.cerrar()


def test_metricas_exposicion_y_contadores(tmp_path: Path) -> None:
    aplicacion = bootstrap(Settings(database_url=f"sqlite:///{tmp_path / 'metricas.db'}"))
    metricas = aplicacion.metricas
    texto = exponer(metricas).decode()
    for nombre in (
        "prometeo_eventos_agregados_total",
        "prometeo_eventos_publicados_total",
        "prometeo_fallos_publicacion_total",
        "prometeo_outbox_pendientes",
        "prometeo_proyeccion_retraso",
        "prometeo_comando_duracion_segundos",
    ):
        assert f"# TYPE {nombre.removesuffix('_total')}" in texto

    ingresar = preparar_ingresos(aplicacion)
    with metricas.medir_comando("RegistrarIngreso"):
        ingresar()
    ingresar()
    with pytest.raises(NoEncontrado), metricas.medir_comando("RegistrarIngreso"):
        aplicacion.inventario.registrar_ingreso(RegistrarIngreso("no-existe", "b", 1, "1"))
    metricas.fijar_retraso_proyeccion("stock", 7)
    metricas.fijar_pendientes_outbox(2)

    texto = exponer(metricas).decode()
    assert 'prometeo_eventos_agregados_total{tipo="LoteIngresado"} 2.0' in texto
    assert 'prometeo_comando_duracion_segundos_count{comando="RegistrarIngreso"} 2.0' in texto
    assert 'prometeo_proyeccion_retraso{proyeccion="stock"} 7.0' in texto
    assert "prometeo_outbox_pendientes 2.0" in texto
    assert TIPO_CONTENIDO.startswith("text/plain")
    # A registry of its own per Metricas: nothing leaks into another set or the global one.
    assert "LoteIngresado" not in exponer(crear_metricas()).decode()
    assert b"prometeo_" not in generate_latest(REGISTRY)
    aplicacion.cerrar()


def test_un_evento_sin_cola_que_lo_reciba_no_se_pierde(engine: Engine, broker: Broker) -> None:
    """RabbitMQ confirms a message no queue receives, and drops it. The relay publishes
    mandatory: such an event comes back, and a copy of it is parked in the queue
    `<exchange>.sin-destino`, counted, before the checkpoint moves past it."""
    solo_creadas = broker.cola_capturadora("facturacion.pruebacreada")
    eventos = agregar_eventos(engine, 4, streams=1)  # PruebaCreada, Agregada, Emitida, ...
    metricas = crear_metricas()
    relay = relay_de(engine, broker, lote=10, metricas=metricas)

    assert relay.publicar_pendientes() == 4
    relay.publicador.cerrar()

    assert broker.posiciones(solo_creadas) == [1]
    sin_destino = broker.leer(f"{broker.exchange}.sin-destino")
    assert [json.loads(cuerpo) for _, _, cuerpo in sin_destino] == [
        sobre_de(e) for e in eventos[1:]
    ]
    for (_, propiedades, _), evento in zip(sin_destino, eventos[1:], strict=True):
        assert propiedades.message_id == evento.evento_id
        assert propiedades.delivery_mode == 2
        assert propiedades.headers["x-prometeo-clave-original"] == (
            f"facturacion.{evento.tipo.lower()}"
        )
        assert propiedades.headers["x-prometeo-exchange-original"] == broker.exchange
    assert relay.checkpoint.leer() == 4
    assert metricas.eventos_publicados._value.get() == 4
    texto = exponer(metricas).decode()
    assert 'prometeo_eventos_sin_destino_total{tipo="PruebaAgregada"} 1.0' in texto
    assert 'prometeo_eventos_sin_destino_total{tipo="PruebaCreada"}' not in texto


# What RabbitMQ answers to a message larger than its max_message_size (128 MiB by default):
# it closes the channel. Publishing that message again always fails the same way.
DEMASIADO_GRANDE = (
    "PRECONDITION_FAILED - message size 140000000 is larger than configured max size 134217728"
)


class CanalQueRechaza:
    """A real channel, except that the broker refuses the events at `rechazadas`."""

    def __init__(self, canal: Any, rechazadas: set[int]) -> None:
        self.canal = canal
        self.rechazadas = rechazadas

    def basic_publish(self, **argumentos: Any) -> None:
        if json.loads(argumentos["body"])["posicion"] in self.rechazadas:
            self.canal.close()
            raise ChannelClosedByBroker(406, DEMASIADO_GRANDE)
        self.canal.basic_publish(**argumentos)

    def __getattr__(self, nombre: str) -> Any:
        return getattr(self.canal, nombre)


class PublicadorQueRechaza(PublicadorRabbitMQ):
    def __init__(self, exchange: str, rechazadas: set[int]) -> None:
        super().__init__(URL_RABBITMQ, exchange)
        self.rechazadas = rechazadas

    def _abrir(self) -> Any:
        return CanalQueRechaza(super()._abrir(), self.rechazadas)


def test_un_evento_que_el_broker_rechaza_se_aparca_el_relay_sigue_y_se_puede_reintentar(
    url_base: str, engine: Engine, broker: Broker
) -> None:
    """An event the broker refuses for itself is not the broker being away: after a few
    tries it is parked with its error, and the relay goes on with the next ones. Retried
    by hand, it fails again while the cause lasts, and is published once it is gone."""
    cola = broker.cola_capturadora()
    eventos = agregar_eventos(engine, 4)
    metricas = crear_metricas()
    publicador = PublicadorQueRechaza(broker.exchange, rechazadas={2})
    relay = Relay(engine, publicador, lote=10, metricas=metricas, espera_inicial=0.001)

    assert relay.publicar_pendientes() == 4
    publicador.cerrar()

    assert broker.posiciones(cola) == [1, 3, 4]
    assert relay.checkpoint.leer() == 4
    (aparcado,) = listar_aparcados(engine)
    assert (aparcado.seguidor, aparcado.posicion) == ("rabbitmq", 2)
    assert aparcado.evento_id == eventos[1].evento_id
    assert "PRECONDITION_FAILED - message size" in aparcado.error
    assert metricas.eventos_aparcados.labels(seguidor="rabbitmq")._value.get() == 1

    # Still refused: it stays parked, with the new error.
    otra_vez = RepublicarAparcados(PublicadorQueRechaza(broker.exchange, {2}), metricas)
    (resultado,) = reintentar_aparcados(engine, RegistroSql(engine), [aparcado], otra_vez)
    assert resultado.error is not None
    assert "PRECONDITION_FAILED" in resultado.error
    assert [a.posicion for a in listar_aparcados(engine)] == [2]

    # The cause fixed: `prometeo aparcados reintentar` publishes it, late, and forgets it.
    ajustes = Settings(database_url=url_base, broker_url=URL_RABBITMQ, exchange=broker.exchange)
    (resultado,) = reintentar_eventos_aparcados("rabbitmq", settings=ajustes)
    assert (resultado.aparcado.posicion, resultado.error) == (2, None)
    assert listar_aparcados(engine) == []
    (mensaje,) = broker.leer(cola)
    assert json.loads(mensaje[2]) == sobre_de(eventos[1])
    assert mensaje[1].message_id == eventos[1].evento_id
