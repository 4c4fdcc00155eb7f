"""Idempotency keys in the database (table `claves_idempotencia`), shared by every
process that serves the API: see application/idempotencia.py."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from uuid import uuid4

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from prometeo.application.idempotencia import (
    ClaveIdempotenciaPerdida,
    EstadoReclamo,
    Reclamo,
    RegistroIdempotencia,
    ReservaIdempotencia,
    RespuestaGuardada,
)
from prometeo.infrastructure.db.tablas import claves_idempotencia

_c = claves_idempotencia
EN_CURSO, HECHA, RESPONDIDA = "en_curso", "hecha", "respondida"
# A claim still running after this long belongs to an attempt taken for dead (its process
# stopped): another may take it over. Safe even if it was only slow: a command commits
# only while its attempt still holds the key (marcar_hecha).
TOMA_VENCIDA = 30.0
# Keys are kept at least 24 h (API.md); older ones are purged now and then.
CONSERVAR = 48 * 3600.0
_PURGAR_CADA = 600.0
# Refusals that are not final: the same key may be used again.
_NO_DEFINITIVOS = frozenset({401, 403, 409, 413, 429})


def _ms(segundos: float) -> int:
    return int(segundos * 1000)


def id_de_clave(alcance: str, clave: str) -> str:
    return hashlib.sha256(f"{alcance}\n{clave}".encode()).hexdigest()


class RegistroIdempotenciaSql(RegistroIdempotencia):
    """`transaccion` opens each write transaction: the engine's by default; with group
    commit on SQLite, a member of the commands' batches (GrupoCommit.transaccion)."""

    def __init__(
        self,
        engine: Engine,
        reloj: Callable[[], float] = time.time,
        transaccion: Callable[[], AbstractContextManager[Connection]] | None = None,
    ) -> None:
        self._engine = engine
        self._reloj = reloj
        self._transaccion = transaccion or engine.begin
        self._purgado = float("-inf")

    def reclamar(self, alcance: str, clave: str, huella: str) -> Reclamo:
        id_ = id_de_clave(alcance, clave)
        dueno = str(uuid4())
        ahora = self._reloj()
        self._purgar(ahora)
        with self._transaccion() as conexion:
            try:
                with conexion.begin_nested():
                    conexion.execute(
                        insert(_c).values(
                            id=id_,
                            huella=huella,
                            dueno=dueno,
                            estado=EN_CURSO,
                            creado_ms=_ms(ahora),
                            tomado_ms=_ms(ahora),
                        )
                    )
                return Reclamo(EstadoReclamo.NUEVA, ReservaIdempotencia(id_, dueno))
            except IntegrityError:
                pass
            return self._existente(conexion, id_, huella, dueno, ahora)

    def _existente(
        self, conexion: Connection, id_: str, huella: str, dueno: str, ahora: float
    ) -> Reclamo:
        fila = conexion.execute(select(_c).where(_c.c.id == id_)).first()
        if fila is None:  # purged between the INSERT and here: treat it as in use
            return Reclamo(EstadoReclamo.EN_CURSO)
        if fila.huella != huella:
            return Reclamo(EstadoReclamo.OTRO_CUERPO)
        if fila.estado == RESPONDIDA:
            respuesta = RespuestaGuardada(
                int(fila.estado_http), fila.tipo_contenido, bytes(fila.cuerpo or b"")
            )
            return Reclamo(EstadoReclamo.REPETIDA, respuesta=respuesta)
        vencida = ahora - fila.tomado_ms / 1000 > TOMA_VENCIDA
        if fila.estado == HECHA:
            # Done; its answer is on its way, or was lost with its process.
            return Reclamo(EstadoReclamo.SIN_RESPUESTA if vencida else EstadoReclamo.EN_CURSO)
        if vencida:
            tomada = conexion.execute(
                update(_c)
                .where(_c.c.id == id_, _c.c.estado == EN_CURSO, _c.c.dueno == fila.dueno)
                .values(dueno=dueno, tomado_ms=_ms(ahora))
            ).rowcount
            if tomada:
                return Reclamo(EstadoReclamo.NUEVA, ReservaIdempotencia(id_, dueno))
        return Reclamo(EstadoReclamo.EN_CURSO)

    def cerrar(self, reserva: ReservaIdempotencia, respuesta: RespuestaGuardada) -> None:
        propia = (_c.c.id == reserva.id) & (_c.c.dueno == reserva.dueno)
        with self._transaccion() as conexion:
            estado = conexion.execute(select(_c.c.estado).where(propia)).scalar()
            if estado is None:
                return  # taken over by another attempt: its answer is the one kept
            hecha = estado == HECHA
            if hecha and respuesta.estado_http >= 500:
                return  # done, its answer lost: kept done, never run again
            definitivo = respuesta.estado_http < 500 and (
                respuesta.estado_http not in _NO_DEFINITIVOS
            )
            if hecha or definitivo:
                conexion.execute(
                    update(_c)
                    .where(propia)
                    .values(
                        estado=RESPONDIDA,
                        estado_http=respuesta.estado_http,
                        tipo_contenido=respuesta.tipo_contenido,
                        cuerpo=respuesta.cuerpo,
                    )
                )
            else:
                conexion.execute(delete(_c).where(propia, _c.c.estado == EN_CURSO))

    def _purgar(self, ahora: float) -> None:
        if ahora - self._purgado < _PURGAR_CADA:
            return
        self._purgado = ahora
        with self._transaccion() as conexion:
            conexion.execute(delete(_c).where(_c.c.creado_ms < _ms(ahora - CONSERVAR)))


def marcar_hecha(conexion: Connection, reserva: ReservaIdempotencia) -> None:
    """In the command's own transaction: its key is done. ClaveIdempotenciaPerdida (and
    so no commit) when the attempt no longer holds it."""
    marcadas = conexion.execute(
        update(_c)
        .where(
            _c.c.id == reserva.id,
            _c.c.dueno == reserva.dueno,
            _c.c.estado.in_((EN_CURSO, HECHA)),
        )
        .values(estado=HECHA)
    ).rowcount
    if marcadas != 1:
        raise ClaveIdempotenciaPerdida(
            "Otra solicitud con la misma Idempotency-Key tomó su lugar; esta no se aplicó"
        )
