"""The SQL unit of work: one transaction per command."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from uuid import uuid4

from sqlalchemy import Connection, Engine, RootTransaction

from prometeo.application.unidad_de_trabajo import EventoConfirmado, Metadatos, UnidadDeTrabajo
from prometeo.domain.aggregates.base import Agregado
from prometeo.domain.events.base import EventoDominio
from prometeo.infrastructure.db.almacen_eventos import (
    EventoAlmacenado,
    EventoNuevo,
    almacen_eventos,
)
from prometeo.infrastructure.db.cache_agregados import CacheAgregados
from prometeo.infrastructure.db.catalogo import CacheCatalogo, RepositorioCatalogoSql
from prometeo.infrastructure.db.grupo_commit import GrupoCommit, Miembro
from prometeo.infrastructure.db.idempotencia import marcar_hecha
from prometeo.infrastructure.db.repositorios import (
    AlmacenAgregados,
    RepositorioFacturasSql,
    RepositorioInventariosSql,
    RepositorioNotasCreditoSql,
    RepositorioSecuenciasSql,
)
from prometeo.infrastructure.db.snapshots import AlmacenSnapshotsSql, Snapshot
from prometeo.infrastructure.db.turnos import TurnoEscritura
from prometeo.infrastructure.serializacion import CodecEventos, CodecSnapshots
from prometeo.infrastructure.sql.ejecucion import (
    confirmar,
    escrituras_diferidas,
    leer_comenzando,
)

# Called inside the transaction, after the events are stored: read models in embedded
# mode and the outbox hook in here, so they commit (or roll back) with the events.
Observador = Callable[
    [Connection, Sequence[EventoAlmacenado], Sequence[EventoDominio], int | None], None
]


# Subquery ORDER BY with OFFSET 0 (never flattened): the locks are taken in key order.
_RESERVAR_PG = """\
SELECT count(pg_advisory_xact_lock(k)) FROM (
    SELECT DISTINCT hashtextextended(s, 0) AS k FROM unnest(%s::text[]) AS s
    ORDER BY k OFFSET 0
) AS r"""


class UnidadDeTrabajoSql(UnidadDeTrabajo):
    """One command's transaction; with `grupo` (SQLite), a savepoint of a transaction
    shared with the commands that arrive with it (grupo_commit.py): `commit` then returns
    once that transaction's COMMIT has."""

    def __init__(
        self,
        engine: Engine,
        *,
        codec_eventos: CodecEventos,
        codec_snapshots: CodecSnapshots,
        snapshot_cada: int = 50,
        observadores: Sequence[Observador] = (),
        metadatos: Metadatos | None = None,
        cache: CacheAgregados | None = None,
        cache_catalogo: CacheCatalogo | None = None,
        turnos: TurnoEscritura | None = None,
        checkpoints_embebidos: Sequence[str] = (),
        grupo: GrupoCommit | None = None,
    ) -> None:
        super().__init__(metadatos)
        self.cache = cache
        self.cache_catalogo = cache_catalogo
        self.turnos = turnos
        self._con_turno = False
        self.engine = engine
        self.codec_eventos = codec_eventos
        self.codec_snapshots = codec_snapshots
        self.snapshot_cada = snapshot_cada
        self.observadores = observadores
        # The embedded projections: on PostgreSQL the append moves their checkpoints in
        # its own statement (one round trip less, under the position lock).
        self.checkpoints_embebidos = checkpoints_embebidos
        self._conexion: Connection | None = None
        self._transaccion: RootTransaction | None = None
        self._escribio = False  # committed events in this unit of work
        self.grupo = grupo
        self._miembro: Miembro | None = None

    def __enter__(self) -> UnidadDeTrabajoSql:
        if self.grupo is not None:
            return self._entrar_al_lote(self.grupo)
        if self.turnos is not None:
            otro_proceso_escribio = self.turnos.tomar()
            self._con_turno = True
            if otro_proceso_escribio and self.cache is not None:
                # Another process committed since this one's last turn: cached aggregates
                # may be stale (that would only cost a conflict and a retry, but with two
                # processes selling the same products it would cost one every time).
                self.cache.vaciar()
        try:
            self._conexion = self.engine.connect()
            self._transaccion = self._conexion.begin()
        except BaseException:
            self._cerrar()
            raise
        return self._repositorios(self._conexion, self.cache, self.cache_catalogo)

    def _entrar_al_lote(self, grupo: GrupoCommit) -> UnidadDeTrabajoSql:
        miembro = self._miembro = grupo.entrar()
        self._conexion = miembro.conexion
        return self._repositorios(miembro.conexion, miembro.cache, miembro.cache_catalogo)

    def _repositorios(
        self,
        conexion: Connection,
        cache: CacheAgregados | None,
        cache_catalogo: CacheCatalogo | None,
    ) -> UnidadDeTrabajoSql:
        store = almacen_eventos(conexion)
        self.snapshots = AlmacenSnapshotsSql(conexion)
        self.almacen = AlmacenAgregados(
            store, self.snapshots, self.codec_eventos, self.codec_snapshots, cache
        )
        self.store = store
        self.facturas = RepositorioFacturasSql(self.almacen)
        self.notas_credito = RepositorioNotasCreditoSql(self.almacen)
        self.inventarios = RepositorioInventariosSql(self.almacen)
        self.secuencias = RepositorioSecuenciasSql(self.almacen)
        self.catalogo = RepositorioCatalogoSql(conexion, cache_catalogo)
        return self

    def reservar(self, streams: Sequence[str]) -> None:
        # PostgreSQL: transaction-scoped advisory locks, one per stream, taken in one
        # order (sorted keys) so that two retries never wait on each other in a cycle;
        # released at COMMIT or ROLLBACK. SQLite has one writer at a time already;
        # MariaDB's named locks belong to the session, not the transaction: nothing.
        if not streams or self.conexion.dialect.name != "postgresql":
            return
        leer_comenzando(self.conexion, _RESERVAR_PG, (sorted(streams),))

    @property
    def conexion(self) -> Connection:
        assert self._conexion is not None, "La unidad de trabajo no está abierta"
        return self._conexion

    def commit(self) -> None:
        assert self._transaccion is not None or self._miembro is not None, (
            "La unidad de trabajo no está abierta"
        )
        ahora = datetime.now(UTC)
        auditoria = {
            "correlation_id": self.metadatos.correlation_id,
            "causation_id": self.metadatos.causation_id,
            "usuario": self.metadatos.usuario,
        }
        if self.metadatos.token_id is not None:
            auditoria["token_id"] = self.metadatos.token_id
        metadatos = json.dumps(auditoria, separators=(",", ":"), ensure_ascii=False)
        nuevos: list[EventoNuevo] = []
        dominio: list[EventoDominio] = []
        para_snapshot: list[Agregado] = []
        for stream_id in sorted(self.almacen.vistos):
            agregado = self.almacen.vistos[stream_id]
            pendientes = agregado.recolectar_eventos()
            if not pendientes:
                continue
            inicial = agregado.version - len(pendientes)
            for i, evento in enumerate(pendientes, start=1):
                tipo, version_esquema, datos = self.codec_eventos.codificar(evento)
                nuevos.append(
                    EventoNuevo(
                        str(uuid4()),
                        stream_id,
                        agregado.TIPO_STREAM,
                        inicial + i,
                        tipo,
                        version_esquema,
                        datos,
                        metadatos,
                        ahora,
                    )
                )
                dominio.append(evento)
            if self.snapshot_cada > 0 and (
                inicial // self.snapshot_cada != agregado.version // self.snapshot_cada
            ):
                para_snapshot.append(agregado)
        conexion = self.conexion
        # From the append to the COMMIT every other writer waits for the position lock: on
        # PostgreSQL the observers' writes are deferred and sent in one round trip with
        # the COMMIT. (Snapshots stay after the append: a stale writer must fail there
        # with ErrorDeConcurrencia, not on the snapshot's key.)
        with escrituras_diferidas(conexion):
            almacenados, movidos = self.store.agregar_moviendo(nuevos, self.checkpoints_embebidos)
            for agregado in para_snapshot:
                version_esquema, datos = self.codec_snapshots.codificar(agregado)
                self.snapshots.guardar(
                    Snapshot(agregado.stream_id, agregado.version, version_esquema, datos),
                    ahora,
                )
            for observador in self.observadores:
                observador(conexion, almacenados, dominio, movidos)
            if self.metadatos.idempotencia is not None:
                # The key is done exactly when the command commits.
                marcar_hecha(conexion, self.metadatos.idempotencia)
            if self._miembro is not None:
                # Returns once the batch's COMMIT has; the batch hands the aggregates on.
                self._miembro.confirmar(list(self.almacen.vistos.values()), escribio=bool(nuevos))
            else:
                assert self._transaccion is not None
                confirmar(conexion, self._transaccion.commit)
        self._escribio = bool(nuevos)
        if self._miembro is None and self.cache is not None:
            self.cache.devolver(list(self.almacen.vistos.values()))
        self.confirmados = [
            EventoConfirmado(a.stream_id, a.version, e)
            for a, e in zip(almacenados, dominio, strict=True)
        ]
        self._cerrar()

    def rollback(self) -> None:
        if self._miembro is not None:
            self._miembro.deshacer()
        if self._transaccion is not None and self._transaccion.is_active:
            self._transaccion.rollback()
        self._cerrar()

    def _cerrar(self) -> None:
        if self._miembro is not None:
            self._miembro = None  # the connection is the batch's
        elif self._conexion is not None:
            self._conexion.close()
        self._conexion = None
        self._transaccion = None
        if self._con_turno and self.turnos is not None:
            self._con_turno = False
            self.turnos.soltar(escribio=self._escribio)
