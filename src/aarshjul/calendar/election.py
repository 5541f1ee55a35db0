"""Municipal election terms (*valgperioder*): the election, the term and the constituting meeting.

Danish municipal elections (*kommunalvalg*) are held every four years on the third Tuesday of
November (lov om kommunale og regionale valg § 4): 18 November 2025, 20 November 2029, … The new
council's term (*valgperiode*) starts on 1 January after the election and lasts four years; the
newly elected council holds its constituting meeting (*konstituerende møde*) between 1 and 15
December of the election year (lov om kommunernes styrelse § 6, stk. 1).

The term year matters to the planning law: the planning strategy (*planstrategi*) must be adopted
and published by the end of the first half of the term, i.e. by 31 December of term year 2
(planloven § 23 a). A template marks such work with ``term_years: [2]``.

>>> cycle = ElectionCycle()
>>> cycle.term_of(2027)
ElectionTerm(election=datetime.date(2025, 11, 18), first_year=2026, last_year=2029)
>>> cycle.term_year(2027)
2
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from aarshjul.calendar.date_math import nth_weekday
from aarshjul.errors import CalendarError

ELECTION_YEAR = 2025  # a year with an ordinary municipal election
TERM_YEARS = 4
CONSTITUTING_BY = (12, 15)  # month, day: the constituting meeting is held by 15 December


@dataclass(frozen=True)
class ElectionTerm:
    """One term: the election that opened it and its first and last year (inclusive)."""

    election: date
    first_year: int
    last_year: int

    @property
    def constituting_by(self) -> date:
        """The last day for the newly elected council's constituting meeting (15 December)."""
        return date(self.election.year, *CONSTITUTING_BY)

    @property
    def strategy_by(self) -> date:
        """The last day to publish the planning strategy: 31 December of term year 2 (P1)."""
        return date(self.first_year + 1, 12, 31)

    def label(self) -> str:
        """``"2026-2029"``."""
        return f"{self.first_year}-{self.last_year}"


@dataclass(frozen=True)
class ElectionCycle:
    """When an organisation's elections fall: ``election_year`` is any election year and
    ``every`` the term length in years (4 in Denmark)."""

    election_year: int = ELECTION_YEAR
    every: int = TERM_YEARS

    def __post_init__(self) -> None:
        if not 1 <= self.every <= 6:
            raise CalendarError(f"En valgperiode på {self.every} år giver ikke mening (1-6).")

    def is_election_year(self, year: int) -> bool:
        """True when an ordinary election is held in ``year``."""
        return (year - self.election_year) % self.every == 0

    @staticmethod
    def election_day(year: int) -> date:
        """The third Tuesday of November of ``year``."""
        return nth_weekday(year, 11, 3, 1)

    def term_of(self, year: int) -> ElectionTerm:
        """The term that ``year`` belongs to (1 January to 31 December of its years)."""
        offset = (year - self.election_year - 1) % self.every
        first = year - offset
        return ElectionTerm(self.election_day(first - 1), first, first + self.every - 1)

    def term_year(self, year: int) -> int:
        """Which year of its term ``year`` is: 1 … ``every`` (the election is held in the last)."""
        return year - self.term_of(year).first_year + 1

    def terms(self, first: int, last: int) -> list[ElectionTerm]:
        """The terms that overlap the years ``first`` … ``last``."""
        found: dict[int, ElectionTerm] = {}
        for year in range(first, last + 1):
            term = self.term_of(year)
            found.setdefault(term.first_year, term)
        return list(found.values())
