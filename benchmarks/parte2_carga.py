"""Part 2 — loading one Inventario cold (no aggregate cache), by history length, with
snapshots every 50 events and without any; beside a raw select + decode of the same rows.

Histories are built through the domain and the unit of work (Inventario.ingresar and
.reducir, 100 events per commit), so snapshots are taken where the unit of work takes
them: a stream of n events (n a multiple of 50) has its snapshot at n, and a load reads
the snapshot and an empty tail. The "+49" stream shows the worst tail (49 events).
Each repetition takes the p50 of several loads, each in a fresh unit of work."""

from __future__ import annotations

import sqlite3
import statistics
import time
from decimal import Decimal
from pathlib import Path

from benchmarks.comun import (
    Medida,
    Resultado,
    directorio_temporal,
    medir,
    ratio,
    redondear,
    tam,
    texto_ratio,
)
from benchmarks.escenario import BODEGA, HOY, abrir, preparar_catalogo, sin_proyecciones
from prometeo.bootstrap import Aplicacion
from prometeo.domain.value_objects.dinero import Cantidad, Precio

LARGOS = (10, 100, 1_000, 10_000)
COLA = tam(None, 10_049)  # worst tail with snapshots every 50 (full run only)
POR_COMMIT = 100


def _muestras(n: int) -> int:
    return tam(3, 10) if n >= 10_000 else tam(10, 40)


def construir(aplicacion: Aplicacion, producto: str, eventos: int) -> None:
    """A stream of exactly `eventos` events: three lots of 3 units first, then receipts
    and sales of 5 in turn, so the FIFO queue keeps 2–4 lots (stock 9–14) and every sale
    spans two or three of them."""
    hechos = 0
    i = 0
    while hechos < eventos:
        with aplicacion.unidad_de_trabajo() as uow:
            inventario = uow.inventarios.obtener(producto, BODEGA)
            for _ in range(min(POR_COMMIT, eventos - hechos)):
                i += 1
                costo = Precio(Decimal("1.10") + i % 5)
                if i <= 3:
                    inventario.ingresar(Cantidad(3), costo, HOY, documento=f"C{i}")
                elif i % 2 == 0:
                    inventario.ingresar(Cantidad(5), costo, HOY, documento=f"C{i}")
                else:
                    inventario.reducir(Cantidad(5), HOY, documento=f"V{i}", documento_id=f"v{i}")
                hechos += 1
            uow.commit()


def _carga_ms(aplicacion: Aplicacion, producto: str) -> float:
    with aplicacion.unidad_de_trabajo() as uow:
        inicio = time.perf_counter()
        uow.inventarios.obtener(producto, BODEGA)
        return (time.perf_counter() - inicio) * 1000


def _crudo_ms(ruta: Path, aplicacion: Aplicacion, stream_id: str) -> tuple[float, float]:
    """(select only, select + decode) in ms, with the driver itself."""
    decodificar = aplicacion.codec_eventos.decodificar
    conexion = sqlite3.connect(ruta)
    try:
        inicio = time.perf_counter()
        filas = conexion.execute(
            "SELECT tipo, version_esquema, datos FROM eventos WHERE stream_id = ? AND version > ? "
            "ORDER BY version",
            (stream_id, 0),
        ).fetchall()
        leido = time.perf_counter()
        eventos = [decodificar(t, v, d) for t, v, d in filas]
        fin = time.perf_counter()
        assert eventos
        return (leido - inicio) * 1000, (fin - inicio) * 1000
    finally:
        conexion.close()


def _base(dir_: Path, snapshot_cada: int, largos: tuple[int, ...]) -> tuple[Aplicacion, Path]:
    ruta = dir_ / f"carga-{snapshot_cada}.db"
    # Built with the aggregate cache (else every commit replays the stream), measured
    # without it.
    constructora = abrir(f"sqlite:///{ruta}", sincronizacion="NORMAL", snapshot_cada=snapshot_cada)
    sin_proyecciones(constructora)  # the read models play no part in loading
    productos = [f"h{n}" for n in largos]
    preparar_catalogo(constructora, productos)
    for n in largos:
        construir(constructora, f"h{n}", n)
    constructora.cerrar()
    fria = abrir(
        f"sqlite:///{ruta}", sincronizacion="NORMAL", snapshot_cada=snapshot_cada, cache_agregados=0
    )
    return fria, ruta


def ejecutar() -> Resultado:
    inicio = time.perf_counter()
    r = Resultado("2. Carga de agregados")
    con: dict[int, Medida] = {}
    sin: dict[int, Medida] = {}
    with directorio_temporal("carga") as dir_:
        colas = (COLA,) if COLA else ()
        app50, _ = _base(dir_, 50, (*LARGOS, *colas))
        app0, ruta0 = _base(dir_, 0, LARGOS)
        for n in (*LARGOS, *colas):
            for app, destino in ((app50, con), (app0, sin)):
                if n == COLA and app is app0:
                    continue
                _carga_ms(app, f"h{n}")  # warm the statement cache
                destino[n] = medir(
                    lambda _i, a=app, n=n: statistics.median(
                        _carga_ms(a, f"h{n}") for _ in range(_muestras(n))
                    )
                )
        stream = f"inventario-h10000-{BODEGA}"
        crudo = [_crudo_ms(ruta0, app0, stream) for _ in range(tam(5, 10))]
        solo_select = Medida([c[0] for c in crudo])
        select_decode = Medida([c[1] for c in crudo])
        app50.cerrar()
        app0.cerrar()

    for n in LARGOS:
        r.fila(
            f"carga {n:,} eventos, snapshots cada 50",
            con[n],
            "ms p50",
            texto_ratio(ratio(con[n].mediana, con[10].mediana), "÷ carga de 10, objetivo ≤ 2")
            if n > 10
            else "",
        )
        r.fila(f"carga {n:,} eventos, sin snapshots", sin[n], "ms p50")
        r.claves[f"carga_ms_{n}"] = redondear(con[n].mediana)
        r.claves[f"carga_ms_{n}_sin_snapshots"] = redondear(sin[n].mediana)
    if COLA:
        r.fila(f"carga {COLA:,} eventos (cola de 49), snapshots cada 50", con[COLA], "ms p50")
        r.claves["carga_ms_10049"] = redondear(con[COLA].mediana)
    replay = sin[10_000]
    r.fila("SELECT crudo de 10,000 filas (sqlite3)", solo_select, "ms")
    r.fila(
        "SELECT crudo + decodificar (CodecEventos) 10,000",
        select_decode,
        "ms",
        texto_ratio(ratio(replay.mediana, select_decode.mediana), "replay ÷ crudo, objetivo ≤ 1.5"),
    )
    r.claves["replay_ms_10000"] = redondear(replay.mediana)
    r.claves["raw_ms_10000"] = redondear(select_decode.mediana)
    r.claves["raw_select_ms_10000"] = redondear(solo_select.mediana)
    r.claves["ratio_replay_vs_raw"] = redondear(ratio(replay.mediana, select_decode.mediana) or 0)
    r.claves["ratio_carga_10000_vs_10"] = redondear(
        ratio(con[10_000].mediana, con[10].mediana) or 0
    )
    r.segundos = time.perf_counter() - inicio
    return r
