"""The years aarshjul plans, counts and stores: a year outside them is a typing error, not a plan.

Kept apart from :mod:`aarshjul.calendar` (whose package imports the grammar and the holidays) so
that the CLI can check a year option without loading the calendar.

>>> year_problem(2027) is None, year_problem(99999) is not None
(True, True)
"""

from __future__ import annotations

MIN_YEAR, MAX_YEAR = 1900, 2200


def year_problem(year: int) -> str | None:
    """Why ``year`` is outside :data:`MIN_YEAR`..:data:`MAX_YEAR`, or ``None``."""
    if MIN_YEAR <= year <= MAX_YEAR:
        return None
    return (
        f"år {year} skal ligge mellem {MIN_YEAR} og {MAX_YEAR} / "
        f"the year must be between {MIN_YEAR} and {MAX_YEAR}"
    )
