"""``aarshjul simulate``: a whole year of days against a throwaway copy of the database.

Every workday of the year is run by the day runner (:func:`~aarshjul.engine.day.run_day`), the
same function the daily flow calls, with synthetic completions in between. The simulation
differs from a real year only in its runtime: a clock set to each day in turn, a scratch
database, and a sender that sends nothing (every person is reachable through it, so each message
is "sent" once and nothing is ever delivered). On SQLite the database is copied to a temporary
file (SQLite's backup API, so a live WAL database copies consistently); on PostgreSQL everything
runs in one transaction that is rolled back at the end. A cycle that is not planned yet for the
year is planned from the organisation's template (or ``template``) first. Settings such as
``AARSHJUL_OVERDUE_EVERY`` apply exactly as on a real day.

Synthetic completions: each task is done with probability ``completion_rate``, on a working day
drawn around its due date (from 10 workdays early to 3 late); the rest stay open and go overdue.

>>> result = simulate_year(runtime, year=2027, completion_rate=0.9, seed=1)  # doctest: +SKIP
>>> result.messages, result.max_per_person_week, result.late_milestones[:1]  # doctest: +SKIP
(2210, 4, ['budget_2nd_reading 2027-10-12'])
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import Session, col

from aarshjul.calendar.workdays import WorkCalendar
from aarshjul.clock import Clock
from aarshjul.db import make_engine, require_schema
from aarshjul.engine.day import run_day
from aarshjul.models.base import OPEN_TASK_STATUSES, TaskStatus
from aarshjul.models.cycle import Cycle, Milestone, Task
from aarshjul.models.organisation import Organisation, Person
from aarshjul.models.outbox import OutboxKind, OutboxMessage, TaskEscalation
from aarshjul.notifications.compose import work_calendar
from aarshjul.runtime import Runtime, null_sender

#: The mail channel of a simulation: every person is reachable, the null sender sends nothing.
NULL_MAIL_URL = "null://simulation"


@dataclass
class SimulationResult:
    """What the year would look like: messages, escalations, late milestones, flagged phases."""

    organisation: str
    year: int
    completion_rate: float
    seed: int | None
    workdays: int = 0
    tasks: int = 0
    completed: int = 0
    messages: int = 0
    per_person_week: dict[str, float] = field(default_factory=dict)
    busiest: list[tuple[str, str, int]] = field(default_factory=list)
    escalations: dict[str, int] = field(default_factory=dict)
    open_at_year_end: int = 0
    late_milestones: list[str] = field(default_factory=list)
    flagged_phases: list[str] = field(default_factory=list)
    planned: str | None = None

    @property
    def max_per_person_week(self) -> int:
        return max((n for _, _, n in self.busiest), default=0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation, "year": self.year,
            "completion_rate": self.completion_rate, "seed": self.seed,
            "workdays": self.workdays, "tasks": self.tasks, "completed": self.completed,
            "messages": self.messages, "per_person_week": self.per_person_week,
            "busiest": [{"person": p, "week": w, "messages": n} for p, w, n in self.busiest],
            "escalations": self.escalations,
            "open_at_year_end": self.open_at_year_end, "late_milestones": self.late_milestones,
            "flagged_phases": self.flagged_phases, "planned": self.planned,
        }  # fmt: skip


def simulate_year(
    runtime: Runtime,
    *,
    year: int,
    completion_rate: float = 0.9,
    seed: int | None = None,
    template: str | None = None,
) -> SimulationResult:
    """Simulate ``year`` on a throwaway copy of the runtime's database; the original is untouched."""
    with scratch_runtime(runtime) as scratch:
        with scratch.session() as session:
            org = scratch.organisation(session)
            result = SimulationResult(org.key, year, completion_rate, seed)
            result.planned = _ensure_planned(session, org, year, template)
        _run_year(scratch, org, year, random.Random(seed), result)
        with scratch.session() as session:
            _summarise(session, org, year, result)
    return result


@contextmanager
def scratch_runtime(runtime: Runtime) -> Iterator[Runtime]:
    """``runtime`` on a database whose writes are thrown away, with the null sender."""
    settings = runtime.settings.model_copy(update={"mail_url": NULL_MAIL_URL})
    base = replace(runtime, settings=settings, sender=null_sender())
    url = runtime.engine.url
    if url.get_backend_name() == "sqlite":
        with tempfile.TemporaryDirectory(prefix="aarshjul-simulate-") as tmp:
            copy = Path(tmp) / "simulation.db"
            _copy_sqlite(str(url.database), copy)
            engine = make_engine(f"sqlite:///{copy}")
            event.listen(engine, "connect", _no_sync)  # a throwaway file needs no fsync
            try:
                require_schema(engine)
                yield replace(base, engine=engine)
            finally:
                engine.dispose()
        return
    with runtime.engine.connect() as conn:
        outer = conn.begin()
        try:
            yield replace(base, connection=conn)
        finally:
            outer.rollback()


