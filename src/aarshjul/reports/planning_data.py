"""What the planning report (*planredegørelse*) of a year is made of, read in a handful of queries.

:func:`planning_report_data` reads, for one organisation and year: the policy areas with their
committee and department head; the goals whose horizon includes the year, each with its owner and
latest status report up to the year (status, comment, indicator values); the year's addenda
(*tillæg*: process cycles) with their phases and milestones; the planning staff's sections; and
the key statistics of the shipped StatBank tables for the ten years up to the year. Ten queries
whatever the organisation's size; nothing here renders.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from aarshjul.models.base import CycleKind, CycleStatus, GoalLevel, GoalStatus
from aarshjul.models.cycle import Cycle, Milestone, Phase
from aarshjul.models.goal_tracking import GoalReport, ReportStatus
from aarshjul.models.organisation import Committee, Goal, Organisation, Person, PolicyArea
from aarshjul.reports.inputs import ReportInputs, covers, current_report, due_report
from aarshjul.reports.sections import SectionKey, SectionVersion, current_sections
from aarshjul.stats.figure_store import TableFigures, table_figures
from aarshjul.stats.stat_charts import YEARS_SHOWN
from aarshjul.stats.table_mappings import builtin_tables

LEVEL_ORDER = {
    GoalLevel.vision: 0,
    GoalLevel.goal: 1,
    GoalLevel.service_goal: 2,
    GoalLevel.action: 3,
}


@dataclass(frozen=True)
class IndicatorValue:
    """One reported indicator value, with the unit and target it had when reported."""

    name: str
    unit: str
    target: float | None
    value: float

    @classmethod
    def of(cls, row: dict[str, Any]) -> IndicatorValue:
        target = row.get("target")
        return cls(
            str(row.get("name", "")), str(row.get("unit") or ""),
            float(target) if target is not None else None, float(row.get("value", 0.0)),
        )  # fmt: skip


@dataclass(frozen=True)
class LatestReport:
    """A goal's latest status report up to the report's year (*seneste statusrapport*)."""

    year: int
    status: ReportStatus
    comment: str
    indicators: tuple[IndicatorValue, ...]
    reported_at: datetime
    reported_by: str


@dataclass(frozen=True)
class GoalLine:
    """A goal as the report shows it: level, title, horizon, owner and latest report."""

    id: int
    key: str
    level: GoalLevel
    title: str
    description: str
    horizon_start: int
    horizon_end: int
    parent_id: int | None
    policy_area_id: int
    owner_id: int
    owner_title: str
    owner_name: str
    file_status: GoalStatus
    report: LatestReport | None
    depth: int = 0

    def ends_in(self, year: int) -> bool:
        """The horizon ends in ``year``: to be renewed or dropped."""
        return self.horizon_end == year

    def due_report(self, year: int) -> bool:
        return due_report(self.horizon_start, year)

    def reported(self, year: int) -> bool:
        """Has a report on ``year`` - 1 or ``year``."""
        return current_report(self.report.year if self.report else None, year)


@dataclass(frozen=True)
class AreaGoals:
    """A policy area (*politikområde*) with its committee, department head and goals in
    hierarchy order (each vision, then its goals, then their service goals and actions)."""

    id: int
    key: str
    name: str
    committee_id: int
    committee: str
    head_id: int
    head_title: str
    head_name: str
    goals: tuple[GoalLine, ...]


@dataclass(frozen=True)
class PeriodLine:
    """A phase or milestone of an addendum (a milestone has ``start == end``)."""

    key: str
    name_da: str
    name_en: str
    start: date
    end: date
    kind: str = "phase"

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_da


@dataclass(frozen=True)
class Addendum:
    """An addendum process (*tillæg*) with its phases and milestones in date order."""

    key: str
    title: str
    year: int
    status: CycleStatus
    phases: tuple[PeriodLine, ...]
    milestones: tuple[PeriodLine, ...]

    @property
    def first_day(self) -> date | None:
        days = [p.start for p in self.phases] + [m.start for m in self.milestones]
        return min(days) if days else None

    @property
    def last_day(self) -> date | None:
        days = [p.end for p in self.phases] + [m.end for m in self.milestones]
        return max(days) if days else None

    def phase(self, key: str) -> PeriodLine | None:
        return next((p for p in self.phases if p.key == key), None)

    def adoption(self) -> PeriodLine | None:
        """The final adoption: the milestone ``adoption``, else the last decision."""
        named = next((m for m in self.milestones if m.key == "adoption"), None)
        decisions = [m for m in self.milestones if m.kind == "decision"]
        return named or (decisions[-1] if decisions else None)


@dataclass(frozen=True)
class PlanningReportData:
    """Everything one year's planning report shows, as plain values."""

    organisation_name: str
    organisation_key: str
    year: int
    today: date
    areas: tuple[AreaGoals, ...]
    addenda: tuple[Addendum, ...]
    sections: dict[SectionKey, SectionVersion]
    statistics: tuple[TableFigures, ...] = field(default_factory=tuple)
    #: The organisation's time zone: an instant (a section's save) is shown as its local day.
    timezone: str = "Europe/Copenhagen"

    @property
    def goals(self) -> list[tuple[AreaGoals, GoalLine]]:
        return [(area, goal) for area in self.areas for goal in area.goals]

    def ending(self) -> list[tuple[AreaGoals, GoalLine]]:
        """Goals whose horizon ends this year: to be renewed or dropped."""
        return [(a, g) for a, g in self.goals if g.ends_in(self.year)]

    def unreported(self) -> list[tuple[AreaGoals, GoalLine]]:
        """Goals due a status report that have none on the year or the year before."""
        return [
            (a, g) for a, g in self.goals if g.due_report(self.year) and not g.reported(self.year)
        ]

    @property
    def inputs(self) -> ReportInputs:
        """The same counts as :func:`~aarshjul.reports.inputs.report_inputs`, from this data."""
        due = [g for _, g in self.goals if g.due_report(self.year)]
        return ReportInputs(
            year=self.year, goals=len(self.goals), goals_due=len(due),
            goals_reported=sum(1 for g in due if g.reported(self.year)),
            sections_written=sum(1 for v in self.sections.values() if v.written),
        )  # fmt: skip


