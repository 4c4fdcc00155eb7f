"""Processes sharing a SQLite file take turns through a lock file: one writer at a time,
handed over at once, and each learns whether another process committed since its turn."""

from __future__ import annotations

import fcntl
import os
import stat
import threading
import time
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from apoyo_http import API, TiendaHttp, exigir, reglas
from prometeo.application.comandos import (
    CrearBodega,
    CrearProducto,
    CrearSucursal,
    RegistrarIngreso,
)
from prometeo.application.unidad_de_trabajo import BaseDeDatosOcupada
from prometeo.bootstrap import Aplicacion, bootstrap
from prometeo.entrypoints.api.app import crear_app
from prometeo.infrastructure.db.turnos import TurnoEscritura
from prometeo.infrastructure.proyecciones import reconstruir
from prometeo.infrastructure.settings import Settings

HOY = date(2026, 11, 29)


TOKEN = "admin-de-los-turnos-0123456789abcdefghij"


def test_cada_proceso_sabe_si_otro_escribio_desde_su_ultimo_turno(tmp_path: Path) -> None:
    # Two TurnoEscritura on one file: two open files, as two processes would have.
    archivo = str(tmp_path / "db-turno")
    a, b = TurnoEscritura(archivo), TurnoEscritura(archivo)
    assert a.tomar()  # never held it: it cannot know
    a.soltar(escribio=True)
    assert b.tomar()  # a committed
    b.soltar(escribio=False)
    assert not a.tomar()  # only a itself wrote since
    a.soltar(escribio=True)
    assert not a.tomar()
    a.soltar(escribio=False)
    assert b.tomar()
    b.soltar()
    a.cerrar()
    b.cerrar()


def test_un_proceso_espera_a_que_el_otro_suelte_el_turno(tmp_path: Path) -> None:
    archivo = str(tmp_path / "db-turno")
    a, b = TurnoEscritura(archivo), TurnoEscritura(archivo)
    a.tomar()
    tomado = threading.Event()

    def otro() -> None:
        b.tomar()
        tomado.set()
        b.soltar()

    hilo = threading.Thread(target=otro)
    hilo.start()
    time.sleep(0.2)
    assert not tomado.is_set()  # b waits while a holds the file
    a.soltar(escribio=True)
    assert tomado.wait(5)
    hilo.join(5)
    a.cerrar()
    b.cerrar()


class _Intentos:
    """Counts the service's attempts (one unit of work each)."""

    def __init__(self, app: Aplicacion) -> None:
        self.fabrica = app.inventario._uow_factory
        self.veces = 0
        app.inventario._uow_factory = self

    def __call__(self, *args: object, **kwargs: object) -> object:
        self.veces += 1
        return self.fabrica(*args, **kwargs)


def test_tras_la_escritura_de_otro_proceso_no_se_usa_la_cache_obsoleta(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'compartida.db'}"
    a = bootstrap(Settings(database_url=url, hoy=HOY))
    b = bootstrap(Settings(database_url=url, hoy=HOY))
    a.catalogo.crear_sucursal(CrearSucursal("001", "Matriz", "Quito", sucursal_id="s1"))
    a.catalogo.crear_bodega(CrearBodega("s1", "B1", "Bodega", bodega_id="b1"))
    a.catalogo.crear_producto(CrearProducto("CAF", "Café", "2.00", "4", producto_id="cafe"))
    intentos = _Intentos(a)
    a.inventario.registrar_ingreso(RegistrarIngreso("cafe", "b1", 1, "1.00"))  # cached in a
    b.inventario.registrar_ingreso(RegistrarIngreso("cafe", "b1", 2, "1.00"))
    intentos.veces = 0
    a.inventario.registrar_ingreso(RegistrarIngreso("cafe", "b1", 4, "1.00"))
    assert intentos.veces == 1  # a knew b had written: no stale copy, no conflict
    assert (tmp_path / "compartida.db-turno").exists()
    with a.unidad_de_trabajo() as uow:
        assert uow.inventarios.obtener("cafe", "b1").stock == 7
    a.cerrar()
    b.cerrar()


