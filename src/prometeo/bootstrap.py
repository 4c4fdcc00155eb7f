"""The composition root: the one place where adapters are chosen and wired.

Nothing connects at import time; `bootstrap()` builds everything from Settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from prometeo.application.bus import BusDeMensajes, crear_bus_de_mensajes
from prometeo.application.config import Configuracion
from prometeo.application.consultas import ServicioConsultas
from prometeo.application.servicios import (
    ServicioCatalogo,
    ServicioFacturas,
    ServicioInventario,
    ServicioNotasCredito,
)
from prometeo.application.unidad_de_trabajo import Metadatos
from prometeo.domain.reloj import Reloj, RelojFijo
from prometeo.infrastructure.db.cache_agregados import CacheAgregados
from prometeo.infrastructure.db.catalogo import CacheCatalogo
from prometeo.infrastructure.db.engine import crear_engine, ruta_sqlite
from prometeo.infrastructure.db.migracion import migrar
from prometeo.infrastructure.db.turnos import TurnoEscritura, turno_de_escritura
from prometeo.infrastructure.db.unidad_de_trabajo import Observador, UnidadDeTrabajoSql
from prometeo.infrastructure.db.volcado_wal import VolcadoWal
from prometeo.infrastructure.mensajeria import (
    COLA_PROYECCIONES,
    NOMBRE_RELAY,
    Consumidor,
    Manejador,
    PublicadorRabbitMQ,
    Relay,
    Topologia,
)
from prometeo.infrastructure.mensajeria.checkpoint import (
    conexion_de_lectura,
    pendientes_de_publicar,
)
from prometeo.infrastructure.metricas import Metricas, crear_metricas
from prometeo.infrastructure.proyecciones import (
    Proyector,
    ServicioConsultasSql,
    crear_proyecciones,
    ponerse_al_dia,
)
from prometeo.infrastructure.proyecciones.trabajador import (
    crear_manejador_proyecciones,
    publicar_retraso,
)
from prometeo.infrastructure.reloj import RelojSistema
from prometeo.infrastructure.serializacion import CodecEventos, CodecSnapshots
from prometeo.infrastructure.settings import Settings


@dataclass
class Aplicacion:
    """prometeo wired: the services a command line or an HTTP API talks to."""

    settings: Settings
    engine: Engine
    reloj: Reloj
    bus: BusDeMensajes
    codec_eventos: CodecEventos
    codec_snapshots: CodecSnapshots
    catalogo: ServicioCatalogo
    facturas: ServicioFacturas
    notas_credito: ServicioNotasCredito
    inventario: ServicioInventario
    consultas: ServicioConsultas
    observadores: list[Observador] = field(default_factory=list)
    metricas: Metricas = field(default_factory=crear_metricas)
    cache: CacheAgregados = field(default_factory=CacheAgregados)
    cache_catalogo: CacheCatalogo = field(default_factory=CacheCatalogo)
    turnos: TurnoEscritura | None = None
    # SQLite file databases: WAL checkpoints in a thread, not inside commits.
    volcado_wal: VolcadoWal | None = None
    proyector: Proyector | None = None

    def unidad_de_trabajo(self, metadatos: Metadatos | None = None) -> UnidadDeTrabajoSql:
        return UnidadDeTrabajoSql(
            self.engine,
            codec_eventos=self.codec_eventos,
            codec_snapshots=self.codec_snapshots,
            snapshot_cada=self.settings.snapshot_cada,
            observadores=self.observadores,
            metadatos=metadatos,
            cache=self.cache,
            cache_catalogo=self.cache_catalogo,
            turnos=self.turnos,
            checkpoints_embebidos=self._checkpoints_embebidos(),
        )

    def _checkpoints_embebidos(self) -> tuple[str, ...]:
        """The projections this process applies in every command's transaction (only
        while their observer is wired: their checkpoints move with the append)."""
        proyector = self.proyector
        if proyector is None or proyector.observador not in self.observadores:
            return ()
        return tuple(proyector.nombres)

    def cerrar(self) -> None:
        if self.volcado_wal is not None:
            self.volcado_wal.parar()
        if self.turnos is not None:
            self.turnos.cerrar()
        self.engine.dispose()


def crear_reloj(settings: Settings) -> Reloj:
    if settings.hoy is not None:
        return RelojFijo(settings.hoy)
    return RelojSistema(settings.zona_horaria)


def bootstrap(
    settings: Settings | None = None,
    *,
    migrar_esquema: bool = True,
    volcado_aparte: bool = False,
) -> Aplicacion:
    """Build prometeo from settings (the environment by default), making sure the database
    schema is current first. `volcado_aparte` (the server): on a SQLite file, WAL
    checkpoints run in a thread of their own instead of inside the commits that cross the
    mark (that commit's fsync of the database file holds up the whole writer queue)."""
    settings = settings or Settings()
    engine = crear_engine(
        settings.database_url,
        sqlite_synchronous=settings.sqlite_synchronous,
        volcado_aparte=volcado_aparte,
    )
    ruta = ruta_sqlite(engine) if volcado_aparte else None
    volcado_wal = VolcadoWal(ruta) if ruta is not None else None
    if migrar_esquema:
        migrar(engine)
    reloj = crear_reloj(settings)
    bus = crear_bus_de_mensajes()
    config = Configuracion(
        plazo_nota_credito_dias=settings.plazo_nota_credito_dias,
        reintentos_concurrencia=settings.reintentos_concurrencia,
    )
    codec_eventos, codec_snapshots = CodecEventos(), CodecSnapshots()
    proyector = Proyector(crear_proyecciones(), codec_eventos)
    embebidas = settings.proyecciones == "embebidas"
    if embebidas:
        # The read models move in every command's transaction, once they have caught up
        # with whatever the log holds that they have not applied (e.g. after an upgrade).
        ponerse_al_dia(engine, proyector)
    aplicacion: Aplicacion

    def fabrica(metadatos: Metadatos) -> UnidadDeTrabajoSql:
        return aplicacion.unidad_de_trabajo(metadatos)

    aplicacion = Aplicacion(
        settings=settings,
        engine=engine,
        reloj=reloj,
        bus=bus,
        codec_eventos=codec_eventos,
        codec_snapshots=codec_snapshots,
        catalogo=ServicioCatalogo(fabrica, reloj, bus, config),
        facturas=ServicioFacturas(fabrica, reloj, bus, config),
        notas_credito=ServicioNotasCredito(fabrica, reloj, bus, config),
        inventario=ServicioInventario(fabrica, reloj, bus, config),
        consultas=ServicioConsultasSql(engine),
        observadores=[proyector.observador] if embebidas else [],
        cache=CacheAgregados(settings.cache_agregados),
        proyector=proyector,
        turnos=turno_de_escritura(engine),
        volcado_wal=volcado_wal,
    )
    if volcado_wal is not None:
        volcado_wal.iniciar()
    # Keep it the last observer: it counts events that are about to commit.
    aplicacion.observadores.append(aplicacion.metricas.observador_eventos)
    return aplicacion


def refrescar_metricas(aplicacion: Aplicacion) -> None:
    """Bring the state gauges up to date before a scrape: how far behind the log each
    projection is and, when a broker is configured, the outbox backlog."""
    if aplicacion.proyector is not None:
        publicar_retraso(aplicacion.engine, aplicacion.proyector, aplicacion.metricas)
    if aplicacion.settings.broker_url:
        with conexion_de_lectura(aplicacion.engine) as conexion:
            pendientes = pendientes_de_publicar(conexion, NOMBRE_RELAY)
        aplicacion.metricas.fijar_pendientes_outbox(pendientes)


class BrokerNoConfigurado(RuntimeError):
    """Publishing or consuming was asked for without PROMETEO_BROKER_URL."""


def _url_broker(settings: Settings) -> str:
    if not settings.broker_url:
        raise BrokerNoConfigurado(
            "PROMETEO_BROKER_URL no está definido: no hay broker al que conectar"
        )
    return settings.broker_url


def crear_relay(aplicacion: Aplicacion, *, lote: int = 500) -> Relay:
    """The outbox relay: the event log → PROMETEO_EXCHANGE on PROMETEO_BROKER_URL."""
    publicador = PublicadorRabbitMQ(_url_broker(aplicacion.settings), aplicacion.settings.exchange)
    return Relay(aplicacion.engine, publicador, lote=lote, metricas=aplicacion.metricas)


def crear_manejador_worker(aplicacion: Aplicacion) -> Manejador:
    """What `prometeo worker` does with each delivered event envelope: project it (at most
    once per projection), catching up from the event store when it starts behind or sees
    a gap."""
    assert aplicacion.proyector is not None
    ponerse_al_dia(aplicacion.engine, aplicacion.proyector)
    return crear_manejador_proyecciones(
        aplicacion.engine, aplicacion.proyector, aplicacion.metricas
    )


def crear_consumidor(
    aplicacion: Aplicacion,
    manejador: Manejador,
    *,
    cola: str = COLA_PROYECCIONES,
    prefetch: int = 10,
    reintentos: int = 3,
) -> Consumidor:
    """A consumer of `cola`, bound to every event published on PROMETEO_EXCHANGE."""
    topologia = Topologia(exchange=aplicacion.settings.exchange, cola=cola)
    return Consumidor(
        _url_broker(aplicacion.settings),
        manejador,
        topologia=topologia,
        prefetch=prefetch,
        reintentos=reintentos,
    )
