"""The base of every domain event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True, kw_only=True)
class EventoDominio:
    """Something that happened to the business. Carries every datum needed to rebuild the
    aggregate's state and the read models; the store adds position, time and metadata."""

    # Bumped when the stored shape of an event type changes; upcasters bring old
    # shapes up to the current one when reading (see infrastructure).
    VERSION_ESQUEMA: ClassVar[int] = 1

    @property
    def tipo(self) -> str:
        return type(self).__name__
