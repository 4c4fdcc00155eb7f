"""API tokens: random bearer secrets of which only a SHA-256 hash is stored, each with an
id, a unique name (who holds it), a role (what it may do), an optional expiry, its
revocation and when it was last used."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Engine, Row, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from prometeo.application.acceso import (
    ADMIN,
    LARGO_MAXIMO_NOMBRE,
    Portador,
    RegistroTokens,
    Rol,
    TokenEmitido,
    TokenVista,
    nombre_repetido,
    nombre_valido,
)
from prometeo.domain.errores import NoEncontrado, ValorInvalido
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
# A token's last use is written at most this often (seconds), in the background.
ANOTAR_USO_CADA = 60.0

_t = tokens
_VIGENTE = select(_t.c.id, _t.c.nombre, _t.c.rol, _t.c.expira_en, _t.c.revocado_en).where(
    _t.c.hash == bindparam("hash")
)
_ANOTAR_USO = (
    update(_t)
    .where(_t.c.id == bindparam("b_id"))
    .where((_t.c.ultimo_uso.is_(None)) | (_t.c.ultimo_uso < bindparam("b_uso")))
    .values(ultimo_uso=bindparam("b_uso"))
)


def hash_de(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _ahora() -> datetime:
    return datetime.now(UTC)


def _con_zona(momento: datetime | None) -> datetime | None:
    """SQLite gives back naive datetimes: they were stored in UTC."""
    if momento is None or momento.tzinfo is not None:
        return momento
    return momento.replace(tzinfo=UTC)


def _vista(fila: Row[tuple[object, ...]]) -> TokenVista:
    return TokenVista(
        fila.id,
        fila.nombre,
        Rol(fila.rol),
        _con_zona(fila.creado_en),  # type: ignore[arg-type]
        _con_zona(fila.expira_en),
        _con_zona(fila.revocado_en),
        _con_zona(fila.ultimo_uso),
    )


class AlmacenTokens(RegistroTokens):
    """RegistroTokens on the tokens table, which holds only hashes. PROMETEO_ADMIN_TOKEN,
    when given, is an admin token valid from start (compared in constant time, never
    stored)."""

    def __init__(
        self,
        engine: Engine,
        token_admin: str | None = None,
        *,
        reloj: Callable[[], datetime] = _ahora,
    ) -> None:
        self._engine = engine
        self._hash_admin = hash_de(token_admin) if token_admin else None
        self._reloj = reloj
        # Last uses not written yet, by token id; the process's writer thread writes them.
        self._usos: dict[str, datetime] = {}
        self._candado = threading.Lock()

    def emitir(
        self, nombre: str, rol: Rol | str, expira_en: datetime | None = None
    ) -> TokenEmitido:
        rol = Rol(rol)
        nombre = nombre_valido(nombre)
        creado_en = self._reloj()
        if expira_en is not None and expira_en <= creado_en:
            raise ValorInvalido(
                "ExpiracionFutura", "La expiración del token debe ser posterior a este momento"
            )
        token = secrets.token_urlsafe(BYTES_POR_TOKEN)
        token_id = str(uuid.uuid4())
        try:
            with self._engine.begin() as conexion:
                conexion.execute(
                    insert(_t).values(
                        hash=hash_de(token),
                        id=token_id,
                        nombre=nombre,
                        nombre_unico=nombre.casefold(),
                        rol=rol.value,
                        creado_en=creado_en,
                        expira_en=expira_en,
                    )
                )
        except IntegrityError:
            raise nombre_repetido(nombre) from None
        return TokenEmitido(token, token_id, nombre, rol, creado_en, expira_en)

    def listar(self) -> list[TokenVista]:
        self.anotar_usos()
        with self._engine.connect() as conexion:
            filas = conexion.execute(select(_t).order_by(_t.c.creado_en, _t.c.id)).all()
        return [_vista(f) for f in filas]

    def revocar(self, token_id: str) -> TokenVista:
        with self._engine.begin() as conexion:
            conexion.execute(
                update(_t)
                .where(_t.c.id == token_id, _t.c.revocado_en.is_(None))
                .values(revocado_en=self._reloj())
            )
            fila = conexion.execute(select(_t).where(_t.c.id == token_id)).first()
        if fila is None:
            raise NoEncontrado("un token", token_id)
        return _vista(fila)

    def es_admin(self, token: str) -> bool:
        """Whether `token` is PROMETEO_ADMIN_TOKEN (known without the database)."""
        # Comparing hashes keeps the time independent of how much of the secret matches.
        return self._hash_admin is not None and hmac.compare_digest(
            hash_de(token), self._hash_admin
        )

    def portador(self, token: str) -> Portador | None:
        """Whose token this is, or None when it is unknown, revoked or expired."""
        if self.es_admin(token):
            return ADMIN
        with self._engine.connect().execution_options(sqlite_begin="DEFERRED") as conexion:
            fila = conexion.execute(_VIGENTE, {"hash": hash_de(token)}).first()
        if fila is None or fila.revocado_en is not None:
            return None
        ahora = self._reloj()
        expira_en = _con_zona(fila.expira_en)
        if expira_en is not None and expira_en <= ahora:
            return None
        self._uso(fila.id, ahora)
        return Portador(fila.nombre, Rol(fila.rol), fila.id)

    def _uso(self, token_id: str, ahora: datetime) -> None:
        with self._candado:
            primero = not self._usos
            self._usos[token_id] = ahora
        if primero:
            escritor_usos.apuntar(self)

    def anotar_usos(self) -> None:
        """Write the last uses noted since the previous call (one statement)."""
        with self._candado:
            usos, self._usos = self._usos, {}
        if not usos:
            return
        with self._engine.begin() as conexion:
            conexion.execute(
                _ANOTAR_USO, [{"b_id": i, "b_uso": momento} for i, momento in usos.items()]
            )


class _EscritorUsos:
    """One daemon thread per process writes the registries' last uses every
    ANOTAR_USO_CADA seconds; a registry is held only while it has uses to write."""

    def __init__(self) -> None:
        self._pendientes: set[AlmacenTokens] = set()
        self._candado = threading.Lock()
        self._hilo: threading.Thread | None = None

    def apuntar(self, almacen: AlmacenTokens) -> None:
        with self._candado:
            self._pendientes.add(almacen)
            if self._hilo is None:
                self._hilo = threading.Thread(
                    target=self._bucle, name="tokens-ultimo-uso", daemon=True
                )
                self._hilo.start()

    def _bucle(self) -> None:
        while True:
            time.sleep(ANOTAR_USO_CADA)
            self.escribir()

    def escribir(self) -> None:
        """One pass: write every pending registry's last uses."""
        with self._candado:
            pendientes, self._pendientes = self._pendientes, set()
        for almacen in pendientes:
            try:
                almacen.anotar_usos()
            except Exception:  # a lost last use is harmless; its engine may be gone
                continue


escritor_usos = _EscritorUsos()
