"""The reports' read models, kept out of the commands' transactions (embedded mode): a
report still shows every sale committed before it was asked for, a report that finds
them current writes nothing, the server's thread catches them up on its own, and
catch-ups running at once in several processes, threads and readers apply every event
exactly once (the tables equal a rebuild's)."""

from __future__ import annotations

import contextlib
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from apoyo_proyecciones import CLIENTE, abrir, al_dia, contar_sentencias, sembrar, volcar
from sqlalchemy import select, update

from bases_de_datos import todos_los_backends
from prometeo.application.comandos import CrearFactura, LineaFacturaCmd, RegistrarIngreso
from prometeo.application.reportes import FiltroReporte
from prometeo.bootstrap import Aplicacion
from prometeo.domain.errores import ErrorDeConcurrencia
from prometeo.infrastructure.db.almacen_eventos import almacen_eventos
from prometeo.infrastructure.proyecciones import DIFERIDAS, EMBEBIDAS, reconstruir
from prometeo.infrastructure.proyecciones.tablas import checkpoints_proyeccion

_cp = checkpoints_proyeccion
TODO = FiltroReporte()


def _checkpoints(aplicacion: Aplicacion) -> dict[str, int]:
    with aplicacion.engine.connect() as conexion:
        return dict(conexion.execute(select(_cp.c.nombre, _cp.c.posicion)).all())


def _ultima(aplicacion: Aplicacion) -> int:
    with aplicacion.engine.connect() as conexion:
        return almacen_eventos(conexion).ultima_posicion()


def _esperar_diferidas(aplicacion: Aplicacion, ultima: int) -> dict[str, int | None]:
    """The reports' checkpoints once they reach `ultima`, or as they are after 30 s."""
    limite = time.monotonic() + 30
    while True:
        puntos = _checkpoints(aplicacion)
        if all(puntos.get(n) == ultima for n in DIFERIDAS) or time.monotonic() > limite:
            return {n: puntos.get(n) for n in DIFERIDAS}
        time.sleep(0.02)


def _vender(aplicacion: Aplicacion, cantidad: int = 2) -> str:
    return aplicacion.facturas.crear_factura(
        CrearFactura("P1", "B1", (LineaFacturaCmd("CAFE", cantidad),), CLIENTE)
    ).id


@todos_los_backends
def test_un_reporte_muestra_la_venta_recien_confirmada(url_base: str) -> None:
    aplicacion = abrir(url_base)
    try:
        sembrar(aplicacion)
        aplicacion.inventario.registrar_ingreso(RegistrarIngreso("CAFE", "B1", 10, "4.00"))
        factura = aplicacion.consultas.factura(_vender(aplicacion))
        puntos, ultima = _checkpoints(aplicacion), _ultima(aplicacion)
        assert {puntos[n] for n in EMBEBIDAS} == {ultima}
        assert all(puntos.get(n, 0) < ultima for n in DIFERIDAS)

        [dia] = aplicacion.reportes.ventas_diarias(TODO)
        assert (dia.facturas, dia.total) == (1, factura.totales.importe_total)
        assert {
            n: p for n, p in _checkpoints(aplicacion).items() if n in DIFERIDAS
        } == dict.fromkeys(DIFERIDAS, ultima)
        # Up to date: the next report only reads (it never queues for the write lock).
        with contar_sentencias(aplicacion.engine) as sentencias:
            [tarifa] = aplicacion.reportes.ventas_por_tarifa(TODO)
        assert tarifa.base == factura.totales.subtotal_sin_impuestos
        escrituras = [s for s in sentencias if s.split()[0].upper() in ("INSERT", "UPDATE")]
        assert escrituras == []

        # Another sale: the same report, asked again, has it too.
        _vender(aplicacion, 3)
        [dia] = aplicacion.reportes.ventas_diarias(TODO)
        assert dia.facturas == 2
        assert aplicacion.consultas.ventas_diarias()[0].facturas == 2
    finally:
        aplicacion.cerrar()


@pytest.mark.parametrize("url_base", ["sqlite", "postgresql"], indirect=True)
def test_el_hilo_del_servidor_las_pone_al_dia_sin_que_nadie_lea(url_base: str) -> None:
    aplicacion = abrir(url_base)
    try:
        sembrar(aplicacion)
        aplicacion.inventario.registrar_ingreso(RegistrarIngreso("CAFE", "B1", 10, "4.00"))
        diferidas = aplicacion.diferidas
        assert diferidas is not None
        diferidas.demora = 0.01
        diferidas.iniciar()
        _vender(aplicacion)
        ultima = _ultima(aplicacion)
        assert _esperar_diferidas(aplicacion, ultima) == dict.fromkeys(DIFERIDAS, ultima)
    finally:
        aplicacion.cerrar()


