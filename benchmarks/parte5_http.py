"""Part 5 — HTTP: POST /api/v1/facturas from 16 concurrent clients against the real
`prometeo serve` process on SQLite (the default: WAL, synchronous FULL): requests/s, p50
and p99 latency. Each repetition is one slice of the run (5 slices of 6 s; BENCH_QUICK:
5 of 1 s). A 17th client tops stock up through POST /api/v1/inventario/ingresos as the
others consume it (its requests are not counted): carga_http.py. If the API cannot be
served yet, the part says "pendiente" and why, without failing."""

from __future__ import annotations

import time

from benchmarks.carga_http import CLIENTES, Sesion, preparar_base, resumir
from benchmarks.comun import (
    REPETICIONES,
    Medida,
    Resultado,
    directorio_temporal,
    redondear,
    tam,
)
from benchmarks.escenario import LINEAS

DURACION = tam(5.0, 30.0)
CALENTAR = tam(1.0, 3.0)


def _pendiente(r: Resultado, motivo: str) -> Resultado:
    r.fila("POST /api/v1/facturas", None, "", texto=f"pendiente: {motivo[:200]}")
    r.claves.update(http_rps=None, http_p50_ms=None, http_p99_ms=None)
    r.detalle["pendiente"] = motivo
    return r


def ejecutar() -> Resultado:
    inicio = time.perf_counter()
    r = Resultado("5. HTTP")
    try:
        import httpx  # noqa: F401

        from prometeo.entrypoints.api.app import crear_app  # noqa: F401 — is the API there?
    except ImportError as error:
        return _pendiente(r, f"la API aún no existe ({error})")
    productos = [f"p{i:03d}" for i in range(LINEAS)]
    with directorio_temporal("http") as dir_:
        url = f"sqlite:///{dir_ / 'http.db'}"
        preparar_base(url, productos)
        with Sesion(url, dir_, [productos] * CLIENTES) as sesion:
            motivo = sesion.abrir()
            if motivo is not None:
                return _pendiente(r, motivo)
            ventana = sesion.cargar(CALENTAR, DURACION)
            tramos = resumir(ventana.cortar(REPETICIONES), sesion.carga.error)
    m_rps, m_p50, m_p99 = Medida(tramos.rps), Medida(tramos.p50), Medida(tramos.p99)
    r.fila(f"POST /api/v1/facturas, {CLIENTES} clientes", m_rps, "req/s")
    r.fila("latencia p50", m_p50, "ms")
    r.fila("latencia p99", m_p99, "ms", "objetivo ≤ 100 ms")
    r.fila("respuestas que no fueron 201", None, "", texto=str(sum(tramos.errores)))
    r.claves.update(
        http_rps=redondear(m_rps.mediana),
        http_p50_ms=redondear(m_p50.mediana),
        http_p99_ms=redondear(m_p99.mediana),
        http_errores=sum(tramos.errores),
    )
    if tramos.primer_error:
        r.detalle["primer_error"] = tramos.primer_error
    r.detalle["cpu_ms_por_solicitud"] = {k: redondear(v) for k, v in tramos.cpu_ms.items()}
    r.segundos = time.perf_counter() - inicio
    return r
