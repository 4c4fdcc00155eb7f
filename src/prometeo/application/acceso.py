"""Who may call: bearer tokens, their holders and roles, and the port that issues,
lists, revokes and recognizes them (the API checks every request against it)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from prometeo.domain.errores import Duplicado

LARGO_MAXIMO_NOMBRE = 100
# The name of the settings' admin token (PROMETEO_ADMIN_TOKEN): no issued token takes it.
NOMBRE_ADMIN = "admin"
ID_ADMIN = "PROMETEO_ADMIN_TOKEN"


class Rol(StrEnum):
    """What a token holder may do: admin everything; cajero facturas, notas de crédito
    and reads; bodeguero inventory entries and transfers and reads; contador reads only."""

    ADMIN = "admin"
    CAJERO = "cajero"
    BODEGUERO = "bodeguero"
    CONTADOR = "contador"


# Who may sell below list price or beyond the discount a cajero may give (the API and the
# sale screen alike).
ROLES_QUE_REBAJAN = frozenset({Rol.ADMIN})


@dataclass(frozen=True, slots=True)
class Portador:
    """Who presented a valid token: its name, role and id (what the events' audit
    records: names are for people, and a revoked name may be issued again)."""

    nombre: str
    rol: Rol
    id: str


@dataclass(frozen=True, slots=True)
class TokenEmitido:
    """A new token: the secret is shown once and never stored."""

    token: str
    id: str
    nombre: str
    rol: Rol
    creado_en: datetime
    expira_en: datetime | None = None


@dataclass(frozen=True, slots=True)
class TokenVista:
    """A token as listed: never its secret."""

    id: str
    nombre: str
    rol: Rol
    creado_en: datetime
    expira_en: datetime | None
    revocado_en: datetime | None
    ultimo_uso: datetime | None


ADMIN = Portador(NOMBRE_ADMIN, Rol.ADMIN, ID_ADMIN)  # who PROMETEO_ADMIN_TOKEN names


def nombre_valido(nombre: str) -> str:
    """The holder's name stripped: one line, 1 to 100 characters, not the admin token's."""
    limpio = nombre.strip()
    if not limpio or len(limpio) > LARGO_MAXIMO_NOMBRE or not limpio.isprintable():
        raise ValueError(
            f"El nombre del token debe tener de 1 a {LARGO_MAXIMO_NOMBRE} caracteres "
            "imprimibles, en una sola línea"
        )
    if limpio.casefold() == NOMBRE_ADMIN:
        raise ValueError(
            f"El nombre del token no puede ser «{NOMBRE_ADMIN}»: es el de "
            "PROMETEO_ADMIN_TOKEN; use uno que diga quién lo usa"
        )
    return limpio


def nombre_repetido(nombre: str) -> Duplicado:
    return Duplicado(
        "NombreTokenUnico",
        f"Ya existe un token llamado «{nombre}» (sin distinguir mayúsculas); los nombres "
        "dicen quién usa cada token y no se repiten",
    )


class RegistroTokens(ABC):
    """Issues, lists, revokes and recognizes tokens. The admin token of the settings, when
    given, is valid from start and recognized without any storage."""

    @abstractmethod
    def emitir(
        self, nombre: str, rol: Rol | str, expira_en: datetime | None = None
    ) -> TokenEmitido:
        """A new token for `nombre` (validated by `nombre_valido`, ValueError otherwise;
        Duplicado when another token has that name), valid until `expira_en` if given
        (ValorInvalido unless it is in the future)."""

    @abstractmethod
    def listar(self) -> list[TokenVista]:
        """Every issued token, oldest first, revoked ones included."""

    @abstractmethod
    def revocar(self, token_id: str) -> TokenVista:
        """Revoke a token for good (NoEncontrado for an unknown id); revoking twice keeps
        the first revocation."""

    @abstractmethod
    def es_admin(self, token: str) -> bool:
        """Whether `token` is the settings' admin token; never touches storage."""

    @abstractmethod
    def portador(self, token: str) -> Portador | None:
        """Whose token this is, or None when it is unknown, revoked or expired. Notes its
        use (kept to the minute, written later: never a write on the caller's path)."""
