"""The envelope (sobre) an event travels in on the broker, and how it is routed.

The envelope is the stored event as JSON: `datos` and `metadatos` are objects, exactly as
stored (at the event's `version_esquema`; a consumer upcasts with CodecEventos like any
reader of the log). `posicion` is the event's global position, `version` its version in
its stream: consumers use them to be idempotent."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from prometeo.infrastructure.db.almacen_eventos import EventoAlmacenado
from prometeo.infrastructure.serializacion import a_json

PREFIJO_CLAVE = "facturacion"
# On a copy that travels under another routing key (parked or retried): where and under
# which key the original was published.
CABECERA_CLAVE_ORIGINAL = "x-prometeo-clave-original"
CABECERA_EXCHANGE_ORIGINAL = "x-prometeo-exchange-original"
CAMPOS_SOBRE = (
    "id",
    "stream_id",
    "version",
    "posicion",
    "tipo",
    "version_esquema",
    "ocurrido_en",
    "datos",
    "metadatos",
)

Sobre = dict[str, Any]


class SobreInvalido(ValueError):
    """A message body that is not a prometeo event envelope."""


def clave_de_enrutamiento(tipo: str) -> str:
    """`facturacion.<event type in lower case>`, e.g. facturacion.facturaemitida."""
    return f"{PREFIJO_CLAVE}.{tipo.lower()}"


def en_utc(momento: datetime) -> datetime:
    """Stored times are UTC; SQLite and MariaDB hand them back without a zone."""
    if momento.tzinfo is None:
        return momento.replace(tzinfo=UTC)
    return momento.astimezone(UTC)


def sobre_de(evento: EventoAlmacenado) -> Sobre:
    """The envelope of a stored event."""
    return {
        "id": evento.evento_id,
        "stream_id": evento.stream_id,
        "version": evento.version,
        "posicion": evento.posicion,
        "tipo": evento.tipo,
        "version_esquema": evento.version_esquema,
        "ocurrido_en": en_utc(evento.ocurrido_en).isoformat(),
        "datos": json.loads(evento.datos),
        "metadatos": json.loads(evento.metadatos),
    }


def codificar_sobre(sobre: Sobre) -> bytes:
    """The message body: compact UTF-8 JSON."""
    return a_json(sobre).encode("utf-8")


def decodificar_sobre(cuerpo: bytes) -> Sobre:
    """The envelope in a message body; SobreInvalido when it is not one."""
    try:
        sobre = json.loads(cuerpo)
    except ValueError as error:
        raise SobreInvalido(f"El mensaje no es JSON válido: {error}") from None
    if not isinstance(sobre, dict):
        raise SobreInvalido("El mensaje no es un objeto JSON")
    faltan = [campo for campo in CAMPOS_SOBRE if campo not in sobre]
    if faltan:
        raise SobreInvalido(f"Al sobre le faltan campos: {', '.join(faltan)}")
    return sobre


def evento_de_sobre(sobre: Sobre) -> EventoAlmacenado:
    """The stored event an envelope carries, for consumers outside prometeo that reuse code
    written for the event log. A message is only as trustworthy as whoever can publish to
    the exchange: a consumer that can read the event store takes the event from the log
    (the envelope's `posicion` is then only a wake-up), as `prometeo worker` does."""
    return EventoAlmacenado(
        posicion=int(sobre["posicion"]),
        evento_id=str(sobre["id"]),
        stream_id=str(sobre["stream_id"]),
        tipo_stream=str(sobre["stream_id"]).split("-", 1)[0],
        version=int(sobre["version"]),
        tipo=str(sobre["tipo"]),
        version_esquema=int(sobre["version_esquema"]),
        datos=a_json(sobre["datos"]),
        metadatos=a_json(sobre["metadatos"]),
        ocurrido_en=datetime.fromisoformat(str(sobre["ocurrido_en"])),
    )
