"""API tokens: random bearer secrets of which only a SHA-256 hash is stored, each with a
name (who holds it) and a role (what it may do)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime

from sqlalchemy import Engine, insert, select

from prometeo.application.acceso import (
    ADMIN,
    LARGO_MAXIMO_NOMBRE,
    Portador,
    RegistroTokens,
    Rol,
    TokenEmitido,
    nombre_valido,
)
from prometeo.infrastructure.db.tablas import tokens

__all__ = [
    "ADMIN",
    "BYTES_POR_TOKEN",
    "LARGO_MAXIMO_NOMBRE",
    "AlmacenTokens",
    "Portador",
    "Rol",
    "TokenEmitido",
    "hash_de",
    "nombre_valido",
]

# 32 random bytes: 256 bits, far beyond guessing; urlsafe so it travels in a header.
BYTES_POR_TOKEN = 32


def hash_de(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class AlmacenTokens(RegistroTokens):
    """RegistroTokens on the tokens table, which holds only hashes. PROMETEO_ADMIN_TOKEN,
    when given, is an admin token valid from start (compared in constant time, never
    stored)."""

    def __init__(self, engine: Engine, token_admin: str | None = None) -> None:
        self._engine = engine
        self._hash_admin = hash_de(token_admin) if token_admin else None

    def emitir(self, nombre: str, rol: Rol | str) -> TokenEmitido:
        rol = Rol(rol)
        nombre = nombre_valido(nombre)
        token = secrets.token_urlsafe(BYTES_POR_TOKEN)
        with self._engine.begin() as conexion:
            conexion.execute(
                insert(tokens).values(
                    hash=hash_de(token), nombre=nombre, rol=rol.value, creado_en=datetime.now(UTC)
                )
            )
        return TokenEmitido(token, nombre, rol)

    def es_admin(self, token: str) -> bool:
        """Whether `token` is PROMETEO_ADMIN_TOKEN (known without the database)."""
        # Comparing hashes keeps the time independent of how much of the secret matches.
        return self._hash_admin is not None and hmac.compare_digest(
            hash_de(token), self._hash_admin
        )

    def portador(self, token: str) -> Portador | None:
        """Whose token this is, or None when it is not a valid token."""
        if self.es_admin(token):
            return ADMIN
        hash_token = hash_de(token)
        with self._engine.connect().execution_options(sqlite_begin="DEFERRED") as conexion:
            fila = conexion.execute(
                select(tokens.c.nombre, tokens.c.rol).where(tokens.c.hash == hash_token)
            ).first()
        if fila is None:
            return None
        return Portador(fila.nombre, Rol(fila.rol))
