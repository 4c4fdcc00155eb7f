"""On PostgreSQL the append moves the embedded projections' checkpoints in its own
statement (one round trip less while the position lock is held); elsewhere the projector
moves them. Either way a checkpoint only ever claims events its projection applied."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime

import pytest
from apoyo_proyecciones import abrir, contar_sentencias, sembrar
from sqlalchemy import select, text, update

from prometeo.application.comandos import CrearFactura, LineaFacturaCmd, RegistrarIngreso
from prometeo.infrastructure.db.almacen_eventos import EventoNuevo, almacen_eventos
from prometeo.infrastructure.proyecciones import DIFERIDAS, EMBEBIDAS
from prometeo.infrastructure.proyecciones.tablas import checkpoints_proyeccion

_cp = checkpoints_proyeccion


def _checkpoints(aplicacion: object) -> dict[str, int]:
    with aplicacion.engine.connect() as conexion:  # type: ignore[attr-defined]
        return dict(conexion.execute(select(_cp.c.nombre, _cp.c.posicion)).all())


@pytest.mark.parametrize("url_base", ["sqlite", "postgresql", "mariadb"], indirect=True)
def test_la_emision_mueve_los_checkpoints_una_sola_vez(url_base: str) -> None:
    aplicacion = abrir(url_base)
    try:
        sembrar(aplicacion)
        aplicacion.inventario.registrar_ingreso(RegistrarIngreso("CAFE", "B1", 10, "4.00"))
        with contar_sentencias(aplicacion.engine) as sentencias:
            aplicacion.facturas.crear_factura(
                CrearFactura("P1", "B1", (LineaFacturaCmd("CAFE", 2),), factura_id="F1")
            )
        with aplicacion.unidad_de_trabajo() as uow:
            ultima = uow.store.ultima_posicion()
        puntos = _checkpoints(aplicacion)
        assert {puntos[n] for n in EMBEBIDAS} == {ultima}
        # The reports' projections are not the command's business: they wait for a read.
        assert all(puntos.get(n, 0) < ultima for n in DIFERIDAS)
        assert aplicacion.diferidas is not None
        aplicacion.diferidas.al_dia()
        assert set(_checkpoints(aplicacion).values()) == {ultima}
        separadas = [s for s in sentencias if s.lstrip().upper().startswith("UPDATE CHECKPOINTS")]
        en_el_append = [s for s in sentencias if "UPDATE checkpoints_proyeccion" in s]
        if url_base.startswith("postgresql"):
            assert (len(separadas), len(en_el_append)) == (0, 1)
        else:
            assert len(separadas) == 1
        assert aplicacion.consultas.factura("F1").numero == "001-001-000000001"
    finally:
        aplicacion.cerrar()


@pytest.mark.parametrize("url_base", ["sqlite", "postgresql"], indirect=True)
def test_una_proyeccion_atrasada_no_avanza_con_el_append(url_base: str) -> None:
    """A projection being rebuilt (its checkpoint behind) is left where it is: the append
    moves only checkpoints that sit right before the batch, and the projector applies
    the batch only to those."""
    aplicacion = abrir(url_base)
    try:
        sembrar(aplicacion)
        aplicacion.inventario.registrar_ingreso(RegistrarIngreso("CAFE", "B1", 10, "4.00"))
        with aplicacion.engine.begin() as conexion:
            conexion.execute(update(_cp).where(_cp.c.nombre == "kardex").values(posicion=0))
        antes = _checkpoints(aplicacion)
        aplicacion.facturas.crear_factura(
            CrearFactura("P1", "B1", (LineaFacturaCmd("CAFE", 2),), factura_id="F1")
        )
        despues = _checkpoints(aplicacion)
        with aplicacion.unidad_de_trabajo() as uow:
            ultima = uow.store.ultima_posicion()
        assert despues["kardex"] == 0
        assert {n: p for n, p in despues.items() if n in EMBEBIDAS and n != "kardex"} == {
            n: ultima for n in antes if n in EMBEBIDAS and n != "kardex"
        }
    finally:
        aplicacion.cerrar()


@pytest.mark.parametrize("url_base", ["postgresql"], indirect=True)
def test_un_append_que_espero_a_otro_proceso_mueve_los_checkpoints(url_base: str) -> None:
    """Two processes append at once: the second waits for the first's position lock. Its
    statement began before the first committed, so in its snapshot the checkpoints are
    one batch behind; it must still find them right before its own batch, or every
    embedded read model would stop where it is for good."""
    aplicacion = abrir(url_base)
    try:
        sembrar(aplicacion)
        nombres = list(_checkpoints(aplicacion))
        with aplicacion.engine.connect() as primera, aplicacion.engine.connect() as segunda:
            primera.begin()
            almacen_eventos(primera).agregar_moviendo([_evento("prueba-1")], nombres)
            resultado: list[int | None] = []

            def agregar_despues() -> None:
                segunda.begin()
                _, movidos = almacen_eventos(segunda).agregar_moviendo(
                    [_evento("prueba-2")], nombres
                )
                resultado.append(movidos)
                segunda.commit()

            hilo = threading.Thread(target=agregar_despues)
            hilo.start()
            _esperar_bloqueo(aplicacion)  # the second statement has begun and waits
            primera.commit()
            hilo.join(timeout=30)
        assert resultado == [len(nombres)]
        with aplicacion.unidad_de_trabajo() as uow:
            ultima = uow.store.ultima_posicion()
        assert set(_checkpoints(aplicacion).values()) == {ultima}
    finally:
        aplicacion.cerrar()


def _evento(stream: str) -> EventoNuevo:
    return EventoNuevo(
        str(uuid.uuid4()),
        stream,
        "prueba",
        1,
        "EventoDePrueba",
        1,
        "{}",
        '{"usuario":"test"}',
        datetime(2026, 11, 29, 12, 0, tzinfo=UTC),
    )


def _esperar_bloqueo(aplicacion: object, plazo: float = 10.0) -> None:
    """Until some backend of this database waits for a lock."""
    limite = time.monotonic() + plazo
    consulta = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    while time.monotonic() < limite:
        with aplicacion.engine.connect() as conexion:  # type: ignore[attr-defined]
            if conexion.execute(consulta).scalar_one():
                return
        time.sleep(0.02)
    raise AssertionError("El segundo append nunca esperó el bloqueo de la posición")
