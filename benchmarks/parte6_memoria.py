"""Part 6 — memory: peak RSS (VmHWM) of one process after N1 and after N2 emissions
(10,000 and 100,000; BENCH_QUICK: 200 and 1,000 with the aggregate cache scaled down to
200, so that it fills by N1 as the default 10,000 does in the full run). Run in a fresh
subprocess, on SQLite in tmpfs when there is one (memory, not fsync, is measured here).

One run, not five: peak RSS is a high-water mark of one process's life, and the run is the
longest of the benchmark. The figure shown is that single value (min = max)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.comun import (
    Medida,
    Resultado,
    directorio_temporal,
    ratio,
    redondear,
    tam,
    texto_ratio,
)

N1 = tam(200, 10_000)
N2 = tam(1_000, 100_000)
CACHE = tam(200, 10_000)


def _estado() -> dict[str, float]:
    campos = {}
    for linea in Path("/proc/self/status").read_text().splitlines():
        clave, _, valor = linea.partition(":")
        if clave in ("VmHWM", "VmRSS"):
            campos[clave] = int(valor.split()[0]) / 1024  # kB → MB
    return campos


def _hijo(ruta: str, n1: int, n2: int, cache: int) -> None:
    """Runs in the subprocess: emit n2 facturas, report VmHWM after n1 and after n2."""
    import gc

    from benchmarks.escenario import tienda_nueva

    tienda = tienda_nueva(f"sqlite:///{ruta}", sincronizacion="NORMAL", cache_agregados=cache)
    informe: dict[str, object] = {"inicio": _estado()}
    inicio = time.perf_counter()
    for i in range(1, n2 + 1):
        tienda.reponer()
        tienda.emitir()
        if i == n1:
            informe["n1"] = {**_estado(), "segundos": time.perf_counter() - inicio}
    gc.collect()
    informe["n2"] = {**_estado(), "segundos": time.perf_counter() - inicio}
    informe["cache"] = len(tienda.aplicacion.cache)
    print(json.dumps(informe))


def ejecutar() -> Resultado:
    inicio = time.perf_counter()
    r = Resultado("6. Memoria")
    base = "/dev/shm" if os.path.isdir("/dev/shm") else None
    with directorio_temporal("memoria", base) as dir_:
        salida = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.parte6_memoria",
                str(dir_ / "m.db"),
                str(N1),
                str(N2),
                str(CACHE),
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
    informe = json.loads(salida.stdout.strip().splitlines()[-1])
    hwm1, hwm2 = informe["n1"]["VmHWM"], informe["n2"]["VmHWM"]
    r.fila(f"RSS pico tras {N1:,} emisiones", Medida([hwm1]), "MB")
    r.fila(
        f"RSS pico tras {N2:,} emisiones",
        Medida([hwm2]),
        "MB",
        texto_ratio(ratio(hwm2, hwm1), f"÷ tras {N1:,}, objetivo ≤ 1.2"),
    )
    r.claves.update(
        rss_mb_10000=redondear(hwm1),
        rss_mb_100000=redondear(hwm2),
        ratio_rss=redondear(ratio(hwm2, hwm1) or 0),
    )
    r.detalle.update(informe, emisiones=[N1, N2], cache_agregados=CACHE)
    r.segundos = time.perf_counter() - inicio
    return r


if __name__ == "__main__":
    _hijo(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
