"""People and their web sessions on the `usuarios` and `sesiones` tables: argon2 password
hashes (argon2id, the library's defaults), session secrets stored as SHA-256 like API
tokens (tokens.py)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, Row, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from prometeo.application.acceso import Rol
from prometeo.application.personas import (
    AjustesWeb,
    RegistroUsuarios,
    SesionAbierta,
    SesionVigente,
    UsuarioVista,
    clave_valida,
    nombre_usuario_valido,
    usuario_repetido,
)
from prometeo.domain.errores import NoEncontrado
from prometeo.infrastructure.db.tablas import sesiones, usuarios
from prometeo.infrastructure.db.tokens import hash_de

BYTES_POR_SESION = 32
# A session's idle limit is written forward at most this often: not a write per request.
ANOTAR_ACTIVIDAD_CADA = timedelta(seconds=60)

_u, _s = usuarios, sesiones


def _ahora() -> datetime:
    return datetime.now(UTC)


def _con_zona(momento: datetime) -> datetime:
    """SQLite gives back naive datetimes: they were stored in UTC."""
    return momento if momento.tzinfo is not None else momento.replace(tzinfo=UTC)


def _vista(fila: Row[tuple[object, ...]]) -> UsuarioVista:
    return UsuarioVista(
        fila.id,
        fila.nombre,
        Rol(fila.rol),
        bool(fila.activo),
        _con_zona(fila.creado_en),
    )


class AlmacenUsuarios(RegistroUsuarios):
    """RegistroUsuarios on SQL. `hasheador` may be a cheaper PasswordHasher in tests."""

    def __init__(
        self,
        engine: Engine,
        ajustes: AjustesWeb | None = None,
        *,
        hasheador: PasswordHasher | None = None,
        reloj: Callable[[], datetime] = _ahora,
    ) -> None:
        self._engine = engine
        self._ajustes = ajustes or AjustesWeb()
        self._hasheador = hasheador or PasswordHasher()
        self._reloj = reloj
        # Verified against when the name is unknown, so that it costs what a real one does.
        self._hash_señuelo = self._hasheador.hash(secrets.token_urlsafe(16))

    def crear(self, nombre: str, rol: Rol | str, clave: str) -> UsuarioVista:
        rol = Rol(rol)
        nombre = nombre_usuario_valido(nombre)
        hash_clave = self._hasheador.hash(clave_valida(clave))
        vista = UsuarioVista(str(uuid.uuid4()), nombre, rol, True, self._reloj())
        try:
            with self._engine.begin() as conexion:
                conexion.execute(
                    insert(_u).values(
                        id=vista.id,
                        nombre=nombre,
                        nombre_unico=nombre.casefold(),
                        rol=rol.value,
                        hash_clave=hash_clave,
                        activo=True,
                        creado_en=vista.creado_en,
                    )
                )
        except IntegrityError:
            raise usuario_repetido(nombre) from None
        return vista

    def listar(self) -> list[UsuarioVista]:
        with self._engine.connect() as conexion:
            filas = conexion.execute(select(_u).order_by(_u.c.creado_en, _u.c.id)).all()
        return [_vista(f) for f in filas]

    def desactivar(self, nombre: str) -> UsuarioVista:
        return self._cambiar_activo(nombre, activo=False)

    def reactivar(self, nombre: str) -> UsuarioVista:
        return self._cambiar_activo(nombre, activo=True)

    def _cambiar_activo(self, nombre: str, *, activo: bool) -> UsuarioVista:
        """Let the user sign in or not; deactivating also ends their sessions, in the same
        transaction (no session outlives its user's deactivation)."""
        unico = nombre.strip().casefold()
        with self._engine.begin() as conexion:
            fila = conexion.execute(select(_u).where(_u.c.nombre_unico == unico)).first()
            if fila is None:
                raise NoEncontrado("un usuario", nombre.strip())
            conexion.execute(update(_u).where(_u.c.id == fila.id).values(activo=activo))
            if not activo:
                conexion.execute(delete(_s).where(_s.c.usuario_id == fila.id))
        return UsuarioVista(fila.id, fila.nombre, Rol(fila.rol), activo, _con_zona(fila.creado_en))

    def verificar(self, nombre: str, clave: str) -> UsuarioVista | None:
        unico = nombre.strip().casefold()
        with self._engine.connect() as conexion:
            fila = conexion.execute(select(_u).where(_u.c.nombre_unico == unico)).first()
        hash_clave = fila.hash_clave if fila is not None else self._hash_señuelo
        try:
            self._hasheador.verify(hash_clave, clave)
        except (VerificationError, InvalidHashError):
            return None
        if fila is None or not fila.activo:
            return None
        if self._hasheador.check_needs_rehash(hash_clave):
            with self._engine.begin() as conexion:
                conexion.execute(
                    update(_u)
                    .where(_u.c.id == fila.id)
                    .values(hash_clave=self._hasheador.hash(clave))
                )
        return _vista(fila)

    def abrir_sesion(self, usuario: UsuarioVista) -> SesionAbierta:
        secreto = secrets.token_urlsafe(BYTES_POR_SESION)
        csrf = secrets.token_urlsafe(BYTES_POR_SESION)
        ahora = self._reloj()
        expira_en = min(self._idle(ahora), self._maximo(ahora))
        with self._engine.begin() as conexion:
            conexion.execute(
                insert(_s).values(
                    hash=hash_de(secreto),
                    usuario_id=usuario.id,
                    csrf=csrf,
                    creada_en=ahora,
                    expira_en=expira_en,
                    ultima_actividad=ahora,
                )
            )
        return SesionAbierta(
            secreto, SesionVigente(usuario.id, usuario.nombre, usuario.rol, csrf, expira_en)
        )

    def sesion(self, secreto: str) -> SesionVigente | None:
        clave = hash_de(secreto)
        consulta = (
            select(_s, _u.c.nombre, _u.c.rol, _u.c.activo)
            .join(_u, _u.c.id == _s.c.usuario_id)
            .where(_s.c.hash == clave)
        )
        with self._engine.connect() as conexion:
            fila = conexion.execute(consulta).first()
        if fila is None or not fila.activo:
            return None
        ahora = self._reloj()
        expira_en = _con_zona(fila.expira_en)
        if expira_en <= ahora:
            self.cerrar_sesion(secreto)
            return None
        if ahora - _con_zona(fila.ultima_actividad) >= ANOTAR_ACTIVIDAD_CADA:
            expira_en = min(self._idle(ahora), self._maximo(_con_zona(fila.creada_en)))
            with self._engine.begin() as conexion:
                conexion.execute(
                    update(_s)
                    .where(_s.c.hash == clave)
                    .values(ultima_actividad=ahora, expira_en=expira_en)
                )
        return SesionVigente(fila.usuario_id, fila.nombre, Rol(fila.rol), fila.csrf, expira_en)

    def cerrar_sesion(self, secreto: str) -> None:
        with self._engine.begin() as conexion:
            conexion.execute(delete(_s).where(_s.c.hash == hash_de(secreto)))

    def _idle(self, desde: datetime) -> datetime:
        return desde + timedelta(minutes=self._ajustes.sesion_minutos)

    def _maximo(self, creada_en: datetime) -> datetime:
        return creada_en + timedelta(hours=self._ajustes.sesion_horas_maximas)