def planning_report_data(
    session: Session,
    *,
    organisation: Organisation,
    year: int,
    today: date,
) -> PlanningReportData:
    """Read ``year``'s planning report for ``organisation`` as of ``today`` (ten queries)."""
    assert organisation.id is not None
    org_id = organisation.id
    return PlanningReportData(
        organisation_name=organisation.name, organisation_key=organisation.key, year=year,
        today=today, areas=areas_with_goals(session, organisation_id=org_id, year=year),
        addenda=_addenda(session, org_id, year),
        sections=current_sections(session, organisation_id=org_id, year=year),
        statistics=_statistics(session, org_id, year), timezone=organisation.timezone,
    )  # fmt: skip


def areas_with_goals(session: Session, *, organisation_id: int, year: int) -> tuple[AreaGoals, ...]:
    """Every policy area (in the organisation file's order) with its goals in ``year``, each
    with its latest report up to ``year``; three queries."""
    org_id = organisation_id
    goals = _goals(session, org_id, year)
    head = aliased(Person)
    query = (
        sa.select(PolicyArea, col(Committee.name), col(head.title), col(head.name))
        .join(Committee, col(Committee.id) == col(PolicyArea.committee_id))
        .join(head, col(head.id) == col(PolicyArea.head_id))
        .where(col(PolicyArea.organisation_id) == org_id)
        .order_by(col(PolicyArea.id))
    )
    by_area: dict[int, list[GoalLine]] = defaultdict(list)
    for goal in goals:
        by_area[goal.policy_area_id].append(goal)
    areas = []
    for area, committee, title, name in session.execute(query):
        assert area.id is not None
        areas.append(
            AreaGoals(
                area.id, area.key, area.name, area.committee_id, committee, area.head_id,
                title or "", name, hierarchy(by_area.get(area.id, [])),
            )
        )  # fmt: skip
    return tuple(areas)


def hierarchy(goals: list[GoalLine]) -> tuple[GoalLine, ...]:
    """``goals`` of one area in hierarchy order, each with its ``depth`` below its root.

    A goal whose parent is not among ``goals`` (a parent in another area, or outside the
    year) is a root. Siblings keep the order of the level and then the organisation file.
    """
    ids = {g.id for g in goals}
    children: dict[int | None, list[GoalLine]] = defaultdict(list)
    for goal in goals:
        children[goal.parent_id if goal.parent_id in ids else None].append(goal)
    for siblings in children.values():
        siblings.sort(key=lambda g: (LEVEL_ORDER[g.level], g.id))
    ordered: list[GoalLine] = []

    def walk(parent: int | None, depth: int) -> None:
        for goal in children.get(parent, []):
            ordered.append(replace(goal, depth=depth))
            walk(goal.id, depth + 1)

    walk(None, 0)
    return tuple(ordered)


