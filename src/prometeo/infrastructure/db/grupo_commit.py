"""Group commit on SQLite: the commands that arrive together are committed together.

Every command of a process still runs alone, in arrival order (a ColaDeTurnos), on the
domain's aggregates as the commands before it left them. What changes is the
transaction: the thread whose turn it is joins the batch's open transaction in a
SAVEPOINT of its own instead of opening one (the first command of a batch runs in the
transaction itself: nobody's changes are there to keep if it fails). When its command
is done it RELEASEs the savepoint and hands the open transaction to the next waiting
thread; the last one, when nobody is waiting (or the batch is full), COMMITs, and only
then is every member answered. One fsync serves the whole batch.

What each invariant rests on:
- A command that breaks a rule or conflicts is rolled back to its own savepoint (or,
  before any member was released, with the whole transaction, begun again at once) and
  answered alone; the batch goes on. The commands after it see the database as if it had
  never run (the position counter and the numbering are rolled back with it, so numbers
  stay gapless).
- Every command of the batch reads the effects of the earlier ones (one transaction), so
  stock and numbering are checked against them: no oversell, no repeated number.
- A member is answered after the COMMIT that holds its events returned (its events are
  then durable); if that COMMIT fails, every member of the batch gets the error and
  nothing of the batch is stored.
- Positions are assigned under SQLite's write lock, held from the batch's BEGIN
  IMMEDIATE to its COMMIT: the batch's events commit at once, in position order, after
  every earlier batch's.
- The caches keep only committed state: aggregates a member leaves behind stay with the
  batch (the next member takes them from there) and reach the process's cache after the
  COMMIT; catalog rows read inside the batch reach the catalog cache after the COMMIT; a
  member rolled back leaves nothing in either."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, RootTransaction

from prometeo.domain.aggregates.base import Agregado
from prometeo.infrastructure.db.cache_agregados import CacheAgregados
from prometeo.infrastructure.db.catalogo import CacheCatalogo
from prometeo.infrastructure.db.turnos import ESPERA_MAXIMA, ColaDeTurnos, TurnoEscritura
from prometeo.infrastructure.sql.ejecucion import ejecutar_sql

# The most commands one transaction takes: bounds how long the first of them waits.
MAXIMO_POR_LOTE = 32
_SAVEPOINT = "SAVEPOINT miembro_del_lote"
_RELEASE = "RELEASE miembro_del_lote"
_ROLLBACK_TO = "ROLLBACK TO miembro_del_lote"
_SIN_PARAMETROS = ((),)
# A savepoint keeps the pages it changes in a sub-journal, by default a temporary file
# created and deleted by every command of a batch; in memory on the batch's connection
# only (its reads' sorts and temporary tables go back to the default afterwards).
_SUBDIARIO_EN_MEMORIA = "PRAGMA temp_store=MEMORY"
_SUBDIARIO_POR_DEFECTO = "PRAGMA temp_store=DEFAULT"

ClaveCatalogo = tuple[str, str]


class LoteNoConfirmado(RuntimeError):
    """The transaction that held this command's changes failed to commit (together with
    the commands that shared it): nothing of it was stored."""


@dataclass(eq=False)
class Lote:
    """One open transaction and what its released members left in it."""

    conexion: Connection
    transaccion: RootTransaction
    # The latest state of every aggregate a released member handed out, by stream id.
    agregados: dict[str, Agregado] = field(default_factory=dict)
    # Catalog rows released members read, with the catalog generation they read.
    catalogo: dict[ClaveCatalogo, tuple[int, object]] = field(default_factory=dict)
    miembros: int = 0  # commands that joined, committed or not
    confirmados: int = 0  # commands whose savepoint was released
    escribio: bool = False  # a released member stored events
    # Set when the batch has ended; `error` then says whether its COMMIT failed.
    hecho: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


class GrupoCommit:
    """The batches of one process's writers on one SQLite database."""

    def __init__(
        self,
        engine: Engine,
        *,
        turnos: TurnoEscritura | None = None,
        cache: CacheAgregados | None = None,
        cache_catalogo: CacheCatalogo | None = None,
        maximo: int = MAXIMO_POR_LOTE,
        espera_maxima: float = ESPERA_MAXIMA,
        al_confirmar: Callable[[int], None] | None = None,
    ) -> None:
        self.engine = engine
        # Told how many commands each committed batch held (the metrics).
        self.al_confirmar = al_confirmar
        self.turnos = turnos
        self.cache = cache
        self.cache_catalogo = cache_catalogo
        self.maximo = maximo
        self.espera_maxima = espera_maxima
        self._cola = ColaDeTurnos()
        # Touched only by the thread holding the turn.
        self._lote: Lote | None = None
        # What happened so far: batches committed, commands committed in them, commands
        # rolled back to their savepoint.
        self.lotes_confirmados = 0
        self.miembros_confirmados = 0
        self.miembros_deshechos = 0

    def esperando(self) -> int:
        """How many threads wait to join a batch now."""
        return self._cola.esperando()

    def entrar(self) -> Miembro:
        """Wait for this thread's turn (BaseDeDatosOcupada past `espera_maxima`) and join
        the open batch, or open one: the command runs in a savepoint of its own."""
        self._cola.tomar(self.espera_maxima)
        lote = self._lote
        con_savepoint = False
        try:
            if lote is None:
                lote = self._lote = self._abrir()
            lote.miembros += 1
            # Until a member is released the transaction holds nobody's changes: the
            # command runs in it directly, and if it fails the transaction is rolled back
            # whole and begun again. A savepoint makes SQLite journal every page the
            # command touches; a batch of one (one writer alone) never needs it.
            con_savepoint = lote.confirmados > 0
            if con_savepoint:
                ejecutar_sql(lote.conexion, _SAVEPOINT, _SIN_PARAMETROS)
        except BaseException:
            if lote is None:
                self._cola.pasar()
            else:
                if not _en_transaccion(lote.conexion):
                    lote.error = LoteNoConfirmado("SQLite deshizo la transacción del lote")
                self._salir(lote)
            raise
        return Miembro(self, lote, con_savepoint=con_savepoint)

    @contextlib.contextmanager
    def transaccion(self) -> Iterator[Connection]:
        """A short write that is not a command (an idempotency key claimed or closed), as
        one more member of a batch: it waits for its turn instead of for SQLite's lock,
        shares the batch's fsync, and returns once that COMMIT has."""
        miembro = self.entrar()
        try:
            yield miembro.conexion
        except BaseException:
            miembro.deshacer()
            raise
        miembro.confirmar([], escribio=False)

    def _abrir(self) -> Lote:
        if self.turnos is not None and self.turnos.tomar() and self.cache is not None:
            # Another process committed since this one's last turn: cached aggregates may
            # be stale (see UnidadDeTrabajoSql).
            self.cache.vaciar()
        try:
            conexion = self.engine.connect()
            try:
                ejecutar_sql(conexion, _SUBDIARIO_EN_MEMORIA, _SIN_PARAMETROS)
                return Lote(conexion, conexion.begin())
            except BaseException:
                conexion.close()
                raise
        except BaseException:
            if self.turnos is not None:
                self.turnos.soltar()
            raise

    def _salir(self, lote: Lote) -> None:
        """The turn's holder is done with the batch: hand the open transaction to the next
        waiting thread, or end the batch when nobody waits, it is full or it failed."""
        if lote.error is None and lote.miembros < self.maximo and self._cola.ceder():
            return
        # Still this thread's turn: nobody else touches the batch.
        self._lote = None
        try:
            self._terminar(lote)
        finally:
            self._cola.pasar()

    def _terminar(self, lote: Lote) -> None:
        """COMMIT the batch (ROLLBACK when no member was released or it failed), then
        answer every member; only then may the caches take its state."""
        confirmar = lote.error is None and lote.confirmados > 0
        try:
            if confirmar:
                lote.transaccion.commit()
            else:
                lote.transaccion.rollback()
        except BaseException as error:
            lote.error = error
            confirmar = False
            # The connection is closed below either way.
            with contextlib.suppress(Exception):
                lote.transaccion.rollback()
        try:
            if confirmar:
                self.lotes_confirmados += 1
                self.miembros_confirmados += lote.confirmados
                self._guardar_en_caches(lote)
                if self.al_confirmar is not None:
                    self.al_confirmar(lote.confirmados)
        finally:
            with contextlib.suppress(Exception):  # a broken connection is dropped anyway
                ejecutar_sql(lote.conexion, _SUBDIARIO_POR_DEFECTO, _SIN_PARAMETROS)
            lote.conexion.close()
            if self.turnos is not None:
                self.turnos.soltar(escribio=confirmar and lote.escribio)
            lote.hecho.set()

    def _guardar_en_caches(self, lote: Lote) -> None:
        if self.cache is not None:
            self.cache.devolver(list(lote.agregados.values()))
        if self.cache_catalogo is not None:
            # Oldest generation first: a later one empties what an earlier one kept.
            for clave, (generacion, entidad) in sorted(
                lote.catalogo.items(), key=lambda par: par[1][0]
            ):
                if self.cache_catalogo.al_dia(generacion):
                    self.cache_catalogo.guardar(clave, entidad, generacion)


