"""Health, metrics, the event log and the OpenAPI document."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from entorno_api import ajustes, exigir_rabbitmq
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from apoyo_http import API, TiendaHttp, exigir
from prometeo.bootstrap import Aplicacion, bootstrap
from prometeo.entrypoints.api.app import crear_app
from prometeo.infrastructure.db.almacen_eventos import EventoAlmacenado
from prometeo.infrastructure.seguimiento import descartar_aparcado, registrar_aparcado

MOMENTO = datetime(2026, 11, 29, 12, tzinfo=UTC)


def test_salud_sin_broker(anonimo: TestClient) -> None:
    assert exigir(anonimo.get("/health"), 200) == {
        "status": "ok",
        "database": "ok",
        "broker": "no configurado",
        # No PROMETEO_FIRMA_ARCHIVO: documents wait, and /health says why.
        "sri": {
            "envio": "embebido",
            "certificado": "no configurado",
            "detalle": None,
            "pendientes": 0,
            # The test app never starts the dispatcher thread: no round took the lease.
            "despacho": "en otro proceso",
            "error_sri": None,
            "en_curso": 0,
            "segundos_sin_autorizar": None,
        },
        "aparcados": {},
    }


def salud_cuando_el_broker_sea(http: TestClient, esperado: str) -> dict[str, object]:
    """/health asked again until the background probe has seen the broker `esperado`
    (each answer is immediate: until then it says what it knew)."""
    limite = time.monotonic() + 30
    while True:
        salud: dict[str, object] = exigir(http.get("/health"), 200)
        if salud["broker"] == esperado or time.monotonic() > limite:
            return salud
        assert salud["broker"] == "comprobando"
        time.sleep(0.02)


def test_salud_con_broker_inalcanzable(url_api: str) -> None:
    wired = bootstrap(ajustes(url_api, broker_url="amqp://guest:guest@127.0.0.1:1/%2F"))
    try:
        with TestClient(crear_app(wired)) as http:
            salud = salud_cuando_el_broker_sea(http, "error")
    finally:
        wired.cerrar()
    assert {k: salud[k] for k in ("status", "database", "broker")} == {
        "status": "ok",
        "database": "ok",
        "broker": "error",
    }


class BrokerAtascado:
    """A port that accepts AMQP connections and never answers (a stalled broker): it
    counts the connections and holds each one until it is closed."""

    def __init__(self) -> None:
        self.escucha = socket.create_server(("127.0.0.1", 0))
        self.aceptadas: list[socket.socket] = []
        threading.Thread(target=self._aceptar, daemon=True).start()

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.escucha.getsockname()[1]}/%2F"

    def _aceptar(self) -> None:
        while True:
            try:
                conexion, _ = self.escucha.accept()
            except OSError:
                return
            self.aceptadas.append(conexion)

    def cerrar(self) -> None:
        self.escucha.close()
        for conexion in self.aceptadas:
            conexion.close()


def test_salud_con_broker_atascado_no_abre_una_conexion_por_consulta(url_api: str) -> None:
    """Many /health calls while the broker accepts but never answers: the broker's state
    comes from one probe in the background, not from a connection per call."""
    atascado = BrokerAtascado()
    wired = bootstrap(ajustes(url_api, broker_url=atascado.url))
    try:
        with TestClient(crear_app(wired)) as http, ThreadPoolExecutor(8) as hilos:
            respuestas = list(hilos.map(lambda _: http.get("/health"), range(16)))
    finally:
        wired.cerrar()
        atascado.cerrar()
    assert {r.status_code for r in respuestas} == {200}
    assert {r.json()["broker"] for r in respuestas} <= {"comprobando", "error"}
    assert len(atascado.aceptadas) <= 1


@pytest.mark.integration  # needs RabbitMQ
def test_salud_con_broker_disponible(url_api: str) -> None:
    exigir_rabbitmq()
    wired = bootstrap(ajustes(url_api, broker_url="amqp://guest:guest@127.0.0.1:5672/%2F"))
    try:
        with TestClient(crear_app(wired)) as http:
            salud = salud_cuando_el_broker_sea(http, "ok")
    finally:
        wired.cerrar()
    assert salud["broker"] == "ok"


def test_salud_con_la_base_caida_da_503(
    aplicacion: Aplicacion, anonimo: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    caida = create_engine("sqlite:////no/existe/ningun/lugar.db")
    monkeypatch.setattr(aplicacion, "engine", caida)
    respuesta = anonimo.get("/health")
    assert respuesta.status_code == 503
    assert respuesta.json()["status"] == "error"
    assert respuesta.json()["database"] == "error"


def test_metricas_con_latencia_de_comandos(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "5", "2.00")
    tienda.facturar(("cafe", "1"))
    borrador = tienda.facturar(("cafe", "1"), borrador=True)
    exigir(tienda.http.post(f"{API}/facturas/{borrador['id']}/emitir"), 200)
    respuesta = tienda.http.get("/metrics")
    assert respuesta.status_code == 200
    assert respuesta.headers["content-type"].startswith("text/plain")
    texto = respuesta.text
    assert 'prometeo_comando_duracion_segundos_count{comando="POST /api/v1/facturas"} 2.0' in texto
    assert 'comando="POST /api/v1/facturas/{factura_id}/emitir"' in texto
    assert borrador["id"] not in texto
    assert 'comando="POST /api/v1/inventario/ingresos"' in texto
    assert 'prometeo_eventos_agregados_total{tipo="FacturaEmitida"}' in texto
    # Embedded projections are never behind the log they are part of.
    assert 'prometeo_proyeccion_retraso{proyeccion="kardex"} 0.0' in texto


def test_registro_de_eventos_paginado(tienda: TiendaHttp) -> None:
    tienda.ingresar("cafe", "5", "2.00")
    tienda.facturar(("cafe", "1"))
    todos = tienda.get("/eventos", desde=0, limite=1000)
    items = todos["items"]
    posiciones = [e["posicion"] for e in items]
    assert posiciones == sorted(posiciones)
    assert todos["siguiente"] == posiciones[-1]
    tipos = [e["tipo"] for e in items]
    assert "LoteIngresado" in tipos
    assert "FacturaEmitida" in tipos
    emitida = next(e for e in items if e["tipo"] == "FacturaEmitida")
    assert emitida["stream_id"].startswith("factura-")
    assert emitida["version"] >= 1
    assert emitida["ocurrido_en"]
    assert isinstance(emitida["datos"], dict)

    primera = tienda.get("/eventos", desde=0, limite=2)
    assert [e["posicion"] for e in primera["items"]] == posiciones[:2]
    segunda = tienda.get("/eventos", desde=primera["siguiente"], limite=2)
    assert [e["posicion"] for e in segunda["items"]] == posiciones[2:4]
    final = tienda.get("/eventos", desde=posiciones[-1])
    assert final == {"items": [], "siguiente": posiciones[-1]}


@pytest.mark.parametrize(
    "params",
    [{"limite": 0}, {"limite": 1001}, {"desde": -1}, {"desde": "x"}, {"desde": 2**70}],
)
def test_registro_de_eventos_valida_sus_parametros(
    cliente: TestClient, params: dict[str, object]
) -> None:
    respuesta = cliente.get(API + "/eventos", params=params)
    assert respuesta.status_code == 422
    assert respuesta.json()["errores"][0]["mensaje"].startswith("El parámetro «")


def test_openapi_en_espanol_con_ejemplos_y_errores_problem_json(anonimo: TestClient) -> None:
    documento = exigir(anonimo.get("/openapi.json"), 200)
    assert "Bearer" in str(documento["components"]["securitySchemes"])
    crear = documento["paths"]["/api/v1/facturas"]["post"]
    assert "transacción" in crear["description"]
    assert "201" in crear["responses"]
    assert "application/problem+json" in crear["responses"]["422"]["content"]
    assert "application/json" not in crear["responses"]["422"]["content"]
    esquemas = documento["components"]["schemas"]
    assert esquemas["FacturaEntrada"]["examples"]
    assert "Solo el rol admin" in documento["paths"]["/api/v1/productos"]["post"]["description"]
    assert "<title>" in anonimo.get("/docs").text


def test_salud_y_metricas_muestran_los_eventos_aparcados_que_esperan(
    aplicacion: Aplicacion, anonimo: TestClient
) -> None:
    def aparcar(seguidor: str, posicion: int) -> None:
        evento = EventoAlmacenado(
            posicion, f"id-{posicion}", "s-1", "s", 1, "FacturaEmitida", 1, "{}", "{}", MOMENTO
        )
        with aplicacion.engine.begin() as conexion:
            registrar_aparcado(conexion, seguidor, evento, ValueError("dato malo"))

    aparcar("proyecciones", 7)
    aparcar("proyecciones", 9)
    aparcar("rabbitmq", 9)

    assert exigir(anonimo.get("/health"), 200)["aparcados"] == {"proyecciones": 2, "rabbitmq": 1}
    texto = anonimo.get("/metrics").text
    assert 'prometeo_eventos_aparcados_pendientes{seguidor="proyecciones"} 2.0' in texto
    assert 'prometeo_eventos_aparcados_pendientes{seguidor="rabbitmq"} 1.0' in texto

    descartar_aparcado(aplicacion.engine, "rabbitmq", 9)
    assert exigir(anonimo.get("/health"), 200)["aparcados"] == {"proyecciones": 2}
    texto = anonimo.get("/metrics").text
    assert 'prometeo_eventos_aparcados_pendientes{seguidor="rabbitmq"} 0.0' in texto