def _no_sync(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()


def _copy_sqlite(source: str, target: Path) -> None:
    src = sqlite3.connect(source)
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    target.chmod(0o600)


def _ensure_planned(
    session: Session, org: Organisation, year: int, template: str | None
) -> str | None:
    """Plan ``year`` in the copy when the organisation has no cycle for it (returns the summary)."""
    exists = session.execute(
        sa.select(col(Cycle.id)).where(
            col(Cycle.organisation_id) == org.id, col(Cycle.year) == year
        )
    ).first()
    if exists is not None and template is None:
        return None
    from aarshjul.planning.plan import plan_cycle
    from aarshjul.planning.template_store import organisation_template

    result = plan_cycle(
        session, organisation=org, template=organisation_template(session, org, template),
        year=year, now=datetime(year - 1, 12, 1, tzinfo=UTC), replace=True,  # a throwaway copy
        actor="simulation",
    )  # fmt: skip
    return result.diff.render(org.locale).splitlines()[0]


def _run_year(
    runtime: Runtime, org: Organisation, year: int, rng: random.Random, result: SimulationResult
) -> None:
    calendar = work_calendar(org)
    with runtime.session() as session:
        done_on = _completion_days(session, org, year, calendar, rng, result.completion_rate)
    result.tasks = len(done_on)
    by_day: dict[date, list[int]] = {}
    for task_id, day in done_on.items():
        if day is not None:
            by_day.setdefault(day, []).append(task_id)
    day = date(year, 1, 1)
    while day.year == year:
        if calendar.is_workday(day):
            result.workdays += 1
            _one_day(runtime, day, by_day.get(day, []), result)
        day += timedelta(days=1)


def _one_day(runtime: Runtime, day: date, completing: list[int], result: SimulationResult) -> None:
    """One day, as the daily flow runs it (sent to nowhere), then the day's completions."""
    ran = run_day(replace(runtime, clock=Clock(fixed_today=day)), today=day, deliver=True)
    result.flagged_phases += [f"{c.phase_key} ({c.open_tasks})" for c in ran.phases.flagged]
    result.messages += ran.compose.added
    if completing:
        done_at = datetime.combine(day, time(15), tzinfo=UTC)
        with runtime.session() as session:
            session.execute(
                sa.update(Task)
                .where(col(Task.id).in_(completing), col(Task.status).in_(OPEN_TASK_STATUSES))
                .values(status=TaskStatus.done, completed_at=done_at)
            )
        result.completed += len(completing)


def _completion_days(
    session: Session,
    org: Organisation,
    year: int,
    calendar: WorkCalendar,
    rng: random.Random,
    rate: float,
) -> dict[int, date | None]:
    """The day each open task of the year will be completed (None: never)."""
    rows = session.execute(
        sa.select(col(Task.id), col(Task.due))
        .join(Cycle, col(Task.cycle_id) == col(Cycle.id))
        .where(col(Cycle.organisation_id) == org.id, col(Cycle.year) == year,
               col(Task.status).in_(OPEN_TASK_STATUSES))
        .order_by(col(Task.id))
    ).all()  # fmt: skip
    out: dict[int, date | None] = {}
    for task_id, due in rows:
        done = rng.random() < rate
        out[task_id] = calendar.add_workdays(due, rng.randint(-10, 3)) if done else None
    return out


def _summarise(session: Session, org: Organisation, year: int, result: SimulationResult) -> None:
    weeks: Counter[tuple[str, str]] = Counter()
    rows: Any = session.execute(
        sa.select(col(Person.email), col(OutboxMessage.day))
        .join(Person, col(OutboxMessage.person_id) == col(Person.id))
        .where(col(OutboxMessage.organisation_id) == org.id,
               col(OutboxMessage.kind) == OutboxKind.digest)
    )  # fmt: skip
    for email, day in rows:
        iso = day.isocalendar()
        weeks[(email, f"{iso.year}-W{iso.week:02d}")] += 1
    counts = list(weeks.values())
    people = {email for email, _ in weeks}
    result.per_person_week = {
        "mean": round(sum(counts) / len(counts), 2) if counts else 0.0,
        "max": max(counts, default=0),
        "people": len(people),
    }
    result.busiest = [(p, w, n) for (p, w), n in weeks.most_common(5)]
    result.escalations = _escalations(session, org)
    result.open_at_year_end = result.tasks - result.completed
    result.late_milestones = _late_milestones(session, org, year)


def _escalations(session: Session, org: Organisation) -> dict[str, int]:
    """Escalation steps sent: how many, for how many tasks, and the highest step reached."""
    rows: Any = session.execute(
        sa.select(sa.func.count(), sa.func.count(sa.distinct(col(TaskEscalation.task_id))),
                  sa.func.max(col(TaskEscalation.step)))
        .join(Task, col(TaskEscalation.task_id) == col(Task.id))
        .join(Cycle, col(Task.cycle_id) == col(Cycle.id))
        .where(col(Cycle.organisation_id) == org.id)
    )  # fmt: skip
    steps, tasks, top = rows.one()
    return {"steps": int(steps), "tasks": int(tasks), "max_step": int(top or 0)}


def _late_milestones(session: Session, org: Organisation, year: int) -> list[str]:
    """Milestones with a task of theirs done after the milestone's day, or never done."""
    late = sa.or_(
        col(Task.status).in_(OPEN_TASK_STATUSES),
        sa.func.date(col(Task.completed_at)) > col(Milestone.date),
    )
    rows: Any = session.execute(
        sa.select(col(Milestone.key), col(Milestone.date))
        .join(Task, col(Task.milestone_id) == col(Milestone.id))
        .join(Cycle, col(Milestone.cycle_id) == col(Cycle.id))
        .where(col(Cycle.organisation_id) == org.id, col(Cycle.year) == year, late)
        .group_by(col(Milestone.key), col(Milestone.date))
        .order_by(col(Milestone.date))
    )
    return [f"{key} {day.isoformat()}" for key, day in rows]
