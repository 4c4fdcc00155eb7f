"""The SRI dispatcher: takes signed documents through Recepción and Autorización, in
emission order, one ServicioEnvioSri step at a time, on a schedule of its own.

- One dispatcher per database: a lease row (`arriendos`, name "sri") renewed every round;
  a process that dies loses it after ARRIENDO seconds (PROMETEO_SRI_ARRIENDO) and another
  takes over. Several dispatchers at once would still never send a clave twice (the send
  is reserved by a commit, see ServicioEnvioSri); the lease only saves them the wasted
  work.
- When to go back to a document lives in `envios_sri` (not in its events): right after a
  send, Autorización is asked ESPERA_PRIMERA_CONSULTA later, then on CONSULTAS (the SRI
  answers within 24 h).
- A transient failure (the SRI down, a timeout, a 502) is told apart by the next call of
  the round: if the SRI answers it, the failure was that document's own, which backs off
  alone on REINTENTOS; if not (or nothing follows), the SRI is down and the whole
  dispatcher pauses, REINTENTOS by rounds failed in a row. While paused nothing is sent,
  so a document emitted during an outage never overtakes an older one, and the outage is
  not hammered. The error stays on /health until the SRI answers again; the documents'
  own error and next try are on their `sri` block and in `prometeo sri estado`.
- A document whose process stopped (DEVUELTA for a reason a person must fix, NO
  AUTORIZADO, AUTORIZADO) is dropped from the schedule; once corrected and signed again
  it is sent like a new one."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, literal, or_, select, union_all, update
from sqlalchemy.exc import IntegrityError

from prometeo.application.servicios.envio_sri import Paso, ServicioEnvioSri
from prometeo.application.sri import ComprobantePendiente, ErrorCorreo, ErrorTransitorioSri
from prometeo.domain.aggregates.comprobante_electronico import EstadoSri
from prometeo.domain.value_objects.numero_comprobante import TipoComprobante
from prometeo.infrastructure.db.tablas import NUNCA_MS, arriendos, envios_sri
from prometeo.infrastructure.proyecciones.tablas import vista_facturas, vista_notas_credito
from prometeo.infrastructure.sri.hilo_de_fondo import HiloDeFondo

logger = logging.getLogger("prometeo.sri")

ARRIENDO = 30.0  # seconds a dispatcher holds the lease without renewing it (by default)
ESPERA_PRIMERA_CONSULTA = 1.0
# Autorización again after these seconds (by query number), then every 30 minutes.
CONSULTAS = (2.0, 5.0, 30.0, 60.0, 120.0, 300.0, 900.0, 1800.0)
# A transient failure: try again after these seconds (by failure in a row), capped.
REINTENTOS = (2.0, 5.0, 15.0, 30.0, 60.0, 300.0, 900.0)
# The states the dispatcher works on (DEVUELTA: 70/43/45 are asked about; others stop).
EN_CURSO = (
    EstadoSri.FIRMADO.value,
    EstadoSri.RECIBIDA.value,
    EstadoSri.EN_PROCESO.value,
    EstadoSri.DEVUELTA.value,
)
_TERMINADOS = frozenset({EstadoSri.AUTORIZADO, EstadoSri.NO_AUTORIZADO})


@dataclass(frozen=True, slots=True)
class RondaDespacho:
    """What one round did."""

    enviados: int = 0
    consultados: int = 0
    transitorios: int = 0
    correos: int = 0
    ultimo_error: str | None = None
    sin_arriendo: bool = False
    en_pausa: bool = False


def _ms(segundos: float) -> int:
    return int(segundos * 1000)


class Arriendo:
    """The lease named `nombre`, held by `dueno` until `hasta_ms`: `duracion` seconds after
    it was last taken or renewed."""

    def __init__(
        self,
        engine: Engine,
        nombre: str,
        dueno: str,
        reloj: Callable[[], float],
        duracion: float = ARRIENDO,
    ) -> None:
        self._engine = engine
        self._nombre = nombre
        self._dueno = dueno
        self._reloj = reloj
        self._duracion = duracion

    def tomar(self) -> bool:
        """Take or renew the lease; False while someone else holds it."""
        ahora = _ms(self._reloj())
        hasta = ahora + _ms(self._duracion)
        a = arriendos
        with self._engine.begin() as conexion:
            renovado = conexion.execute(
                update(a)
                .where(a.c.nombre == self._nombre)
                .where(or_(a.c.dueno == self._dueno, a.c.hasta_ms < ahora))
                .values(dueno=self._dueno, hasta_ms=hasta)
            ).rowcount
            if renovado:
                return True
            existe = conexion.execute(select(a.c.nombre).where(a.c.nombre == self._nombre))
            if existe.first() is not None:
                return False
            conexion.execute(
                insert(a).values(nombre=self._nombre, dueno=self._dueno, hasta_ms=hasta)
            )
            return True

    def soltar(self) -> None:
        with self._engine.begin() as conexion:
            conexion.execute(
                update(arriendos)
                .where(arriendos.c.nombre == self._nombre, arriendos.c.dueno == self._dueno)
                .values(hasta_ms=0)
            )


def _por_despachar(conexion: Connection, ahora_ms: int, limite: int) -> list[ComprobantePendiente]:
    """Documents in the SRI's process that are due, oldest emission first."""
    e = envios_sri
    partes = [
        select(
            literal(tipo).label("tipo"),
            t.c.id,
            t.c.fecha_emision,
            t.c.posicion,
            t.c.estado_sri,
        ).where(
            or_(
                t.c.estado_sri.in_(EN_CURSO),
                # Authorized and still scheduled: its mail to the buyer is pending.
                (t.c.estado_sri == EstadoSri.AUTORIZADO.value)
                & t.c.id.in_(select(e.c.documento_id)),
            )
        )
        for tipo, t in (
            (TipoComprobante.FACTURA.value, vista_facturas),
            (TipoComprobante.NOTA_CREDITO.value, vista_notas_credito),
        )
    ]
    d: Any = union_all(*partes).subquery()
    consulta = (
        select(d.c.tipo, d.c.id)
        .select_from(d.outerjoin(e, e.c.documento_id == d.c.id))
        .where(
            or_(
                e.c.proximo_ms.is_(None),
                e.c.proximo_ms <= ahora_ms,
                # Stopped, then corrected and signed again: its stop no longer holds.
                (e.c.proximo_ms == NUNCA_MS) & (d.c.estado_sri == EstadoSri.FIRMADO.value),
            )
        )
        .order_by(d.c.fecha_emision, d.c.posicion)
        .limit(limite)
    )
    return [ComprobantePendiente(f.tipo, f.id) for f in conexion.execute(consulta)]


