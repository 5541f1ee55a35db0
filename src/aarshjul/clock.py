"""The only module that reads the clock. Everything else takes ``today`` or ``now`` as input."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    """The current instant, timezone-aware in UTC."""
    return datetime.now(UTC)


def today_in(timezone: str) -> date:
    """Today's local date in ``timezone`` (e.g. ``Europe/Copenhagen``)."""
    return datetime.now(ZoneInfo(timezone)).date()
