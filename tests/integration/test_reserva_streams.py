"""A retry's reservation of the streams it collided on (UnidadDeTrabajo.reservar): on
PostgreSQL, writers that reserved one stream take turns until their transaction ends; on
SQLite and MariaDB it does nothing and costs nothing."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event

from prometeo.application.unidad_de_trabajo import Metadatos
from prometeo.bootstrap import Aplicacion, bootstrap
from prometeo.infrastructure.settings import Settings


def _aplicacion(url: str) -> Aplicacion:
    return bootstrap(Settings(database_url=url, grupo_commit=False))


@pytest.mark.parametrize("url_base", ["postgresql"], indirect=True)
def test_quien_reservo_un_stream_hace_esperar_al_siguiente_hasta_terminar(url_base: str) -> None:
    aplicacion = _aplicacion(url_base)
    try:
        primero = aplicacion.unidad_de_trabajo(Metadatos())
        primero.__enter__()
        primero.reservar(["inventario-cafe:bodega", "secuencia-punto"])
        reservado = threading.Event()

        def segundo() -> None:
            with aplicacion.unidad_de_trabajo(Metadatos()) as uow:
                # Other names in another order: the same locks, taken in one order.
                uow.reservar(["secuencia-punto", "otro", "inventario-cafe:bodega"])
                reservado.set()

        hilo = threading.Thread(target=segundo)
        hilo.start()
        # Held until the first transaction ends: the second cannot have it yet.
        assert not reservado.wait(0.5)
        # A stream nobody reserved is free meanwhile.
        with aplicacion.unidad_de_trabajo(Metadatos()) as libre:
            libre.reservar(["factura-nueva"])
        primero.rollback()
        assert reservado.wait(30)
        hilo.join(30)
    finally:
        aplicacion.cerrar()


@pytest.mark.parametrize("url_base", ["sqlite", "mariadb"], indirect=True)
def test_donde_los_escritores_ya_se_turnan_reservar_no_hace_nada(url_base: str) -> None:
    aplicacion = _aplicacion(url_base)
    try:
        sentencias: list[str] = []
        event.listen(aplicacion.engine, "before_cursor_execute", lambda *a: sentencias.append(a[2]))
        with aplicacion.unidad_de_trabajo(Metadatos()) as uow:
            antes = len(sentencias)
            uow.reservar(["inventario-cafe:bodega"])
            assert len(sentencias) == antes
    finally:
        aplicacion.cerrar()
