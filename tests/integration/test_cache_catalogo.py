"""The catalog cache and the writers' queue of SQLite."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, event

from bases_de_datos import todos_los_backends
from prometeo.domain.entities.cambios import CambioCatalogo, campos_cambiados
from prometeo.domain.entities.catalogo import Emisor, Producto
from prometeo.domain.errores import NoEncontrado
from prometeo.domain.value_objects.dinero import Precio
from prometeo.domain.value_objects.direccion import Direccion
from prometeo.domain.value_objects.identificacion import Ruc
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
        assert cache.get(("productos", "cafe"), 0) is None
    sentencias: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: sentencias.append(a[2]))
    with engine.connect() as conexion:
        assert RepositorioCatalogoSql(conexion, cache).producto("cafe") == CAFE
        leidas = len(sentencias)
        assert RepositorioCatalogoSql(conexion, cache).producto("cafe") == CAFE
        # The second read came from memory: only the catalog's generation was read.
        assert len(sentencias) == leidas + 1
        assert "generacion_catalogo" in sentencias[-1]
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


def _cambiar(engine: Engine, cache: CacheCatalogo, nuevo: Producto) -> None:
    with engine.begin() as conexion:
        repositorio = RepositorioCatalogoSql(conexion, cache)
        actual = repositorio.producto(nuevo.id)
        cambio = CambioCatalogo(
            "producto",
            nuevo.id,
            campos_cambiados(actual, nuevo),
            "prueba",
            datetime.now(UTC),
        )
        repositorio.actualizar_producto(nuevo, cambio)


def _leer(engine: Engine, cache: CacheCatalogo, producto_id: str) -> Producto:
    with engine.begin() as conexion:
        return RepositorioCatalogoSql(conexion, cache).producto(producto_id)


@todos_los_backends
def test_un_cambio_hecho_en_otro_proceso_se_ve_en_el_siguiente_comando(engine: Engine) -> None:
    # Two processes: each its own cache, one database.
    uno, otro = CacheCatalogo(), CacheCatalogo()
    with engine.begin() as conexion:
        RepositorioCatalogoSql(conexion, uno).agregar_producto(CAFE)
    assert _leer(engine, uno, "cafe") == CAFE
    assert _leer(engine, otro, "cafe") == CAFE  # both keep it now
    _cambiar(engine, otro, CAFE.modificado(date(2026, 12, 6), precio="2.75"))
    _cambiar(engine, otro, _leer(engine, otro, "cafe").modificado(date(2026, 12, 6), activo=False))
    visto = _leer(engine, uno, "cafe")
    assert (visto.precio, visto.activo) == (Precio("2.75"), False)
    assert _leer(engine, otro, "cafe") == visto


def _emisor(razon_social: str) -> Emisor:
    return Emisor(Ruc("1790011674001"), razon_social, "Andina", Direccion("Quito"), True, "1")


def _emisor_visto(engine: Engine, cache: CacheCatalogo) -> Emisor | None:
    with engine.begin() as conexion:
        return RepositorioCatalogoSql(conexion, cache).emisor()


@todos_los_backends
def test_el_emisor_se_guarda_en_cache_y_su_cambio_en_otro_proceso_se_ve(engine: Engine) -> None:
    uno, otro = CacheCatalogo(), CacheCatalogo()
    with engine.begin() as conexion:
        RepositorioCatalogoSql(conexion, otro).guardar_emisor(_emisor("Comercial Andina S.A."))
    assert _emisor_visto(engine, uno) == _emisor("Comercial Andina S.A.")
    sentencias: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: sentencias.append(a[2]))
    assert _emisor_visto(engine, uno) == _emisor("Comercial Andina S.A.")
    # Kept: only the generation was read.
    assert not any("FROM emisor" in s for s in sentencias)
    with engine.begin() as conexion:  # PUT /emisor from another process
        RepositorioCatalogoSql(conexion, otro).guardar_emisor(_emisor("Andina del Ecuador S.A."))
    assert _emisor_visto(engine, uno) == _emisor("Andina del Ecuador S.A.")


@todos_los_backends
def test_una_transaccion_que_empezo_antes_de_un_cambio_no_llena_la_cache(engine: Engine) -> None:
    cache = CacheCatalogo()
    with engine.begin() as conexion:
        RepositorioCatalogoSql(conexion, cache).agregar_producto(CAFE)
    # DEFERRED: on SQLite a reader's snapshot, not the write lock.
    with engine.connect().execution_options(sqlite_begin="DEFERRED") as vieja:
        vieja.begin()
        lenta = RepositorioCatalogoSql(vieja, cache)
        lenta._generacion_vista()  # it saw the catalog before the change...
        _cambiar(engine, CacheCatalogo(), CAFE.modificado(date(2026, 12, 6), nombre="Café"))
        _cambiar(engine, CacheCatalogo(), CAFE.modificado(date(2026, 12, 6), precio="3.00"))
        assert _leer(engine, cache, "cafe").precio == Precio("3.00")  # the cache moved on
        lenta.producto("cafe")  # ...and what it reads now is not kept for the others
        vieja.rollback()
    assert _leer(engine, cache, "cafe").precio == Precio("3.00")


def test_la_cache_solo_guarda_lo_leido_en_su_generacion() -> None:
    cache = CacheCatalogo()
    assert cache.al_dia(3)
    cache.guardar(("productos", "a"), "A3", 3)
    assert not cache.al_dia(2)  # an older reader: neither reads nor fills the cache
    cache.guardar(("productos", "b"), "B2", 2)
    assert cache.get(("productos", "b"), 3) is None
    assert cache.get(("productos", "a"), 2) is None
    assert cache.get(("productos", "a"), 3) == "A3"
    assert cache.al_dia(4)  # the catalog changed: everything kept is dropped
    assert cache.get(("productos", "a"), 4) is None


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
