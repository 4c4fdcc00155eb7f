"""The composition root: the one place where adapters are chosen and wired.

Nothing connects at import time; `bootstrap()` builds everything from Settings.

Entry points (routes, command line, screens) never reach past this module: they get a
`Servicios` (`crear_servicios`) or call one of the command-line tasks at the end of this
module, which alone create engines."""

from __future__ import annotations

import os
import re
import secrets
import socket
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pika.exceptions import AMQPConnectionError  # type: ignore[import-untyped]
from prometheus_client import start_http_server
from sqlalchemy import Engine
from sqlalchemy.exc import ArgumentError, OperationalError

from prometeo.application.acceso import RegistroTokens, Rol, TokenEmitido, TokenVista
from prometeo.application.bus import BusDeMensajes, crear_bus_de_mensajes
from prometeo.application.config import Configuracion
from prometeo.application.consultas import ServicioConsultas
from prometeo.application.idempotencia import RegistroIdempotencia
from prometeo.application.operacion import (
    EstadoBroker,
    EstadoComprobantes,
    ExposicionMetricas,
    ServicioOperacion,
)
from prometeo.application.personas import AjustesWeb, RegistroUsuarios, UsuarioVista
from prometeo.application.servicios import (
    ServicioCatalogo,
    ServicioFacturas,
    ServicioInventario,
    ServicioNotasCredito,
)
from prometeo.application.servicios.comprobantes import ServicioComprobantes
from prometeo.application.servicios.envio_sri import ServicioEnvioSri
from prometeo.application.servicios.reportes import ServicioReportes
from prometeo.application.unidad_de_trabajo import Metadatos
from prometeo.domain.errores import NoEncontrado
from prometeo.domain.events.comprobante import ComprobanteCorregido, ComprobanteFirmado
from prometeo.domain.events.factura import FacturaEmitida
from prometeo.domain.events.nota_credito import NotaCreditoEmitida
from prometeo.domain.reloj import Reloj, RelojFijo
from prometeo.infrastructure.correo import CorreoSmtp
from prometeo.infrastructure.db.cache_agregados import CacheAgregados
from prometeo.infrastructure.db.catalogo import CacheCatalogo
from prometeo.infrastructure.db.engine import crear_engine, ruta_sqlite
from prometeo.infrastructure.db.grupo_commit import GrupoCommit
from prometeo.infrastructure.db.idempotencia import RegistroIdempotenciaSql
from prometeo.infrastructure.db.migracion import esta_al_dia, migrar
from prometeo.infrastructure.db.tokens import AlmacenTokens
from prometeo.infrastructure.db.turnos import TurnoEscritura, turno_de_escritura
from prometeo.infrastructure.db.unidad_de_trabajo import Observador, UnidadDeTrabajoSql
from prometeo.infrastructure.db.usuarios import AlmacenUsuarios
from prometeo.infrastructure.db.volcado_wal import VolcadoWal
from prometeo.infrastructure.lecturas.comprobantes import (
    contar_pendientes,
    en_curso_sri,
    por_estado_sri,
)
from prometeo.infrastructure.lecturas.consultas import ServicioConsultasSql
from prometeo.infrastructure.lecturas.documentos import instante_programado
from prometeo.infrastructure.lecturas.reportes import ConsultasReportesSql
from prometeo.infrastructure.mensajeria import (
    NOMBRE_RELAY,
    PublicadorRabbitMQ,
    Relay,
)
from prometeo.infrastructure.mensajeria.checkpoint import (
    conexion_de_lectura,
    pendientes_de_publicar,
)
from prometeo.infrastructure.mensajeria.conexion import ERRORES_TRANSITORIOS
from prometeo.infrastructure.mensajeria.relay import RepublicarAparcados
from prometeo.infrastructure.metricas import (
    TIPO_CONTENIDO,
    Metricas,
    crear_metricas,
    exponer,
    metricas_de_varios_procesos,
)
from prometeo.infrastructure.proyecciones import (
    DIFERIDAS,
    EMBEBIDAS,
    NOMBRES,
    ProyeccionesDiferidas,
    Proyector,
    atrasadas,
    crear_proyecciones,
    ponerse_al_dia,
    reconstruir,
)
from prometeo.infrastructure.proyecciones.reconstruccion import LOTE
from prometeo.infrastructure.proyecciones.trabajador import (
    NOMBRE_SEGUIDOR,
    ReconstruirAparcados,
    crear_seguidor_proyecciones,
    publicar_retraso,
)
from prometeo.infrastructure.reloj import HORA_ECUADOR, RelojSistema
from prometeo.infrastructure.salud import SondaBroker, base_de_datos_responde
from prometeo.infrastructure.seguimiento import (
    EventoAparcado,
    EventoNoEncontrado,
    RegistroSql,
    Reintentador,
    Reintento,
    Seguidor,
    contar_aparcados,
    descartar_aparcado,
    describir_error,
    es_transitorio,
    listar_aparcados,
    reintentar_aparcados,
)
from prometeo.infrastructure.serializacion import CodecEventos, CodecSnapshots
from prometeo.infrastructure.settings import Settings
from prometeo.infrastructure.sri.certificado_prueba import crear_certificado_prueba
from prometeo.infrastructure.sri.cliente_sri import ClienteSriPorAmbiente, url_por_ambiente
from prometeo.infrastructure.sri.configuracion_firma import ahora_ecuador, cargar_firma
from prometeo.infrastructure.sri.correo_comprobantes import CorreoComprobantesSmtp
from prometeo.infrastructure.sri.despachador import DespachadorSri, programados
from prometeo.infrastructure.sri.firmador_fondo import (
    ContadorActividad,
    EstadoFirma,
    FirmadorEnSegundoPlano,
)
from prometeo.infrastructure.sri.ride import GeneradorRidePdf
from prometeo.infrastructure.sri.simulador import SimuladorSri
from prometeo.infrastructure.sri.xml_comprobantes import GeneradorXmlSri

