"""People who sign in on the web screens: their user names, password hashes and roles, and
their sessions. The port the screens check every request against (programs use API
tokens instead: acceso.py).

Invariants: a password is never stored, logged nor returned, only its argon2 hash; a
session's secret is stored only as its SHA-256, like a token's; a session ends when idle
for longer than its idle limit, past its absolute limit, when it is closed, or when its
user is deactivated."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime

from prometeo.application.acceso import Rol
from prometeo.domain.errores import Duplicado

LARGO_MAXIMO_USUARIO = 50
LARGO_MINIMO_CLAVE = 8
LARGO_MAXIMO_CLAVE = 200
# Letters (any alphabet), digits and . _ - : what people type without thinking twice.
_USUARIO = re.compile(r"^[\w.\-]+$")


@dataclass(frozen=True, slots=True)
class UsuarioVista:
    """A person who may sign in, as listed: never the password nor its hash."""

    id: str
    nombre: str
    rol: Rol
    activo: bool
    creado_en: datetime


@dataclass(frozen=True, slots=True)
class SesionVigente:
    """A session recognized from its cookie: whose it is, its role, the token every form
    it posts must carry (CSRF) and until when it lasts if left idle."""

    usuario_id: str
    usuario: str
    rol: Rol
    csrf: str
    expira_en: datetime


@dataclass(frozen=True, slots=True)
class SesionAbierta:
    """A session just opened: `secreto` goes into the cookie, once, and is never stored."""

    secreto: str
    sesion: SesionVigente


@dataclass(frozen=True, slots=True)
class AjustesWeb:
    """How the screens keep sessions: idle minutes before a session ends, the most hours
    it lasts whatever its activity, and whether its cookie says Secure (None: when the
    request came over https)."""

    sesion_minutos: int = 480
    sesion_horas_maximas: int = 12
    cookie_segura: bool | None = None


def nombre_usuario_valido(nombre: str) -> str:
    """The user name stripped: 1 to 50 letters, digits, dots, dashes or underscores
    (ValueError otherwise). Names are unique ignoring case."""
    limpio = nombre.strip()
    if not limpio or len(limpio) > LARGO_MAXIMO_USUARIO or not _USUARIO.match(limpio):
        raise ValueError(
            f"El nombre de usuario debe tener de 1 a {LARGO_MAXIMO_USUARIO} letras, dígitos, "
            "puntos, guiones o guiones bajos, sin espacios"
        )
    return limpio


def clave_valida(clave: str) -> str:
    """The password as given (never stripped: every character counts), 8 to 200
    characters (ValueError otherwise; the message never repeats it)."""
    if not LARGO_MINIMO_CLAVE <= len(clave) <= LARGO_MAXIMO_CLAVE:
        raise ValueError(
            f"La contraseña debe tener de {LARGO_MINIMO_CLAVE} a {LARGO_MAXIMO_CLAVE} caracteres"
        )
    return clave


def usuario_repetido(nombre: str) -> Duplicado:
    return Duplicado(
        "NombreUsuarioUnico",
        f"Ya existe un usuario llamado «{nombre}» (sin distinguir mayúsculas)",
    )


class RegistroUsuarios(ABC):
    """Creates, lists and deactivates the people who sign in, checks their passwords and
    keeps their sessions."""

    @abstractmethod
    def crear(self, nombre: str, rol: Rol | str, clave: str) -> UsuarioVista:
        """A new active user (ValueError for an invalid name or password, Duplicado for a
        name in use); only the password's argon2 hash is kept."""

    @abstractmethod
    def listar(self) -> list[UsuarioVista]:
        """Every user, oldest first, deactivated ones included."""

    @abstractmethod
    def desactivar(self, nombre: str) -> UsuarioVista:
        """The user may no longer sign in and their open sessions end (NoEncontrado for an
        unknown name)."""

    @abstractmethod
    def reactivar(self, nombre: str) -> UsuarioVista:
        """A deactivated user may sign in again with the password they had (NoEncontrado
        for an unknown name); sessions ended by the deactivation stay ended."""

    @abstractmethod
    def verificar(self, nombre: str, clave: str) -> UsuarioVista | None:
        """The active user with this name and password, or None. Takes about as long for
        an unknown name as for a wrong password (nobody learns which names exist)."""

    @abstractmethod
    def abrir_sesion(self, usuario: UsuarioVista) -> SesionAbierta:
        """A new session for a user `verificar` just recognized."""

    @abstractmethod
    def sesion(self, secreto: str) -> SesionVigente | None:
        """The live session whose cookie holds `secreto`, its idle limit pushed forward
        (written at most once a minute); None when unknown, closed, expired or its user
        deactivated."""

    @abstractmethod
    def cerrar_sesion(self, secreto: str) -> None:
        """End that session for good (nothing happens for an unknown one)."""
