"""`make perfil`: pyinstrument over the emission path (SQLite FULL and NORMAL, and
PostgreSQL) and the load path (cold loads with and without snapshots), then where the
time goes per emission / per load: by component (inclusive, nested calls counted once)
and by kind of work (self time of the innermost frame: driver, SQLAlchemy, JSON, ...).

Writes benchmarks/results/perfil_*.txt (pyinstrument's call trees) and perfil.json;
PERFIL.md is written by hand from them."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pyinstrument import Profiler
from pyinstrument.frame import Frame

from benchmarks.comun import PG_URL_BASE, directorio_temporal, tam

RESULTADOS = Path(__file__).resolve().parent / "results"
EMISIONES = tam(100, 400)
CARGAS = tam(300, 2000)

# Components (inclusive time): the first rule that matches a frame claims it and
# everything under it.
COMPONENTES: tuple[tuple[str, Callable[[Frame], bool]], ...] = (
    (
        "proyecciones síncronas (Proyector.observador)",
        lambda f: f.function == "observador" and "proyector" in _ruta(f),
    ),
    (
        "lecturas del catálogo (RepositorioCatalogoSql)",
        lambda f: "infrastructure/db/catalogo.py" in _ruta(f),
    ),
    (
        "event store: agregar (posición + INSERT eventos)",
        lambda f: f.function == "agregar" and "almacen_eventos" in _ruta(f),
    ),
    (
        "codificar eventos (CodecEventos.codificar)",
        lambda f: f.function == "codificar" and "serializacion.py" in _ruta(f),
    ),
    (
        "snapshots (codificar + guardar)",
        lambda f: (
            "snapshots" in _ruta(f)
            and f.function in ("codificar", "guardar", "ultimo", "decodificar")
        ),
    ),
    (
        "leer stream + decodificar eventos",
        lambda f: (
            f.function in ("leer_stream", "leer_todos")
            or (f.function == "decodificar" and "serializacion.py" in _ruta(f))
        ),
    ),
    ("COMMIT", lambda f: f.function == "commit" and "sqlalchemy" in _ruta(f)),
    (
        "abrir la unidad de trabajo (conexión + BEGIN)",
        lambda f: f.function == "__enter__" and "unidad_de_trabajo" in _ruta(f),
    ),
    (
        "cerrar la unidad de trabajo (rollback, devolver conexión)",
        lambda f: (
            f.function in ("__exit__", "_cerrar", "rollback") and "unidad_de_trabajo" in _ruta(f)
        ),
    ),
    ("dominio (Factura, Inventario, reglas, totales)", lambda f: "prometeo/domain" in _ruta(f)),
    ("caché de agregados", lambda f: "cache_agregados" in _ruta(f)),
    ("message bus (publicar)", lambda f: "messagebus" in _ruta(f)),
)


def _ruta(f: Frame) -> str:
    return (f.file_path or "").replace("\\", "/")


def _tipo(f: Frame) -> str:
    """The kind of work a frame's self time is. Built-ins and standard-library frames
    that are none of the kinds below count as their caller's work (an isinstance inside
    SQLAlchemy is SQLAlchemy's time)."""
    ruta, funcion = _ruta(f), f.function
    integrada = ruta == "<built-in>"
    if (integrada and funcion.startswith(("Cursor.", "Connection."))) or "sqlite3" in ruta:
        return "driver sqlite3 (SQL en SQLite, E/S, fsync)"
    if "psycopg" in ruta or "PGconn" in funcion or "psycopg" in funcion:
        return "driver psycopg (red, PostgreSQL)"
    if funcion.startswith("Decimal."):
        return "Decimal (aritmética, quantize, str)"
    if "/json/" in ruta:
        return "JSON (json.dumps/loads)"
    if "/uuid.py" in ruta:
        return "uuid"
    if "/sqlalchemy/" in ruta:
        return "SQLAlchemy (compilar, parámetros, resultados)"
    if "serializacion" in ruta:
        return "codecs de prometeo (Python)"
    if "proyecciones" in ruta:
        return "proyecciones (Python)"
    if "prometeo/domain" in ruta:
        return "dominio (Python)"
    if "prometeo/" in ruta:
        return "resto de prometeo (Python)"
    if "/tenacity/" in ruta:
        return "tenacity"
    if "/pydantic" in ruta:
        return "pydantic"
    if f.parent is not None and (integrada or "site-packages" not in ruta):
        return _tipo(f.parent)
    return "otros"