# The followers of the log this process may run or report on (their parked events).
SEGUIDORES = (NOMBRE_RELAY, NOMBRE_SEGUIDOR)
# What the command line names (explicit re-exports: entry points import only this module).
NOMBRES_PROYECCIONES: tuple[str, ...] = tuple(NOMBRES)
LOTE_RECONSTRUCCION = LOTE
__all__ = [
    "LOTE_RECONSTRUCCION",
    "NOMBRES_PROYECCIONES",
    "Aplicacion",
    "BrokerNoConfigurado",
    "EventoNoEncontrado",
    "InfraestructuraNoResponde",
    "SeguidorDesconocido",
    "Servicios",
    "Settings",
    "SimuladorSri",
    "actualizar_esquema",
    "bootstrap",
    "comprobantes_pendientes",
    "crear_firma_de_prueba",
    "crear_relay",
    "crear_reloj",
    "crear_servicios",
    "crear_token",
    "crear_usuario",
    "crear_worker",
    "desactivar_usuario",
    "descartar_evento_aparcado",
    "estado_sri",
    "eventos_aparcados",
    "listar_tokens",
    "listar_usuarios",
    "metricas_de_varios_procesos",
    "reconstruir_proyecciones",
    "refrescar_metricas",
    "reintentar_eventos_aparcados",
    "revocar_token",
    "servir_metricas",
    "servir_simulador_sri",
    "sin_conexion",
]


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
    comprobantes: ServicioComprobantes
    reportes: ServicioReportes
    observadores: list[Observador] = field(default_factory=list)
    metricas: Metricas = field(default_factory=crear_metricas)
    cache: CacheAgregados = field(default_factory=CacheAgregados)
    cache_catalogo: CacheCatalogo = field(default_factory=CacheCatalogo)
    firmador: FirmadorEnSegundoPlano | None = None
    despachador: DespachadorSri | None = None
    turnos: TurnoEscritura | None = None
    # SQLite with PROMETEO_GRUPO_COMMIT: the commands' shared transactions (it takes the
    # turns itself).
    grupo: GrupoCommit | None = None
    # SQLite file databases: WAL checkpoints in a thread, not inside commits.
    volcado_wal: VolcadoWal | None = None
    # Every projection (the worker's, /metrics' lag, the catch-up at start).
    proyector: Proyector | None = None
    # Embedded mode: the projections moved inside each command's transaction (their
    # observer is wired), and the reports' ones, caught up apart (see diferidas.py).
    embebido: Proyector | None = None
    diferidas: ProyeccionesDiferidas | None = None
    # What /health says of the broker, probed in the background (never on a request's path).
    sonda_broker: SondaBroker = field(default_factory=lambda: SondaBroker(None))

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
            grupo=self.grupo,
        )

    def _checkpoints_embebidos(self) -> tuple[str, ...]:
        """The projections this process applies in every command's transaction (only
        while their observer is wired: their checkpoints move with the append)."""
        proyector = self.embebido
        if proyector is None or proyector.observador not in self.observadores:
            return ()
        return tuple(proyector.nombres)

    def cerrar(self) -> None:
        if self.diferidas is not None:
            self.diferidas.parar()
        if self.firmador is not None:
            self.firmador.parar()
        if self.despachador is not None:
            self.despachador.parar()
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
    metricas = crear_metricas()
    bus = crear_bus_de_mensajes(al_fallar=metricas.contar_fallo_manejador)
    config = Configuracion(
        plazo_nota_credito_dias=settings.plazo_nota_credito_dias,
        dia_limite_anulacion=settings.dia_limite_anulacion,
        reintentos_concurrencia=settings.reintentos_concurrencia,
        descuento_maximo_sin_autorizacion=settings.descuento_maximo_cajero,
    )
    codec_eventos, codec_snapshots = CodecEventos(), CodecSnapshots()
    # One cache of catalog rows for commands and reads alike.
    cache_catalogo = CacheCatalogo()
    turnos = turno_de_escritura(engine, settings.espera_escritura)
    proyector = Proyector(crear_proyecciones(), codec_eventos)
    embebidas = settings.proyecciones == "embebidas"
    embebido: Proyector | None = None
    diferidas: ProyeccionesDiferidas | None = None
    if embebidas:
        embebido = Proyector(crear_proyecciones(EMBEBIDAS), codec_eventos)
        diferidas = ProyeccionesDiferidas(
            engine, Proyector(crear_proyecciones(DIFERIDAS), codec_eventos), turno=turnos
        )
        if atrasadas(engine, embebido):
            # The read models move in every command's transaction, once they have caught
            # up with whatever the log holds that they have not applied (e.g. after an
            # upgrade). The reports' are caught up by their first read, or the server's
            # thread.
            ponerse_al_dia(engine, embebido)
    antes_de_leer_reportes = diferidas.al_dia if diferidas is not None else None
    consultas = ServicioConsultasSql(
        engine,
        cache_catalogo,
        distribuidas=not embebidas,
        hoy=reloj.hoy,
        antes_de_leer_reportes=antes_de_leer_reportes,
    )
    aplicacion: Aplicacion

    def fabrica(metadatos: Metadatos) -> UnidadDeTrabajoSql:
        return aplicacion.unidad_de_trabajo(metadatos)

    comprobantes = ServicioComprobantes(
        fabrica,
        reloj,
        bus,
        pendientes=consultas,
        generador=GeneradorXmlSri(),
        ahora=ahora_ecuador,
        config=config,
        al_no_validar=metricas.contar_xml_no_valido,
        ride=GeneradorRidePdf(),
    )
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
        consultas=consultas,
        comprobantes=comprobantes,
        reportes=ServicioReportes(
            ConsultasReportesSql(engine, antes_de_leer=antes_de_leer_reportes), consultas, reloj
        ),
        observadores=[embebido.observador] if embebido is not None else [],
        metricas=metricas,
        cache=CacheAgregados(settings.cache_agregados),
        cache_catalogo=cache_catalogo,
        proyector=proyector,
        embebido=embebido,
        diferidas=diferidas,
        turnos=turnos,
        volcado_wal=volcado_wal,
        sonda_broker=SondaBroker.para(settings.broker_url),
    )
    actividad = ContadorActividad()
    aplicacion.observadores.append(actividad.observador)
    aplicacion.firmador = FirmadorEnSegundoPlano(
        aplicacion.comprobantes,
        lambda: cargar_firma(settings),
        actividad=lambda: actividad.valor,
        cuota=settings.sri_cuota_firma,
    )
    correo = (
        CorreoComprobantesSmtp(
            consultas,
            CorreoSmtp(
                settings.smtp_url.get_secret_value(),
                settings.correo_remitente or "",
                timeout=settings.sri_timeout,
            ),
        )
        if settings.smtp_url is not None
        else None
    )
    envio = ServicioEnvioSri(
        fabrica,
        reloj,
        bus,
        sri=ClienteSriPorAmbiente(
            lambda: settings.sri_url or url_por_ambiente(consultas.emisor().ambiente),
            timeout=settings.sri_timeout,
            al_responder=aplicacion.metricas.llamada_sri,
        ),
        xml_firmado=consultas.xml_firmado,
        ahora=ahora_ecuador,
        config=config,
        # Past twice the client's timeout, an unanswered send surely did not arrive.
        margen_en_vuelo=2 * settings.sri_timeout,
        correo=correo,
    )
    aplicacion.despachador = DespachadorSri(
        engine,
        envio,
        dueno=f"{socket.gethostname()}:{os.getpid()}:{id(aplicacion)}",
        con_correo=correo is not None,
        arriendo=settings.sri_arriendo,
    )
    if settings.grupo_commit and engine.dialect.name == "sqlite":
        aplicacion.grupo = GrupoCommit(
            engine,
            turnos=aplicacion.turnos,
            cache=aplicacion.cache,
            cache_catalogo=cache_catalogo,
            maximo=settings.grupo_commit_maximo,
            espera_maxima=settings.espera_escritura,
            al_confirmar=aplicacion.metricas.contar_lote,
        )
    _despertar_al_firmar_y_emitir(aplicacion)
    if diferidas is not None:
        _despertar_al_vender(aplicacion, diferidas)
    if volcado_wal is not None:
        volcado_wal.iniciar()
    # Keep it the last observer: it counts events that are about to commit.
    aplicacion.observadores.append(aplicacion.metricas.observador_eventos)
    return aplicacion


