"""Part 1 — emission on SQLite (WAL; synchronous FULL, the default, and NORMAL):
prometeo through the application layer, the physical limit of the same rows, and the
eventsourcing library saving the same invoice shape.

Each repetition times N emissions of each of the three, interleaved (prometeo, limit,
library) so that a noisy neighbour hurts all three alike; only the emissions are timed,
not the stock top-ups between them. facturas/s = N / time spent emitting."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.comun import (
    REPETICIONES,
    Cronometro,
    Medida,
    Resultado,
    directorio_temporal,
    ratio,
    redondear,
    tam,
    texto_ratio,
)
from benchmarks.contador_sql import ContadorSql
from benchmarks.es_app import TiendaES, app_sqlite, pragma_sqlite
from benchmarks.escenario import Tienda, nombres_productos, tienda_nueva
from benchmarks.limite_sqlite import Limite, capturar, resumen

N = tam(40, 250)  # emissions per repetition
CALENTAR = tam(20, 50)
MUESTRA = tam(10, 30)  # emissions whose rows and statements are counted


def _tanda(emitir: Callable[[], None], reponer: Callable[[], Any], n: int) -> float:
    """facturas/s over n emissions, timing the emissions only."""
    reloj = Cronometro()
    for _ in range(n):
        reponer()
        with reloj:
            emitir()
    return n / reloj.total


def _tanda_con_reportes(tienda: Tienda, n: int) -> tuple[float, float]:
    """facturas/s over n emissions as `_tanda`, and counting too the catch-up of the
    reports' read models that those emissions leave for later (kept out of the
    emission's transaction: proyecciones/diferidas.py), run once after the n."""
    por_s = _tanda(tienda.emitir, tienda.reponer, n)
    diferidas = getattr(tienda.aplicacion, "diferidas", None)
    if diferidas is None:  # code that still writes them in the emission
        return por_s, por_s
    with Cronometro() as reloj:
        diferidas.al_dia()
    return por_s, n / (n / por_s + reloj.total)


class _TrazaSqlite:
    """Statements the library sends, counted with sqlite3's trace callback (and by kind:
    its physical limit assumes it only inserts)."""

    def __init__(self) -> None:
        self.activo = False
        self.sentencias = 0
        self.por_tipo: Counter[str] = Counter()

    def __call__(self, sentencia: str) -> None:
        if self.activo:
            self.sentencias += 1
            self.por_tipo[sentencia.split(None, 1)[0].upper()] += 1


