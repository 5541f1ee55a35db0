"""Dates and day counts as people read them: ``fredag den 15. oktober 2027``.

A small table of Danish and English names is all that is needed, so no locale library is used.

>>> long_date(date(2027, 10, 15), "da")
'fredag den 15. oktober 2027'
>>> long_date(date(2027, 10, 15), "en")
'Friday 15 October 2027'
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

WEEKDAYS = {
    "da": ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTHS = {
    "da": (
        "januar", "februar", "marts", "april", "maj", "juni",
        "juli", "august", "september", "oktober", "november", "december",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip
SUPPORTED_LOCALES = ("da", "en")


@lru_cache(maxsize=64)
def locale_of(value: str | None) -> str:
    """``da`` or ``en`` from a locale such as ``da_DK`` or ``en-GB``; Danish by default.

    >>> locale_of("en-GB"), locale_of("de"), locale_of(None)
    ('en', 'da', 'da')
    """
    short = (value or "da").replace("-", "_").split("_")[0].lower()
    return short if short in SUPPORTED_LOCALES else "da"


def long_date(day: date, locale: str = "da") -> str:
    """The weekday, day, month and year in the reader's language (see the module example)."""
    return _long_date(day, locale_of(locale))


@lru_cache(maxsize=4096)
def _long_date(day: date, loc: str) -> str:
    """Memoised: a digest run formats the same few hundred dates tens of thousands of times."""
    weekday, month = WEEKDAYS[loc][day.weekday()], MONTHS[loc][day.month - 1]
    if loc == "da":
        return f"{weekday} den {day.day}. {month} {day.year}"
    return f"{weekday} {day.day} {month} {day.year}"


def workdays_text(count: int, locale: str = "da") -> str:
    """``1 arbejdsdag`` / ``3 arbejdsdage`` (``1 working day`` / ``3 working days``).

    >>> workdays_text(1), workdays_text(3, "en")
    ('1 arbejdsdag', '3 working days')
    """
    return _workdays_text(count, locale_of(locale))


@lru_cache(maxsize=1024)
def _workdays_text(count: int, loc: str) -> str:
    if loc == "da":
        return f"{count} arbejdsdag" if count == 1 else f"{count} arbejdsdage"
    return f"{count} working day" if count == 1 else f"{count} working days"