@dataclass(frozen=True, slots=True)
class Servicios:
    """What entry points (routes, command line, screens) get: the use cases, the reads, the
    token checks and the service's operation, and nothing of how they are built (no
    engine, codecs nor caches). Reads go through `consultas`, catalog included."""

    catalogo: ServicioCatalogo
    facturas: ServicioFacturas
    notas_credito: ServicioNotasCredito
    inventario: ServicioInventario
    consultas: ServicioConsultas
    comprobantes: ServicioComprobantes
    reportes: ServicioReportes
    tokens: RegistroTokens
    idempotencia: RegistroIdempotencia
    operacion: ServicioOperacion
    # The people who sign in on the web screens, and how their sessions are kept.
    usuarios: RegistroUsuarios
    web: AjustesWeb
    # Whether the writers of this process take turns for one write lock (SQLite) rather
    # than run concurrently: how many commands are worth running at once depends on it.
    escritores_en_turno: bool
    # SQLite with PROMETEO_GRUPO_COMMIT: commands that take turns also share commits, so
    # a command that has had its turn still waits for its batch's COMMIT.
    comandos_en_grupo: bool = False


class OperacionAplicacion(ServicioOperacion):
    """Health and metrics of a wired Aplicacion. The checks read the application's engine
    and settings when asked, never a copy taken earlier."""

    def __init__(self, aplicacion: Aplicacion) -> None:
        self._aplicacion = aplicacion
        self._metricas = aplicacion.metricas

    def base_de_datos_responde(self) -> bool:
        return base_de_datos_responde(self._aplicacion.engine)

    def estado_broker(self) -> EstadoBroker:
        return self._aplicacion.sonda_broker.estado()

    def estado_comprobantes(self) -> EstadoComprobantes:
        aplicacion = self._aplicacion
        firmador = aplicacion.firmador
        estado = firmador.comprobar() if firmador is not None else EstadoFirma("no configurado")
        pendientes, en_curso, edad = medir_comprobantes(aplicacion)
        despachador = aplicacion.despachador
        if aplicacion.settings.sri_envio != "embebido" or despachador is None:
            despacho = "detenido"
        else:
            despacho = "activo" if despachador.activo else "en otro proceso"
        return EstadoComprobantes(
            aplicacion.settings.sri_envio,
            estado.certificado,
            estado.detalle,
            pendientes,
            despacho=despacho,
            error_sri=despachador.ultimo_error if despachador is not None else None,
            en_curso=en_curso,
            segundos_sin_autorizar=edad,
        )

    def eventos_aparcados(self) -> dict[str, int]:
        with conexion_de_lectura(self._aplicacion.engine) as conexion:
            return contar_aparcados(conexion)

    def medir_comando(self, comando: str, segundos: float) -> None:
        self._metricas.latencia_comandos.labels(comando=comando).observe(segundos)

    def exponer_metricas(self) -> ExposicionMetricas:
        refrescar_metricas(self._aplicacion)
        return ExposicionMetricas(exponer(self._metricas), TIPO_CONTENIDO)


