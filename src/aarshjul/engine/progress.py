"""Where the year stands: the one progress query behind every number that says so.

``aarshjul status``, the board report (its JSON, its markdown and its e-mail) and the dashboard
all read :func:`year_progress`, so they count the same tasks: every task of the year's cycles,
per phase, and those without a phase in a visible *outside phases* row (*uden for faser*) — never
a total that silently leaves some out. A share done is shown as :attr:`TaskCounts.percent`, one
exact rounding (half up) of the counts, never a float rounded twice.

Goals by status is a separate small query (:func:`goals_by_status`).

>>> percent(3, 55), percent(1, 6), percent(0, 0)
(5, 17, 0)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from aarshjul.models.base import OPEN_TASK_STATUSES, TaskStatus
from aarshjul.models.cycle import Cycle, Phase, Task
from aarshjul.models.goal_statuses import latest_goal_statuses
from aarshjul.models.organisation import Organisation

#: The name of the row that counts a cycle's tasks that belong to no phase.
OUTSIDE_PHASES = "Uden for faser"
OUTSIDE_PHASES_EN = "Outside phases"
_KEYS = ("total", "done", "waived", "open", "overdue")


def percent(done: int, relevant: int) -> int:
    """``done`` of ``relevant`` as a whole percent, rounded half up from the exact fraction."""
    if relevant <= 0:
        return 0 if done <= 0 else 100
    return int(Fraction(100 * done, relevant) + Fraction(1, 2))


@dataclass(kw_only=True)
class TaskCounts:
    """Tasks by outcome; ``completion`` is the done share of the tasks not waived.

    Nothing planned is 0 % done; tasks that are all waived are 100 % done.
    """

    total: int = 0
    done: int = 0
    waived: int = 0
    open: int = 0
    overdue: int = 0

    @property
    def relevant(self) -> int:
        return self.total - self.waived

    @property
    def completion(self) -> float:
        if not self.relevant:
            return 1.0 if self.total else 0.0
        return self.done / self.relevant

    @property
    def percent(self) -> int:
        """The share done as a whole percent (what every text shows)."""
        return 100 if self.total and not self.relevant else percent(self.done, self.relevant)

    def add(self, status: str, n: int, late: int) -> None:
        """Count ``n`` tasks with ``status``, ``late`` of them overdue."""
        self.total += n
        bucket = "open" if status in OPEN_TASK_STATUSES else TaskStatus(status).value
        setattr(self, bucket, getattr(self, bucket) + n)
        self.overdue += late


@dataclass(kw_only=True)
class PhaseProgress(TaskCounts):
    """Task counts of one phase; ``elapsed`` is the share of the phase's time that has passed.

    The *outside phases* row of a cycle has ``phase`` None, no dates and no ``elapsed``.
    """

    cycle: str
    phase: str | None
    name: str
    start: date | None
    end: date | None
    status: str
    elapsed: float | None = 0.0

    @property
    def outside(self) -> bool:
        return self.phase is None


def phase_dict(p: PhaseProgress) -> dict[str, Any]:
    """A phase row as JSON: ISO dates, shares rounded to 3 decimals, ``percent`` exact."""
    return asdict(p) | {
        "start": p.start.isoformat() if p.start else None,
        "end": p.end.isoformat() if p.end else None,
        "elapsed": round(p.elapsed, 3) if p.elapsed is not None else None,
        "completion": round(p.completion, 3),
        "percent": p.percent,
    }


@dataclass
class YearProgress:
    """The year at a glance: cycles, phases (and outside rows) with task counts, goals."""

    organisation: str
    year: int
    today: date
    cycles: list[dict[str, Any]] = field(default_factory=list)
    phases: list[PhaseProgress] = field(default_factory=list)
    goals: dict[str, int] = field(default_factory=dict)

    @property
    def counts(self) -> TaskCounts:
        """Every task of the year's cycles: the sum of all rows, outside rows included."""
        return TaskCounts(**{k: sum(getattr(p, k) for p in self.phases) for k in _KEYS})

    @property
    def totals(self) -> dict[str, int]:
        counts = self.counts
        return {k: getattr(counts, k) for k in _KEYS}

    def as_dict(self) -> dict[str, Any]:
        counts = self.counts
        return {
            "organisation": self.organisation,
            "year": self.year,
            "today": self.today.isoformat(),
            "cycles": self.cycles,
            "phases": [phase_dict(p) for p in self.phases],
            "totals": self.totals,
            "completion": round(counts.completion, 3),
            "percent": counts.percent,
            "goals": self.goals,
        }