# The HTTP request around the emission.
COMPONENTES_HTTP: tuple[tuple[str, Callable[[Frame], bool]], ...] = (
    (
        "emisión (ServicioFacturas.crear_factura)",
        lambda f: f.function == "crear_factura" and "application/services" in _ruta(f),
    ),
    (
        "leer la factura del modelo de lectura (respuesta)",
        lambda f: "proyecciones/consultas" in _ruta(f),
    ),
    (
        "token y rol (seguridad, tokens)",
        lambda f: "seguridad.py" in _ruta(f) or "tokens.py" in _ruta(f),
    ),
    (
        "cuerpo → comando (pydantic, a_comando)",
        lambda f: (
            f.function in ("request_body_to_args", "_validate_value_with_model_field", "a_comando")
        ),
    ),
    (
        "respuesta (FacturaRespuesta, serializar)",
        lambda f: f.function in ("serialize_response", "desde") or "jsonable_encoder" in f.function,
    ),
    ("métricas (middleware)", lambda f: "metricas" in _ruta(f)),
)


def _componentes(
    raiz: Frame, reglas: tuple[tuple[str, Callable[[Frame], bool]], ...] = COMPONENTES
) -> Counter[str]:
    cuenta: Counter[str] = Counter()

    def visitar(f: Frame) -> None:
        for nombre, regla in reglas:
            if regla(f):
                cuenta[nombre] += f.time
                return
        for hijo in f.children:
            visitar(hijo)

    visitar(raiz)
    return cuenta


def _tipos(raiz: Frame) -> Counter[str]:
    cuenta: Counter[str] = Counter()
    pila = [raiz]
    while pila:
        f = pila.pop()
        if f.is_synthetic:  # its time is already in its parent's total_self_time
            continue
        cuenta[_tipo(f)] += f.total_self_time
        pila.extend(f.children)
    return cuenta


def _resumen(
    perfilador: Profiler,
    veces: int,
    nombre: str,
    reglas: tuple[tuple[str, Callable[[Frame], bool]], ...] = COMPONENTES,
) -> dict[str, Any]:
    raiz = perfilador.last_session.root_frame() if perfilador.last_session else None
    assert raiz is not None
    total = raiz.time
    (RESULTADOS / f"perfil_{nombre}.txt").write_text(
        perfilador.output_text(unicode=True, color=False, show_all=False)
    )
    por_ms = lambda c: {k: round(v / veces * 1000, 3) for k, v in c.most_common()}  # noqa: E731
    componentes = _componentes(raiz, reglas)
    componentes["resto"] = total - sum(componentes.values())
    return {
        "veces": veces,
        "ms_por_vez": round(total / veces * 1000, 3),
        "componentes_ms": por_ms(componentes),
        "tipos_ms": por_ms(_tipos(raiz)),
    }


def perfil_emision(url: str, sincronizacion: str, nombre: str) -> dict[str, Any]:
    from benchmarks.escenario import tienda_nueva

    tienda = tienda_nueva(url, sincronizacion=sincronizacion)
    for _ in range(30):
        tienda.reponer()
        tienda.emitir()
    perfilador = Profiler(interval=0.0002)
    for _ in range(EMISIONES):
        tienda.reponer()
        perfilador.start()
        tienda.emitir()
        perfilador.stop()
    tienda.aplicacion.cerrar()
    return _resumen(perfilador, EMISIONES, nombre)


