"""The pieces of group commit that need no database: the turn handed over in arrival
order, and the caches as a member of a batch sees them (its own reads and its
predecessors' state stay with the batch until the COMMIT)."""

from __future__ import annotations

import threading
import time
from typing import Any, cast

import pytest

from prometeo.application.unidad_de_trabajo import BaseDeDatosOcupada
from prometeo.domain.aggregates.inventario import Inventario
from prometeo.infrastructure.db.cache_agregados import CacheAgregados
from prometeo.infrastructure.db.catalogo import CacheCatalogo
from prometeo.infrastructure.db.grupo_commit import (
    CacheAgregadosDelLote,
    CacheCatalogoDelLote,
    Lote,
)
from prometeo.infrastructure.db.turnos import ColaDeTurnos


def _lote() -> Lote:
    return Lote(cast(Any, None), cast(Any, None))


def _esperar(condicion: Any) -> None:
    limite = time.monotonic() + 5
    while not condicion():
        assert time.monotonic() < limite
        time.sleep(0.001)


def test_ceder_entrega_el_turno_al_siguiente_o_lo_conserva() -> None:
    cola = ColaDeTurnos()
    cola.tomar(1)
    assert not cola.ceder()  # nobody waits: still ours
    orden: list[str] = []

    def esperar(nombre: str) -> None:
        cola.tomar(5)
        orden.append(nombre)
        cola.pasar()

    hilos = [threading.Thread(target=esperar, args=(n,)) for n in ("a", "b")]
    for i, hilo in enumerate(hilos, start=1):
        hilo.start()
        _esperar(lambda i=i: cola.esperando() == i)
    assert cola.ceder()  # handed to "a", which passes it to "b"
    for hilo in hilos:
        hilo.join()
    assert orden == ["a", "b"]
    cola.tomar(0.01)  # free again


def test_quien_espera_demasiado_se_va_sin_llevarse_el_turno() -> None:
    cola = ColaDeTurnos()
    cola.tomar(1)
    with pytest.raises(BaseDeDatosOcupada):
        cola.tomar(0.01)
    assert cola.esperando() == 0
    assert not cola.ceder()


def test_el_miembro_toma_primero_lo_que_dejaron_los_anteriores_del_lote() -> None:
    cache = CacheAgregados()
    confirmado = Inventario.para("cafe", "b1")
    cache.devolver([confirmado])
    lote = _lote()
    del_lote = Inventario.para("cafe", "b1")
    lote.agregados[del_lote.stream_id] = del_lote

    vista = CacheAgregadosDelLote(lote, cache)

    assert vista.sacar(del_lote.stream_id) is del_lote
    assert del_lote.stream_id not in lote.agregados  # exclusive, as from the cache
    assert vista.sacar(del_lote.stream_id) is confirmado
    assert vista.sacar("inventario-otro") is None


def test_lo_que_lee_un_miembro_no_llega_a_la_cache_del_catalogo() -> None:
    cache = CacheCatalogo()
    cache.al_dia(4)
    cache.guardar(("productos", "cafe"), "cafe confirmado", 4)
    lote = _lote()
    lote.catalogo[("bodegas", "b1")] = (5, "bodega del lote")

    vista = CacheCatalogoDelLote(lote, cache)
    vista.guardar(("productos", "pan"), "pan leído", 5)

    # The batch's own generation (5) is not the cache's: it never learns it from here.
    assert not vista.al_dia(5)
    assert cache.generacion == 4
    assert vista.get(("productos", "pan"), 5) == "pan leído"
    assert vista.get(("bodegas", "b1"), 5) == "bodega del lote"
    assert vista.get(("productos", "cafe"), 5) is None
    assert vista.get(("productos", "cafe"), 4) == "cafe confirmado"
    assert cache.get(("productos", "pan"), 5) is None
    assert cache.get(("productos", "pan"), 4) is None
    assert vista.leidos == {("productos", "pan"): (5, "pan leído")}
