"""The event store contract, on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, create_engine, text, update
from sqlalchemy.exc import IntegrityError

from bases_de_datos import todos_los_backends
from prometeo.domain.errores import ErrorDeConcurrencia
from prometeo.infrastructure.db.almacen_eventos import (
    EventoNuevo,
    almacen_eventos,
)
from prometeo.infrastructure.db.almacen_eventos import postgres as almacen_postgres
from prometeo.infrastructure.db.tablas import posicion_global
from prometeo.infrastructure.sql.ejecucion import confirmar, diferir, escrituras_diferidas

pytestmark = todos_los_backends


def nuevo(stream: str, version: int, tipo: str = "Algo", datos: str = '{"n":1}') -> EventoNuevo:
    return EventoNuevo(
        str(uuid.uuid4()),
        stream,
        stream.split("-")[0],
        version,
        tipo,
        1,
        datos,
        '{"usuario":"test"}',
        datetime(2026, 11, 29, 12, 0, tzinfo=UTC),
    )


def agregar(engine: Engine, eventos: list[EventoNuevo]) -> None:
    with engine.begin() as conexion:
        almacen_eventos(conexion).agregar(eventos)


def test_agregar_y_leer_un_stream(engine: Engine) -> None:
    agregar(engine, [nuevo("a-1", 1), nuevo("a-1", 2, datos='{"ñ":"ü"}')])
    agregar(engine, [nuevo("a-1", 3)])
    with engine.connect() as conexion:
        store = almacen_eventos(conexion)
        leidos = store.leer_stream("a-1")
        assert [e.version for e in leidos] == [1, 2, 3]
        assert leidos[1].datos == '{"ñ":"ü"}'
        assert leidos[0].ocurrido_en.replace(tzinfo=UTC) == datetime(2026, 11, 29, 12, tzinfo=UTC)
        assert [e.version for e in store.leer_stream("a-1", desde_version=2)] == [3]
        assert store.leer_stream("otro") == []
        assert store.version("a-1") == 3
        assert store.version("otro") == 0


def test_agregar_a_varios_streams_es_atomico(engine: Engine) -> None:
    agregar(engine, [nuevo("b-1", 1)])
    with pytest.raises(ErrorDeConcurrencia):
        agregar(engine, [nuevo("a-1", 1), nuevo("a-1", 2), nuevo("b-1", 1)])
    with engine.connect() as conexion:
        store = almacen_eventos(conexion)
        assert store.leer_stream("a-1") == []
        assert store.ultima_posicion() == 1
        assert [e.stream_id for e in store.leer_todos()] == ["b-1"]


def test_version_obsoleta_no_escribe_nada(engine: Engine) -> None:
    agregar(engine, [nuevo("a-1", 1), nuevo("a-1", 2)])
    with pytest.raises(ErrorDeConcurrencia, match="a-1"):
        agregar(engine, [nuevo("a-1", 2), nuevo("a-1", 3)])
    agregar(engine, [nuevo("a-1", 3)])
    with engine.connect() as conexion:
        assert [e.posicion for e in almacen_eventos(conexion).leer_todos()] == [1, 2, 3]


def test_appends_grandes_y_chicos_numeran_igual(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL sends a few events as a VALUES list and many as arrays (unnest): both
    number the rows in the order given and refuse a stale version the same way."""
    monkeypatch.setattr(almacen_postgres, "MAXIMO_VALUES", 2)
    agregar(engine, [nuevo("a-1", 1), nuevo("a-1", 2)])  # VALUES
    agregar(engine, [nuevo("b-1", 1), nuevo("a-1", 3), nuevo("b-1", 2, datos='{"ñ":1}')])
    with pytest.raises(ErrorDeConcurrencia):
        agregar(engine, [nuevo("c-1", 1), nuevo("c-1", 2), nuevo("a-1", 3)])  # unnest
    with pytest.raises(ErrorDeConcurrencia):
        agregar(engine, [nuevo("c-1", 1), nuevo("b-1", 2)])  # VALUES
    with engine.connect() as conexion:
        store = almacen_eventos(conexion)
        todos = store.leer_todos()
        assert [(e.posicion, e.stream_id, e.version) for e in todos] == [
            (1, "a-1", 1),
            (2, "a-1", 2),
            (3, "b-1", 1),
            (4, "a-1", 3),
            (5, "b-1", 2),
        ]
        assert todos[4].datos == '{"ñ":1}'
        assert store.ultima_posicion() == 5