def perfil_carga(dir_: Path) -> dict[str, Any]:
    from benchmarks.escenario import BODEGA
    from benchmarks.parte2_carga import _base

    resultado = {}
    for cada, producto, veces, nombre in (
        (50, "h10000", CARGAS, "carga_snapshot_10000"),
        (0, "h10000", tam(5, 20), "carga_replay_10000"),
        (0, "h10", CARGAS, "carga_10"),
    ):
        app, _ = _base(dir_ / f"s{cada}-{nombre}", cada, (10, 10_000))
        perfilador = Profiler(interval=0.0001)
        for _ in range(veces):
            with app.unidad_de_trabajo() as uow:
                perfilador.start()
                uow.inventarios.obtener(producto, BODEGA)
                perfilador.stop()
        app.cerrar()
        resultado[nombre] = _resumen(perfilador, veces, nombre)
    return resultado


def perfil_reconstruccion(dir_: Path) -> dict[str, Any]:
    from benchmarks.escenario import abrir, nombres_productos, preparar_catalogo, sin_proyecciones
    from benchmarks.historia import construir_historia
    from prometeo.infrastructure.proyecciones import reconstruir

    aplicacion = abrir(f"sqlite:///{dir_ / 'reconstruccion.db'}", sincronizacion="NORMAL")
    sin_proyecciones(aplicacion)
    productos = nombres_productos(50)
    preparar_catalogo(aplicacion, productos)
    eventos = construir_historia(aplicacion, productos, tam(10_000, 50_000))
    perfilador = Profiler(interval=0.0005)
    perfilador.start()
    reconstruir(aplicacion.engine, codec=aplicacion.codec_eventos)
    perfilador.stop()
    aplicacion.cerrar()
    resumen = _resumen(perfilador, eventos, "reconstruccion")
    resumen["unidad"] = "por evento"
    return resumen


