"""Part 4 — emission on PostgreSQL from 1, 2, 4 and 8 worker processes (BENCH_QUICK: 1, 2
and 8), each with its own punto de emisión (own number sequence), on distinct products (no
shared stream) and with one hot product on every factura (all workers write its
inventario stream); facturas/s and the share of attempts that hit a version conflict and
were retried; the eventsourcing library on the same server with the same invoice shape.
While prometeo's workers emit, pg_stat_activity is sampled: the share of their backends'
samples spent waiting for a lock (the global position row, mostly) is printed beside.

Each repetition is a time window in which the workers emit at full speed (stock top-ups
inside the window: one every ~10 facturas, the same for both). facturas/s = facturas
emitted by all workers ÷ (end of the last one − start of the window). Round trips are
counted from libpq's protocol trace."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
from typing import Any

from sqlalchemy.engine import make_url

from benchmarks.comun import (
    PG_URL_BASE,
    REPETICIONES,
    Medida,
    Resultado,
    ratio,
    redondear,
    tam,
    texto_ratio,
)
from benchmarks.contador_sql import ContadorSql, TrazasPg
from benchmarks.escenario import (
    CANTIDAD_LINEA,
    LINEAS,
    LOTE,
    REPONER_LOTES,
    Tienda,
    abrir,
    preparar_catalogo,
)
from benchmarks.trabajador_pg import principal, productos_de

# Quick mode: 1, 2 and 8 processes (the ratios need them); 8 on the hot product.
PROCESOS = tam((1, 2, 8), (1, 2, 4, 8))
PROCESOS_CALIENTE = tam((8,), PROCESOS)
VENTANA = tam(0.25, 3.0)  # seconds per repetition
MUESTRA = tam(15, 40)
ENTRE_MUESTRAS = 0.002  # seconds between two pg_stat_activity samples


class _Esperas:
    """Samples pg_stat_activity from a thread while a window runs: of the samples of the
    database's client backends that are inside a transaction, the share waiting for a
    lock (wait_event_type 'Lock')."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.en_candado = self.en_transaccion = 0
        self._seguir = True
        self._hilo = threading.Thread(target=self._muestrear, daemon=True)

    def __enter__(self) -> _Esperas:
        self._hilo.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._seguir = False
        self._hilo.join()

    def _muestrear(self) -> None:
        import psycopg

        u = make_url(PG_URL_BASE)
        consulta = (
            "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'), count(*) "
            "FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend' "
            "AND (state = 'active' OR state LIKE 'idle in transaction%%')"
        )
        with psycopg.connect(
            host=u.host, port=u.port or 5432, user=u.username, dbname="test", autocommit=True
        ) as c:
            while self._seguir:
                fila = c.execute(consulta, (self.db,)).fetchone()
                assert fila is not None
                self.en_candado += fila[0]
                self.en_transaccion += fila[1]
                time.sleep(ENTRE_MUESTRAS)

    @property
    def parte(self) -> float:
        return self.en_candado / self.en_transaccion if self.en_transaccion else 0.0