def crear_servicios(aplicacion: Aplicacion) -> Servicios:
    """The narrow face of `aplicacion` that entry points work with."""
    return Servicios(
        catalogo=aplicacion.catalogo,
        facturas=aplicacion.facturas,
        notas_credito=aplicacion.notas_credito,
        inventario=aplicacion.inventario,
        consultas=aplicacion.consultas,
        comprobantes=aplicacion.comprobantes,
        reportes=aplicacion.reportes,
        tokens=AlmacenTokens(aplicacion.engine, aplicacion.settings.admin_token),
        idempotencia=RegistroIdempotenciaSql(
            aplicacion.engine,
            transaccion=aplicacion.grupo.transaccion if aplicacion.grupo is not None else None,
        ),
        operacion=OperacionAplicacion(aplicacion),
        usuarios=AlmacenUsuarios(aplicacion.engine, ajustes_web(aplicacion.settings)),
        web=ajustes_web(aplicacion.settings),
        escritores_en_turno=aplicacion.engine.dialect.name == "sqlite",
        comandos_en_grupo=aplicacion.grupo is not None,
    )


def ajustes_web(settings: Settings) -> AjustesWeb:
    return AjustesWeb(
        sesion_minutos=settings.sesion_minutos,
        sesion_horas_maximas=settings.sesion_horas_maximas,
        cookie_segura=settings.cookie_segura,
    )


