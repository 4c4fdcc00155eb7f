"""Counting what prometeo sends to the database: statements (a SQLAlchemy
before/after_cursor_execute listener), rows written per table (their rowcount), rows
added per table (COUNT(*) before and after), and, on PostgreSQL, client/server round
trips (libpq's protocol trace: one ReadyForQuery per round trip outside pipeline mode, and
every turn from sending to receiving inside it)."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event, inspect, text

_TABLA = re.compile(
    r"^\s*(?:(INSERT)\s+(?:OR\s+\w+\s+)?INTO|(UPDATE)|(DELETE)\s+FROM|(SELECT)\b.*?\bFROM)"
    r"\s+\"?(\w+)",
    re.IGNORECASE | re.DOTALL,
)


def clasificar(sentencia: str) -> tuple[str, str]:
    """(kind, table) of a SQL statement: ("INSERT", "eventos"), ("BEGIN", "")..."""
    m = _TABLA.match(sentencia)
    if m is None:
        return sentencia.split(None, 1)[0].upper() if sentencia.strip() else "?", ""
    tipo = next(g for g in m.groups()[:4] if g).upper()
    return tipo, m.group(5)


@dataclass
class Conteo:
    """What the listener saw while it was on."""

    sentencias: int = 0
    por_tipo: Counter[str] = field(default_factory=Counter)
    filas_escritas: Counter[str] = field(default_factory=Counter)  # per table
    ejemplos: dict[str, str] = field(default_factory=dict)


class ContadorSql:
    """Attach once to an engine; count only inside `with contador.contando():`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.activo = False
        self.conteo = Conteo()
        event.listen(engine, "before_cursor_execute", self._antes)
        event.listen(engine, "after_cursor_execute", self._despues)

    def _antes(self, _c: Any, _cur: Any, sentencia: str, _p: Any, _ctx: Any, _many: bool) -> None:
        if not self.activo:
            return
        tipo, tabla = clasificar(sentencia)
        clave = f"{tipo} {tabla}".strip()
        self.conteo.sentencias += 1
        self.conteo.por_tipo[clave] += 1
        self.conteo.ejemplos.setdefault(clave, " ".join(sentencia.split())[:160])

    def _despues(self, _c: Any, cursor: Any, sentencia: str, _p: Any, _ctx: Any, _m: bool) -> None:
        if not self.activo:
            return
        tipo, tabla = clasificar(sentencia)
        if tipo in ("INSERT", "UPDATE", "DELETE") and cursor.rowcount and cursor.rowcount > 0:
            self.conteo.filas_escritas[tabla] += cursor.rowcount

    @contextmanager
    def contando(self) -> Iterator[Conteo]:
        self.activo = True
        try:
            yield self.conteo
        finally:
            self.activo = False

    def quitar(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._antes)
        event.remove(self.engine, "after_cursor_execute", self._despues)


def filas_por_tabla(engine: Engine) -> dict[str, int]:
    """COUNT(*) of every table in the database."""
    tablas = inspect(engine).get_table_names()
    with engine.connect() as conexion:
        return {
            t: int(conexion.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar_one())
            for t in tablas
        }


def diferencia(antes: dict[str, int], despues: dict[str, int]) -> dict[str, int]:
    return {
        t: despues.get(t, 0) - antes.get(t, 0) for t in despues if despues[t] != antes.get(t, 0)
    }


class TrazasPg:
    """Round trips between prometeo and PostgreSQL, from libpq's protocol trace of every
    pooled psycopg connection (attached on first checkout, kept while the connection
    lives, so the pool's pre-ping is seen too). Outside pipeline mode, every exchange
    ends with one ReadyForQuery from the server: their count is the round trips."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._trazas: dict[int, tuple[Any, Any]] = {}
        event.listen(engine.pool, "checkout", self._al_sacar)

    def _al_sacar(self, dbapi_conexion: Any, _registro: Any, _proxy: Any) -> None:
        if id(dbapi_conexion) in self._trazas:
            return
        # Kept open for the connection's life (closed in cerrar).
        archivo = tempfile.NamedTemporaryFile(  # noqa: SIM115
            prefix="libpq-", suffix=".trace", delete=False
        )
        dbapi_conexion.pgconn.trace(archivo.fileno())
        self._trazas[id(dbapi_conexion)] = (dbapi_conexion, archivo)

    def marca(self) -> dict[int, int]:
        """Where each trace is now (bytes written)."""
        return {k: os.fstat(a.fileno()).st_size for k, (_, a) in self._trazas.items()}

    def mensajes(self, desde: dict[int, int]) -> Counter[str]:
        """Protocol messages since `desde`, by direction and type ("B ReadyForQuery"),
        and under "esperas" the times the client turned from sending to receiving: in
        pipeline mode one Sync may close several exchanges, and a Flush request opens one
        without a ReadyForQuery, so the round trips are the larger of the two counts."""
        cuenta: Counter[str] = Counter()
        for k, (_, archivo) in self._trazas.items():
            with open(archivo.name, "rb") as f:
                f.seek(desde.get(k, 0))
                texto = f.read().decode("utf-8", "replace")
            anterior = ""
            for linea in texto.splitlines():
                partes = linea.split("\t")
                if len(partes) >= 4 and partes[1] in ("F", "B"):
                    cuenta[f"{partes[1]} {partes[3].strip()}"] += 1
                    if partes[1] == "B" and anterior == "F":
                        cuenta["esperas"] += 1
                    anterior = partes[1]
        return cuenta

    def cerrar(self) -> None:
        event.remove(self.engine.pool, "checkout", self._al_sacar)
        for conexion, archivo in self._trazas.values():
            with contextlib.suppress(Exception):  # the connection may be closed already
                conexion.pgconn.untrace()
            archivo.close()
            os.unlink(archivo.name)
        self._trazas.clear()
