"""The system clock, in the business's time zone (the domain only sees the port)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


class RelojSistema:
    """Today and now in a time zone (America/Guayaquil by default)."""

    def __init__(self, zona_horaria: str = "America/Guayaquil") -> None:
        self.zona = ZoneInfo(zona_horaria)

    def hoy(self) -> date:
        return self.ahora().date()

    def ahora(self) -> datetime:
        return datetime.now(self.zona)
