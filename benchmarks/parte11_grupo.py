"""Part 11 — group commit (issue 20): 16 threads emitting in one process through the
application layer (SQLite WAL, synchronous=FULL), with PROMETEO_GRUPO_COMMIT on and off,
beside the eventsourcing library with 16 threads saving the same invoice shape.

Each thread sells its own five products from its own punto de emisión (as part 1's
shop, one per thread), so threads meet only at the database. Stock for the whole round
is received before it (not timed); all threads start together and facturas/s = all the
round's facturas ÷ its wall time. The three are interleaved, a round each per
repetition, so that a noisy neighbour hurts them alike."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.comun import (
    REPETICIONES,
    Medida,
    Resultado,
    directorio_temporal,
    ratio,
    redondear,
    tam,
    texto_ratio,
)
from benchmarks.es_app import TiendaES, app_sqlite
from benchmarks.escenario import (
    CANTIDAD_LINEA,
    LINEAS,
    Tienda,
    abrir,
    nombres_productos,
    preparar_catalogo,
)

HILOS = 16
N = tam(10, 40)  # facturas per thread per round
CALENTAR = tam(2, 5)  # facturas per thread before the first round


def _ronda(
    emisores: Sequence[Callable[[], None]], n: int, al_final: Callable[[], None] | None = None
) -> float:
    """facturas/s of all `emisores` emitting `n` facturas each at once (wall time, up to
    the end of `al_final` when given: work the emissions leave behind)."""
    salida = threading.Barrier(len(emisores) + 1)
    errores: list[BaseException] = []

    def trabajar(emitir: Callable[[], None]) -> None:
        salida.wait()
        try:
            for _ in range(n):
                emitir()
        except BaseException as error:
            errores.append(error)

    hilos = [threading.Thread(target=trabajar, args=(e,)) for e in emisores]
    for hilo in hilos:
        hilo.start()
    salida.wait()
    inicio = time.perf_counter()
    for hilo in hilos:
        hilo.join()
    if al_final is not None:
        al_final()
    segundos = time.perf_counter() - inicio
    if errores:
        raise errores[0]
    return len(emisores) * n / segundos


def _abastecer(reponer: Callable[[], object], stock: Callable[[], int], n: int) -> None:
    """Receive lots until every product of a thread has stock for `n` more facturas."""
    while stock() < n * CANTIDAD_LINEA:
        reponer()


def _tiendas_prometeo(dir_: Path, nombre: str, grupo: bool) -> list[Tienda]:
    aplicacion = abrir(f"sqlite:///{dir_ / nombre}", sincronizacion="FULL", grupo_commit=grupo)
    productos = nombres_productos(HILOS * LINEAS)
    puntos = [f"punto{i:02d}" for i in range(HILOS)]
    preparar_catalogo(aplicacion, productos, puntos)
    # As in `prometeo serve`: the reports' read models caught up by a thread meanwhile.
    if getattr(aplicacion, "diferidas", None) is not None:
        aplicacion.diferidas.iniciar()
    return [
        Tienda(aplicacion, productos[i * LINEAS : (i + 1) * LINEAS], punto=puntos[i])
        for i in range(HILOS)
    ]


def _preparar(tiendas: Sequence[Tienda | TiendaES], n: int) -> None:
    for t in tiendas:
        _abastecer(
            lambda t=t: t.reponer(forzar=True),  # type: ignore[misc]
            lambda t=t: min(t.stock.get(p, 0) for p in t.productos),  # type: ignore[misc]
            n,
        )


def ejecutar() -> Resultado:
    inicio = time.perf_counter()
    r = Resultado("11. Commit en grupo (16 hilos, SQLite FULL)")
    with directorio_temporal("grupo") as dir_:
        en_grupo = _tiendas_prometeo(dir_, "grupo.db", grupo=True)
        uno_a_uno = _tiendas_prometeo(dir_, "uno.db", grupo=False)
        # The single writer's rate, as part 1 measures it (the HTTP target's reference).
        solo = _tiendas_prometeo(dir_, "solo.db", grupo=False)[:1]
        app = app_sqlite(str(dir_ / "es.db"), "FULL")
        productos = nombres_productos(HILOS * LINEAS)
        de_es = [
            TiendaES(app, productos[i * LINEAS : (i + 1) * LINEAS], punto=f"punto{i:02d}")
            for i in range(HILOS)
        ]
        variantes: dict[str, tuple[list[Callable[[], None]], Callable[[int], None]]] = {
            "grupo": ([t.emitir for t in en_grupo], lambda n: _preparar(en_grupo, n)),
            "uno": ([t.emitir for t in uno_a_uno], lambda n: _preparar(uno_a_uno, n)),
            "es": ([t.emitir for t in de_es], lambda n: _preparar(de_es, n)),
            "solo": ([solo[0].emitir], lambda n: _preparar(solo, n * HILOS)),
        }
        # A round of prometeo ends when its reports' read models have caught up with it
        # (else the catch-up would run in the next variant's round).
        finales = {
            clave: getattr(tiendas[0].aplicacion, "diferidas", None)
            for clave, tiendas in (("grupo", en_grupo), ("uno", uno_a_uno), ("solo", solo))
        }

        def ronda(clave: str, emisores: list[Callable[[], None]], n: int) -> float:
            diferidas = finales.get(clave)
            # The single writer emits as many facturas as the 16 threads together.
            return _ronda(
                emisores,
                n * HILOS // len(emisores),
                diferidas.al_dia if diferidas is not None else None,
            )

        for clave, (emisores, preparar) in variantes.items():
            preparar(CALENTAR)
            ronda(clave, emisores, CALENTAR)
        valores: dict[str, list[float]] = {k: [] for k in variantes}
        grupo = en_grupo[0].aplicacion.grupo
        assert grupo is not None, "PROMETEO_GRUPO_COMMIT no se aplicó"
        lotes = miembros = 0
        for _ in range(REPETICIONES):
            for clave, (emisores, preparar) in variantes.items():
                preparar(N)
                antes = grupo.lotes_confirmados, grupo.miembros_confirmados
                valores[clave].append(ronda(clave, emisores, N))
                if clave == "grupo":
                    lotes += grupo.lotes_confirmados - antes[0]
                    miembros += grupo.miembros_confirmados - antes[1]
        # Only the timed rounds' batches (the top-ups between them come one at a time).
        r.detalle["facturas_por_lote"] = redondear(miembros / max(lotes, 1))
        for tiendas in (en_grupo, uno_a_uno, solo):
            tiendas[0].aplicacion.cerrar()
        app.close()
    g, u, es, s1 = (Medida(valores[k]) for k in ("grupo", "uno", "es", "solo"))
    r_es = ratio(g.mediana, es.mediana)
    r.fila(
        "prometeo, commit en grupo",
        g,
        "fact/s",
        texto_ratio(r_es, "÷ eventsourcing 16 hilos, objetivo ≥ 3.0"),
    )
    r.fila(
        "prometeo, una transacción por comando",
        u,
        "fact/s",
        texto_ratio(ratio(u.mediana, es.mediana), "÷ eventsourcing 16 hilos"),
    )
    r.fila("eventsourcing save(), 16 hilos", es, "fact/s")
    r.fila(
        "prometeo, 1 hilo (un solo escritor)",
        s1,
        "fact/s",
        texto_ratio(ratio(g.mediana, s1.mediana), "commit en grupo 16 hilos ÷ 1 hilo"),
    )
    r.fila(
        "comandos por transacción (commit en grupo)",
        None,
        "",
        texto=f"{r.detalle.get('facturas_por_lote', '?')}",
    )
    r.claves["grupo_facturas_por_s_16"] = redondear(g.mediana)
    r.claves["uno_a_uno_facturas_por_s_16"] = redondear(u.mediana)
    r.claves["eventsourcing_facturas_por_s_16"] = redondear(es.mediana)
    r.claves["ratio_grupo_vs_eventsourcing_16"] = redondear(r_es or 0)
    r.claves["un_hilo_facturas_por_s"] = redondear(s1.mediana)
    r.claves["ratio_grupo_vs_uno_a_uno_16"] = redondear(ratio(g.mediana, u.mediana) or 0)
    r.segundos = time.perf_counter() - inicio
    return r