def test_el_hilo_se_pone_al_dia_al_arrancar(tmp_path: Path) -> None:
    """What was sold before the server started (a CLI command, another process) is
    applied when its thread starts, not at the next sale, report or poll."""
    url = f"sqlite:///{tmp_path / 'prometeo.db'}"
    antes = abrir(url)
    try:
        sembrar(antes)
        antes.inventario.registrar_ingreso(RegistrarIngreso("CAFE", "B1", 10, "4.00"))
        _vender(antes)
        ultima = _ultima(antes)
    finally:
        antes.cerrar()
    servidor = abrir(url)
    try:
        diferidas = servidor.diferidas
        assert diferidas is not None
        diferidas.intervalo = 3600.0
        assert any(_checkpoints(servidor).get(n, 0) < ultima for n in DIFERIDAS)
        diferidas.iniciar()
        assert _esperar_diferidas(servidor, ultima) == dict.fromkeys(DIFERIDAS, ultima)
    finally:
        servidor.cerrar()


@todos_los_backends
def test_puestas_al_dia_simultaneas_aplican_cada_evento_una_vez(url_base: str) -> None:
    """Two processes' worth of prometeo on one database, each with its catch-up thread
    running, sellers in threads (on SQLite they share group commits) and readers asking
    for reports all the while: the reports' tables end as a rebuild makes them."""
    primera, segunda = abrir(url_base), abrir(url_base)
    try:
        sembrar(primera)
        primera.inventario.registrar_ingreso(RegistrarIngreso("CAFE", "B1", 500, "4.00"))
        for aplicacion in (primera, segunda):
            assert aplicacion.diferidas is not None
            aplicacion.diferidas.demora = 0.0
            aplicacion.diferidas.iniciar()
        errores: list[BaseException] = []
        vendidas: list[str] = []
        listo = threading.Event()

        def vender(aplicacion: Aplicacion) -> None:
            try:
                for _ in range(8):
                    # Four sellers of one product: a cashier tries again after a conflict
                    # (MariaDB has no reservation for the retries).
                    while True:
                        with contextlib.suppress(ErrorDeConcurrencia):
                            vendidas.append(_vender(aplicacion, 1))
                            break
            except BaseException as error:
                errores.append(error)

        def leer(aplicacion: Aplicacion) -> None:
            try:
                while not listo.is_set():
                    aplicacion.reportes.ventas_diarias(TODO)
                    aplicacion.reportes.ventas_por_producto(TODO)
            except BaseException as error:
                errores.append(error)

        vendedores = [
            threading.Thread(target=vender, args=(a,)) for a in (primera, segunda) for _ in (1, 2)
        ]
        lectores = [threading.Thread(target=leer, args=(a,)) for a in (primera, segunda)]
        for hilo in vendedores + lectores:
            hilo.start()
        for hilo in vendedores:
            hilo.join(timeout=120)
        listo.set()
        for hilo in lectores:
            hilo.join(timeout=60)
        assert errores == []

        [dia] = segunda.reportes.ventas_diarias(TODO)
        totales = [primera.consultas.factura(f).totales.importe_total for f in vendidas]
        assert (dia.facturas, dia.total) == (len(vendidas), sum(totales, Decimal("0.00")))
        assert len(vendidas) == 32
        for aplicacion in (primera, segunda):
            assert aplicacion.diferidas is not None
            aplicacion.diferidas.parar()
        vivas = volcar(primera.engine)
        reconstruir(primera.engine, list(DIFERIDAS), lote=7)
        assert volcar(primera.engine) == vivas
    finally:
        primera.cerrar()
        segunda.cerrar()


@pytest.mark.parametrize("url_base", ["postgresql", "mariadb"], indirect=True)
def test_un_proceso_que_arranca_no_bloquea_los_checkpoints_de_los_demas(url_base: str) -> None:
    """With its read models current, a starting process only reads the checkpoints: it
    neither waits for a command of another process that is moving them nor makes one
    wait (locking them, in another order than that command, ended in deadlocks)."""
    primera = abrir(url_base)
    try:
        sembrar(primera)
        al_dia(primera)
        with primera.engine.connect() as conexion, conexion.begin():
            # A command of another process, between its append and its COMMIT.
            conexion.execute(
                update(_cp).where(_cp.c.nombre == "stock").values(posicion=_cp.c.posicion)
            )
            abiertas: list[Aplicacion] = []
            hilo = threading.Thread(target=lambda: abiertas.append(abrir(url_base)))
            hilo.start()
            hilo.join(timeout=20)
            assert abiertas, "el arranque esperó el checkpoint que otro proceso movía"
        abiertas[0].cerrar()
    finally:
        primera.cerrar()
