"""Part 12 — scaling on PostgreSQL: `prometeo serve --workers N` for N = 1, 2, 4 behind the
same 16 clients POSTing /api/v1/facturas (part 5's clients and top-up client,
carga_http.py); requests/s, p50 and p99 per N, the CPU each answered request cost the
server, PostgreSQL's backends and the clients, and the ratio of each N to one worker.

Each client sells five products of its own (part 4's "distinct products"), where part 5's
clients all sell the same five: on SQLite writers take turns anyway, but PostgreSQL runs
them concurrently, and sixteen clients writing the same five inventario streams would
measure version conflicts on them (part 4's hot product), not how the server scales.

Every N has a database of its own, created, given part 5's catalog and dropped afterwards,
so no N inherits another's history. The three servers run side by side, idle but for the
one being loaded, and the N take turns window by window (each repetition is one window of
every N, the order rotated), so a load that other programs put on the machine meanwhile
falls on all of them alike (5 windows of 6 s; BENCH_QUICK: 5 of 1 s)."""

from __future__ import annotations

import contextlib
import functools
import os
import time
from pathlib import Path

from benchmarks.carga_http import CLIENTES, Sesion, Ventana, preparar_base, resumir
from benchmarks.comun import (
    PG_URL_BASE,
    REPETICIONES,
    Medida,
    Resultado,
    directorio_temporal,
    ratio,
    redondear,
    tam,
    texto_ratio,
)
from benchmarks.escenario import LINEAS
from benchmarks.parte4_postgres import _admin

WORKERS = (1, 2, 4)
VENTANA = tam(1.0, 6.0)
# Before each window: the clients' connections opened, the server's pools in use again.
CALENTAR = tam(0.5, 1.5)


def _backends(db: str) -> list[int]:
    """The PostgreSQL server processes connected to `db` (the workers' pools)."""
    filas = _admin("SELECT pid FROM pg_stat_activity WHERE datname = %s", (db,))
    return [int(pid) for (pid,) in filas]


def _abrir(pila: contextlib.ExitStack, n: int, dir_: Path, ventas: list[list[str]]) -> Sesion | str:
    """The server of N workers on a database of its own, stocked; or why not."""
    db = f"prometeo_bench_escala_{os.getpid()}_{n}"
    try:
        _admin(f'CREATE DATABASE "{db}"')
    except Exception as error:
        return f"PostgreSQL no disponible: {error}"
    pila.callback(_borrar, db)
    url = f"{PG_URL_BASE}/{db}"
    preparar_base(url, [p for productos in ventas for p in productos])
    sesion = pila.enter_context(
        Sesion(url, dir_, ventas, workers=n, procesos_base=functools.partial(_backends, db))
    )
    motivo = sesion.abrir()
    return sesion if motivo is None else motivo


def _borrar(db: str) -> None:
    # A database left behind would be named after this run's pid.
    with contextlib.suppress(Exception):
        _admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def ejecutar() -> Resultado:
    inicio = time.perf_counter()
    r = Resultado("12. PostgreSQL, serve --workers N")
    ventas = [[f"c{i:02d}p{k}" for k in range(LINEAS)] for i in range(CLIENTES)]
    sesiones: dict[int, Sesion] = {}
    ventanas: dict[int, list[Ventana]] = {n: [] for n in WORKERS}
    with directorio_temporal("escala") as dir_, contextlib.ExitStack() as pila:
        for n in WORKERS:
            abierta = _abrir(pila, n, dir_, ventas)
            if isinstance(abierta, str):
                r.fila(f"--workers {n}", None, "", texto=f"pendiente: {abierta[:200]}")
                r.detalle[f"pendiente_workers_{n}"] = abierta
            else:
                sesiones[n] = abierta
        orden = list(sesiones)
        for k in range(REPETICIONES if orden else 0):
            primero = k % len(orden)
            for n in orden[primero:] + orden[:primero]:
                ventanas[n].append(sesiones[n].cargar(CALENTAR, VENTANA))
    rps: dict[int, float] = {}
    for n in WORKERS:
        if n not in sesiones:
            for medida in ("rps", "p50_ms", "p99_ms"):
                r.claves[f"postgres_http_{medida}_workers_{n}"] = None
            continue
        tramos = resumir(ventanas[n], sesiones[n].carga.error)
        m_rps, m_p50, m_p99 = Medida(tramos.rps), Medida(tramos.p50), Medida(tramos.p99)
        rps[n] = m_rps.mediana
        r.fila(
            f"--workers {n}: POST /api/v1/facturas, {CLIENTES} clientes",
            m_rps,
            "req/s",
            "" if n == 1 else texto_ratio(ratio(m_rps.mediana, rps.get(1)), "÷ 1 worker"),
        )
        r.fila(f"--workers {n}: latencia p50", m_p50, "ms")
        r.fila(f"--workers {n}: latencia p99", m_p99, "ms")
        errores = sum(tramos.errores)
        r.fila(f"--workers {n}: respuestas que no fueron 201", None, "", texto=str(errores))
        r.claves.update(
            {
                f"postgres_http_rps_workers_{n}": redondear(m_rps.mediana),
                f"postgres_http_p50_ms_workers_{n}": redondear(m_p50.mediana),
                f"postgres_http_p99_ms_workers_{n}": redondear(m_p99.mediana),
                f"postgres_http_errores_workers_{n}": errores,
            }
        )
        if tramos.cpu_ms:
            r.fila(
                f"--workers {n}: CPU por solicitud, ms",
                None,
                "",
                texto=", ".join(f"{lado} {ms:.1f}" for lado, ms in tramos.cpu_ms.items()),
            )
            for lado, ms in tramos.cpu_ms.items():
                r.claves[f"postgres_http_cpu_ms_{lado}_workers_{n}"] = redondear(ms)
        if tramos.primer_error:
            r.detalle[f"primer_error_workers_{n}"] = tramos.primer_error
    for n in WORKERS[1:]:
        valor = ratio(rps.get(n), rps.get(1))
        r.claves[f"ratio_postgres_http_workers_{n}_vs_1"] = (
            None if valor is None else redondear(valor)
        )
    r.segundos = time.perf_counter() - inicio
    return r