def _programar(
    conexion: Connection,
    pendiente: ComprobantePendiente,
    proximo_ms: int,
    intentos: int,
    error: str | None,
    consultas: int | None = None,
) -> None:
    """Write the document's schedule row (`consultas` None: keep the stored count)."""
    e = envios_sri
    valores: dict[str, Any] = {"proximo_ms": proximo_ms, "intentos": intentos}
    valores["ultimo_error"] = error
    if consultas is not None:
        valores["consultas"] = consultas
    cambiadas = conexion.execute(
        update(e).where(e.c.documento_id == pendiente.documento_id).values(**valores)
    ).rowcount
    if cambiadas:
        return
    try:
        with conexion.begin_nested():
            conexion.execute(
                insert(e).values(
                    documento_id=pendiente.documento_id,
                    tipo_comprobante=pendiente.tipo,
                    **valores,
                )
            )
    except IntegrityError:
        # Another dispatcher scheduled it between our UPDATE and INSERT: ours wins.
        conexion.execute(
            update(e).where(e.c.documento_id == pendiente.documento_id).values(**valores)
        )


def _cuentas(conexion: Connection, documento_id: str) -> tuple[int, int]:
    """(failures in a row, authorization queries) of the document's schedule row."""
    e = envios_sri
    fila = conexion.execute(
        select(e.c.intentos, e.c.consultas).where(e.c.documento_id == documento_id)
    ).first()
    return (int(fila.intentos), int(fila.consultas)) if fila is not None else (0, 0)


