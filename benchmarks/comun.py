"""What every part of the benchmark shares: the quick/full sizes, repeated measurement
(median with min–max) and the figures each part hands back to run.py."""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RAPIDO = os.environ.get("BENCH_QUICK", "") not in ("", "0", "false", "no")
REPETICIONES = max(5, int(os.environ.get("BENCH_REPETICIONES", "5")))
PG_URL_BASE = os.environ.get("BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")


def tam(rapido: Any, completo: Any) -> Any:
    """The size to use in this run: `rapido` under BENCH_QUICK=1, else `completo`."""
    return rapido if RAPIDO else completo


@dataclass
class Medida:
    """One figure measured REPETICIONES times: its median and min–max."""

    valores: list[float]

    @property
    def mediana(self) -> float:
        return statistics.median(self.valores)

    @property
    def minimo(self) -> float:
        return min(self.valores)

    @property
    def maximo(self) -> float:
        return max(self.valores)

    def json(self) -> dict[str, Any]:
        return {
            "mediana": redondear(self.mediana),
            "min": redondear(self.minimo),
            "max": redondear(self.maximo),
            "n": len(self.valores),
        }


def redondear(valor: float) -> float:
    if valor == 0 or abs(valor) >= 100:
        return round(valor, 1)
    return float(f"{valor:.4g}")


def medir(funcion: Callable[[int], float], repeticiones: int = REPETICIONES) -> Medida:
    """Call `funcion(i)` for each repetition; each call returns one value."""
    return Medida([funcion(i) for i in range(repeticiones)])


@dataclass
class Fila:
    """A row of the table on stdout."""

    figura: str
    medida: Medida | None
    unidad: str
    ratio: str = ""
    texto: str | None = None  # instead of a measured value (e.g. "pendiente")


@dataclass
class Resultado:
    """What a part returns: the rows to print, the keys for latest.json (numbers), and
    any detail worth keeping in the JSON."""

    parte: str
    filas: list[Fila] = field(default_factory=list)
    claves: dict[str, float | None] = field(default_factory=dict)
    detalle: dict[str, Any] = field(default_factory=dict)
    segundos: float = 0.0

    def fila(
        self, figura: str, medida: Medida | None, unidad: str, ratio: str = "", **kw: Any
    ) -> None:
        self.filas.append(Fila(figura, medida, unidad, ratio, **kw))
        if medida is not None:
            self.detalle.setdefault("medidas", {})[figura] = {"unidad": unidad, **medida.json()}


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def texto_ratio(valor: float | None, objetivo: str = "") -> str:
    if valor is None:
        return ""
    return f"{valor:.2f}×" + (f" ({objetivo})" if objetivo else "")


@contextmanager
def directorio_temporal(prefijo: str, base: str | None = None) -> Iterator[Path]:
    """A scratch directory, removed afterwards (BENCH_DIR picks where; default the system's
    temporary directory, which on this machine is a real disk: fsync costs what it costs)."""
    raiz = base or os.environ.get("BENCH_DIR") or None
    ruta = Path(tempfile.mkdtemp(prefix=f"prometeo-bench-{prefijo}-", dir=raiz))
    try:
        yield ruta
    finally:
        shutil.rmtree(ruta, ignore_errors=True)


class Cronometro:
    """Accumulates the time spent inside `with cronometro:` blocks only."""

    def __init__(self) -> None:
        self.total = 0.0
        self._inicio = 0.0

    def __enter__(self) -> Cronometro:
        self._inicio = time.perf_counter()
        return self

    def __exit__(self, *_: object) -> None:
        self.total += time.perf_counter() - self._inicio


def percentil(valores: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordenados = sorted(valores)
    indice = max(0, min(len(ordenados) - 1, round(p / 100 * len(ordenados) + 0.5) - 1))
    return ordenados[indice]