def test_la_reconstruccion_escribe_en_su_turno(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'compartida.db'}"
    app = bootstrap(Settings(database_url=url, hoy=HOY))
    app.catalogo.crear_sucursal(CrearSucursal("001", "Matriz", "Quito", sucursal_id="s1"))
    app.catalogo.crear_bodega(CrearBodega("s1", "B1", "Bodega", bodega_id="b1"))
    app.catalogo.crear_producto(CrearProducto("CAF", "Café", "2.00", "4", producto_id="cafe"))
    app.inventario.registrar_ingreso(RegistrarIngreso("cafe", "b1", 3, "1.00"))
    otro = TurnoEscritura(str(tmp_path / "compartida.db-turno"))  # another process's
    otro.tomar()
    hecho = threading.Event()

    def reconstruir_todo() -> None:
        reconstruir(app.engine, codec=app.codec_eventos, procesos=1)
        hecho.set()

    hilo = threading.Thread(target=reconstruir_todo)
    hilo.start()
    assert not hecho.wait(0.3)  # its writes wait for the other process's turn
    otro.soltar()
    assert hecho.wait(10)
    hilo.join(5)
    assert [s.cantidad for s in app.consultas.stock("cafe", "b1")] == [3]
    otro.cerrar()
    app.cerrar()


def test_nadie_espera_el_turno_para_siempre(tmp_path: Path) -> None:
    """A writer of this process holds the turn: another gives up at its limit with
    BaseDeDatosOcupada (and leaves the queue), and the next one still gets the turn."""
    turno = TurnoEscritura(str(tmp_path / "t-turno"), espera_maxima=0.2)
    turno.tomar()
    errores: list[BaseException] = []

    def esperar() -> None:
        try:
            turno.tomar()
        except BaseDeDatosOcupada as error:
            errores.append(error)

    hilo = threading.Thread(target=esperar)
    hilo.start()
    hilo.join(timeout=10)
    assert len(errores) == 1
    assert "nada se guardó" in str(errores[0])
    turno.soltar()
    turno.tomar()  # the one that gave up is not in the way
    turno.soltar()


def test_un_turno_retenido_afuera_da_503_y_no_guarda_nada(tmp_path: Path) -> None:
    """Another process holds the lock file (here, another open file on it) past the
    limit: the write is answered 503 EscrituraDisponible, nothing written; once it lets
    go, the same write goes through."""
    url = f"sqlite:///{tmp_path / 'ocupada.db'}"
    aplicacion = bootstrap(
        Settings(database_url=url, admin_token=TOKEN, hoy=date(2026, 11, 29), espera_escritura=0.3)
    )
    try:
        cabeceras = {"Authorization": f"Bearer {TOKEN}"}
        with TestClient(crear_app(aplicacion), headers=cabeceras) as http:
            tienda = TiendaHttp(http).sembrar()
            fd = os.open(str(tmp_path / "ocupada.db-turno"), os.O_RDWR)
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                cuerpo = {"tipo_identificacion": "05", "identificacion": "1710034065",
                          "razon_social": "Jorge"}  # fmt: skip
                ocupada = http.post(API + "/clientes", json=cuerpo)
                assert ocupada.status_code == 503
                assert reglas(ocupada) == {"EscrituraDisponible"}
                assert ocupada.headers["retry-after"] == "1"
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
            assert tienda.get("/clientes", identificacion="1710034065")["items"] == []
            exigir(http.post(API + "/clientes", json=cuerpo), 201)
    finally:
        aplicacion.cerrar()


def test_la_base_y_sus_archivos_son_solo_de_su_dueno(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'privada.db'}"
    aplicacion = bootstrap(Settings(database_url=url, hoy=date(2026, 11, 29)))
    try:
        aplicacion.catalogo.crear_sucursal(CrearSucursal("001", "Matriz", "Quito"))
    finally:
        aplicacion.cerrar()
    creados = sorted(p.name for p in tmp_path.iterdir())
    assert {"privada.db", "privada.db-turno"} <= set(creados), creados
    for archivo in tmp_path.iterdir():
        assert stat.S_IMODE(archivo.stat().st_mode) == 0o600, (archivo.name, creados)