def perfil_http(dir_: Path) -> dict[str, Any]:
    """POST /api/v1/facturas driven in-process (httpx's ASGI transport, no sockets), with
    FastAPI's thread pool replaced by a direct call so that one profiler sees the whole
    request: what HTTP adds on top of the emission itself."""
    import asyncio

    import fastapi.dependencies.utils
    import fastapi.routing
    import httpx

    from benchmarks.carga_http import TOKEN, cuerpo_factura
    from benchmarks.escenario import Tienda, abrir, nombres_productos, preparar_catalogo

    async def en_linea(funcion: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return funcion(*args, **kwargs)

    fastapi.routing.run_in_threadpool = en_linea  # type: ignore[assignment]
    fastapi.dependencies.utils.run_in_threadpool = en_linea  # type: ignore[assignment]
    from prometeo.entrypoints.api.app import crear_app

    aplicacion = abrir(f"sqlite:///{dir_ / 'http.db'}", admin_token=TOKEN)
    productos = nombres_productos(5)
    preparar_catalogo(aplicacion, productos)
    tienda = Tienda(aplicacion, productos)
    tienda.reponer(forzar=True)
    app = crear_app(aplicacion)
    perfilador = Profiler(interval=0.0002, async_mode="enabled")
    veces = EMISIONES

    async def cargar() -> None:
        transporte = httpx.ASGITransport(app=app)
        cabeceras = {"Authorization": f"Bearer {TOKEN}"}
        async with httpx.AsyncClient(
            transport=transporte, base_url="http://t", headers=cabeceras
        ) as http:
            for i in range(30 + veces):
                tienda.reponer()
                if i >= 30:
                    perfilador.start()
                respuesta = await http.post(
                    "/api/v1/facturas", json=cuerpo_factura("punto", productos)
                )
                if i >= 30:
                    perfilador.stop()
                assert respuesta.status_code == 201, respuesta.text
                for p in productos:
                    tienda.stock[p] -= 3

    asyncio.run(cargar())
    aplicacion.cerrar()
    return _resumen(perfilador, veces, "http", COMPONENTES_HTTP)


def micro_sentencia(dir_: Path) -> dict[str, float]:
    """µs for one single-row SELECT by key (the snapshot lookup) through four routes, to
    size what per-statement overhead costs and what prebuilt statements would save."""
    import time

    from sqlalchemy import bindparam, select

    from benchmarks.escenario import abrir
    from prometeo.infrastructure.db.tablas import snapshots as t

    app = abrir(f"sqlite:///{dir_ / 'micro.db'}", sincronizacion="NORMAL")
    columnas = (t.c.stream_id, t.c.version, t.c.version_esquema, t.c.datos)
    preparada = select(*columnas).where(t.c.stream_id == bindparam("s"))
    sql = "SELECT stream_id, version, version_esquema, datos FROM snapshots WHERE stream_id = ?"
    veces = 3000
    resultado = {}
    with app.engine.connect() as conexion:
        cruda = conexion.connection.driver_connection
        rutas = {
            "SQLAlchemy, sentencia construida en cada llamada (hoy)": lambda: conexion.execute(
                select(*columnas).where(t.c.stream_id == "x")
            ).first(),
            "SQLAlchemy, sentencia preconstruida con bindparam": lambda: conexion.execute(
                preparada, {"s": "x"}
            ).first(),
            "SQLAlchemy exec_driver_sql": lambda: conexion.exec_driver_sql(sql, ("x",)).first(),
            "sqlite3 crudo (cursor del driver)": lambda: cruda.execute(sql, ("x",)).fetchone(),
        }
        for nombre, ruta in rutas.items():
            for _ in range(200):
                ruta()
            inicio = time.perf_counter()
            for _ in range(veces):
                ruta()
            resultado[nombre] = round((time.perf_counter() - inicio) / veces * 1e6, 1)
    app.cerrar()
    return resultado


def main() -> None:
    RESULTADOS.mkdir(parents=True, exist_ok=True)
    informe: dict[str, Any] = {}
    with directorio_temporal("perfil") as dir_:
        for sincronizacion in ("FULL", "NORMAL"):
            nombre = f"emision_sqlite_{sincronizacion.lower()}"
            informe[nombre] = perfil_emision(
                f"sqlite:///{dir_ / (nombre + '.db')}", sincronizacion, nombre
            )
        for sub in ("s50-carga_snapshot_10000", "s0-carga_replay_10000", "s0-carga_10"):
            (dir_ / sub).mkdir()
        informe.update(perfil_carga(dir_))
        informe["reconstruccion"] = perfil_reconstruccion(dir_)
        informe["micro_sentencia_us"] = micro_sentencia(dir_)
        informe["http_en_proceso"] = perfil_http(dir_)
    if "--sin-postgres" not in sys.argv:
        from benchmarks.parte4_postgres import _admin

        db = f"prometeo_perfil_{os.getpid()}"
        _admin(f'CREATE DATABASE "{db}"')
        try:
            informe["emision_postgres"] = perfil_emision(
                f"{PG_URL_BASE}/{db}", "FULL", "emision_postgres"
            )
        finally:
            _admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    (RESULTADOS / "perfil.json").write_text(
        json.dumps(informe, indent=2, ensure_ascii=False) + "\n"
    )
    for nombre, datos in informe.items():
        if nombre == "micro_sentencia_us":
            print("\n== una sentencia (µs):", json.dumps(datos, ensure_ascii=False))
            continue
        print(f"\n== {nombre}: {datos['ms_por_vez']} ms por vez ({datos['veces']} veces)")
        print("  por componente:", json.dumps(datos["componentes_ms"], ensure_ascii=False))
        print("  por tipo:      ", json.dumps(datos["tipos_ms"], ensure_ascii=False))


if __name__ == "__main__":
    main()