def _admin(sql: str, parametros: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Run `sql` on the server's maintenance database; its rows, if it returns any."""
    import psycopg

    u = make_url(PG_URL_BASE)
    with psycopg.connect(
        host=u.host, port=u.port or 5432, user=u.username, dbname="test", autocommit=True
    ) as c:
        cursor = c.execute(sql, parametros or None)
        return cursor.fetchall() if cursor.description else []


def _contar_viajes(url: str) -> dict[str, Any]:
    """Statements and round trips of one emission, from one process, no contention."""
    aplicacion = abrir(url)
    try:
        tienda = Tienda(aplicacion, productos_de(0, False), punto="punto0")
        trazas = TrazasPg(aplicacion.engine)
        contador = ContadorSql(aplicacion.engine)
        # Enough stock for the whole sample, so that no top-up is counted.
        for _ in range((MUESTRA + 3) * CANTIDAD_LINEA // (REPONER_LOTES * LOTE) + 1):
            tienda.reponer(forzar=True)
        for _ in range(3):
            tienda.emitir()
        marca = trazas.marca()
        with contador.contando():
            for _ in range(MUESTRA):
                tienda.emitir()
        mensajes = trazas.mensajes(marca)
        trazas.cerrar()
        contador.quitar()
        return {
            "viajes_por_emision": redondear(
                max(mensajes["B ReadyForQuery"], mensajes["esperas"]) / MUESTRA
            ),
            "sentencias_por_emision": redondear(contador.conteo.sentencias / MUESTRA),
            "mensajes_por_emision": {
                k: redondear(v / MUESTRA) for k, v in sorted(mensajes.items())
            },
        }
    finally:
        aplicacion.cerrar()


class _Trabajadores:
    """len(PROCESOS) … max(PROCESOS) worker processes, started once."""

    def __init__(self, cuantos: int, url: str, db_es: str) -> None:
        contexto = multiprocessing.get_context("spawn")
        self.tubos = []
        self.procesos = []
        for i in range(cuantos):
            padre, hijo = contexto.Pipe()
            p = contexto.Process(target=principal, args=(hijo, i, url, db_es), daemon=True)
            p.start()
            self.tubos.append(padre)
            self.procesos.append(p)

    def _todos(self, orden: tuple[Any, ...], n: int) -> list[dict[str, Any]]:
        for tubo in self.tubos[:n]:
            tubo.send(orden)
        respuestas = [tubo.recv() for tubo in self.tubos[:n]]
        for r in respuestas:
            if "error" in r:
                raise RuntimeError(r["error"])
        return respuestas

    def preparar(self, motor: str, caliente: bool) -> None:
        self._todos(("preparar", motor, caliente), len(self.tubos))

    def ventana(self, motor: str, caliente: bool, n: int) -> dict[str, float]:
        inicio_en = time.time() + 0.05
        respuestas = self._todos(("ventana", motor, caliente, inicio_en, VENTANA), n)
        emitidas = sum(r["emitidas"] for r in respuestas)
        intentos = sum(r["intentos"] for r in respuestas)
        # Up to the end of the last emission (a window ends after one that started in it).
        duracion = max(r["ultima"] for r in respuestas) - inicio_en
        return {
            "facturas_por_s": emitidas / duracion,
            "reintentos": (intentos - emitidas) / intentos if intentos else 0.0,
            "fallidas": sum(r["fallidas"] for r in respuestas),
        }

    def cerrar(self) -> None:
        for tubo in self.tubos:
            tubo.send(None)
        for p in self.procesos:
            p.join(timeout=30)


def _escalas(r: Resultado) -> None:
    """The issue's scaling ratios, from this run's medians."""
    c = r.claves
    escalas = (
        ("ratio_postgres_2_vs_1_distintos", "2_distintos", "1_distintos", "2 ÷ 1 proc.", 1.6),
        ("ratio_postgres_8_vs_2_distintos", "8_distintos", "2_distintos", "8 ÷ 2 proc.", 1.0),
    )
    for clave, arriba, abajo, que, meta in escalas:
        valor = ratio(
            c.get(f"postgres_facturas_por_s_{arriba}"), c.get(f"postgres_facturas_por_s_{abajo}")
        )
        c[clave] = None if valor is None else redondear(valor)
        r.fila(
            f"prometeo, {que}, productos distintos",
            None,
            "",
            texto_ratio(valor, f"objetivo ≥ {meta}"),
            texto="",
        )
    valor = ratio(
        c.get("postgres_facturas_por_s_8_caliente"),
        c.get("eventsourcing_postgres_facturas_por_s_8_caliente"),
    )
    c["ratio_postgres_caliente_8_vs_eventsourcing"] = None if valor is None else redondear(valor)


def ejecutar() -> Resultado:
    inicio = time.perf_counter()
    r = Resultado("4. PostgreSQL")
    sufijo = f"{os.getpid()}"
    db, db_es = f"prometeo_bench_{sufijo}", f"prometeo_bench_es_{sufijo}"
    url = f"{PG_URL_BASE}/{db}"
    try:
        _admin(f'CREATE DATABASE "{db}"')
        _admin(f'CREATE DATABASE "{db_es}"')
    except Exception as error:
        r.fila("PostgreSQL", None, "", texto=f"no disponible: {error}")
        r.claves.update(postgres_facturas_por_s=None, eventsourcing_postgres_facturas_por_s=None)
        return r
    trabajadores = None
    try:
        aplicacion = abrir(url)
        productos = [
            "caliente",
            *(f"w{w}p{k}" for w in range(max(PROCESOS)) for k in range(LINEAS)),
        ]
        preparar_catalogo(aplicacion, productos, [f"punto{w}" for w in range(max(PROCESOS))])
        aplicacion.cerrar()
        r.detalle["viajes"] = viajes = _contar_viajes(url)
        from benchmarks.es_app import app_postgres

        app_postgres(db_es, crear_tablas=True).close()

        r.detalle["segundos_preparar"] = round(time.perf_counter() - inicio, 1)
        trabajadores = _Trabajadores(max(PROCESOS), url, db_es)
        for caliente in (False, True):
            modo = "producto caliente" if caliente else "productos distintos"
            t0 = time.perf_counter()
            trabajadores.preparar("prometeo", caliente)
            trabajadores.preparar("es", caliente)
            r.detalle[f"segundos_arrancar_{modo}"] = round(time.perf_counter() - t0, 1)
            for n in PROCESOS_CALIENTE if caliente else PROCESOS:
                p_vals, e_vals, p_re, e_re, p_esp = [], [], [], [], []
                for _ in range(REPETICIONES):  # interleaved: prometeo, library, prometeo…
                    with _Esperas(db) as esperas:
                        vp = trabajadores.ventana("prometeo", caliente, n)
                    ve = trabajadores.ventana("es", caliente, n)
                    p_vals.append(vp["facturas_por_s"])
                    e_vals.append(ve["facturas_por_s"])
                    p_re.append(vp["reintentos"])
                    e_re.append(ve["reintentos"])
                    p_esp.append(esperas.parte)
                mp, me = Medida(p_vals), Medida(e_vals)
                rp, re_, esp = Medida(p_re), Medida(e_re), Medida(p_esp)
                r.fila(
                    f"prometeo, {n} proc., {modo}",
                    mp,
                    "fact/s",
                    texto_ratio(ratio(mp.mediana, me.mediana), "÷ eventsourcing")
                    + f"; reintentos {rp.mediana:.0%}; esperando candado {esp.mediana:.0%}",
                )
                r.fila(
                    f"eventsourcing, {n} proc., {modo}",
                    me,
                    "fact/s",
                    f"reintentos {re_.mediana:.0%}",
                )
                clave = f"{n}_{'caliente' if caliente else 'distintos'}"
                r.claves[f"postgres_facturas_por_s_{clave}"] = redondear(mp.mediana)
                r.claves[f"eventsourcing_postgres_facturas_por_s_{clave}"] = redondear(me.mediana)
                r.claves[f"postgres_reintentos_{clave}"] = redondear(rp.mediana)
                r.claves[f"eventsourcing_postgres_reintentos_{clave}"] = redondear(re_.mediana)
                r.claves[f"postgres_espera_candado_{clave}"] = redondear(esp.mediana)
        # Headline: one process, distinct products (latency-bound, no contention).
        r.claves["postgres_facturas_por_s"] = r.claves["postgres_facturas_por_s_1_distintos"]
        r.claves["eventsourcing_postgres_facturas_por_s"] = r.claves[
            "eventsourcing_postgres_facturas_por_s_1_distintos"
        ]
        r.claves["ratio_postgres_vs_eventsourcing"] = redondear(
            ratio(
                r.claves["postgres_facturas_por_s"],
                r.claves["eventsourcing_postgres_facturas_por_s"],
            )
            or 0
        )
        _escalas(r)
        r.claves["postgres_viajes_por_emision"] = viajes["viajes_por_emision"]
        r.claves["postgres_sentencias_por_emision"] = viajes["sentencias_por_emision"]
        r.fila(
            "viajes de ida y vuelta por emisión (prometeo)",
            None,
            "",
            "objetivo ≤ 4",
            texto=str(viajes["viajes_por_emision"]),
        )
    finally:
        if trabajadores is not None:
            trabajadores.cerrar()
        for nombre in (db, db_es):
            # A database left behind would be named after this run's pid.
            with contextlib.suppress(Exception):
                _admin(f'DROP DATABASE IF EXISTS "{nombre}" WITH (FORCE)')
    r.segundos = time.perf_counter() - inicio
    return r