def test_leer_todos_en_orden_de_posicion_y_por_lotes(engine: Engine) -> None:
    for i in range(1, 8):
        agregar(engine, [nuevo(f"s-{i % 3}", i // 3 + 1, tipo=f"T{i}")])
    with engine.connect() as conexion:
        store = almacen_eventos(conexion)
        todos = store.leer_todos()
        assert [e.posicion for e in todos] == list(range(1, 8))
        assert [e.tipo for e in todos] == [f"T{i}" for i in range(1, 8)]
        assert [e.posicion for e in store.leer_todos(desde_posicion=5, limite=1)] == [6]
        assert [e.posicion for e in store.recorrer(lote=3)] == list(range(1, 8))
        assert list(store.recorrer(desde_posicion=7)) == []


def test_un_lector_que_sigue_posiciones_nunca_salta_un_evento(engine: Engine) -> None:
    """Writers commit concurrently (one holding its transaction open on purpose); a reader
    that follows positions must see them contiguous every time it reads."""
    escritores, por_escritor = 4, 8
    errores: list[BaseException] = []
    vistos: list[int] = []
    terminado = threading.Event()

    def escribir(n: int) -> None:
        try:
            for version in range(1, por_escritor + 1):
                with engine.begin() as conexion:
                    almacen_eventos(conexion).agregar([nuevo(f"w-{n}", version)])
                    if version % 3 == 0:
                        time.sleep(0.01)  # commits late, after taking its position
        except BaseException as error:  # pragma: no cover - reported below
            errores.append(error)

    def leer() -> None:
        ultima = 0
        try:
            while True:
                final = terminado.is_set()
                with engine.connect() as conexion:
                    lote = almacen_eventos(conexion).leer_todos(ultima, 1000)
                posiciones = [e.posicion for e in lote]
                assert posiciones == list(range(ultima + 1, ultima + 1 + len(lote))), posiciones
                vistos.extend(posiciones)
                ultima = posiciones[-1] if posiciones else ultima
                if final:
                    return
        except BaseException as error:
            errores.append(error)

    hilos = [threading.Thread(target=escribir, args=(n,)) for n in range(escritores)]
    lector = threading.Thread(target=leer)
    lector.start()
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    terminado.set()
    lector.join()
    assert not errores, errores
    assert vistos == list(range(1, escritores * por_escritor + 1))


def test_escritores_concurrentes_en_el_mismo_stream(engine: Engine) -> None:
    """Only one of several writers of the same version wins; the others conflict."""
    exitos: list[int] = []
    conflictos: list[int] = []
    barrera = threading.Barrier(4)

    def escribir(n: int) -> None:
        barrera.wait()
        try:
            agregar(engine, [nuevo("x-1", 1, tipo=f"W{n}")])
            exitos.append(n)
        except ErrorDeConcurrencia:
            conflictos.append(n)

    hilos = [threading.Thread(target=escribir, args=(n,)) for n in range(4)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    assert len(exitos) == 1
    assert len(conflictos) == 3
    with engine.connect() as conexion:
        store = almacen_eventos(conexion)
        assert [e.tipo for e in store.leer_stream("x-1")] == [f"W{exitos[0]}"]
        assert store.ultima_posicion() == 1


def test_escrituras_diferidas_van_con_el_commit_y_las_lecturas_las_ven(engine: Engine) -> None:
    with engine.connect() as conexion:
        transaccion = conexion.begin()
        with escrituras_diferidas(conexion):
            almacen_eventos(conexion).agregar([nuevo("a-1", 1)])
            diferir(conexion, "UPDATE eventos SET tipo = 'Cambiado'", [{}])
            # A statement that reads first sends what is queued before it.
            assert [e.tipo for e in almacen_eventos(conexion).leer_stream("a-1")] == ["Cambiado"]
            diferir(conexion, "UPDATE eventos SET tipo = 'Otra vez'", [{}])
            confirmar(conexion, transaccion.commit)
    with engine.connect() as conexion:
        assert [e.tipo for e in almacen_eventos(conexion).leer_todos()] == ["Otra vez"]


def test_una_escritura_diferida_que_falla_deshace_todo(engine: Engine) -> None:
    with engine.connect() as conexion:
        transaccion = conexion.begin()

        def escribir() -> None:
            with escrituras_diferidas(conexion):
                almacen_eventos(conexion).agregar([nuevo("a-1", 1)])
                diferir(conexion, "INSERT INTO posicion_global (id, ultima) VALUES (1, 0)", [{}])
                confirmar(conexion, transaccion.commit)

        with pytest.raises(IntegrityError):
            escribir()
        transaccion.rollback()
        # The same connection, in a new transaction, is transactional again.
        transaccion = conexion.begin()
        conexion.execute(update(posicion_global).values(ultima=99))
        transaccion.rollback()
    with engine.connect() as conexion:
        store = almacen_eventos(conexion)
        assert store.leer_todos() == []
        assert store.ultima_posicion() == 0
    agregar(engine, [nuevo("a-1", 1)])
    with engine.connect() as conexion:
        assert [e.posicion for e in almacen_eventos(conexion).leer_todos()] == [1]


def test_una_conexion_que_el_servidor_cerro_se_reemplaza_sin_fallar(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("la comprobación sin ida y vuelta es de PostgreSQL")
    agregar(engine, [nuevo("a-1", 1)])
    with engine.connect() as conexion:
        pid = conexion.execute(text("SELECT pg_backend_pid()")).scalar_one()
    admin = create_engine(engine.url)
    try:
        with admin.connect() as conexion:
            conexion.execute(text(f"SELECT pg_terminate_backend({int(pid)})"))
    finally:
        admin.dispose()
    time.sleep(0.3)  # the server's FATAL notice reaches the idle pooled connection
    agregar(engine, [nuevo("a-1", 2)])
    with engine.connect() as conexion:
        assert almacen_eventos(conexion).version("a-1") == 2
