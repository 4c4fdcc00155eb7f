"""The physical limit: plain sqlite3 transactions that write exactly the rows one prometeo
emission writes, table by table, and nothing else.

`capturar` runs real emissions and takes, for each, the rows it added to every table
(rowid above the previous maximum) and how many more rows it changed in place (the
statements' rowcount minus the rows added: upserts, counters, checkpoints). `Limite` then
replays those rows into a copy of the same database (same schema, indexes and data) with
their unique columns made unique again (integers shifted, text suffixed: sizes stay
within a few bytes), one BEGIN IMMEDIATE … COMMIT per emission: one executemany INSERT
per table and one executemany UPDATE per table that was changed in place."""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.contador_sql import ContadorSql

_DESPLAZAMIENTO = 10**12


@dataclass
class Emision:
    """The footprint of one emission."""

    insertadas: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    actualizadas: Counter[str] = field(default_factory=Counter)


def _tablas(conexion: sqlite3.Connection) -> list[str]:
    filas = conexion.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
    )
    return [f[0] for f in filas]


def _max_rowid(conexion: sqlite3.Connection, tablas: list[str]) -> dict[str, int]:
    return {
        t: conexion.execute(f'SELECT COALESCE(MAX(rowid), 0) FROM "{t}"').fetchone()[0]
        for t in tablas
    }


def capturar(
    ruta: Path,
    contador: ContadorSql | None,
    emitir: Callable[[], None],
    veces: int,
    preparar: Callable[[], None] = lambda: None,
) -> list[Emision]:
    """Run `emitir` `veces` times (`preparar` before each, not counted: topping up
    stock); return each emission's footprint. Without a `contador` (a writer that is not
    prometeo's engine) only the rows added are seen: the caller checks that it changes
    none in place."""
    lector = sqlite3.connect(ruta)
    try:
        tablas = _tablas(lector)
        huellas = []
        for _ in range(veces):
            preparar()
            antes = _max_rowid(lector, tablas)
            if contador is None:
                emitir()
                escritas: Counter[str] = Counter()
            else:
                contador.conteo.filas_escritas.clear()
                with contador.contando():
                    emitir()
                escritas = Counter(contador.conteo.filas_escritas)
            huella = Emision()
            for t in tablas:
                filas = lector.execute(
                    f'SELECT * FROM "{t}" WHERE rowid > ?', (antes[t],)
                ).fetchall()
                if filas:
                    huella.insertadas[t] = filas
                resto = escritas.get(t, 0) - len(filas)
                if resto > 0:
                    huella.actualizadas[t] = resto
            huellas.append(huella)
        return huellas
    finally:
        lector.close()


def _columnas_unicas(conexion: sqlite3.Connection, tabla: str) -> tuple[list[str], set[int]]:
    info = conexion.execute(f'PRAGMA table_info("{tabla}")').fetchall()
    nombres = [c[1] for c in info]
    unicas = {c[1] for c in info if c[5] > 0}
    for indice in conexion.execute(f'PRAGMA index_list("{tabla}")').fetchall():
        if indice[2]:  # unique
            for col in conexion.execute(f'PRAGMA index_info("{indice[1]}")').fetchall():
                unicas.add(col[2])
    return nombres, {i for i, n in enumerate(nombres) if n in unicas}


class Limite:
    """A copy of prometeo's database to write the same rows into with plain sqlite3."""

    def __init__(
        self, origen: Path, destino: Path, sincronizacion: str, huellas: list[Emision]
    ) -> None:
        con = sqlite3.connect(origen)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        shutil.copyfile(origen, destino)
        self.conexion = sqlite3.connect(destino, isolation_level=None, timeout=30)
        for pragma in ("journal_mode=WAL", f"synchronous={sincronizacion}", "foreign_keys=ON"):
            self.conexion.execute(f"PRAGMA {pragma}")
        self.huellas = huellas
        self.ronda = 0
        self._sql: dict[str, tuple[str, set[int]]] = {}
        self._actualizar: dict[str, tuple[str, list[int]]] = {}
        tablas = {t for h in huellas for t in (*h.insertadas, *h.actualizadas)}
        for t in tablas:
            nombres, unicas = _columnas_unicas(self.conexion, t)
            marcas = ",".join("?" * len(nombres))
            self._sql[t] = (f'INSERT INTO "{t}" VALUES ({marcas})', unicas)
            libres = [n for i, n in enumerate(nombres) if i not in unicas] or nombres
            rowids = [f[0] for f in self.conexion.execute(f'SELECT rowid FROM "{t}" LIMIT 64')]
            self._actualizar[t] = (
                f'UPDATE "{t}" SET "{libres[-1]}" = "{libres[-1]}" WHERE rowid = ?',
                rowids,
            )

    def _unica(self, fila: tuple[Any, ...], unicas: set[int]) -> tuple[Any, ...]:
        k = self.ronda
        return tuple(
            (
                v + k * _DESPLAZAMIENTO
                if isinstance(v, int)
                else f"{v}#{k}"
                if isinstance(v, str)
                else v
            )
            if i in unicas and v is not None
            else v
            for i, v in enumerate(fila)
        )

    def transaccion(self) -> None:
        """One emission's rows, in one transaction."""
        self.ronda += 1
        huella = self.huellas[self.ronda % len(self.huellas)]
        c = self.conexion
        c.execute("BEGIN IMMEDIATE")
        for tabla, filas in huella.insertadas.items():
            sql, unicas = self._sql[tabla]
            c.executemany(sql, [self._unica(f, unicas) for f in filas])
        for tabla, cuantas in huella.actualizadas.items():
            sql, rowids = self._actualizar[tabla]
            if rowids:
                c.executemany(sql, [(rowids[i % len(rowids)],) for i in range(cuantas)])
        c.execute("COMMIT")

    def cerrar(self) -> None:
        self.conexion.close()


def resumen(huellas: list[Emision]) -> dict[str, Any]:
    """Rows per emission, per table (added, changed in place), and bytes added."""
    n = len(huellas)
    insertadas: Counter[str] = Counter()
    actualizadas: Counter[str] = Counter()
    octetos = 0
    for h in huellas:
        for t, filas in h.insertadas.items():
            insertadas[t] += len(filas)
            octetos += sum(len(str(v).encode()) for f in filas for v in f if v is not None)
        actualizadas.update(h.actualizadas)
    return {
        "filas_insertadas_por_emision": {t: round(v / n, 2) for t, v in sorted(insertadas.items())},
        "filas_actualizadas_por_emision": {
            t: round(v / n, 2) for t, v in sorted(actualizadas.items())
        },
        "total_filas_insertadas": round(sum(insertadas.values()) / n, 2),
        "total_filas_actualizadas": round(sum(actualizadas.values()) / n, 2),
        "octetos_insertados": round(octetos / n),
    }
