"""Settings read from the environment at start (names as in API.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LARGO_MINIMO_TOKEN_ADMIN = 32


class Settings(BaseSettings):
    """Every PROMETEO_* variable. Unset values take the documented defaults."""

    model_config = SettingsConfigDict(env_prefix="PROMETEO_", extra="ignore")

    database_url: str = "sqlite:///./prometeo.db"
    broker_url: str | None = None
    exchange: str = "facturacion"
    # At least LARGO_MINIMO_TOKEN_ADMIN characters: it is a password to everything.
    admin_token: str | None = None
    hoy: date | None = None
    zona_horaria: str = "America/Guayaquil"
    plazo_nota_credito_dias: int = Field(default=365, ge=0, le=36500)
    # A factura may be annulled until this day of the month after its emission (SRI: 7).
    dia_limite_anulacion: int = Field(default=7, ge=1, le=28)
    snapshot_cada: int = Field(default=50, ge=0)
    sqlite_synchronous: str = Field(default="FULL", pattern="^(?i:FULL|NORMAL|EXTRA)$")
    # SQLite: how long a write waits for its turn (another writer holding it) before it is
    # answered 503 with nothing written.
    espera_escritura: float = Field(default=15.0, gt=0, le=600)
    reintentos_concurrencia: int = Field(default=8, ge=1, le=100)
    # SQLite: the commands that arrive together share one transaction (a savepoint each)
    # and one fsync; each is answered once that transaction has committed. At most
    # `grupo_commit_maximo` commands a transaction. Off: one transaction per command.
    # Ignored on other databases.
    grupo_commit: bool = True
    grupo_commit_maximo: int = Field(default=32, ge=1, le=1000)
    # The discount (per line or global, % of its value) a cajero may give alone; a price
    # below the list price, or more discount, needs an admin.
    descuento_maximo_cajero: Decimal = Field(default=Decimal("10"), ge=0, le=100)
    # embebidas: read models move inside each command's transaction (read your writes).
    # distribuidas: commands only store events; `prometeo worker` processes keep the read
    # models from RabbitMQ deliveries (needs PROMETEO_BROKER_URL and `prometeo relay`).
    proyecciones: Literal["embebidas", "distribuidas"] = "embebidas"
    # Aggregates kept in memory between commands (0 disables the cache).
    cache_agregados: int = Field(default=10_000, ge=0)
    # The emisor's PKCS#12 signature file and its password (or a file holding it); unset:
    # documents wait, unsigned, in state PENDIENTE. Secrets: never logged nor shown.
    firma_archivo: Path | None = None
    firma_clave: SecretStr | None = None
    firma_clave_archivo: Path | None = None
    # embebido: `prometeo serve` signs (and, with the next issue, sends) in the background;
    # separado: only `prometeo sri enviar` does; apagado: nobody does.
    sri_envio: Literal["embebido", "separado", "apagado"] = "embebido"
    # The SRI's web services; unset: by the emisor's ambiente (celcer pruebas, cel producción).
    sri_url: str | None = None
    sri_timeout: float = Field(default=30.0, gt=0, le=300)
    # How long the SRI dispatcher's lease outlives its last renewal: after a crash, the
    # wait before another process dispatches. It is renewed as each round starts (every
    # half second when idle); a round that outlasts it (a slow SRI) lets a second
    # dispatcher join in, which wastes work but never sends a clave twice.
    sri_arriendo: float = Field(default=30.0, ge=2, le=3600)
    # Where set, each AUTORIZADO document is mailed (XML + RIDE) to the buyer's email.
    smtp_url: SecretStr | None = None
    correo_remitente: str | None = None
    # The share of the time the embedded signer takes while cajeros are at work (it signs
    # at full speed when nobody else writes).
    sri_cuota_firma: float = Field(default=0.05, gt=0, le=1)
    # The largest request body the HTTP API reads, in bytes; a larger one is refused (413)
    # before it is read whole.
    limite_cuerpo: int = Field(default=1024 * 1024, ge=1024, le=1024 * 1024 * 1024)
    # The web screens' sessions: minutes idle before one ends, and the most hours one lasts.
    sesion_minutos: int = Field(default=480, ge=1, le=7 * 24 * 60)
    sesion_horas_maximas: int = Field(default=12, ge=1, le=24 * 30)
    # Whether the session cookie says Secure; unset: when the request came over https.
    cookie_segura: bool | None = None

    @field_validator("admin_token")
    @classmethod
    def _token_admin_largo(cls, valor: str | None) -> str | None:
        if not valor:
            return None
        if len(valor) < LARGO_MINIMO_TOKEN_ADMIN:
            # Never the value itself in the message: it is a secret.
            raise ValueError(
                f"PROMETEO_ADMIN_TOKEN debe tener al menos {LARGO_MINIMO_TOKEN_ADMIN} "
                f"caracteres (tiene {len(valor)}); genere uno con: python -c 'import "
                "secrets; print(secrets.token_urlsafe(32))'"
            )
        return valor
