"""Upcasters: how an event stored under an older schema version of its class becomes the
current shape, in memory, every time it is read (stored events are never rewritten).

One pure dict → dict function per (event type, schema version it upcasts FROM), which
returns the data of the next version; CodecEventos chains them. A class that raises its
VERSION_ESQUEMA must register the step here, and a test must read an event stored by the
previous version through it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]

# Every event class is still at its first schema version.
UPCASTERS: Mapping[tuple[str, int], Upcaster] = {}