class Miembro:
    """One command's place in a batch: its connection (the batch's), the caches as it may
    see them, and the end of its savepoint."""

    def __init__(self, grupo: GrupoCommit, lote: Lote, *, con_savepoint: bool) -> None:
        self._grupo = grupo
        self._lote = lote
        self._abierto = True
        self._con_savepoint = con_savepoint
        self.conexion = lote.conexion
        self.cache = CacheAgregadosDelLote(lote, grupo.cache)
        self.cache_catalogo = (
            CacheCatalogoDelLote(lote, grupo.cache_catalogo)
            if grupo.cache_catalogo is not None
            else None
        )

    def confirmar(self, agregados: list[Agregado], *, escribio: bool) -> None:
        """The command's writes are done: release its savepoint, leave its aggregates and
        catalog reads to the members after it, and return once the batch's COMMIT has
        returned (LoteNoConfirmado if it failed)."""
        lote = self._lote
        try:
            if self._con_savepoint:
                ejecutar_sql(lote.conexion, _RELEASE, _SIN_PARAMETROS)
        except BaseException:
            self.deshacer()
            raise
        self._abierto = False
        for agregado in agregados:
            lote.agregados[agregado.stream_id] = agregado
        if self.cache_catalogo is not None:
            lote.catalogo.update(self.cache_catalogo.leidos)
        lote.confirmados += 1
        lote.escribio = lote.escribio or escribio
        self._grupo._salir(lote)
        lote.hecho.wait()
        if lote.error is not None:
            raise LoteNoConfirmado(
                "La transacción que llevaba este comando no se pudo confirmar; no se guardó "
                "nada de él"
            ) from lote.error

    def deshacer(self) -> None:
        """Roll the command back to its savepoint, alone (a no-op once it is released or
        undone), and return once the batch has ended if earlier members were released
        in it: what the command saw (and so its refusal: stock another member sold) may
        rest on their changes, which are durable only then. Its aggregates and catalog
        reads are dropped with it. If SQLite has already rolled back the whole
        transaction (a full disk, an I/O error), the batch has failed: every member of
        it gets the error."""
        if not self._abierto:
            return
        self._abierto = False
        lote = self._lote
        vio_cambios_pendientes = lote.confirmados > 0
        self._grupo.miembros_deshechos += 1
        try:
            if self._con_savepoint:
                ejecutar_sql(lote.conexion, _ROLLBACK_TO, _SIN_PARAMETROS)
                ejecutar_sql(lote.conexion, _RELEASE, _SIN_PARAMETROS)
            else:  # no other member's changes are in it (see GrupoCommit.entrar)
                lote.transaccion.rollback()
                lote.transaccion = lote.conexion.begin()
        except BaseException as error:
            lote.error = lote.error or error
        if lote.error is None and not _en_transaccion(lote.conexion):
            lote.error = LoteNoConfirmado("SQLite deshizo la transacción del lote")
        self._grupo._salir(lote)
        if vio_cambios_pendientes:
            lote.hecho.wait()


