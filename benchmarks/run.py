"""`make bench`: run every part, print the table, write benchmarks/results/latest.json.

BENCH_QUICK=1 smaller sizes (under two minutes); BENCH_PARTES=1,3 only those parts;
BENCH_SALIDA=path another JSON file; BENCH_DIR where the scratch databases go."""

from __future__ import annotations

import importlib
import json
import os
import platform
import sqlite3
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # `python benchmarks/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.comun import RAPIDO, REPETICIONES, Resultado

PARTES = {
    "1": "benchmarks.parte1_emision",
    "2": "benchmarks.parte2_carga",
    "3": "benchmarks.parte3_rebuild",
    "4": "benchmarks.parte4_postgres",
    "5": "benchmarks.parte5_http",
    "6": "benchmarks.parte6_memoria",
    "7": "benchmarks.parte7_firma",
    "8": "benchmarks.parte8_sri",
    "9": "benchmarks.parte9_busqueda",
    "10": "benchmarks.parte10_caja",
    "11": "benchmarks.parte11_grupo",
    "12": "benchmarks.parte12_escala",
}
CLAVES = (
    "emision_facturas_por_s",
    "eventsourcing_facturas_por_s",
    "limite_sqlite_facturas_por_s",
    "ratio_vs_eventsourcing",
    "ratio_vs_limite",
    "carga_ms_10",
    "carga_ms_10000",
    "rebuild_eventos_por_s",
    "eventsourcing_lectura_eventos_por_s",
    "replay_ms_10000",
    "raw_ms_10000",
    "postgres_facturas_por_s",
    "eventsourcing_postgres_facturas_por_s",
    "http_rps",
    "http_p99_ms",
    "rss_mb_10000",
    "rss_mb_100000",
    "firmas_por_s",
    "firmados_guardados_por_s",
    "emision_sin_firmador_por_s",
    "emision_con_firmador_por_s",
    "caja_escaneo_p99_ms",
    "grupo_facturas_por_s_16",
    "eventsourcing_facturas_por_s_16",
    "ratio_grupo_vs_eventsourcing_16",
    "http_rps_ratio_vs_emision",
    "postgres_facturas_por_s_8_distintos",
    "ratio_rebuild_vs_eventsourcing",
    "ratio_postgres_2_vs_1_distintos",
    "ratio_postgres_8_vs_2_distintos",
    "ratio_postgres_caliente_8_vs_eventsourcing",
    "postgres_http_rps_workers_1",
    "postgres_http_rps_workers_2",
    "postgres_http_rps_workers_4",
    "postgres_http_p99_ms_workers_1",
    "postgres_http_p99_ms_workers_2",
    "postgres_http_p99_ms_workers_4",
)
# (key, comparison, target, what it means) — the targets, all ratios of one run
# except the absolute latency ones it states itself.
OBJETIVOS = (
    # Issue 20 (restated targets).
    (
        "ratio_grupo_vs_eventsourcing_16",
        ">=",
        3.0,
        "16 hilos en commit en grupo ÷ eventsourcing 16 hilos (SQLite FULL)",
    ),
    ("http_rps_ratio_vs_emision", ">=", 1.0, "HTTP req/s (16 clientes) ÷ emisión en proceso"),
    ("http_p99_ms", "<=", 60, "HTTP p99 con 16 clientes (ms)"),
    ("ratio_vs_eventsourcing", ">=", 1.0, "un escritor ÷ eventsourcing (SQLite FULL)"),
    (
        "ratio_postgres_8_vs_2_distintos",
        ">=",
        1.0,
        "PostgreSQL 8 ÷ 2 procesos, productos distintos",
    ),
    ("ratio_postgres_2_vs_1_distintos", ">=", 1.6, "PostgreSQL 2 ÷ 1 proceso, productos distintos"),
    (
        "ratio_postgres_caliente_8_vs_eventsourcing",
        ">=",
        1.3,
        "PostgreSQL 8 procesos, producto caliente ÷ eventsourcing",
    ),
    ("ratio_rebuild_vs_eventsourcing", ">=", 1.5, "reconstrucción ÷ lectura eventsourcing"),
    # Kept from issue 6.
    ("ratio_vs_limite", ">=", 0.5, "emisión ÷ límite físico (SQLite FULL)"),
    ("sentencias_por_emision", "<=", 6, "sentencias SQL por emisión"),
    ("postgres_viajes_por_emision", "<=", 4, "viajes de ida y vuelta por emisión (PostgreSQL)"),
    ("carga_ms_10000", "<=", 0.25, "carga p50 de 10,000 eventos con snapshots (ms)"),
    ("ratio_carga_10000_vs_10", "<=", 2.0, "carga 10,000 ÷ carga 10"),
    ("ratio_replay_vs_raw", "<=", 1.5, "replay completo ÷ select + decode crudo"),
    ("ratio_postgres_vs_eventsourcing", ">=", 1.5, "PostgreSQL ÷ eventsourcing (1 proceso)"),
    ("caja_escaneo_p99_ms", "<=", 50, "caja: escaneo → carrito p99 con 20.000 productos (ms)"),
    ("ratio_rss", "<=", 1.2, "RSS tras N2 ÷ tras N1"),
    ("firmas_por_s", ">=", 300, "firmas XAdES-BES por segundo (1 núcleo)"),
    ("ratio_emision_con_firmador", ">=", 0.85, "emisión con firmador ÷ sin firmador"),
    ("ratio_emision_con_despachador", ">=", 0.8, "emisión con firmador y despachador ÷ sin"),
)