def crear_firma_de_prueba(aplicacion: Aplicacion, archivo: Path, clave_archivo: Path) -> str | None:
    """For demos: a test certificate (its own labelled test authority, no legal value) for
    the registered emisor's RUC, written as a .p12 with a random password kept in
    `clave_archivo` (both readable by the owner only) and the authority's certificate
    beside it (.ca.pem). Nothing is written when `archivo` exists; the RUC it was made
    for, or None when it was already there."""
    if archivo.exists():
        return None
    emisor = aplicacion.consultas.emisor()
    clave = secrets.token_urlsafe(24)
    prueba = crear_certificado_prueba(
        emisor.ruc, emisor.razon_social, clave.encode(), ahora=ahora_ecuador()
    )
    anterior = os.umask(0o077)
    try:
        clave_archivo.write_text(clave + "\n", encoding="utf-8")
        archivo.write_bytes(prueba.p12)
        archivo.with_suffix(".ca.pem").write_bytes(prueba.ca_pem)
    finally:
        os.umask(anterior)
    return emisor.ruc


def comprobantes_pendientes(aplicacion: Aplicacion) -> int:
    """How many emitted documents wait for their signature."""
    with conexion_de_lectura(aplicacion.engine) as conexion:
        return contar_pendientes(conexion)


def servir_simulador_sri(
    host: str, puerto: int, demora: float, al_escuchar: Callable[[SimuladorSri], None]
) -> None:
    """`prometeo sri simulador`: a local stand-in for the SRI's web services (no tax
    validity), served in this thread until KeyboardInterrupt; `al_escuchar` is told
    once it listens (the port may have been 0)."""
    simulador = SimuladorSri(host, puerto, demora=demora)
    al_escuchar(simulador)
    simulador.servir()