def _goals(session: Session, org_id: int, year: int) -> list[GoalLine]:
    """The goals in the year with owner and latest report up to the year (two queries)."""
    owner = aliased(Person)
    query = (
        sa.select(Goal, col(owner.title), col(owner.name))
        .join(owner, col(owner.id) == col(Goal.owner_id))
        .where(
            col(Goal.organisation_id) == org_id,
            col(Goal.horizon_start) <= year,
            col(Goal.horizon_end) >= year,
        )
        .order_by(col(Goal.id))
    )
    rows = session.execute(query).all()
    reports = _latest_reports(session, org_id, year)
    out = []
    for goal, title, name in rows:
        assert goal.id is not None and covers(goal.horizon_start, goal.horizon_end, year)
        out.append(
            GoalLine(
                id=goal.id, key=goal.key, level=goal.level, title=goal.title,
                description=goal.description, horizon_start=goal.horizon_start,
                horizon_end=goal.horizon_end, parent_id=goal.parent_id,
                policy_area_id=goal.policy_area_id, owner_id=goal.owner_id,
                owner_title=title or "", owner_name=name, file_status=goal.status,
                report=reports.get(goal.id),
            )
        )  # fmt: skip
    return out


def _latest_reports(session: Session, org_id: int, year: int) -> dict[int, LatestReport]:
    """Each goal's latest report on a year up to ``year`` (the last filed for that year)."""
    order = (col(GoalReport.year).desc(), col(GoalReport.id).desc())
    rank = sa.func.row_number().over(partition_by=col(GoalReport.goal_id), order_by=order)
    ranked = (
        sa.select(col(GoalReport.id).label("report_id"), rank.label("rank"))
        .join(Goal, col(Goal.id) == col(GoalReport.goal_id))
        .where(
            col(Goal.organisation_id) == org_id,
            col(GoalReport.year) <= year,
            col(Goal.horizon_start) <= year,
            col(Goal.horizon_end) >= year,
        )
        .subquery()
    )
    query = (
        sa.select(GoalReport, col(Person.name))
        .join(ranked, sa.and_(ranked.c.report_id == col(GoalReport.id), ranked.c.rank == 1))
        .join(Person, col(Person.id) == col(GoalReport.reported_by_id))
    )
    return {
        report.goal_id: LatestReport(
            report.year, report.status, report.comment,
            tuple(IndicatorValue.of(v) for v in report.indicators or []),
            report.reported_at, name,
        )
        for report, name in session.execute(query)
    }  # fmt: skip


def _addenda(session: Session, org_id: int, year: int) -> tuple[Addendum, ...]:
    """The addendum processes (process cycles) with a phase or milestone in ``year``."""
    cycles = {
        c.id: c
        for c in session.execute(
            sa.select(Cycle).where(
                col(Cycle.organisation_id) == org_id,
                col(Cycle.kind) == CycleKind.process,
                col(Cycle.year).in_([year - 1, year]),
            )
        ).scalars()
    }
    if not cycles:
        return ()
    ids = list(cycles)
    phases: dict[int, list[PeriodLine]] = defaultdict(list)
    for p in session.execute(sa.select(Phase).where(col(Phase.cycle_id).in_(ids))).scalars():
        phases[p.cycle_id].append(PeriodLine(p.key, p.name_da, p.name_en, p.start_date, p.end_date))
    milestones: dict[int, list[PeriodLine]] = defaultdict(list)
    rows = session.execute(sa.select(Milestone).where(col(Milestone.cycle_id).in_(ids))).scalars()
    for m in rows:
        milestones[m.cycle_id].append(
            PeriodLine(m.key, m.name_da, m.name_en, m.date, m.date, m.kind)
        )
    found = []
    for cycle_id, cycle in cycles.items():
        addendum = Addendum(
            cycle.key, cycle.title or cycle.key, cycle.year, cycle.status,
            tuple(sorted(phases[cycle_id], key=lambda p: (p.start, p.end))),
            tuple(sorted(milestones[cycle_id], key=lambda m: m.start)),
        )  # fmt: skip
        first, last = addendum.first_day, addendum.last_day
        if first is None or last is None or (first.year <= year <= last.year):
            found.append(addendum)
    return tuple(sorted(found, key=lambda a: (a.first_day or date(a.year, 1, 1), a.key)))


#: The seed's order: housing construction, unemployment, population (*boligbyggeri, ledighed,
#: befolkning*); any other shipped table after them.
TABLE_ORDER = ("BYGV33", "AUS08", "FOLK1A")


def report_tables() -> list[str]:
    """The shipped StatBank tables in the report's order."""
    shipped = builtin_tables()
    return [t for t in TABLE_ORDER if t in shipped] + [t for t in shipped if t not in TABLE_ORDER]


def _statistics(session: Session, org_id: int, year: int) -> tuple[TableFigures, ...]:
    """The shipped tables' figures for the ten years up to ``year`` (one query per table)."""
    years = range(year - YEARS_SHOWN + 1, year + 1)
    return tuple(
        table_figures(session, organisation_id=org_id, mapping=table, years=years)
        for table in report_tables()
    )
