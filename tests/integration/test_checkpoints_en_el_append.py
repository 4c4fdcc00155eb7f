"""On PostgreSQL the append moves the embedded projections' checkpoints in its own
statement (one round trip less while the position lock is held); elsewhere the projector
moves them. Either way a checkpoint only ever claims events its projection applied."""

from __future__ import annotations

import pytest
from apoyo_proyecciones import abrir, contar_sentencias, sembrar
from sqlalchemy import select, update

from prometeo.application.comandos import CrearFactura, LineaFacturaCmd, RegistrarIngreso
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
        assert {n: p for n, p in despues.items() if n != "kardex"} == {
            n: ultima for n in antes if n != "kardex"
        }
    finally:
        aplicacion.cerrar()
