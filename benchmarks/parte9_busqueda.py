"""Part 9 — product search with 20,000 products (issue 18): what GET /api/v1/productos
runs (ConsultasCatalogoSql.productos, one page of 100) by `codigo` (the code, then a
barcode: what a scanner sends) and by `buscar` (one word, two words, a two-letter
prefix), on SQLite and on PostgreSQL. Queries per second and p50/p95 latency.

The catalog is written in one transaction, with the rows the repository writes for each
product (its barcode, the words of palabras_de); then ANALYZE. Each repetition sends the
same number of queries of each kind, interleaved kind by kind, drawn from a fixed seed."""

from __future__ import annotations

import contextlib
import os
import random
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, insert, text

from benchmarks.comun import (
    PG_URL_BASE,
    Medida,
    Resultado,
    directorio_temporal,
    percentil,
    ratio,
    redondear,
    tam,
    texto_ratio,
)

PRODUCTOS = 20_000
CONSULTAS = tam(200, 2_000)  # of each kind, per repetition
_SILABAS = ("ma", "pe", "ri", "lo", "su", "ta", "ne", "ca", "bo", "fi", "gu", "de")
VOCABULARIO = [a + b + c for a in _SILABAS for b in _SILABAS for c in _SILABAS]


def _nombre(azar: random.Random) -> str:
    return " ".join(azar.sample(VOCABULARIO, 3)).capitalize()


def sembrar(engine: Engine) -> list[str]:
    """20,000 products with one barcode each; their names, to draw searches from."""
    from prometeo.infrastructure.db import tablas as t
    from prometeo.infrastructure.db.busqueda import palabras_de

    azar = random.Random(9)
    filas: dict[str, list[dict[str, Any]]] = {"productos": [], "barras": [], "palabras": []}
    nombres = []
    for n in range(PRODUCTOS):
        id_, codigo, barra, nombre = f"b{n:05d}", f"P-{n:05d}", f"786{n:010d}", _nombre(azar)
        nombres.append(nombre)
        filas["productos"].append(
            {
                "id": id_,
                "codigo": codigo,
                "nombre": nombre,
                "precio": "1.00",
                "tarifa_iva": "4",
                "stock_minimo": "0",
                "activo": n % 10 != 0,
            }
        )
        filas["barras"].append({"producto_id": id_, "posicion": 1, "codigo": barra})
        filas["palabras"].extend(
            {"palabra": p, "producto_id": id_} for p in palabras_de(codigo, nombre, [barra])
        )
    with engine.begin() as conexion:
        conexion.execute(insert(t.productos), filas["productos"])
        conexion.execute(insert(t.codigos_barra), filas["barras"])
        conexion.execute(insert(t.palabras_producto), filas["palabras"])
    with engine.begin() as conexion:
        conexion.execute(text("ANALYZE"))
    return nombres


def _consultas(nombres: list[str]) -> dict[str, Callable[[random.Random], dict[str, Any]]]:
    """Each kind of search: the filters of one query, drawn at random."""
    return {
        "código": lambda azar: {"codigo": f"P-{azar.randrange(PRODUCTOS):05d}"},
        "código de barras": lambda azar: {"codigo": f"786{azar.randrange(PRODUCTOS):010d}"},
        "1 palabra": lambda azar: {"buscar": azar.choice(VOCABULARIO)},
        "2 palabras": lambda azar: {
            "buscar": " ".join(p[:4] for p in azar.choice(nombres).split()[:2])
        },
        "prefijo de 2 letras": lambda azar: {"buscar": azar.choice(_SILABAS)},
    }


