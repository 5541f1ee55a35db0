"""How complete the planning report's inputs are (*status for planredegørelsens input*).

The rules, shared by the report itself and the board report's line:

* the report of year Y covers the goals whose horizon includes Y;
* a goal is **due** a status report when it already ran the year before (horizon start < Y):
  the first quarter's status round (the template's ``goal_status`` task) reports on Y - 1;
* a goal's report is **current** when it is on Y - 1 or Y; an older one is shown with its year
  but the goal counts as not reported;
* a section is **written** when its latest version has text.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col

from aarshjul.models.goal_tracking import GoalReport
from aarshjul.models.organisation import Goal
from aarshjul.reports.sections import SectionKey, current_sections


def covers(horizon_start: int, horizon_end: int, year: int) -> bool:
    """The goal's horizon includes ``year`` (it is in the report)."""
    return horizon_start <= year <= horizon_end


def due_report(horizon_start: int, year: int) -> bool:
    """The goal ran the year before, so the year's status round should have reported on it."""
    return horizon_start < year


def current_report(report_year: int | None, year: int) -> bool:
    """A report on ``report_year`` is recent enough for the report of ``year``."""
    return report_year is not None and report_year >= year - 1


@dataclass(frozen=True)
class ReportInputs:
    """Counts for one year's report: goals in it, due a report, reported (current report among
    those due), and sections written of those there are."""

    year: int
    goals: int
    goals_due: int
    goals_reported: int
    sections_written: int
    sections_total: int = len(SectionKey)

    @property
    def complete(self) -> bool:
        return (
            self.goals_reported == self.goals_due and self.sections_written == self.sections_total
        )

    def as_dict(self) -> dict[str, int | bool]:
        return {
            "year": self.year, "goals": self.goals, "goals_due": self.goals_due,
            "goals_reported": self.goals_reported, "sections_written": self.sections_written,
            "sections_total": self.sections_total, "complete": self.complete,
        }  # fmt: skip

    def line(self, lang: str = "da") -> str:
        """One line for the board report: ``Planredegørelse 2027: 41 af 58 mål …``."""
        if lang == "en":
            return (
                f"Planning report {self.year}: {self.goals_reported} of {self.goals_due} goals "
                f"have a status report for {self.year - 1} or {self.year}; "
                f"{self.sections_written} of {self.sections_total} sections written."
            )
        return (
            f"Planredegørelse {self.year}: {self.goals_reported} af {self.goals_due} mål har en "
            f"statusrapport for {self.year - 1} eller {self.year}; "
            f"{self.sections_written} af {self.sections_total} afsnit skrevet."
        )


def report_inputs(session: Session, *, organisation_id: int, year: int) -> ReportInputs:
    """The completeness of ``year``'s planning report inputs; two queries whatever the size.

    >>> report_inputs(session, organisation_id=org.id, year=2027).line()  # doctest: +SKIP
    'Planredegørelse 2027: 41 af 58 mål har en statusrapport for 2026 eller 2027; 1 af 3 …'
    """
    current = (
        sa.select(col(GoalReport.goal_id))
        .where(col(GoalReport.year) >= year - 1, col(GoalReport.year) <= year)
        .distinct()
        .subquery()
    )
    in_report = sa.and_(col(Goal.horizon_start) <= year, col(Goal.horizon_end) >= year)
    due = sa.and_(in_report, col(Goal.horizon_start) < year)
    query = (
        sa.select(
            sa.func.count(),
            sa.func.sum(sa.case((due, 1), else_=0)),
            sa.func.sum(sa.case((sa.and_(due, current.c.goal_id.is_not(None)), 1), else_=0)),
        )
        .select_from(Goal)
        .outerjoin(current, current.c.goal_id == col(Goal.id))
        .where(col(Goal.organisation_id) == organisation_id, in_report)
    )
    goals, goals_due, reported = session.execute(query).one()
    sections = current_sections(session, organisation_id=organisation_id, year=year)
    return ReportInputs(
        year=year, goals=int(goals or 0), goals_due=int(goals_due or 0),
        goals_reported=int(reported or 0),
        sections_written=sum(1 for v in sections.values() if v.written),
    )  # fmt: skip
