"""Distributed mode end to end: commands only store events, and `prometeo worker`
processes, following the event log, build the read models — the same ones a full replay
(and so the embedded mode) gives, whether a worker is killed halfway, several run at
once, or events are handed to them again."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import uuid
from collections.abc import Sequence
from pathlib import Path

import pytest
from apoyo_mensajeria import (
    URL_RABBITMQ,
    Broker,
    esperar,
    fixture_broker,  # noqa: F401  (the `broker` fixture)
    preparar_ingresos,
)
from apoyo_proyecciones import BODEGAS, CLIENTE, HOY, PUNTOS, sembrar, volcar
from fastapi.testclient import TestClient
from sqlalchemy import Connection

from apoyo_http import API, TiendaHttp, exigir
from prometeo.application.comandos import (
    AnularFactura,
    CrearFactura,
    DescuentoGlobalCmd,
    EmitirNotaCredito,
    LineaFacturaCmd,
    LineaNotaCreditoCmd,
    RegistrarIngreso,
    TransferirStock,
)
from prometeo.bootstrap import Aplicacion, bootstrap, crear_worker, refrescar_metricas
from prometeo.entrypoints.api.app import crear_app
from prometeo.infrastructure.db.almacen_eventos import almacen_eventos
from prometeo.infrastructure.mensajeria import sobre_de
from prometeo.infrastructure.metricas import exponer
from prometeo.infrastructure.proyecciones import Proyector, crear_proyecciones, reconstruir
from prometeo.infrastructure.proyecciones.base import EventoProyectado
from prometeo.infrastructure.proyecciones.kardex import ProyeccionKardex
from prometeo.infrastructure.proyecciones.trabajador import crear_seguidor_proyecciones
from prometeo.infrastructure.seguimiento import listar_aparcados
from prometeo.infrastructure.settings import Settings

PROMETEO = str(Path(sys.executable).parent / "prometeo")


def historia(app: Aplicacion) -> None:
    """A day of business: entries at several costs, sales over lots, a global discount, a
    credit with and without devolución, an anulación and a transfer."""
    sembrar(app)
    for producto, costo in (("CAFE", "2.00"), ("CAFE", "3.00"), ("PAN", "0.40")):
        app.inventario.registrar_ingreso(RegistrarIngreso(producto, BODEGAS[0], 10, costo))
    f1 = app.facturas.crear_factura(
        CrearFactura(PUNTOS[0], BODEGAS[0], (LineaFacturaCmd("CAFE", 12),), CLIENTE)
    ).id
    f2 = app.facturas.crear_factura(
        CrearFactura(
            PUNTOS[0],
            BODEGAS[0],
            (LineaFacturaCmd("CAFE", 2), LineaFacturaCmd("PAN", 5)),
            CLIENTE,
            descuento_global=DescuentoGlobalCmd("PORCENTAJE", "10"),
        )
    ).id
    app.notas_credito.emitir_nota_credito(
        EmitirNotaCredito(f1, "Devolución", True, (LineaNotaCreditoCmd("CAFE", cantidad=3),))
    )
    app.notas_credito.emitir_nota_credito(
        EmitirNotaCredito(f1, "Rebaja", False, (LineaNotaCreditoCmd("CAFE", valor="1.00"),))
    )
    app.facturas.anular_factura(AnularFactura(f2, "Error de digitación"))
    app.inventario.transferir_stock(TransferirStock("CAFE", BODEGAS[0], BODEGAS[1], 4))


def mas_historia(app: Aplicacion, vez: int) -> None:
    """More business on top of `historia`, to run while workers are following."""
    app.inventario.registrar_ingreso(RegistrarIngreso("PAN", BODEGAS[1], 20 + vez, "0.50"))
    app.facturas.crear_factura(
        CrearFactura(PUNTOS[1], BODEGAS[1], (LineaFacturaCmd("PAN", 2 + vez),), CLIENTE)
    )
    app.inventario.transferir_stock(TransferirStock("CAFE", BODEGAS[1], BODEGAS[0], 1))


def ultima_posicion(app: Aplicacion) -> int:
    with app.engine.connect() as conexion:
        return almacen_eventos(conexion).ultima_posicion()


def checkpoints(app: Aplicacion) -> dict[str, int]:
    assert app.proyector is not None
    with app.engine.connect() as conexion:
        puntos = app.proyector.checkpoints(conexion)
        conexion.commit()
    return puntos


def lanzar_worker(
    entorno: dict[str, str], registro: Path, *opciones: str
) -> subprocess.Popen[bytes]:
    with registro.open("w") as salida:
        return subprocess.Popen(
            [PROMETEO, "worker", "--intervalo", "0.05", *opciones],
            env=entorno,
            stdout=salida,
            stderr=subprocess.STDOUT,
        )


@pytest.mark.parametrize("url_base", ["sqlite", "postgresql"], indirect=True)
def test_workers_en_otros_procesos_construyen_los_mismos_modelos_de_lectura(
    url_base: str, tmp_path: Path
) -> None:
    settings = Settings(database_url=url_base, hoy=HOY, proyecciones="distribuidas")
    app = bootstrap(settings)
    entorno = {
        **os.environ,
        "PROMETEO_DATABASE_URL": url_base,
        "PROMETEO_PROYECCIONES": "distribuidas",
    }
    entorno.pop("PROMETEO_BROKER_URL", None)  # the workers need no broker
    procesos: list[subprocess.Popen[bytes]] = []
    registros = [tmp_path / f"worker{i}.log" for i in range(3)]
    try:
        historia(app)
        assert app.consultas.stock() == []  # distributed: the commands did not project

        # One worker, one event per batch, killed as soon as it has done some of them.
        procesos.append(lanzar_worker(entorno, registros[0], "--lote", "1"))
        esperar(lambda: max(checkpoints(app).values()) > 0, timeout=60, que="el primer worker")
        procesos[0].send_signal(signal.SIGKILL)
        procesos[0].wait(10)

        # Two workers at once from where it died, while commands keep committing.
        procesos.append(lanzar_worker(entorno, registros[1], "--lote", "2"))
        procesos.append(lanzar_worker(entorno, registros[2], "--lote", "3"))
        for registro in registros[1:]:
            esperar(
                lambda r=registro: "Siguiendo el registro" in r.read_text(),
                timeout=60,
                que="los dos workers en marcha",
            )
        for vez in range(3):
            mas_historia(app, vez)
        ultima = ultima_posicion(app)
        esperar(
            lambda: set(checkpoints(app).values()) == {ultima},
            timeout=60,
            que="los workers al día",
        )
        distribuido = volcar(app.engine)
        assert distribuido["vista_stock"], "los workers no proyectaron nada"

        # The whole log handed to the projections again: every event a duplicate.
        procesador = crear_worker(app).procesador
        with app.engine.connect() as conexion:
            todos = almacen_eventos(conexion).leer_todos(0, 100_000)
        procesador.procesar(0, todos)
        assert volcar(app.engine) == distribuido
        assert listar_aparcados(app.engine) == []
    finally:
        for proceso in procesos[1:]:
            proceso.send_signal(signal.SIGTERM)
        codigos = [proceso.wait(20) for proceso in procesos[1:]]
        app.cerrar()
    assert codigos == [0, 0], [r.read_text() for r in registros[1:]]
    # Each batch is logged at DEBUG: at INFO a busy worker's log would be one line per batch.
    assert not any("Eventos proyectados" in r.read_text() for r in registros)

    # The same history replayed from zero (what embedded mode keeps) gives the same tables.
    embebida = bootstrap(settings.model_copy(update={"proyecciones": "embebidas"}))
    try:
        reconstruir(embebida.engine, None)
        assert volcar(embebida.engine) == distribuido
    finally:
        embebida.cerrar()


def test_un_worker_que_empieza_atrasado_se_pone_al_dia_desde_el_registro(
    tmp_path: Path,
) -> None:
    """A worker that starts behind catches up from the log; handing it events it has
    already applied (old ones, the last one again) changes nothing."""
    url = f"sqlite:///{tmp_path / 'atrasado.db'}"
    app = bootstrap(Settings(database_url=url, hoy=HOY, proyecciones="distribuidas"))
    try:
        historia(app)
        assert app.proyector is not None
        seguidor = crear_worker(app, lote=4)
        with app.engine.connect() as conexion:
            almacenados = almacen_eventos(conexion).leer_todos(0, 10_000)
        assert seguidor.ejecutar(una_vez=True) == len(almacenados)
        puntos = checkpoints(app)
        assert set(puntos.values()) == {almacenados[-1].posicion}
        tablas = volcar(app.engine)
        seguidor.procesador.procesar(2, almacenados[3:5])  # old duplicates
        seguidor.procesador.procesar(almacenados[-2].posicion, almacenados[-1:])
        assert seguidor.seguir_pendientes() == 0
        assert volcar(app.engine) == tablas
        refrescar_metricas(app)
        texto = exponer(app.metricas).decode()
        assert 'prometeo_proyeccion_retraso{proyeccion="stock"} 0.0' in texto
    finally:
        app.cerrar()


def test_el_comando_worker_proyecta_y_termina_con_sigterm(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'worker.db'}"
    app = bootstrap(Settings(database_url=url, proyecciones="distribuidas"))
    entorno = {**os.environ, "PROMETEO_DATABASE_URL": url, "PROMETEO_PROYECCIONES": "distribuidas"}
    registro = tmp_path / "worker.log"
    proceso = lanzar_worker(entorno, registro)
    try:
        esperar(lambda: "Siguiendo el registro" in registro.read_text(), que="el worker")
        ingresar = preparar_ingresos(app)
        ingresar()
        ingresar()
        ultima = ultima_posicion(app)
        esperar(lambda: set(checkpoints(app).values()) == {ultima}, que="el worker al día")
        assert app.consultas.stock() != []
    finally:
        proceso.send_signal(signal.SIGTERM)
        codigo = proceso.wait(15)
        app.cerrar()
    texto = registro.read_text()
    assert codigo == 0, texto
    assert "Eventos proyectados" not in texto  # batches are logged at DEBUG only
    assert "Worker detenido" in texto


def test_las_metricas_de_estado_se_refrescan_al_consultarlas(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'metricas.db'}"
    settings = Settings(database_url=url, hoy=HOY, broker_url=URL_RABBITMQ)
    app = bootstrap(settings)
    try:
        historia(app)
        with app.engine.connect() as conexion:
            ultima = almacen_eventos(conexion).ultima_posicion()
        refrescar_metricas(app)
        texto = exponer(app.metricas).decode()
        assert f"prometeo_outbox_pendientes {float(ultima)}" in texto  # nothing published yet
        assert 'prometeo_proyeccion_retraso{proyeccion="kardex"} 0.0' in texto
        # The reports' read models wait for a report (or the server's thread): the gauge
        # says how far behind they are, and nothing when they have caught up.
        (retraso,) = re.findall(
            r'^prometeo_proyeccion_retraso\{proyeccion="ventas_diarias"\} (\S+)$', texto, re.M
        )
        assert 0 < float(retraso) <= ultima
        assert app.diferidas is not None
        app.diferidas.al_dia()
        refrescar_metricas(app)
        texto = exponer(app.metricas).decode()
        assert 'prometeo_proyeccion_retraso{proyeccion="ventas_diarias"} 0.0' in texto
    finally:
        app.cerrar()


class KardexRoto(ProyeccionKardex):
    """The kardex with a bug: it cannot apply the event at position `rota`."""

    def __init__(self, rota: int) -> None:
        self.rota = rota

    def aplicar(self, conexion: Connection, eventos: Sequence[EventoProyectado]) -> None:
        if any(e.posicion == self.rota for e in eventos):
            raise ValueError("error de programación en el kardex")
        super().aplicar(conexion, eventos)


def aparcados_en_la_api(app: Aplicacion) -> tuple[object, str]:
    """What /health says of the parked events, and the parked-events gauge of /metrics."""
    with TestClient(crear_app(app)) as http:
        salud = http.get("/health").json()
        metricas = http.get("/metrics").text
    (linea,) = [
        linea
        for linea in metricas.splitlines()
        if linea.startswith('prometeo_eventos_aparcados_pendientes{seguidor="proyecciones"}')
    ]
    return salud.get("aparcados"), linea


@pytest.mark.parametrize("url_base", ["sqlite", "postgresql", "mariadb"], indirect=True)
def test_un_evento_que_una_proyeccion_no_aplica_se_aparca_se_ve_y_se_reintenta(
    url_base: str,
) -> None:
    """A projection that cannot apply an event does not hold the others back: the event is
    parked with its error, the other read models apply it, /health and /metrics show it,
    and once the bug is fixed `prometeo aparcados reintentar` gives the read models a full
    replay would."""
    settings = Settings(database_url=url_base, hoy=HOY, proyecciones="distribuidas")
    app = bootstrap(settings)
    try:
        historia(app)
        with app.engine.connect() as conexion:
            todos = almacen_eventos(conexion).leer_todos(0, 10_000)
        roto = next(e for e in todos if e.tipo == "StockReducido")
        proyecciones = [
            KardexRoto(roto.posicion) if p.nombre == "kardex" else p for p in crear_proyecciones()
        ]
        seguidor = crear_seguidor_proyecciones(
            app.engine, Proyector(proyecciones, app.codec_eventos), metricas=app.metricas
        )
        seguidor.espera_inicial = 0.001

        assert seguidor.seguir_pendientes() == len(todos)

        (aparcado,) = listar_aparcados(app.engine)
        assert (aparcado.seguidor, aparcado.posicion) == ("proyecciones", roto.posicion)
        assert "error de programación en el kardex" in aparcado.error
        assert set(checkpoints(app).values()) == {todos[-1].posicion}
        parcial = volcar(app.engine)
        assert aparcados_en_la_api(app) == (
            {"proyecciones": 1},
            'prometeo_eventos_aparcados_pendientes{seguidor="proyecciones"} 1.0',
        )

        # The bug fixed (the command runs the real kardex): the parked event is replayed.
        entorno = {
            **os.environ,
            "PROMETEO_DATABASE_URL": url_base,
            "PROMETEO_PROYECCIONES": "distribuidas",
        }
        reintento = subprocess.run(
            [PROMETEO, "aparcados", "reintentar"],
            env=entorno,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert reintento.returncode == 0, reintento.stdout + reintento.stderr
        assert "reintentado" in reintento.stdout, reintento.stdout
        assert listar_aparcados(app.engine) == []
        assert aparcados_en_la_api(app) == (
            {},
            'prometeo_eventos_aparcados_pendientes{seguidor="proyecciones"} 0.0',
        )
        reintentado = volcar(app.engine)
        # Only the kardex had gone without the event; the other read models had it.
        assert {t for t in parcial if parcial[t] != reintentado[t]} == {"vista_kardex"}

        reconstruir(app.engine, None)
        assert volcar(app.engine) == reintentado
    finally:
        app.cerrar()


def test_un_mensaje_falso_en_el_broker_no_cambia_lo_que_el_worker_proyecta(
    tmp_path: Path, broker: Broker
) -> None:
    """Anyone who can publish to RabbitMQ can forge an event, here one that claims the next
    position of the log with a lot of 1000 units at no cost. The worker takes its events
    from the log, never from a message: the forged one is neither applied nor able to
    make the real event at that position be skipped."""
    url = f"sqlite:///{tmp_path / 'falso.db'}"
    app = bootstrap(Settings(database_url=url, hoy=HOY, proyecciones="distribuidas"))
    try:
        historia(app)
        with app.engine.connect() as conexion:
            ultimo = next(
                e
                for e in reversed(almacen_eventos(conexion).leer_todos(0, 10_000))
                if e.tipo == "LoteIngresado"
            )
            ultima = almacen_eventos(conexion).ultima_posicion()
        falso = sobre_de(ultimo)
        falso.update(id=str(uuid.uuid4()), posicion=ultima + 1, version=ultimo.version + 1)
        falso["datos"].update(cantidad="1000", costo_unitario="0", valor="0.00")
        topologia = broker.topologia()  # the queue a message-fed worker would consume
        topologia.declarar(broker.canal)
        broker.canal.basic_publish(
            exchange=broker.exchange,
            routing_key="facturacion.loteingresado",
            body=json.dumps(falso).encode(),
        )
        # The real event at that position: 5 units of PAN at 0.40 into B2.
        app.inventario.registrar_ingreso(RegistrarIngreso("PAN", BODEGAS[1], 5, "0.40"))

        entorno = {
            **os.environ,
            "PROMETEO_DATABASE_URL": url,
            "PROMETEO_PROYECCIONES": "distribuidas",
            "PROMETEO_BROKER_URL": URL_RABBITMQ,
            "PROMETEO_EXCHANGE": broker.exchange,
        }
        worker = subprocess.run(
            [PROMETEO, "worker", "--una-vez"], env=entorno, capture_output=True, timeout=120
        )
        assert worker.returncode == 0, worker.stderr
        assert set(checkpoints(app).values()) == {ultima + 1}
        proyectado = volcar(app.engine)
        assert broker.mensajes_en(topologia.cola) == 1  # nobody took it

        reconstruir(app.engine, None)  # what the log alone gives
        assert volcar(app.engine) == proyectado
        assert listar_aparcados(app.engine) == []
    finally:
        app.cerrar()


def test_emitir_y_anular_responden_la_factura_como_quedo(tmp_path: Path) -> None:
    """With distributed read models the answer of POST /facturas/{id}/emitir and /anular
    waits for the worker to apply the command (here it starts late), instead of a 404 for
    a draft not projected yet or the state before the command."""
    url = f"sqlite:///{tmp_path / 'al-dia.db'}"
    token = "admin-del-modo-distribuido-0123456789ab"
    app = bootstrap(
        Settings(database_url=url, hoy=HOY, proyecciones="distribuidas", admin_token=token)
    )
    seguidor = crear_worker(app)
    parar = threading.Event()

    def trabajar() -> None:
        while not parar.wait(0.05):
            seguidor.ejecutar(una_vez=True)

    try:
        with TestClient(crear_app(app), headers={"Authorization": f"Bearer {token}"}) as http:
            tienda = TiendaHttp(http).sembrar()
            tienda.ingresar("cafe", "10", "4.00")
            seguidor.ejecutar(una_vez=True)
            borrador = tienda.facturar(("cafe", "1"), borrador=True)
            hilo = threading.Thread(target=trabajar)
            parar.clear()
            hilo.start()
            try:
                emitida = exigir(http.post(f"{API}/facturas/{borrador['id']}/emitir"), 200)
                assert (emitida["estado"], emitida["numero"]) == ("EMITIDA", "001-001-000000001")
                anulada = exigir(
                    http.post(f"{API}/facturas/{borrador['id']}/anular", json={"motivo": "Error"}),
                    200,
                )
                assert anulada["estado"] == "ANULADA"
            finally:
                parar.set()
                hilo.join(timeout=10)
    finally:
        app.cerrar()
