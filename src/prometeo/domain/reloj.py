"""The clock port: the domain never reads the system date by itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol


class Reloj(Protocol):
    """Tells the business what day and instant it is."""

    def hoy(self) -> date: ...

    def ahora(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class RelojFijo:
    """A clock stopped at a given day, for demos, training and tests."""

    dia: date
    instante: datetime | None = None

    def hoy(self) -> date:
        return self.dia

    def ahora(self) -> datetime:
        if self.instante is not None:
            return self.instante
        return datetime(self.dia.year, self.dia.month, self.dia.day, 12, tzinfo=UTC)
