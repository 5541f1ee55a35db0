"""The executive board's weekly view (*direktionens ugerapport*), computed in a handful of queries.

Progress per phase comes from the one progress query (:func:`~aarshjul.engine.progress.year_progress`,
with the *outside phases* row), so the report counts exactly what ``aarshjul status`` counts.
Progress per phase (against the share of the phase's time that has passed), per committee and per
policy area (against the share of their tasks due by now), the overdue list with owners and
working days late and the escalation step reached, goals by status, statutory milestones at
risk with their forecast (:mod:`~aarshjul.engine.milestone_risk`, dependencies followed all the
way back) and what changed since last week (:mod:`~aarshjul.engine.week_changes`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from aarshjul.calendar.workdays import WorkCalendar
from aarshjul.engine.milestone_risk import MilestoneRisk, milestones_at_risk
from aarshjul.engine.progress import PhaseProgress, TaskCounts, phase_dict, year_progress
from aarshjul.engine.week_changes import WeekChanges, week_changes
from aarshjul.models.base import OPEN_TASK_STATUSES, TaskStatus
from aarshjul.models.cycle import Cycle, Phase, Task
from aarshjul.models.organisation import Committee, Organisation, Person, PolicyArea
from aarshjul.models.outbox import TaskEscalation
from aarshjul.planning.date_plan import work_calendar
from aarshjul.reports.inputs import ReportInputs, report_inputs


@dataclass(kw_only=True)
class GroupProgress(TaskCounts):
    """Task counts of one committee or policy area; ``due_so_far`` is what should be done by now."""

    key: str
    name: str
    due_so_far: int = 0

    @property
    def expected(self) -> float:
        """The share of (non-waived) tasks due by today: where completion should be."""
        return self.due_so_far / self.relevant if self.relevant else 0.0


@dataclass(frozen=True)
class OverdueTask:
    """An open task past its due date, with its owner and how many working days late it is."""

    id: int
    title: str
    owner_name: str
    owner_email: str
    due: date
    workdays_late: int
    cycle: str
    phase: str | None
    committee: str | None
    #: The highest escalation step sent for the task (*eskaleringstrin*); 0 when none yet.
    escalation_step: int = 0


@dataclass
class BoardReport:
    """Everything the weekly board report shows; ``as_dict`` gives the JSON form."""

    organisation: str
    organisation_name: str
    locale: str
    year: int
    today: date
    phases: list[PhaseProgress] = field(default_factory=list)
    committees: list[GroupProgress] = field(default_factory=list)
    policy_areas: list[GroupProgress] = field(default_factory=list)
    overdue: list[OverdueTask] = field(default_factory=list)
    goals: dict[str, int] = field(default_factory=dict)
    milestones_at_risk: list[MilestoneRisk] = field(default_factory=list)
    #: How complete the year's planning report inputs are (goals reported, sections written).
    report_inputs: ReportInputs | None = None
    #: What changed in the seven days before ``today``.
    changes: WeekChanges | None = None

    @property
    def counts(self) -> TaskCounts:
        """Every task of the year (the sum of the phase rows, outside rows included)."""
        keys = ("total", "done", "waived", "open", "overdue")
        return TaskCounts(**{k: sum(getattr(p, k) for p in self.phases) for k in keys})

    @property
    def totals(self) -> dict[str, int]:
        counts = self.counts
        due = sum(c.due_so_far for c in self.committees)
        keys = ("total", "done", "waived", "open", "overdue")
        return {k: getattr(counts, k) for k in keys} | {"due_so_far": due}

    @property
    def completion(self) -> float:
        """Done share of the year's non-waived tasks (0.0 to 1.0): the year's progress artifact."""
        return self.counts.completion

    @property
    def percent(self) -> int:
        """The share done as the whole percent every text of the report shows."""
        return self.counts.percent

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation, "year": self.year, "today": self.today.isoformat(),
            "completion": round(self.completion, 3), "percent": self.percent,
            "totals": self.totals,
            "phases": [phase_dict(p) for p in self.phases],
            "committees": [_group_dict(g) for g in self.committees],
            "policy_areas": [_group_dict(g) for g in self.policy_areas],
            "overdue": [asdict(o) | {"due": o.due.isoformat()} for o in self.overdue],
            "goals": self.goals,
            "milestones_at_risk": [_risk_dict(m) for m in self.milestones_at_risk],
            "report_inputs": self.report_inputs.as_dict() if self.report_inputs else None,
            "changes": self.changes.as_dict() if self.changes else None,
        }  # fmt: skip


def _group_dict(g: GroupProgress) -> dict[str, Any]:
    return asdict(g) | {"completion": round(g.completion, 3), "expected": round(g.expected, 3),
                        "percent": g.percent}  # fmt: skip


def _risk_dict(m: MilestoneRisk) -> dict[str, Any]:
    return asdict(m) | {"date": m.date.isoformat(), "late_task_ids": list(m.late_task_ids),
                        "forecast": m.forecast.isoformat()}  # fmt: skip


def board_report(session: Session, *, organisation: Organisation, today: date) -> BoardReport:
    """The board's view of ``today.year``'s cycles in ``organisation`` as of ``today``.

    >>> report = board_report(session, organisation=org, today=date(2027, 9, 6))  # doctest: +SKIP
    >>> report.totals["overdue"], [m.key for m in report.milestones_at_risk]      # doctest: +SKIP
    (3, ['budget_2nd_reading'])
    """
    assert organisation.id is not None
    status = year_progress(session, organisation=organisation, year=today.year, today=today)
    cycle_ids = _cycle_ids(session, organisation.id, today.year)
    calendar = work_calendar(organisation)
    return BoardReport(
        organisation=organisation.key, organisation_name=organisation.name,
        locale=organisation.locale, year=today.year, today=today, phases=status.phases,
        committees=_groups(session, cycle_ids, today, Committee, col(Task.committee_id)),
        policy_areas=_groups(session, cycle_ids, today, PolicyArea, col(Task.policy_area_id)),
        overdue=_overdue(session, cycle_ids, today, calendar), goals=status.goals,
        milestones_at_risk=milestones_at_risk(
            session, cycle_ids=cycle_ids, today=today, calendar=calendar
        ),
        report_inputs=report_inputs(session, organisation_id=organisation.id, year=today.year),
        changes=week_changes(
            session, cycle_ids=cycle_ids, organisation_id=organisation.id, today=today,
            timezone=organisation.timezone,
        ),
    )  # fmt: skip


def _cycle_ids(session: Session, organisation_id: int, year: int) -> list[int]:
    query = sa.select(col(Cycle.id)).where(
        col(Cycle.organisation_id) == organisation_id, col(Cycle.year) == year
    )
    return [int(i or 0) for i in session.connection().execute(query).scalars()]


def _groups(
    session: Session, cycle_ids: list[int], today: date, table: Any, key_column: Any
) -> list[GroupProgress]:
    """One GROUP BY per grouping; tasks without a committee/area are grouped under ``—``."""
    if not cycle_ids:
        return []
    is_open = col(Task.status).in_(OPEN_TASK_STATUSES)
    waived = col(Task.status) == TaskStatus.waived
    overdue = sa.case((sa.and_(is_open, col(Task.due) < today), 1), else_=0)
    due = sa.case((sa.and_(sa.not_(waived), col(Task.due) <= today), 1), else_=0)
    query = (
        sa.select(table.key, table.name, col(Task.status), sa.func.count(),
                  sa.func.sum(overdue), sa.func.sum(due))
        .select_from(Task)
        .join(table, key_column == table.id, isouter=True)
        .where(col(Task.cycle_id).in_(cycle_ids))
        .group_by(table.key, table.name, col(Task.status))
    )  # fmt: skip
    groups: dict[str, GroupProgress] = {}
    result: Any = session.connection().execute(query)
    for key, name, task_status, n, late, due_n in result:
        group = groups.setdefault(key or "—", GroupProgress(key=key or "—", name=name or "—"))
        group.total += n
        bucket = "open" if task_status in OPEN_TASK_STATUSES else TaskStatus(task_status).value
        setattr(group, bucket, getattr(group, bucket) + n)
        group.overdue += int(late or 0)
        group.due_so_far += int(due_n or 0)
    return sorted(groups.values(), key=lambda g: (g.key == "—", g.name))


def _overdue(
    session: Session, cycle_ids: list[int], today: date, calendar: WorkCalendar
) -> list[OverdueTask]:
    if not cycle_ids:
        return []
    step: Any = (
        sa.select(col(TaskEscalation.task_id), sa.func.max(TaskEscalation.step).label("step"))
        .group_by(col(TaskEscalation.task_id))
        .subquery()
    )
    query = (
        sa.select(col(Task.id), col(Task.title_da), col(Person.name), col(Person.email),
                  col(Task.due), col(Cycle.key), col(Phase.name_da), col(Committee.name),
                  step.c.step)
        .join(Cycle, col(Task.cycle_id) == col(Cycle.id))
        .join(Person, col(Task.owner_id) == col(Person.id))
        .join(Phase, col(Task.phase_id) == col(Phase.id), isouter=True)
        .join(Committee, col(Task.committee_id) == col(Committee.id), isouter=True)
        .join(step, step.c.task_id == col(Task.id), isouter=True)
        .where(col(Task.cycle_id).in_(cycle_ids), col(Task.status).in_(OPEN_TASK_STATUSES),
               col(Task.due) < today)
    )  # fmt: skip
    result: Any = session.connection().execute(query)
    rows = [
        OverdueTask(i, title, name, email, due, calendar.workdays_between(due, today), ckey,
                    phase, committee, int(reached or 0))
        for i, title, name, email, due, ckey, phase, committee, reached in result
    ]  # fmt: skip
    return sorted(rows, key=lambda o: (-o.workdays_late, o.due, o.id))