def _en_transaccion(conexion: Connection) -> bool:
    dbapi: Any = conexion.connection.dbapi_connection
    return bool(dbapi.in_transaction)


class CacheAgregadosDelLote(CacheAgregados):
    """The aggregate cache as a member of a batch sees it: first what the batch's earlier
    members left (their state is in this transaction), then the process's cache of
    committed aggregates. Checked out exclusively, as from the cache itself."""

    def __init__(self, lote: Lote, cache: CacheAgregados | None) -> None:
        super().__init__(capacidad=0)
        self._lote = lote
        self._cache = cache

    def sacar(self, stream_id: str) -> Agregado | None:
        agregado = self._lote.agregados.pop(stream_id, None)
        if agregado is None and self._cache is not None:
            agregado = self._cache.sacar(stream_id)
        return agregado

    def devolver(self, agregados: list[Agregado]) -> None:
        raise AssertionError("Un miembro del lote devuelve sus agregados al confirmar")


class CacheCatalogoDelLote(CacheCatalogo):
    """The catalog cache as a member of a batch sees it: committed rows from the cache,
    rows the batch's released members read from the batch, and what this member reads
    kept in `leidos` until it is released (then the batch's until its COMMIT). A row read
    in the batch may depend on a change that is not committed yet, so the cache never
    gets it before the COMMIT."""

    def __init__(self, lote: Lote, cache: CacheCatalogo) -> None:
        super().__init__()
        self._lote = lote
        self._cache = cache
        self.leidos: dict[ClaveCatalogo, tuple[int, object]] = {}

    def al_dia(self, generacion: int) -> bool:
        # The generation may be one of the batch's own changes: the cache learns it only
        # at the COMMIT.
        return self._cache.generacion == generacion

    def get(self, clave: ClaveCatalogo, generacion: int) -> object | None:
        propia = self.leidos.get(clave) or self._lote.catalogo.get(clave)
        if propia is not None and propia[0] == generacion:
            return propia[1]
        return self._cache.get(clave, generacion)

    def guardar(self, clave: ClaveCatalogo, entidad: object, generacion: int) -> None:
        self.leidos[clave] = (generacion, entidad)