def estado_sri(aplicacion: Aplicacion) -> tuple[dict[str, int], list[ProgramadoSri]]:
    """For `prometeo sri estado`: documents per SRI state, and the dispatcher's schedule
    (next first) with each document's failures in a row and last error."""
    with conexion_de_lectura(aplicacion.engine) as conexion:
        cuenta = por_estado_sri(conexion)
        filas = programados(conexion)
    return cuenta, [
        ProgramadoSri(
            f.documento_id,
            f.tipo_comprobante,
            instante_programado(f.proximo_ms),
            f.intentos,
            f.ultimo_error,
        )
        for f in filas
    ]


def _despertar_al_vender(aplicacion: Aplicacion, diferidas: ProyeccionesDiferidas) -> None:
    """A command that stored events of the reports' projections wakes their catch-up
    thread (when it runs: `prometeo serve`)."""
    for tipo in {t for p in diferidas.proyector.proyecciones for t in p.tipos}:
        aplicacion.bus.suscribir(tipo, lambda _evento: diferidas.despertar())


def _despertar_al_firmar_y_emitir(aplicacion: Aplicacion) -> None:
    """A document emitted (or corrected) in this process wakes the signer, and one signed
    wakes the dispatcher, so that it reaches the SRI right away rather than at their next
    poll (which remains for documents other processes emit)."""
    firmador, despachador = aplicacion.firmador, aplicacion.despachador
    if firmador is not None:
        for tipo in (FacturaEmitida, NotaCreditoEmitida, ComprobanteCorregido):
            aplicacion.bus.suscribir(tipo, lambda _evento: firmador.despertar())
    if despachador is not None:
        aplicacion.bus.suscribir(ComprobanteFirmado, lambda _evento: despachador.despertar())


@dataclass(frozen=True, slots=True)
class ProgramadoSri:
    """A document in the dispatcher's schedule: when it is looked at next (None: stopped
    until a person fixes it), tries in a row and the last error."""

    documento_id: str
    tipo: str
    proximo: datetime | None
    intentos: int
    ultimo_error: str | None


def medir_comprobantes(aplicacion: Aplicacion) -> tuple[int, int, float | None]:
    """Documents waiting for their signature, signed ones waiting for the SRI's final
    answer, and the age in seconds of the oldest of those (from the start of its emission
    day; None when none waits); the gauges are set to them."""
    with conexion_de_lectura(aplicacion.engine) as conexion:
        pendientes = contar_pendientes(conexion)
        en_curso, antigua = en_curso_sri(conexion)
    edad = None
    if antigua is not None:
        inicio = datetime.combine(antigua, datetime.min.time(), tzinfo=HORA_ECUADOR)
        edad = max((ahora_ecuador() - inicio).total_seconds(), 0.0)
    metricas = aplicacion.metricas
    metricas.comprobantes_pendientes.set(pendientes)
    metricas.comprobantes_sin_autorizar.set(en_curso)
    metricas.comprobantes_sin_autorizar_edad.set(edad or 0.0)
    return pendientes, en_curso, edad


def refrescar_metricas(aplicacion: Aplicacion) -> None:
    """Bring the state gauges up to date before a scrape: the comprobantes by SRI state
    and waiting, how far behind the log each projection is and, when a broker is
    configured, the outbox backlog."""
    medir_comprobantes(aplicacion)
    with conexion_de_lectura(aplicacion.engine) as conexion:
        for estado, n in por_estado_sri(conexion).items():
            aplicacion.metricas.comprobantes_por_estado.labels(estado=estado).set(n)
        aparcados = contar_aparcados(conexion)
    aplicacion.metricas.fijar_aparcados(aparcados, SEGUIDORES)
    if aplicacion.proyector is not None:
        publicar_retraso(aplicacion.engine, aplicacion.proyector, aplicacion.metricas)
    if aplicacion.settings.broker_url:
        with conexion_de_lectura(aplicacion.engine) as conexion:
            pendientes = pendientes_de_publicar(conexion, NOMBRE_RELAY)
        aplicacion.metricas.fijar_pendientes_outbox(pendientes)


def servir_metricas(aplicacion: Aplicacion, puerto: int) -> None:
    """Serve this process's /metrics on `puerto` (a relay or worker has no HTTP API)."""
    start_http_server(puerto, registry=aplicacion.metricas.registro)


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


