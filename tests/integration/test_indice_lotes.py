"""Selling from a lot must not get slower as emptied lots pile up: the UPDATE of one lot by
its key uses the primary key, never the FIFO index (which holds only lots with stock)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, insert, text

from prometeo.infrastructure.proyecciones.escritura import actualizar_por_clave
from prometeo.infrastructure.proyecciones.tablas import vista_lotes

_CLAVE = ("producto_id", "bodega_id", "lote_id")


def _lotes(cuantos: int, con_stock: int) -> list[dict[str, object]]:
    return [
        {
            "producto_id": "cafe",
            "bodega_id": "b1",
            "lote_id": f"lote-{i:05d}",
            "orden": i,
            "fecha_ingreso": date(2026, 1, 1),
            "fecha_caducidad": None,
            "cantidad_inicial": 5_000_000,
            "cantidad_disponible": 5_000_000 if i >= cuantos - con_stock else 0,
            "costo_unitario": "1.25",
            "valor_disponible": 625 if i >= cuantos - con_stock else 0,
        }
        for i in range(cuantos)
    ]


@pytest.mark.parametrize("url_base", ["postgresql"], indirect=True)
def test_postgresql_actualiza_un_lote_por_su_clave_primaria(engine: Engine) -> None:
    with engine.begin() as conexion:
        conexion.execute(insert(vista_lotes), _lotes(3000, con_stock=3))
    # What a sale sends: the lots it took, by key, their quantities subtracted.
    capturadas: list[str] = []

    def explicar(conn, cursor, sentencia, parametros, contexto, muchas):  # type: ignore[no-untyped-def]
        if sentencia.startswith("UPDATE vista_lotes"):
            cursor.execute("EXPLAIN " + sentencia, parametros)
            capturadas.extend(fila[0] for fila in cursor.fetchall())

    from sqlalchemy import event

    event.listen(engine, "before_cursor_execute", explicar)
    try:
        with engine.begin() as conexion:
            actualizar_por_clave(
                conexion,
                vista_lotes,
                _CLAVE,
                [
                    {
                        "producto_id": "cafe",
                        "bodega_id": "b1",
                        "lote_id": f"lote-{i:05d}",
                        "cantidad_disponible": -1_000_000,
                        "valor_disponible": -125,
                    }
                    for i in (2997, 2998)
                ],
                sumar=("cantidad_disponible", "valor_disponible"),
            )
    finally:
        event.remove(engine, "before_cursor_execute", explicar)
    plan = "\n".join(capturadas)
    assert "pk_vista_lotes" in plan, plan
    assert "ix_vista_lotes_con_stock" not in plan, plan
    with engine.connect() as conexion:
        quedan = conexion.execute(
            text("SELECT cantidad_disponible FROM vista_lotes WHERE lote_id = 'lote-02997'")
        ).scalar_one()
    assert quedan == 4_000_000


@pytest.mark.parametrize("url_base", ["sqlite", "postgresql"], indirect=True)
def test_el_indice_fifo_solo_guarda_los_lotes_con_stock(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        consulta = "SELECT sql FROM sqlite_master WHERE name = 'ix_vista_lotes_con_stock'"
    else:
        consulta = "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_vista_lotes_con_stock'"
    with engine.connect() as conexion:
        definicion = conexion.execute(text(consulta)).scalar_one()
    assert "cantidad_disponible > 0" in definicion
