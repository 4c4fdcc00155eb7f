"""The catalog cache and the writers' queue of SQLite."""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import event

from prometeo.domain.entities.catalogo import Producto
from prometeo.domain.errores import NoEncontrado
from prometeo.domain.value_objects.dinero import Precio
from prometeo.infrastructure.db.catalogo import CacheCatalogo, RepositorioCatalogoSql
from prometeo.infrastructure.db.engine import crear_engine
from prometeo.infrastructure.db.migracion import migrar
from prometeo.infrastructure.db.turnos import TurnoEscritura

CAFE = Producto("cafe", "CAF", "Café", Precio("2.50"), "4", Decimal(1))


def test_un_producto_leido_no_vuelve_a_la_base(tmp_path: Path) -> None:
    engine = crear_engine(f"sqlite:///{tmp_path / 'c.db'}")
    migrar(engine)
    cache = CacheCatalogo()
    with engine.begin() as conexion:
        repositorio = RepositorioCatalogoSql(conexion, cache)
        repositorio.agregar_producto(CAFE)
        # Written by this transaction: not cached (it could still roll back).
        assert repositorio.producto("cafe") == CAFE
        assert cache.get(("productos", "cafe")) is None
    sentencias: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: sentencias.append(a[2]))
    with engine.connect() as conexion:
        assert RepositorioCatalogoSql(conexion, cache).producto("cafe") == CAFE
        leidas = len(sentencias)
        assert RepositorioCatalogoSql(conexion, cache).producto("cafe") == CAFE
        assert len(sentencias) == leidas  # the second read came from memory
        with pytest.raises(NoEncontrado):
            RepositorioCatalogoSql(conexion, cache).producto("nada")
    engine.dispose()


def test_lo_escrito_en_una_transaccion_revertida_no_queda_en_cache(tmp_path: Path) -> None:
    engine = crear_engine(f"sqlite:///{tmp_path / 'c.db'}")
    migrar(engine)
    cache = CacheCatalogo()
    with engine.connect() as conexion:
        transaccion = conexion.begin()
        repositorio = RepositorioCatalogoSql(conexion, cache)
        repositorio.agregar_producto(CAFE)
        repositorio.producto("cafe")
        transaccion.rollback()
        with pytest.raises(NoEncontrado):
            RepositorioCatalogoSql(conexion, cache).producto("cafe")
    engine.dispose()


def test_los_escritores_son_atendidos_en_orden_de_llegada() -> None:
    turnos = TurnoEscritura()
    atendidos: list[int] = []
    turnos.tomar()  # someone is writing
    hilos = []
    for n in range(5):
        hilo = threading.Thread(
            target=lambda n=n: (turnos.tomar(), atendidos.append(n), turnos.soltar())
        )
        hilo.start()
        hilos.append(hilo)
        time.sleep(0.02)  # arrive in order 0, 1, 2...
    turnos.soltar()
    for hilo in hilos:
        hilo.join(5)
    assert atendidos == [0, 1, 2, 3, 4]


def test_un_solo_escritor_a_la_vez_y_nadie_se_queda_sin_turno() -> None:
    turnos = TurnoEscritura()
    dentro: list[int] = []
    maximo = 0
    atendidos = 0
    candado = threading.Lock()

    def escribir() -> None:
        nonlocal maximo, atendidos
        for _ in range(200):
            turnos.tomar()
            try:
                with candado:
                    dentro.append(1)
                    maximo = max(maximo, len(dentro))
                time.sleep(0)
                with candado:
                    dentro.pop()
                    atendidos += 1
            finally:
                turnos.soltar()

    hilos = [threading.Thread(target=escribir) for _ in range(8)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(30)
    assert not any(h.is_alive() for h in hilos)
    assert (maximo, atendidos) == (1, 1600)
    turnos.tomar()  # free again once everyone is done
    turnos.soltar()
