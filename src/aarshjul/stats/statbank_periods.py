"""StatBank's period codes (the ``TID`` column): years, half years, quarters, months, weeks, days.

Statistics Denmark writes a period as a code: ``2024`` (year), ``2024H1`` (half year), ``2024K1``
(quarter; ``2024Q1`` in English output), ``2024M03`` (month), ``2024U05`` (ISO week), ``2024M03D15``
(day). :func:`parse_period` reads all of them and returns the Danish form, so a file fetched in
English and one fetched in Danish store the same period.

>>> period = parse_period("2024Q1")
>>> period.code, period.kind.value, period.start
('2024K1', 'quarter', datetime.date(2024, 1, 1))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class PeriodKind(StrEnum):
    """How long a period is; ``per_year`` is how many periods make a year."""

    year = "year"
    half = "half"
    quarter = "quarter"
    month = "month"
    week = "week"
    day = "day"

    @property
    def per_year(self) -> int | None:
        """Periods in a year (``None`` for weeks and days, whose count varies)."""
        return {"year": 1, "half": 2, "quarter": 4, "month": 12}.get(self.value)


@dataclass(frozen=True)
class Period:
    """One period: its Danish code, kind, year, index within the year (1-based) and first day."""

    code: str
    kind: PeriodKind
    year: int
    index: int
    start: date


_PATTERNS: list[tuple[re.Pattern[str], PeriodKind]] = [
    (re.compile(r"^(\d{4})$"), PeriodKind.year),
    (re.compile(r"^(\d{4})H([12])$"), PeriodKind.half),
    (re.compile(r"^(\d{4})[KQ]([1-4])$"), PeriodKind.quarter),
    (re.compile(r"^(\d{4})M(0[1-9]|1[0-2])$"), PeriodKind.month),
    (re.compile(r"^(\d{4})U(0[1-9]|[1-4]\d|5[0-3])$"), PeriodKind.week),
    (re.compile(r"^(\d{4})M(0[1-9]|1[0-2])D(0[1-9]|[12]\d|3[01])$"), PeriodKind.day),
]


def parse_period(text: str) -> Period | None:
    """The :class:`Period` for a StatBank time code, or ``None`` when ``text`` is not one."""
    code = text.strip().upper()
    for pattern, kind in _PATTERNS:
        match = pattern.match(code)
        if match:
            return _period(kind, match.groups())
    return None


def _period(kind: PeriodKind, groups: tuple[str | None, ...]) -> Period | None:
    year = int(groups[0] or 0)
    index = int(groups[1]) if len(groups) > 1 and groups[1] else 1
    try:
        start = _start(kind, year, index, groups)
    except ValueError:  # 2023M02D30, 2021U53
        return None
    return Period(_code(kind, year, index, groups), kind, year, index, start)


def _start(kind: PeriodKind, year: int, index: int, groups: tuple[str | None, ...]) -> date:
    if kind is PeriodKind.half:
        return date(year, 6 * index - 5, 1)
    if kind is PeriodKind.quarter:
        return date(year, 3 * index - 2, 1)
    if kind is PeriodKind.month:
        return date(year, index, 1)
    if kind is PeriodKind.week:
        return date.fromisocalendar(year, index, 1)
    if kind is PeriodKind.day:
        return date(year, index, int(groups[2] or 0))
    return date(year, 1, 1)


def _code(kind: PeriodKind, year: int, index: int, groups: tuple[str | None, ...]) -> str:
    if kind is PeriodKind.day:
        return f"{year}M{index:02d}D{int(groups[2] or 0):02d}"
    suffix = {
        PeriodKind.year: "",
        PeriodKind.half: f"H{index}",
        PeriodKind.quarter: f"K{index}",
        PeriodKind.month: f"M{index:02d}",
        PeriodKind.week: f"U{index:02d}",
    }[kind]
    return f"{year}{suffix}"


def first_period_code(kind: PeriodKind, year: int) -> str:
    """The code of the first period of ``kind`` in ``year`` (``2015K1``, ``2015M01``, ``2015``)."""
    if kind is PeriodKind.week:
        return f"{year}U01"
    if kind is PeriodKind.day:
        return f"{year}M01D01"
    return _code(kind, year, 1, (str(year), "1", "1"))


def period_label(period: Period, lang: str = "da") -> str:
    """A reader's label: ``1. kvt. 2024`` / ``Q1 2024``, ``marts 2024`` / ``March 2024``."""
    if period.kind is PeriodKind.quarter:
        return (
            f"{period.index}. kvt. {period.year}"
            if lang == "da"
            else f"Q{period.index} {period.year}"
        )
    if period.kind is PeriodKind.month:
        names = _MONTHS_DA if lang == "da" else _MONTHS_EN
        return f"{names[period.index - 1]} {period.year}"
    if period.kind is PeriodKind.half:
        return (
            f"{period.index}. halvår {period.year}"
            if lang == "da"
            else f"H{period.index} {period.year}"
        )
    return period.code


_MONTHS_DA = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
              "september", "oktober", "november", "december")  # fmt: skip
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")  # fmt: skip
