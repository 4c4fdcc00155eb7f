"""Who may call: bearer tokens, their holders and roles, and the port that issues and
recognizes them (the API checks every request against it)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import StrEnum

LARGO_MAXIMO_NOMBRE = 100


class Rol(StrEnum):
    """What a token holder may do: admin everything; cajero facturas, notas de crédito
    and reads; bodeguero inventory entries and transfers and reads; contador reads only."""

    ADMIN = "admin"
    CAJERO = "cajero"
    BODEGUERO = "bodeguero"
    CONTADOR = "contador"


@dataclass(frozen=True, slots=True)
class Portador:
    """Who presented a valid token: its name and role."""

    nombre: str
    rol: Rol


@dataclass(frozen=True, slots=True)
class TokenEmitido:
    """A new token: the secret is shown once and never stored."""

    token: str
    nombre: str
    rol: Rol


ADMIN = Portador("admin", Rol.ADMIN)  # who PROMETEO_ADMIN_TOKEN names


def nombre_valido(nombre: str) -> str:
    """The holder's name stripped: one line, 1 to 100 characters."""
    limpio = nombre.strip()
    if not limpio or len(limpio) > LARGO_MAXIMO_NOMBRE or not limpio.isprintable():
        raise ValueError(
            f"El nombre del token debe tener de 1 a {LARGO_MAXIMO_NOMBRE} caracteres "
            "imprimibles, en una sola línea"
        )
    return limpio


class RegistroTokens(ABC):
    """Issues tokens and recognizes them. The admin token of the settings, when given, is
    valid from start and recognized without any storage."""

    @abstractmethod
    def emitir(self, nombre: str, rol: Rol | str) -> TokenEmitido:
        """A new token for `nombre` (validated by `nombre_valido`, ValueError otherwise)."""

    @abstractmethod
    def es_admin(self, token: str) -> bool:
        """Whether `token` is the settings' admin token; never touches storage."""

    @abstractmethod
    def portador(self, token: str) -> Portador | None:
        """Whose token this is, or None when it is not a valid token."""
