"""Distributed mode end to end: commands only store events, the relay publishes them to
RabbitMQ, and a `prometeo worker` in another process builds the read models — the same
ones a full replay (and so the embedded mode) gives, duplicates changing nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from apoyo_mensajeria import (
    URL_RABBITMQ,
    Broker,
    esperar,
    fixture_broker,  # noqa: F401  (the `broker` fixture)
)
from apoyo_proyecciones import BODEGAS, CLIENTE, HOY, PUNTOS, sembrar, volcar
from sqlalchemy import update

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
from prometeo.bootstrap import Aplicacion, bootstrap, crear_relay, refrescar_metricas
from prometeo.infrastructure.db.almacen_eventos import almacen_eventos
from prometeo.infrastructure.mensajeria import relay_checkpoint, sobre_de
from prometeo.infrastructure.metricas import exponer
from prometeo.infrastructure.proyecciones import reconstruir
from prometeo.infrastructure.proyecciones.trabajador import crear_manejador_proyecciones
from prometeo.infrastructure.settings import Settings


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


@pytest.mark.parametrize("url_base", ["sqlite", "postgresql"], indirect=True)
def test_un_worker_en_otro_proceso_construye_los_mismos_modelos_de_lectura(
    url_base: str, broker: Broker, tmp_path: Path
) -> None:
    topologia = broker.topologia()
    settings = Settings(
        database_url=url_base,
        hoy=HOY,
        proyecciones="distribuidas",
        broker_url=URL_RABBITMQ,
        exchange=broker.exchange,
    )
    app = bootstrap(settings)
    registro = tmp_path / "worker.log"
    entorno = {
        **os.environ,
        "PROMETEO_DATABASE_URL": url_base,
        "PROMETEO_PROYECCIONES": "distribuidas",
        "PROMETEO_BROKER_URL": URL_RABBITMQ,
        "PROMETEO_EXCHANGE": broker.exchange,
    }
    orden = [str(Path(sys.executable).parent / "prometeo"), "worker", "--cola", topologia.cola]
    with registro.open("w") as salida:
        proceso = subprocess.Popen(orden, env=entorno, stdout=salida, stderr=subprocess.STDOUT)
    relay = crear_relay(app)
    try:
        esperar(lambda: "Consumiendo la cola" in registro.read_text(), que="el worker")
        historia(app)
        assert app.consultas.stock() == []  # distributed: the commands did not project
        with app.engine.connect() as conexion:
            ultima = almacen_eventos(conexion).ultima_posicion()

        def al_dia() -> bool:
            with app.engine.connect() as conexion:
                puntos = app.proyector.checkpoints(conexion) if app.proyector else {}
                conexion.commit()
            return bool(puntos) and min(puntos.values()) == ultima

        assert relay.publicar_pendientes() == ultima
        esperar(al_dia, timeout=60, que="el worker al día")
        esperar(
            lambda: registro.read_text().count("Evento proyectado") >= ultima,
            timeout=60,
            que="todas las entregas",
        )
        distribuido = volcar(app.engine)
        assert distribuido["vista_stock"], "el worker no proyectó nada"
        assert "Hueco" not in registro.read_text()  # built from the deliveries themselves

        # Publish the whole log again: every delivery is a duplicate and changes nothing.
        with app.engine.begin() as conexion:
            conexion.execute(update(relay_checkpoint).values(posicion=0))
        assert relay.publicar_pendientes() == ultima
        esperar(
            lambda: registro.read_text().count("Evento proyectado") >= 2 * ultima,
            timeout=60,
            que="las entregas duplicadas",
        )
        assert volcar(app.engine) == distribuido
    finally:
        proceso.send_signal(signal.SIGTERM)
        codigo = proceso.wait(20)
        app.cerrar()
    assert codigo == 0, registro.read_text()

    # The same history replayed from zero (what embedded mode keeps) gives the same tables.
    embebida = bootstrap(settings.model_copy(update={"proyecciones": "embebidas"}))
    try:
        reconstruir(embebida.engine, None)
        assert volcar(embebida.engine) == distribuido
    finally:
        embebida.cerrar()


def test_una_entrega_tras_un_hueco_pone_al_dia_desde_el_almacen(tmp_path: Path) -> None:
    """A worker that starts behind (or gets a delivery out of order) catches up from the
    event store; a later duplicate of an applied event changes nothing."""
    url = f"sqlite:///{tmp_path / 'hueco.db'}"
    app = bootstrap(Settings(database_url=url, hoy=HOY, proyecciones="distribuidas"))
    try:
        historia(app)
        assert app.proyector is not None
        manejar = crear_manejador_proyecciones(app.engine, app.proyector, app.metricas)
        with app.engine.connect() as conexion:
            almacenados = almacen_eventos(conexion).leer_todos(0, 10_000)
        ultimo = sobre_de(almacenados[-1])
        manejar(ultimo)  # a gap: everything before it is missing
        with app.engine.connect() as conexion:
            puntos = app.proyector.checkpoints(conexion)
        assert set(puntos.values()) == {almacenados[-1].posicion}
        tablas = volcar(app.engine)
        manejar(sobre_de(almacenados[3]))  # an old duplicate
        manejar(ultimo)
        assert volcar(app.engine) == tablas
        texto = exponer(app.metricas).decode()
        assert 'prometeo_proyeccion_retraso{proyeccion="stock"} 0.0' in texto
    finally:
        app.cerrar()


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
        assert 'prometeo_proyeccion_retraso{proyeccion="ventas_diarias"} 0.0' in texto
    finally:
        app.cerrar()