class DespachadorSri(HiloDeFondo):
    """Rounds of the SRI's process over due documents (see the module docstring)."""

    NOMBRE_HILO = "despacho-sri"

    def __init__(
        self,
        engine: Engine,
        servicio: ServicioEnvioSri,
        *,
        dueno: str,
        lote: int = 50,
        intervalo: float = 0.5,
        reloj: Callable[[], float] = time.time,
        con_correo: bool = False,
        arriendo: float = ARRIENDO,
    ) -> None:
        self._engine = engine
        self.con_correo = con_correo
        self._servicio = servicio
        self._lote = lote
        self.intervalo = intervalo
        self.reloj = reloj
        self.arriendo = Arriendo(engine, "sri", dueno, lambda: self.reloj(), arriendo)
        self.ultimo_error: str | None = None
        self.activo = False
        # Rounds that found the SRI down, in a row; no round before pausa_hasta (reloj).
        self._fallos_seguidos = 0
        self.pausa_hasta = float("-inf")
        super().__init__()

    def ronda(self) -> RondaDespacho:
        if not self.arriendo.tomar():
            self.activo = False
            return RondaDespacho(sin_arriendo=True)
        self.activo = True
        if self.reloj() < self.pausa_hasta:
            # The SRI was down at the last try: nothing goes before the retry time, so
            # that when it is back the oldest documents go first.
            return RondaDespacho(en_pausa=True, ultimo_error=self.ultimo_error)
        with self._engine.connect() as conexion:
            pendientes = _por_despachar(conexion, _ms(self.reloj()), self._lote)
        enviados = consultados = correos = transitorios = 0
        # A failure is the SRI's (down) or the document's own: told apart by the next call.
        fallido: tuple[ComprobantePendiente, str] | None = None
        for pendiente in pendientes:
            try:
                paso = self._servicio.paso(pendiente)
            except ErrorTransitorioSri as error:
                transitorios += 1
                if fallido is not None:  # two in a row: the SRI is down
                    self._pausar([fallido, (pendiente, str(error))])
                    return RondaDespacho(
                        enviados, consultados, transitorios, correos, ultimo_error=str(error)
                    )
                fallido = (pendiente, str(error))
                continue
            except ErrorCorreo as error:  # the mail waits; the SRI's work goes on
                self._fallo(pendiente, str(error))
                continue
            except Exception as error:  # one document's bug must not stop the others
                logger.exception("Falló el paso del SRI de %s", pendiente.documento_id)
                self._fallo(pendiente, f"{type(error).__name__}: {error}")
                continue
            enviados += paso is Paso.ENVIADO
            correos += paso is Paso.CORREO
            consultados += paso is Paso.CONSULTADO
            if paso in (Paso.ENVIADO, Paso.CONSULTADO):
                # The SRI answered: it is up, and an earlier failure was that document's.
                self._fallos_seguidos = 0
                self.ultimo_error = None
                if fallido is not None:
                    self._fallo(*fallido)
                    fallido = None
            self._siguiente(pendiente, paso)
        if fallido is not None:  # nothing after it answered: take the SRI as down
            self._pausar([fallido])
            return RondaDespacho(
                enviados, consultados, transitorios, correos, ultimo_error=fallido[1]
            )
        return RondaDespacho(enviados, consultados, transitorios, correos)

    def _siguiente(self, pendiente: ComprobantePendiente, paso: Paso) -> None:
        """Schedule the document's next look, from where its process stands now."""
        documento = self._servicio.documento(pendiente)
        ahora = self.reloj()
        with self._engine.begin() as conexion:
            if documento.estado_sri is EstadoSri.DEVUELTA and not documento.debe_consultarse:
                # Stopped until a person fixes it: out of the rounds, kept to be shown.
                _programar(conexion, pendiente, NUNCA_MS, 0, None, 0)
                return
            if documento.estado_sri is EstadoSri.PENDIENTE:
                # Sent back to be signed (a resend): it is sent as soon as it is signed.
                _programar(conexion, pendiente, _ms(ahora), 0, None, 0)
                return
            if documento.debe_enviarse_correo and self.con_correo:
                fallos, _ = _cuentas(conexion, pendiente.documento_id)
                _programar(
                    conexion, pendiente, _ms(ahora), fallos if paso is Paso.NADA else 0, None
                )
                return
            if documento.estado_sri in _TERMINADOS:
                conexion.execute(
                    delete(envios_sri).where(envios_sri.c.documento_id == pendiente.documento_id)
                )
                return
            if paso is Paso.ENVIADO or documento.debe_enviarse:
                espera = ESPERA_PRIMERA_CONSULTA
                _programar(conexion, pendiente, _ms(ahora + espera), 0, None, 0)
                return
            _, consultas = _cuentas(conexion, pendiente.documento_id)
            espera = CONSULTAS[min(consultas, len(CONSULTAS) - 1)]
            _programar(conexion, pendiente, _ms(ahora + espera), 0, None, consultas + 1)

    def _pausar(self, fallidos: Sequence[tuple[ComprobantePendiente, str]]) -> None:
        """The SRI is down: no round before the retry time (longer the more rounds failed
        in a row); the documents that failed are due again then."""
        espera = REINTENTOS[min(self._fallos_seguidos, len(REINTENTOS) - 1)]
        self._fallos_seguidos += 1
        self.pausa_hasta = self.reloj() + espera
        for pendiente, error in fallidos:
            self._fallo(pendiente, error, self.pausa_hasta)

    def _fallo(
        self, pendiente: ComprobantePendiente, error: str, hasta: float | None = None
    ) -> None:
        """Record a failed try of this document, due again at `hasta` or, if None, after
        its own backoff (a failure of its own: the SRI answered the others)."""
        logger.warning("El SRI no respondió para %s: %s", pendiente.documento_id, error)
        self.ultimo_error = error
        with self._engine.begin() as conexion:
            fallos, _ = _cuentas(conexion, pendiente.documento_id)
            if hasta is None:
                hasta = self.reloj() + REINTENTOS[min(fallos, len(REINTENTOS) - 1)]
            _programar(conexion, pendiente, _ms(hasta), fallos + 1, error[:500])

    def _bucle(self) -> None:
        while not self._parar.is_set():
            try:
                ronda = self.ronda()
            except Exception:  # a round must never kill the thread; the next one retries
                logger.exception("Falló una ronda del despacho al SRI")
                ronda = RondaDespacho()
            if ronda.enviados + ronda.consultados + ronda.correos >= self._lote:
                continue
            self._despertar.wait(self.intervalo)
            self._despertar.clear()

    def parar(self) -> None:
        super().parar()
        self.arriendo.soltar()


def programados(conexion: Connection) -> Sequence[Any]:
    """The schedule, next first (for `prometeo sri estado`)."""
    e = envios_sri
    return list(conexion.execute(select(e).order_by(e.c.proximo_ms)))
