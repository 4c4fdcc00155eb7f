"""Serialization: what the event store and the snapshot store keep.

- codec_eventos: domain events ⇄ (type name, schema version, JSON), upcast when read.
- conversores: the field-by-field converters the codecs are generated from.
- snapshots: aggregate state ⇄ tagged JSON.
- upcasters: pure dict → dict functions that bring stored events of an older schema
  version to the current shape (stored events are never rewritten)."""

from prometeo.infrastructure.serializacion.codec_eventos import (
    CodecEventos,
    TipoEventoDesconocido,
    UpcasterFaltante,
    tipos_de_evento,
)
from prometeo.infrastructure.serializacion.conversores import ErrorSerializacion, a_json
from prometeo.infrastructure.serializacion.snapshots import ClaseNoPermitida, CodecSnapshots

__all__ = [
    "ClaseNoPermitida",
    "CodecEventos",
    "CodecSnapshots",
    "ErrorSerializacion",
    "TipoEventoDesconocido",
    "UpcasterFaltante",
    "a_json",
    "tipos_de_evento",
]
