"""Where the year stands: task counts per phase and goals by status, in a handful of queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from aarshjul.models.base import OPEN_TASK_STATUSES, TaskStatus
from aarshjul.models.cycle import Cycle, Phase, Task
from aarshjul.models.goal_statuses import latest_goal_statuses
from aarshjul.models.organisation import Organisation


@dataclass(kw_only=True)
class TaskCounts:
    """Tasks by outcome; ``completion`` is the done share of the tasks not waived."""

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
        return self.done / self.relevant if self.relevant else 1.0


@dataclass(kw_only=True)
class PhaseProgress(TaskCounts):
    """Task counts of one phase; ``elapsed`` is the share of the phase's time that has passed."""

    cycle: str
    phase: str
    name: str
    start: date
    end: date
    status: str
    elapsed: float = 0.0


@dataclass
class YearStatus:
    """The year at a glance: cycles, phases with task counts, goals by status."""

    organisation: str
    year: int
    today: date
    cycles: list[dict[str, Any]] = field(default_factory=list)
    phases: list[PhaseProgress] = field(default_factory=list)
    goals: dict[str, int] = field(default_factory=dict)

    @property
    def totals(self) -> dict[str, int]:
        keys = ("total", "done", "waived", "open", "overdue")
        return {k: sum(getattr(p, k) for p in self.phases) for k in keys}

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation,
            "year": self.year,
            "today": self.today.isoformat(),
            "cycles": self.cycles,
            "phases": [_phase_dict(p) for p in self.phases],
            "totals": self.totals,
            "goals": self.goals,
        }


def _phase_dict(p: PhaseProgress) -> dict[str, Any]:
    out = asdict(p)
    out |= {
        "start": p.start.isoformat(),
        "end": p.end.isoformat(),
        "completion": round(p.completion, 3),
    }
    out["elapsed"] = round(p.elapsed, 3)
    return out


def year_status(session: Session, org: Organisation, year: int, today: date) -> YearStatus:
    """Progress of every cycle of ``year`` in ``org`` as of ``today``."""
    status = YearStatus(organisation=org.key, year=year, today=today)
    cycles = session.exec(
        select(Cycle)
        .where(Cycle.organisation_id == org.id, Cycle.year == year)
        .order_by(col(Cycle.id))
    ).all()
    status.cycles = [
        {"key": c.key, "kind": c.kind.value, "title": c.title, "status": c.status.value,
         "template": c.template_key, "template_version": c.template_version}
        for c in cycles
    ]  # fmt: skip
    status.phases = _phase_progress(session, [c.id for c in cycles if c.id is not None], today)
    status.goals = goals_by_status(session, org, year)
    return status


def _phase_progress(session: Session, cycle_ids: list[int], today: date) -> list[PhaseProgress]:
    if not cycle_ids:
        return []
    counts = _task_counts(session, cycle_ids, today)
    rows = session.exec(
        select(Phase, Cycle.key)
        .join(Cycle, col(Phase.cycle_id) == Cycle.id)
        .where(col(Phase.cycle_id).in_(cycle_ids))
        .order_by(col(Phase.cycle_id), col(Phase.start_date), col(Phase.position))
    ).all()
    return [
        _progress(phase, cycle_key, counts.get(phase.id or 0, {}), today)
        for phase, cycle_key in rows
    ]


def _progress(phase: Phase, cycle_key: str, counts: dict[str, int], today: date) -> PhaseProgress:
    span = (phase.end_date - phase.start_date).days + 1
    passed = min(max((today - phase.start_date).days + 1, 0), span)
    return PhaseProgress(
        cycle=cycle_key, phase=phase.key, name=phase.name_da, start=phase.start_date,
        end=phase.end_date, status=phase.status.value, elapsed=passed / span if span else 1.0,
        **counts,
    )  # fmt: skip


def _task_counts(session: Session, cycle_ids: list[int], today: date) -> dict[int, dict[str, int]]:
    """One GROUP BY over the tasks: counts per phase and status, overdue counted apart."""
    is_open = col(Task.status).in_(OPEN_TASK_STATUSES)
    overdue = sa.case((sa.and_(is_open, col(Task.due) < today), 1), else_=0)
    query = (
        sa.select(col(Task.phase_id), col(Task.status), sa.func.count(), sa.func.sum(overdue))
        .where(col(Task.cycle_id).in_(cycle_ids), col(Task.phase_id).is_not(None))
        .group_by(col(Task.phase_id), col(Task.status))
    )
    out: dict[int, dict[str, int]] = {}
    for phase_id, task_status, n, late in session.execute(query).all():
        bucket = out.setdefault(
            phase_id, {"total": 0, "done": 0, "waived": 0, "open": 0, "overdue": 0}
        )
        bucket["total"] += n
        bucket[_bucket(task_status)] += n
        bucket["overdue"] += int(late or 0)
    return out


def _bucket(status: str) -> str:
    return "open" if status in OPEN_TASK_STATUSES else TaskStatus(status).value


def goals_by_status(session: Session, org: Organisation, year: int | None = None) -> dict[str, int]:
    """How many goals have each status: the latest report up to ``year``, else the file's."""
    assert org.id is not None
    statuses = latest_goal_statuses(session, organisation_id=org.id, year=year)
    return dict(sorted(Counter(statuses.values()).items()))
