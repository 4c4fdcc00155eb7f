"""Part 3 — rebuilding every read model from the event log (events/s, the projections'
writes included), beside the eventsourcing library's bare notification-log read + decode
of as many events, and prometeo's own bare read + decode (AlmacenEventosSql + CodecEventos).

The history is made of facturas of 5 lines over 50 products with the lots they need
(historia.py); the library's is made of the same invoice shape (TiendaES). Each
repetition is one full `reconstruir` (empty the tables, replay from position 0)."""

from __future__ import annotations

import time
from typing import Any

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
from benchmarks.escenario import abrir, nombres_productos, preparar_catalogo, sin_proyecciones
from benchmarks.historia import construir_historia

EVENTOS = tam(10_000, 100_000)
PRODUCTOS = 50


def _lectura_prometeo(aplicacion: Any) -> float:
    from prometeo.infrastructure.db.almacen_eventos import almacen_eventos

    decodificar = aplicacion.codec_eventos.decodificar
    inicio = time.perf_counter()
    n = 0
    with aplicacion.engine.connect() as conexion:
        for e in almacen_eventos(conexion).recorrer(0, 2000):
            decodificar(e.tipo, e.version_esquema, e.datos)
            n += 1
    return n / (time.perf_counter() - inicio)


def _lectura_es(app: Any, total: int) -> float:
    a_evento = app.mapper.to_domain_event
    inicio = time.perf_counter()
    n = 0
    siguiente = 1
    while n < total:
        seccion = app.notification_log.select(siguiente, min(2000, total - n))
        if not seccion:
            break
        for notificacion in seccion:
            a_evento(notificacion)
        n += len(seccion)
        siguiente = seccion[-1].id + 1
    return n / (time.perf_counter() - inicio)


def ejecutar() -> Resultado:
    inicio = time.perf_counter()
    r = Resultado("3. Reconstrucción de proyecciones")
    try:
        from prometeo.infrastructure.proyecciones import reconstruir
    except ImportError:  # the projections are not there yet: measure what can be
        reconstruir = None
    with directorio_temporal("rebuild") as dir_:
        aplicacion = abrir(f"sqlite:///{dir_ / 'historia.db'}", sincronizacion="NORMAL")
        sin_proyecciones(aplicacion)
        productos = nombres_productos(PRODUCTOS)
        preparar_catalogo(aplicacion, productos)
        total = construir_historia(aplicacion, productos, EVENTOS)

        app_es = app_sqlite(str(dir_ / "es.db"), "NORMAL")
        tienda_es = TiendaES(app_es, productos)
        i = 0
        while (app_es.recorder.max_notification_id() or 0) < total:
            elegidos = [productos[(i * 7 + k * 11) % PRODUCTOS] for k in range(5)]
            tienda_es.reponer(elegidos)
            tienda_es.emitir(elegidos)
            i += 1
        total_es = app_es.recorder.max_notification_id()

        rebuild, lectura, lectura_es = [], [], []
        for _ in range(REPETICIONES):
            if reconstruir is not None:
                t0 = time.perf_counter()
                n = reconstruir(aplicacion.engine, codec=aplicacion.codec_eventos)
                rebuild.append(n / (time.perf_counter() - t0))
            lectura.append(_lectura_prometeo(aplicacion))
            lectura_es.append(_lectura_es(app_es, total))  # the same number of events
        app_es.close()
        aplicacion.cerrar()

    m_lectura, m_es = Medida(lectura), Medida(lectura_es)
    r.detalle.update({"eventos": total, "eventos_eventsourcing": total_es})
    if rebuild:
        m_rebuild = Medida(rebuild)
        r.fila(
            f"reconstruir todas las proyecciones ({total:,} eventos)",
            m_rebuild,
            "eventos/s",
            texto_ratio(
                ratio(m_rebuild.mediana, m_es.mediana), "÷ lectura eventsourcing, objetivo ≥ 1.5"
            ),
        )
        r.claves["rebuild_eventos_por_s"] = redondear(m_rebuild.mediana)
        r.claves["ratio_rebuild_vs_eventsourcing"] = redondear(
            ratio(m_rebuild.mediana, m_es.mediana) or 0
        )
    else:
        r.fila("reconstruir todas las proyecciones", None, "", texto="pendiente (sin reconstruir)")
        r.claves["rebuild_eventos_por_s"] = None
    r.fila("prometeo: leer + decodificar el log", m_lectura, "eventos/s")
    r.fila(f"eventsourcing: notification_log.select + decode ({total_es:,})", m_es, "eventos/s")
    r.claves["prometeo_lectura_eventos_por_s"] = redondear(m_lectura.mediana)
    r.claves["eventsourcing_lectura_eventos_por_s"] = redondear(m_es.mediana)
    r.segundos = time.perf_counter() - inicio
    return r