def medir_busquedas(engine: Engine, nombres: list[str]) -> dict[str, dict[str, list[float]]]:
    """Per kind: queries/s of each repetition and its p50 and p95 latency (ms)."""
    from benchmarks.comun import REPETICIONES
    from prometeo.infrastructure.db.catalogo import CacheCatalogo
    from prometeo.infrastructure.lecturas.catalogo import ConsultasCatalogoSql

    consultas = ConsultasCatalogoSql(engine, CacheCatalogo())
    tipos = _consultas(nombres)
    figuras: dict[str, dict[str, list[float]]] = {
        tipo: {"por_s": [], "p50": [], "p95": [], "encontrados": []} for tipo in tipos
    }
    for repeticion in range(REPETICIONES):
        for tipo, filtros_de in tipos.items():
            azar = random.Random(f"{tipo}{repeticion}")
            lotes = [filtros_de(azar) for _ in range(CONSULTAS)]
            tiempos, encontrados = [], 0
            for filtros in lotes:
                inicio = time.perf_counter()
                encontrados += len(consultas.productos(100, 0, **filtros))
                tiempos.append(time.perf_counter() - inicio)
            figura = figuras[tipo]
            figura["por_s"].append(len(tiempos) / sum(tiempos))
            figura["p50"].append(percentil(tiempos, 50) * 1000)
            figura["p95"].append(percentil(tiempos, 95) * 1000)
            figura["encontrados"].append(encontrados / len(tiempos))
    return figuras


def _filas(r: Resultado, base: str, figuras: dict[str, dict[str, list[float]]]) -> None:
    por_codigo = Medida(figuras["código"]["por_s"]).mediana
    for tipo, figura in figuras.items():
        por_s = Medida(figura["por_s"])
        r.fila(
            f"{base}: {tipo}, consultas/s",
            por_s,
            "/s",
            texto_ratio(ratio(por_s.mediana, por_codigo), "÷ por código"),
        )
        p95 = Medida(figura["p95"])
        p50 = Medida(figura["p50"])
        r.fila(f"{base}: {tipo}, p50 / p95", p50, "ms", f"p95 {p95.mediana:.2f} ms")
        clave = "busqueda_" + base.lower() + "_" + tipo.replace(" ", "_").replace("ó", "o")
        r.claves[clave + "_por_s"] = redondear(por_s.mediana)
        r.claves[clave + "_p95_ms"] = redondear(p95.mediana)
        r.detalle.setdefault(base, {})[tipo] = {
            "productos_por_consulta": redondear(Medida(figura["encontrados"]).mediana),
            "p95_ms": p95.json(),
        }


def _medir_en(url: str) -> dict[str, dict[str, list[float]]]:
    """A fresh migrated database at `url`, seeded, then measured."""
    from prometeo.infrastructure.db.engine import crear_engine
    from prometeo.infrastructure.db.migracion import migrar

    engine = crear_engine(url)
    try:
        migrar(engine)
        return medir_busquedas(engine, sembrar(engine))
    finally:
        engine.dispose()


def _sqlite(r: Resultado) -> dict[str, dict[str, list[float]]]:
    with directorio_temporal("busqueda") as dir_:
        figuras = _medir_en(f"sqlite:///{dir_ / 'b.db'}")
    _filas(r, "SQLite", figuras)
    return figuras


def _postgres(r: Resultado) -> dict[str, dict[str, list[float]]] | None:
    from benchmarks.parte4_postgres import _admin

    db = f"prometeo_bench_busqueda_{os.getpid()}"
    try:
        _admin(f'CREATE DATABASE "{db}"')
    except Exception as error:
        r.fila("PostgreSQL", None, "", texto=f"no disponible: {error}")
        return None
    try:
        figuras = _medir_en(f"{PG_URL_BASE}/{db}")
    finally:
        # A database left behind would be named after this run's pid.
        with contextlib.suppress(Exception):
            _admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    _filas(r, "PostgreSQL", figuras)
    return figuras


def ejecutar() -> Resultado:
    inicio = time.perf_counter()
    r = Resultado("9. Búsqueda de productos")
    sqlite = _sqlite(r)
    postgres = _postgres(r)
    if postgres is not None:
        for tipo in ("código", "1 palabra"):
            a = Medida(postgres[tipo]["por_s"]).mediana
            b = Medida(sqlite[tipo]["por_s"]).mediana
            r.fila(f"PostgreSQL ÷ SQLite: {tipo}", None, "", texto_ratio(ratio(a, b)), texto="")
    r.detalle.update(productos=PRODUCTOS, consultas_por_tipo=CONSULTAS, pagina=100)
    r.segundos = time.perf_counter() - inicio
    return r