def crear_worker(aplicacion: Aplicacion, *, lote: int = 500) -> Seguidor:
    """What `prometeo worker` runs: the read models following the event log (at most once
    per projection, resuming from their checkpoints)."""
    assert aplicacion.proyector is not None
    return crear_seguidor_proyecciones(
        aplicacion.engine, aplicacion.proyector, lote=lote, metricas=aplicacion.metricas
    )


# -- command-line tasks that need the database but not the services ------------------------


@contextmanager
def _engine_de(settings: Settings | None) -> Iterator[Engine]:
    """The one way a task of the command line gets an engine: from the settings (the
    environment by default), disposed of when the task ends."""
    settings = settings or Settings()
    engine = crear_engine(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
    try:
        yield engine
    finally:
        engine.dispose()


def actualizar_esquema(settings: Settings | None = None) -> bool:
    """Apply the pending migrations; False when the schema was current already."""
    with _engine_de(settings) as engine:
        if esta_al_dia(engine):
            return False
        migrar(engine)
        return True


def crear_token(
    nombre: str,
    rol: Rol | str,
    settings: Settings | None = None,
    expira_en: datetime | None = None,
) -> TokenEmitido:
    """Issue an access token (on a current schema); ValueError for an invalid name,
    Duplicado for a name in use."""
    with _engine_de(settings) as engine:
        migrar(engine)
        return AlmacenTokens(engine).emitir(nombre, rol, expira_en)


def listar_tokens(settings: Settings | None = None) -> list[TokenVista]:
    with _engine_de(settings) as engine:
        migrar(engine)
        return AlmacenTokens(engine).listar()


def revocar_token(id_o_nombre: str, settings: Settings | None = None) -> TokenVista:
    """Revoke the token with this id or (ignoring case) this name; NoEncontrado if none."""
    with _engine_de(settings) as engine:
        migrar(engine)
        almacen = AlmacenTokens(engine)
        buscado = id_o_nombre.strip()
        for vista in almacen.listar():
            if buscado == vista.id or buscado.casefold() == vista.nombre.casefold():
                return almacen.revocar(vista.id)
        raise NoEncontrado("un token", buscado)


def crear_usuario(
    nombre: str, rol: Rol | str, clave: str, settings: Settings | None = None
) -> UsuarioVista:
    """A person who signs in on the web screens (on a current schema); ValueError for an
    invalid name or password, Duplicado for a name in use."""
    with _engine_de(settings) as engine:
        migrar(engine)
        return AlmacenUsuarios(engine).crear(nombre, rol, clave)


def listar_usuarios(settings: Settings | None = None) -> list[UsuarioVista]:
    with _engine_de(settings) as engine:
        migrar(engine)
        return AlmacenUsuarios(engine).listar()


def desactivar_usuario(nombre: str, settings: Settings | None = None) -> UsuarioVista:
    """The user may no longer sign in; their sessions end. NoEncontrado if unknown."""
    with _engine_de(settings) as engine:
        migrar(engine)
        return AlmacenUsuarios(engine).desactivar(nombre)


def reactivar_usuario(nombre: str, settings: Settings | None = None) -> UsuarioVista:
    """The user may sign in again with their password. NoEncontrado if unknown."""
    with _engine_de(settings) as engine:
        migrar(engine)
        return AlmacenUsuarios(engine).reactivar(nombre)


def eventos_aparcados(
    seguidor: str | None = None, settings: Settings | None = None
) -> list[EventoAparcado]:
    """The events the followers of the log parked (of one follower, or of all)."""
    with _engine_de(settings) as engine:
        migrar(engine)
        return listar_aparcados(engine, seguidor)


class SeguidorDesconocido(ValueError):
    """Parked events of a follower this version of prometeo does not know how to retry."""


class InfraestructuraNoResponde(RuntimeError):
    """The database or the broker did not answer (try again later)."""


def reintentar_eventos_aparcados(
    seguidor: str | None = None, posicion: int | None = None, settings: Settings | None = None
) -> list[Reintento]:
    """Do again the effect of the parked events (of one follower, or all; at one position,
    or all), once what made them fail is fixed: the relay publishes them again, the
    projections that read them are rebuilt. Those done are no longer parked; the others
    stay, with their new error. SeguidorDesconocido or BrokerNoConfigurado before anything
    is retried; InfraestructuraNoResponde when the database or the broker stopped it (what
    was done stays done)."""
    settings = settings or Settings()
    with _engine_de(settings) as engine:
        migrar(engine)
        por_seguidor: dict[str, list[EventoAparcado]] = {}
        for aparcado in listar_aparcados(engine, seguidor):
            if posicion is None or aparcado.posicion == posicion:
                por_seguidor.setdefault(aparcado.seguidor, []).append(aparcado)
        reintentadores = {
            nombre: _reintentador(nombre, engine, settings) for nombre in por_seguidor
        }
        resultados: list[Reintento] = []
        try:
            for nombre, suyos in por_seguidor.items():
                resultados += reintentar_aparcados(
                    engine, RegistroSql(engine), suyos, reintentadores[nombre]
                )
        except Exception as error:
            if not es_transitorio(error, ERRORES_TRANSITORIOS):
                raise
            raise InfraestructuraNoResponde(
                f"La base de datos o RabbitMQ no responden ({describir_error(error)}); lo "
                "reintentado hasta aquí queda hecho y el resto sigue aparcado"
            ) from error
        return resultados


def _reintentador(nombre: str, engine: Engine, settings: Settings) -> Reintentador:
    if nombre == NOMBRE_RELAY:
        publicador = PublicadorRabbitMQ(_url_broker(settings), settings.exchange)
        return RepublicarAparcados(publicador, crear_metricas())
    if nombre == NOMBRE_SEGUIDOR:
        return ReconstruirAparcados(engine, Proyector(crear_proyecciones(), CodecEventos()))
    raise SeguidorDesconocido(
        f"No se sabe reintentar los eventos del seguidor «{nombre}»; cuando estén resueltos, "
        "descártelos con `prometeo aparcados descartar`"
    )


def descartar_evento_aparcado(
    seguidor: str, posicion: int, settings: Settings | None = None
) -> bool:
    """Forget a parked event without retrying it (dealt with some other way); False when
    there was none."""
    with _engine_de(settings) as engine:
        migrar(engine)
        return descartar_aparcado(engine, seguidor, posicion)


def reconstruir_proyecciones(
    nombres: Sequence[str],
    progreso: Callable[[int, int], None] | None = None,
    *,
    lote: int = LOTE_RECONSTRUCCION,
    procesos: int | None = None,
    settings: Settings | None = None,
) -> int:
    """Empty the named projections and replay the whole log into them (on a current
    schema); returns how many events were replayed."""
    with _engine_de(settings) as engine:
        migrar(engine)
        return reconstruir(engine, nombres, progreso, lote=lote, procesos=procesos)


def sin_conexion(error: BaseException, settings: Settings | None = None) -> str | None:
    """One Spanish line for a database or broker that cannot be reached (what failed, at
    which URL without its password, and what to check); None for any other error."""
    settings = settings or Settings()
    if isinstance(error, ArgumentError) and "URL" in str(error):
        return (
            f"PROMETEO_DATABASE_URL no es una URL de base de datos válida "
            f"({_sin_clave(settings.database_url)}). Ejemplos: sqlite:///./prometeo.db, "
            "postgresql://usuario:clave@127.0.0.1:5432/prometeo."
        )
    if isinstance(error, OperationalError):
        causa = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
        return (
            f"No se pudo conectar con la base de datos ({_sin_clave(settings.database_url)}): "
            f"{causa}. Revise que el servidor esté en marcha, que el rol y la base de datos "
            "existan y que la clave sea la correcta (PROMETEO_DATABASE_URL)."
        )
    if isinstance(error, AMQPConnectionError):
        return (
            f"No se pudo conectar con RabbitMQ ({_sin_clave(settings.broker_url or '')}): "
            f"{type(error).__name__}. Revise que el broker esté en marcha y que el usuario, "
            "la clave y el vhost sean los de PROMETEO_BROKER_URL."
        )
    return None


def _sin_clave(url: str) -> str:
    return re.sub(r"(//[^:/@]+):[^@]*@", r"\1:***@", url)
