"""While projections catch up, the cyclic collector runs far less often, and the process
gets its own threshold back afterwards, whichever catch-up ends last."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from prometeo.infrastructure.db.engine import crear_engine
from prometeo.infrastructure.db.migracion import migrar
from prometeo.infrastructure.proyecciones.proyector import Proyector
from prometeo.infrastructure.proyecciones.reconstruccion import (
    UMBRAL_GC,
    crear_proyecciones,
    ponerse_al_dia,
    recolector_espaciado,
)


@pytest.fixture
def umbral_de_fabrica() -> Iterator[tuple[int, int, int]]:
    antes = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        yield gc.get_threshold()
    finally:
        gc.set_threshold(*antes)


def test_el_umbral_sube_mientras_dura_y_vuelve_despues(
    umbral_de_fabrica: tuple[int, int, int],
) -> None:
    with recolector_espaciado():
        assert gc.get_threshold() == (UMBRAL_GC, 10, 10)
    assert gc.get_threshold() == umbral_de_fabrica


def test_con_dos_a_la_vez_vuelve_cuando_acaba_el_ultimo(
    umbral_de_fabrica: tuple[int, int, int],
) -> None:
    dentro, salir = threading.Event(), threading.Event()

    def otro() -> None:
        with recolector_espaciado():
            dentro.set()
            salir.wait(5)

    hilo = threading.Thread(target=otro)
    with recolector_espaciado():
        hilo.start()
        assert dentro.wait(5)
    assert gc.get_threshold()[0] == UMBRAL_GC  # the other one is still running
    salir.set()
    hilo.join(5)
    assert gc.get_threshold() == umbral_de_fabrica


def test_un_recolector_apagado_sigue_apagado() -> None:
    antes = gc.get_threshold()
    gc.set_threshold(0)
    try:
        with recolector_espaciado():
            assert gc.get_threshold()[0] == 0
        assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*antes)


def test_ponerse_al_dia_corre_con_el_umbral_alto_y_lo_devuelve(
    umbral_de_fabrica: tuple[int, int, int],
) -> None:
    engine = crear_engine("sqlite://")
    migrar(engine)
    vistos: list[tuple[int, int, int]] = []
    proyector = Proyector(crear_proyecciones())
    original = proyector.checkpoints

    def checkpoints(*args: object, **kwargs: object) -> dict[str, int]:
        vistos.append(gc.get_threshold())
        return original(*args, **kwargs)  # type: ignore[arg-type]

    proyector.checkpoints = checkpoints  # type: ignore[method-assign]
    assert ponerse_al_dia(engine, proyector) == 0
    assert vistos
    assert all(v[0] == UMBRAL_GC for v in vistos)
    assert gc.get_threshold() == umbral_de_fabrica
    engine.dispose()