def _medir(sincronizacion: str, dir_: Path) -> tuple[dict[str, Medida], dict[str, Any]]:
    url = f"sqlite:///{dir_ / 'prometeo.db'}"
    tienda: Tienda = tienda_nueva(url, sincronizacion=sincronizacion)
    for _ in range(CALENTAR):
        tienda.reponer()
        tienda.emitir()

    contador = ContadorSql(tienda.aplicacion.engine)
    contador.conteo.sentencias = 0
    huellas = capturar(dir_ / "prometeo.db", contador, tienda.emitir, MUESTRA, tienda.reponer)
    detalle: dict[str, Any] = {
        # + 1: the COMMIT, which the driver sends without a cursor.
        "sentencias_por_emision": redondear(contador.conteo.sentencias / MUESTRA + 1),
        "sentencias_por_tipo": {
            k: redondear(v / MUESTRA) for k, v in sorted(contador.conteo.por_tipo.items())
        },
        "proyecciones": getattr(tienda.aplicacion, "estado_proyecciones", "?"),
        **resumen(huellas),
    }
    contador.quitar()
    limite = Limite(dir_ / "prometeo.db", dir_ / "limite.db", sincronizacion, huellas)

    traza = _TrazaSqlite()
    app = app_sqlite(str(dir_ / "es.db"), sincronizacion, traza)
    es = TiendaES(app, nombres_productos(5))
    es.reponer(forzar=True)
    for _ in range(CALENTAR):
        es.reponer()
        es.emitir()
    detalle["eventsourcing_pragmas"] = {
        "journal_mode": pragma_sqlite(app, "journal_mode"),
        "synchronous": {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[
            pragma_sqlite(app, "synchronous")
        ],
    }

    # Statements per library save, counted apart from its top-ups.
    traza.sentencias = 0
    for _ in range(MUESTRA):
        es.reponer()
        traza.activo = True
        es.emitir()
        traza.activo = False
    detalle["eventsourcing_sentencias_por_emision"] = redondear(traza.sentencias / MUESTRA)
    detalle["eventsourcing_sentencias_por_tipo"] = {
        k: redondear(v / MUESTRA) for k, v in sorted(traza.por_tipo.items())
    }
    # The library's own physical limit, for calibration: its rows written the same way.
    assert not traza.por_tipo.keys() - {"BEGIN", "INSERT", "COMMIT"}, traza.por_tipo
    huellas_es = capturar(dir_ / "es.db", None, es.emitir, MUESTRA, es.reponer)
    detalle["eventsourcing_filas"] = resumen(huellas_es)
    limite_es = Limite(dir_ / "es.db", dir_ / "limite_es.db", sincronizacion, huellas_es)

    diferidas = getattr(tienda.aplicacion, "diferidas", None)
    if diferidas is not None:  # the warm-up's and the sample's reports, not timed
        diferidas.al_dia()
    prometeo, con_reportes, lim, lib, lim_es = [], [], [], [], []
    for _ in range(REPETICIONES):
        por_s, con = _tanda_con_reportes(tienda, N)
        prometeo.append(por_s)
        con_reportes.append(con)
        lim.append(_tanda(limite.transaccion, lambda: None, N))
        lib.append(_tanda(es.emitir, es.reponer, N))
        lim_es.append(_tanda(limite_es.transaccion, lambda: None, N))
    limite.cerrar()
    limite_es.cerrar()
    app.close()
    tienda.aplicacion.cerrar()
    medidas = {
        "prometeo": Medida(prometeo),
        "con_reportes": Medida(con_reportes),
        "limite": Medida(lim),
        "es": Medida(lib),
    }
    return {**medidas, "limite_es": Medida(lim_es)}, detalle


def _fila_con_ratio(
    r: Resultado,
    titulo: str,
    medida: Medida,
    respecto: Medida,
    nota: str,
    clave: str,
    clave_ratio: str,
    *,
    invertido: bool = False,
) -> None:
    """A row of facturas/s with its ratio to `respecto` (`respecto` ÷ it when
    `invertido`), and both as keys."""
    cociente = (
        ratio(respecto.mediana, medida.mediana)
        if invertido
        else ratio(medida.mediana, respecto.mediana)
    )
    r.fila(titulo, medida, "fact/s", texto_ratio(cociente, nota))
    r.claves[clave] = redondear(medida.mediana)
    r.claves[clave_ratio] = redondear(cociente or 0)


def ejecutar() -> Resultado:
    inicio = time.perf_counter()
    r = Resultado("1. Emisión SQLite")
    for sincronizacion, sufijo in (("FULL", ""), ("NORMAL", "_normal")):
        with directorio_temporal(f"emision-{sincronizacion.lower()}") as dir_:
            m, detalle = _medir(sincronizacion, dir_)
        p, lim, es = m["prometeo"], m["limite"], m["es"]
        r_es, r_lim = ratio(p.mediana, es.mediana), ratio(p.mediana, lim.mediana)
        etiqueta = f"synchronous={sincronizacion}"
        r.fila(f"prometeo facturas/s ({etiqueta})", p, "fact/s")
        _fila_con_ratio(
            r,
            f"prometeo + puesta al día de los reportes ({etiqueta})",
            m["con_reportes"],
            es,
            "prometeo/eventsourcing, con los reportes",
            f"emision_con_reportes_facturas_por_s{sufijo}",
            f"ratio_con_reportes_vs_eventsourcing{sufijo}",
        )
        r.fila(
            f"límite sqlite3 mismas filas ({etiqueta})",
            lim,
            "fact/s",
            texto_ratio(r_lim, "prometeo/límite, objetivo ≥ 0.5"),
        )
        r.fila(
            f"eventsourcing save() ({etiqueta})",
            es,
            "fact/s",
            texto_ratio(r_es, "prometeo/eventsourcing, objetivo ≥ 3.0"),
        )
        # The most any implementation writing these rows one factura per transaction can
        # reach against the library: the raw sqlite3 transaction's own ratio.
        techo = ratio(lim.mediana, es.mediana)
        r.fila(
            f"techo: límite ÷ eventsourcing ({etiqueta})",
            None,
            "",
            "una transacción por factura no puede superar este ratio",
            texto=f"{techo or 0:.2f}×",
        )
        r.claves[f"techo_vs_eventsourcing{sufijo}"] = redondear(techo or 0)
        # Calibration of the ÷ limit target: how near its own limit the library gets.
        _fila_con_ratio(
            r,
            f"límite sqlite3 filas de eventsourcing ({etiqueta})",
            m["limite_es"],
            es,
            "eventsourcing/su límite",
            f"limite_eventsourcing_facturas_por_s{sufijo}",
            f"ratio_eventsourcing_vs_su_limite{sufijo}",
            invertido=True,
        )
        r.claves[f"emision_facturas_por_s{sufijo}"] = redondear(p.mediana)
        r.claves[f"limite_sqlite_facturas_por_s{sufijo}"] = redondear(lim.mediana)
        r.claves[f"eventsourcing_facturas_por_s{sufijo}"] = redondear(es.mediana)
        r.claves[f"ratio_vs_eventsourcing{sufijo}"] = redondear(r_es or 0)
        r.claves[f"ratio_vs_limite{sufijo}"] = redondear(r_lim or 0)
        if not sufijo:
            r.claves["sentencias_por_emision"] = detalle["sentencias_por_emision"]
            r.claves["eventos_por_emision"] = detalle["filas_insertadas_por_emision"].get(
                "eventos", 0
            )
            r.claves["eventsourcing_sentencias_por_emision"] = detalle[
                "eventsourcing_sentencias_por_emision"
            ]
        r.detalle[sincronizacion] = detalle
    d = r.detalle["FULL"]
    r.fila(
        "sentencias SQL por emisión (prometeo)",
        None,
        "",
        "objetivo ≤ ~6",
        texto=f"{d['sentencias_por_emision']}",
    )
    r.fila(
        "sentencias SQL por save() (eventsourcing)",
        None,
        "",
        texto=f"{d['eventsourcing_sentencias_por_emision']}",
    )
    r.fila(
        "filas escritas por emisión (insert + update)",
        None,
        "",
        texto=f"{d['total_filas_insertadas']} + {d['total_filas_actualizadas']}",
    )
    r.segundos = time.perf_counter() - inicio
    return r
