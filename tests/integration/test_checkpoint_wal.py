"""The server's SQLite commits leave WAL checkpoints to a thread of their own."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import Engine

from prometeo.application.comandos import CrearProducto
from prometeo.bootstrap import bootstrap
from prometeo.infrastructure.db.volcado_wal import AUTOCHECKPOINT_RED
from prometeo.infrastructure.settings import Settings


def _autocheckpoint(engine: Engine) -> int:
    with engine.connect() as conexion:
        return int(conexion.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one())


def test_el_servidor_hace_los_checkpoints_en_un_hilo(tmp_path: Path) -> None:
    archivo = tmp_path / "p.db"
    aplicacion = bootstrap(Settings(database_url=f"sqlite:///{archivo}"), volcado_aparte=True)
    hilo = aplicacion.volcado_wal
    try:
        assert hilo is not None
        assert hilo.activo
        assert _autocheckpoint(aplicacion.engine) == AUTOCHECKPOINT_RED
        hilo.ejecutar()
        antes = archivo.stat().st_size
        for i in range(200):  # far below the commits' own mark of AUTOCHECKPOINT_RED pages
            aplicacion.catalogo.crear_producto(
                CrearProducto(f"P{i:03d}", f"Producto {i} " + "x" * 200, "1.00", "4")
            )
        limite = time.monotonic() + 10
        while archivo.stat().st_size == antes and time.monotonic() < limite:
            time.sleep(0.05)
        assert archivo.stat().st_size > antes  # pages copied back by the thread
    finally:
        aplicacion.cerrar()
    assert not hilo.activo
    busy, marcos, copiados = hilo.ejecutar()
    assert (busy, copiados) == (0, marcos)


def test_sin_servidor_sqlite_hace_sus_checkpoints_como_siempre(tmp_path: Path) -> None:
    aplicacion = bootstrap(Settings(database_url=f"sqlite:///{tmp_path / 'p.db'}"))
    try:
        assert aplicacion.volcado_wal is None
        assert _autocheckpoint(aplicacion.engine) == 1000
    finally:
        aplicacion.cerrar()
