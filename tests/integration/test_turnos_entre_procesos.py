"""Processes sharing a SQLite file take turns through a lock file: one writer at a time,
handed over at once, and each learns whether another process committed since its turn."""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path

from prometeo.application.comandos import (
    CrearBodega,
    CrearProducto,
    CrearSucursal,
    RegistrarIngreso,
)
from prometeo.bootstrap import Aplicacion, bootstrap
from prometeo.infrastructure.db.turnos import TurnoEscritura
from prometeo.infrastructure.proyecciones import reconstruir
from prometeo.infrastructure.settings import Settings

HOY = date(2026, 11, 29)


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
