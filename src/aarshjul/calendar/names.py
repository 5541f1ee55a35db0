"""Month, weekday and ordinal words in English and Danish, shared by the grammar and the docs."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

WEEKDAYS: dict[str, int] = {
    "mon": 0, "monday": 0, "man": 0, "mandag": 0,
    "tue": 1, "tuesday": 1, "tir": 1, "tirs": 1, "tirsdag": 1,
    "wed": 2, "wednesday": 2, "ons": 2, "onsdag": 2,
    "thu": 3, "thursday": 3, "tor": 3, "tors": 3, "torsdag": 3,
    "fri": 4, "friday": 4, "fre": 4, "fredag": 4,
    "sat": 5, "saturday": 5, "lør": 5, "lørdag": 5,
    "sun": 6, "sunday": 6, "søn": 6, "søndag": 6,
}  # fmt: skip

MONTHS: dict[str, int] = {
    "jan": 1, "january": 1, "januar": 1,
    "feb": 2, "february": 2, "februar": 2,
    "mar": 3, "march": 3, "marts": 3,
    "apr": 4, "april": 4,
    "may": 5, "maj": 5,
    "jun": 6, "june": 6, "juni": 6,
    "jul": 7, "july": 7, "juli": 7,
    "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "okt": 10, "oktober": 10,
    "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip

# 1st-4th only: not every month has a 5th weekday, so a rule using it would break in some years.
ORDINALS: dict[str, int] = {
    "1st": 1, "1.": 1, "first": 1, "første": 1,
    "2nd": 2, "2.": 2, "second": 2, "anden": 2, "andet": 2,
    "3rd": 3, "3.": 3, "third": 3, "tredje": 3,
    "4th": 4, "4.": 4, "fourth": 4, "fjerde": 4,
    "last": -1, "sidste": -1,
}  # fmt: skip

UNITS: dict[str, str] = {
    "day": "day", "days": "day", "dag": "day", "dage": "day",
    "workday": "workday", "workdays": "workday", "arbejdsdag": "workday", "arbejdsdage": "workday",
    "week": "week", "weeks": "week", "uge": "week", "uger": "week",
    "month": "month", "months": "month", "måned": "month", "måneder": "month",
}  # fmt: skip

# The largest amount of each unit an offset or a lead time may use (ten years): bigger ones are
# typing errors, and a workday count is walked day by day, so 99,999,999 workdays would hang.
MAX_AMOUNT: dict[str, int] = {"day": 3660, "workday": 2600, "week": 520, "month": 120}
# Years aarshjul plans, counts and stores (a year outside is a typing error, not a plan).
from aarshjul.year_range import MAX_YEAR as MAX_YEAR  # noqa: E402
from aarshjul.year_range import MIN_YEAR as MIN_YEAR  # noqa: E402
from aarshjul.year_range import year_problem as year_problem  # noqa: E402


def amount_problem(amount: int, unit: str) -> str | None:
    """Why ``amount`` of ``unit`` is too large, or ``None`` (the limit is :data:`MAX_AMOUNT`)."""
    limit = MAX_AMOUNT[unit]
    if abs(amount) <= limit:
        return None
    return f"højst {limit} {_UNIT_WORDS[unit]} / at most {limit} {unit}s"


_UNIT_WORDS = {"day": "dage", "workday": "arbejdsdage", "week": "uger", "month": "måneder"}


MONTH_NAMES_DA = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)  # fmt: skip
WEEKDAY_NAMES_DA = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """`` Mente du 'hearing.start'?`` for the nearest known names, or ``""``."""
    close = difflib.get_close_matches(name, list(known), n=3)
    return f" Mente du {', '.join(repr(item) for item in close)}?" if close else ""
