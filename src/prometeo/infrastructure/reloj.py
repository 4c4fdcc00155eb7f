"""The system clock, in the business's time zone (the domain only sees the port)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

# Ecuador (continental) keeps UTC-05:00 all year, no daylight saving time: a fixed offset
# (the SRI's servers are in Quito; its dates without an offset are read in it).
HORA_ECUADOR = timezone(timedelta(hours=-5))


class RelojSistema:
    """Today and now in a time zone (America/Guayaquil by default)."""

    def __init__(self, zona_horaria: str = "America/Guayaquil") -> None:
        self.zona = ZoneInfo(zona_horaria)

    def hoy(self) -> date:
        return self.ahora().date()

    def ahora(self) -> datetime:
        return datetime.now(self.zona)