def year_progress(
    session: Session, *, organisation: Organisation, year: int, today: date
) -> YearProgress:
    """Progress of every cycle of ``year`` in ``organisation`` as of ``today`` (three queries)."""
    progress = YearProgress(organisation=organisation.key, year=year, today=today)
    cycles = session.exec(
        select(Cycle)
        .where(Cycle.organisation_id == organisation.id, Cycle.year == year)
        .order_by(col(Cycle.id))
    ).all()
    progress.cycles = [
        {"key": c.key, "kind": c.kind.value, "title": c.title, "status": c.status.value,
         "template": c.template_key, "template_version": c.template_version}
        for c in cycles
    ]  # fmt: skip
    keys = {c.id: c.key for c in cycles if c.id is not None}
    progress.phases = _phase_progress(session, keys, today)
    progress.goals = goals_by_status(session, organisation, year)
    return progress


def _phase_progress(session: Session, cycles: dict[int, str], today: date) -> list[PhaseProgress]:
    if not cycles:
        return []
    counts = _task_counts(session, list(cycles), today)
    rows = session.exec(
        select(Phase)
        .where(col(Phase.cycle_id).in_(list(cycles)))
        .order_by(col(Phase.cycle_id), col(Phase.start_date), col(Phase.position))
    ).all()
    out: list[PhaseProgress] = []
    for cycle_id, cycle_key in cycles.items():
        for phase in (p for p in rows if p.cycle_id == cycle_id):
            out.append(_progress(phase, cycle_key, today, counts.get((cycle_id, phase.id))))
        outside = counts.get((cycle_id, None))
        if outside is not None:
            out.append(_outside(cycle_key, outside))
    return out


def _progress(
    phase: Phase, cycle_key: str, today: date, counts: TaskCounts | None
) -> PhaseProgress:
    span = (phase.end_date - phase.start_date).days + 1
    passed = min(max((today - phase.start_date).days + 1, 0), span)
    return PhaseProgress(
        cycle=cycle_key, phase=phase.key, name=phase.name_da, start=phase.start_date,
        end=phase.end_date, status=phase.status.value, elapsed=passed / span if span else 1.0,
        **asdict(counts or TaskCounts()),
    )  # fmt: skip


def _outside(cycle_key: str, counts: TaskCounts) -> PhaseProgress:
    return PhaseProgress(
        cycle=cycle_key, phase=None, name=OUTSIDE_PHASES, start=None, end=None, status="—",
        elapsed=None, **asdict(counts),
    )  # fmt: skip


def _task_counts(
    session: Session, cycle_ids: list[int], today: date
) -> dict[tuple[int, int | None], TaskCounts]:
    """One GROUP BY over the tasks: counts per cycle, phase (or none) and status."""
    is_open = col(Task.status).in_(OPEN_TASK_STATUSES)
    overdue = sa.case((sa.and_(is_open, col(Task.due) < today), 1), else_=0)
    query = (
        sa.select(col(Task.cycle_id), col(Task.phase_id), col(Task.status), sa.func.count(),
                  sa.func.sum(overdue))
        .where(col(Task.cycle_id).in_(cycle_ids))
        .group_by(col(Task.cycle_id), col(Task.phase_id), col(Task.status))
    )  # fmt: skip
    out: dict[tuple[int, int | None], TaskCounts] = {}
    for cycle_id, phase_id, task_status, n, late in session.execute(query).all():
        out.setdefault((cycle_id, phase_id), TaskCounts()).add(task_status, n, int(late or 0))
    return out


def goals_by_status(
    session: Session, organisation: Organisation, year: int | None = None
) -> dict[str, int]:
    """How many goals have each status (*mål efter status*): the latest report up to ``year``,
    else the organisation file's."""
    assert organisation.id is not None
    statuses = latest_goal_statuses(session, organisation_id=organisation.id, year=year)
    return dict(sorted(Counter(statuses.values()).items()))