def objetivos(claves: dict[str, Any]) -> list[dict[str, Any]]:
    filas = []
    for clave, comparacion, meta, que in OBJETIVOS:
        valor = claves.get(clave)
        cumple = (
            None if valor is None else (valor >= meta if comparacion == ">=" else valor <= meta)
        )
        filas.append(
            {
                "clave": clave,
                "que": que,
                "valor": valor,
                "objetivo": f"{comparacion} {meta}",
                "cumple": cumple,
            }
        )
    return filas


SALIDA = Path(__file__).resolve().parent / "results" / "latest.json"


def maquina() -> dict[str, Any]:
    import sqlalchemy

    return {
        "nucleos": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "sqlalchemy": sqlalchemy.__version__,
        "plataforma": platform.platform(),
        "procesador": platform.processor() or platform.machine(),
    }


def _imprimir(resultados: list[Resultado]) -> None:
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:  # pragma: no cover
        Console = None  # noqa: N806
    filas = []
    for r in resultados:
        filas.append((f"[{r.parte}]  ({r.segundos:.0f} s)", "", "", "", ""))
        for f in r.filas:
            if f.medida is None:
                filas.append((f.figura, f.texto or "", "", f.unidad, f.ratio))
            else:
                m = f.medida
                filas.append(
                    (
                        f.figura,
                        _num(m.mediana),
                        f"{_num(m.minimo)} – {_num(m.maximo)}",
                        f.unidad,
                        f.ratio,
                    )
                )
    if Console is None:
        for fila in filas:
            print(" | ".join(fila))
        return
    tabla = Table(title="prometeo — benchmarks" + (" (BENCH_QUICK)" if RAPIDO else ""))
    for columna in ("figura", "mediana", "min – max", "unidad", "ratio"):
        tabla.add_column(columna, justify="left" if columna in ("figura", "ratio") else "right")
    for fila in filas:
        if fila[0].startswith("["):
            tabla.add_section()
            tabla.add_row(f"[bold]{fila[0]}[/bold]", "", "", "", "")
        else:
            tabla.add_row(*fila)
    Console(width=160).print(tabla)


def _imprimir_objetivos(filas: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    tabla = Table(title="Objetivos de los issues 6 y 20 (mismo run)")
    for columna in ("objetivo", "valor", "meta", ""):
        tabla.add_column(columna)
    for f in filas:
        marca = {True: "[green]sí[/green]", False: "[red]no[/red]", None: "—"}[f["cumple"]]
        valor = "—" if f["valor"] is None else _num(f["valor"])
        tabla.add_row(f["que"], valor, f["objetivo"], marca)
    Console(width=160).print(tabla)


def _num(v: float) -> str:
    if v >= 1000:
        return f"{v:,.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}"


def _ratios_entre_partes(claves: dict[str, Any]) -> None:
    """Ratios whose two sides come from different parts (both measured in this run)."""
    http, emision = claves.get("http_rps"), claves.get("emision_facturas_por_s")
    if http and emision:
        # The same ratio under the name issue 20 gives it; the old name is kept.
        claves["ratio_http_vs_emision"] = claves["http_rps_ratio_vs_emision"] = round(
            http / emision, 3
        )


def main() -> int:
    elegidas = [
        p.strip() for p in os.environ.get("BENCH_PARTES", ",".join(PARTES)).split(",") if p.strip()
    ]
    inicio = time.perf_counter()
    resultados: list[Resultado] = []
    errores: dict[str, str] = {}
    for clave in elegidas:
        modulo = importlib.import_module(PARTES[clave])
        print(
            f"… parte {clave}: {modulo.__doc__.splitlines()[0] if modulo.__doc__ else ''}",
            flush=True,
        )
        try:
            resultados.append(modulo.ejecutar())
        except Exception:  # one part failing must not lose the others' figures
            errores[clave] = traceback.format_exc()
            print(errores[clave], file=sys.stderr, flush=True)
    _imprimir(resultados)

    claves: dict[str, Any] = {}
    detalle: dict[str, Any] = {}
    for r in resultados:
        claves.update(r.claves)
        detalle[r.parte] = {**r.detalle, "segundos": round(r.segundos, 1)}
    _ratios_entre_partes(claves)
    salida = Path(os.environ.get("BENCH_SALIDA", SALIDA))
    anterior: dict[str, Any] = {}
    if salida.exists() and set(elegidas) != set(PARTES):
        # Only some parts ran: keep the other parts' figures from the previous run.
        anterior = json.loads(salida.read_text())
        if {"1", "5"} & set(elegidas) and not {"1", "5"} <= set(elegidas):
            # Its two sides would come from different runs.
            anterior.pop("ratio_http_vs_emision", None)
            anterior.pop("http_rps_ratio_vs_emision", None)
    documento = {
        **{k: anterior.get(k) for k in CLAVES},
        **{k: v for k, v in anterior.items() if k not in ("maquina", "fecha", "detalle")},
        **claves,
        "fecha": datetime.now(UTC).isoformat(timespec="seconds"),
        "rapido": RAPIDO,
        "repeticiones": REPETICIONES,
        "partes": elegidas,
        "segundos": round(time.perf_counter() - inicio, 1),
        "maquina": maquina(),
        "errores": errores,
        "objetivos": objetivos({**anterior, **claves}),
        "detalle": {**anterior.get("detalle", {}), **detalle},
    }
    _imprimir_objetivos(documento["objetivos"])
    salida.parent.mkdir(parents=True, exist_ok=True)
    salida.write_text(json.dumps(documento, indent=2, ensure_ascii=False, default=str) + "\n")
    faltan = [k for k in CLAVES if documento.get(k) is None]
    print(
        f"\n{salida} escrito en {documento['segundos']} s"
        + (f"; sin valor: {', '.join(faltan)}" if faltan else "")
    )
    return 1 if errores else 0


if __name__ == "__main__":
    raise SystemExit(main())
