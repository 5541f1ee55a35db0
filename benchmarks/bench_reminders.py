"""Reminder benchmark: compose one day's digests for a synthetic national-scale database.

98 municipalities, about 1,000,000 tasks and 50,000 people (SQLite or PostgreSQL). For each
measured day it prints the compose time over all organisations (the real ``compose_digests``,
rendering and inserts included, in a transaction that is rolled back), the floor — hand-written
SQL per organisation that selects the rows compose needs (reminders due, due today, overdue with
their last escalation step, last listing and the owner's superior, kickoff tasks, the direktion) —
the ratio of the two, and at the end the peak memory.

Two situations are measured, each in its own rolled-back transaction:

* **Steady state** (the target): the database as aarshjul leaves it when it has composed every
  workday since January — each overdue task listed the workday after its due date and every
  second workday since, each escalation step recorded on the day it was reached, a digest on the
  previous workday — then three consecutive workdays composed one after the other.
* **First run**: the same day with nothing composed before, as right after importing a backlog:
  every overdue task is listed and escalates at once to its owner's superior and the direktion.

    python benchmarks/bench_reminders.py --db sqlite:////tmp/aarshjul_bench.db
    python benchmarks/bench_reminders.py --db postgresql+psycopg://postgres@127.0.0.1/aarshjul_bench
    python benchmarks/bench_reminders.py --tasks 50000          # a quick check
    python benchmarks/bench_reminders.py --repeat 5             # median of five runs (default 3)

The database is built once with bulk inserts and reused when it already has the requested size.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col

from aarshjul.calendar.workdays import WorkCalendar
from aarshjul.config import Settings
from aarshjul.db import make_engine, upgrade
from aarshjul.memory import collector_paused
from aarshjul.models import (
    Cycle,
    DigestItem,
    Organisation,
    OutboxMessage,
    Person,
    PersonRole,
    Phase,
    Task,
    TaskEscalation,
    TaskReminder,
)
from aarshjul.notifications import compose_digests
from aarshjul.notifications.policy import WorkdayIndex, escalation_step

DAY = date(2027, 6, 16)  # a Wednesday
DAYS = (DAY, date(2027, 6, 17), date(2027, 6, 18))  # three workdays in steady state
ORGS = 98
PEOPLE = 50_000
NOW = datetime(2026, 12, 1, tzinfo=UTC)
PHASES = [  # (name, start, end)
    ("Status på sidste års mål", date(2027, 1, 4), date(2027, 2, 26)),
    ("Idéfase", date(2027, 3, 1), date(2027, 4, 16)),
    ("Budgetseminar", date(2027, 4, 19), date(2027, 5, 31)),
    ("Hvidbog og udvalgenes bidrag", date(2027, 6, 1), date(2027, 6, 30)),
    ("Direktionens budgetforslag", date(2027, 8, 2), date(2027, 8, 31)),
    ("Høring", date(2027, 9, 1), date(2027, 10, 29)),
    ("Vedtagelse", date(2027, 11, 1), date(2027, 11, 30)),
    ("Offentliggørelse", date(2027, 12, 1), date(2027, 12, 23)),
]


def main() -> None:
    args = _args()
    engine = make_engine(args.db)
    try:
        if not args.measure_only:
            _ensure_database(engine, args.tasks)
            # Measure in a fresh process, so peak RSS is compose's and not the build's.
            cmd = [
                sys.executable,
                __file__,
                "--db",
                args.db,
                "--tasks",
                str(args.tasks),
                "--repeat",
                str(args.repeat),
                "--measure-only",
            ]
            raise SystemExit(subprocess.call(cmd))
        _measure(engine, args.db, args.repeat)
    finally:
        engine.dispose()


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sqlite:////tmp/aarshjul_bench.db")
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs to take the median of")
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


# -- building the synthetic database ---------------------------------------------------------------


def _ensure_database(engine: Engine, tasks: int) -> None:
    upgrade(engine)
    with engine.connect() as conn:
        have = conn.execute(sa.select(sa.func.count()).select_from(Task)).scalar_one()
    if have == tasks:
        print(f"reusing {engine.url.render_as_string(hide_password=True)} ({have:,} tasks)")
        return
    if have:
        raise SystemExit(f"the database holds {have:,} tasks, not {tasks:,}: use another --db")
    started = time.perf_counter()
    with engine.begin() as conn:
        _build(conn, tasks)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("ANALYZE"))
    print(f"built {tasks:,} tasks in {time.perf_counter() - started:.0f} s")


def _build(conn: Connection, tasks: int) -> None:
    rng = random.Random(2027)
    cal = WorkCalendar(closures=("optional",))
    workdays = [d for d in _days(date(2027, 1, 4), date(2027, 12, 23)) if cal.is_workday(d)]
    per_org, people_per_org = tasks // ORGS, PEOPLE // ORGS
    ids = {"person": 0, "task": 0}
    for org_id in range(1, ORGS + 1):
        n_tasks = per_org + (1 if org_id <= tasks % ORGS else 0)
        _build_org(conn, rng, cal, workdays, org_id, people_per_org, n_tasks, ids)
        if org_id % 10 == 0:
            print(f"  {org_id} organisations, {ids['task']:,} tasks", flush=True)


def _build_org(
    conn: Connection,
    rng: random.Random,
    cal: WorkCalendar,
    workdays: list[date],
    org_id: int,
    n_people: int,
    n_tasks: int,
    ids: dict[str, int],
) -> None:
    conn.execute(sa.insert(Organisation), [{
        "id": org_id, "key": f"k{org_id:03d}", "name": f"Kommune {org_id}", "timezone": "Europe/Copenhagen",
        "locale": "da", "holiday_country": "DK", "closures": ["optional"], "template_key": "helhedsplan",
        "created_at": NOW,
    }])  # fmt: skip
    first = ids["person"] + 1
    people = [_person(org_id, first + i, first, i) for i in range(n_people)]
    ids["person"] += n_people
    conn.execute(sa.insert(Person), people)
    roles = [{"person_id": first + i, "role": "direktion"} for i in range(3)]
    roles += [
        {"person_id": first + 3, "role": "planning"},
        {"person_id": first + 4, "role": "planning"},
    ]
    conn.execute(sa.insert(PersonRole), roles)
    conn.execute(sa.insert(Cycle), [{
        "id": org_id, "organisation_id": org_id, "key": "helhedsplan-2027", "kind": "annual",
        "year": 2027, "title": "Helhedsplan 2027", "template_key": "helhedsplan", "template_version": 1,
        "template_hash": "bench", "status": "running", "created_at": NOW,
    }])  # fmt: skip
    phase_ids = _build_phases(conn, org_id, first + 3)
    tasks, reminders = [], []
    for _ in range(n_tasks):
        ids["task"] += 1
        due = rng.choice(workdays)
        owner = first + rng.randrange(n_people)
        tasks.append(_task(rng, ids["task"], org_id, phase_ids, due, owner))
        reminders += _reminders(rng, cal, ids["task"], due)
    conn.execute(sa.insert(Task), tasks)
    conn.execute(sa.insert(TaskReminder), reminders)


def _person(org_id: int, pid: int, first: int, i: int) -> dict[str, Any]:
    superior = None if i < 3 else first + (i % 3 if i < 40 else 3 + i % 37)
    return {
        "id": pid, "organisation_id": org_id, "email": f"p{pid}@k{org_id:03d}.dk",
        "name": f"Medarbejder {pid} Ærø", "title": "", "locale": "en" if i % 20 == 0 else "da",
        "superior_id": superior, "active": i % 50 != 49, "created_at": NOW,
    }  # fmt: skip


def _build_phases(conn: Connection, org_id: int, owner: int) -> list[tuple[int, date, date]]:
    rows, out = [], []
    for n, (name, start, end) in enumerate(PHASES):
        pid = (org_id - 1) * len(PHASES) + n + 1
        rows.append({
            "id": pid, "cycle_id": org_id, "key": f"fase{n}", "name_da": name, "name_en": "",
            "description": "", "start_date": start, "end_date": end, "owner_id": owner,
            "position": n, "status": "planned", "open_tasks_at_close": 0,
        })  # fmt: skip
        out.append((pid, start, end))
    conn.execute(sa.insert(Phase), rows)
    return out


def _task(
    rng: random.Random,
    tid: int,
    cycle: int,
    phases: list[tuple[int, date, date]],
    due: date,
    owner: int,
) -> dict[str, Any]:
    phase = next((p for p, start, end in phases if start <= due <= end), None)
    done = due < DAY and rng.random() < 0.96
    return {
        "id": tid, "cycle_id": cycle, "phase_id": phase, "key": f"t{tid}", "subject": "",
        "title_da": f"Opgave {tid}: budgetbidrag til økonomiudvalget", "title_en": "",
        "description": "", "owner_id": owner, "due": due, "escalate_after": 5,
        "status": "done" if done else "open", "completed_at": NOW if done else None,
        "note": "", "updated_at": NOW,
    }  # fmt: skip


def _reminders(rng: random.Random, cal: WorkCalendar, tid: int, due: date) -> list[dict[str, Any]]:
    leads = (5, 10) if rng.random() < 0.3 else (5,)
    days = {cal.add_workdays(due, -lead) for lead in leads}
    return [{"task_id": tid, "remind_on": d} for d in sorted(days)]


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


# -- measuring --------------------------------------------------------------------------------------

# The floor: what compose must read, hand-written, one statement per municipality. The rows for
# reminders due, tasks due or overdue (with what decides whether an overdue task is listed again
# and whether it escalates: its last escalation step and last overdue listing, and its owner's
# superior, who receives the escalation) and kickoff tasks; each with what a digest shows of it
# (title in both languages, due date, phase name, policy area, the cycle's escalation ladder) and
# who gets it (the owner's address, name and language, and the superior's); plus the direktion
# members, who receive escalations from the cycle's ladder step on. Due and overdue share one
# scan, as in compose.
FLOOR_SQL = """
SELECT t.id, t.title_da, t.title_en, t.due, ph.name_da, ph.name_en, 'reminder' AS reason,
       pa.name AS area, c.escalate_direktion_from,
       p.email, p.name, p.locale, CAST(NULL AS VARCHAR(320)) AS superior_email,
       CAST(NULL AS VARCHAR(200)) AS superior_name, CAST(NULL AS VARCHAR(5)) AS superior_locale,
       CAST(NULL AS INTEGER) AS last_step, CAST(NULL AS DATE) AS last_listed
  FROM task t JOIN cycle c ON c.id = t.cycle_id JOIN person p ON p.id = t.owner_id
  LEFT JOIN phase ph ON ph.id = t.phase_id LEFT JOIN policy_area pa ON pa.id = t.policy_area_id
 WHERE c.organisation_id = :org AND t.status IN ('open', 'in_progress')
   AND EXISTS (SELECT 1 FROM task_reminder r
                WHERE r.task_id = t.id AND r.remind_on > :after AND r.remind_on <= :until)
UNION ALL
SELECT t.id, t.title_da, t.title_en, t.due, ph.name_da, ph.name_en, 'due_or_overdue',
       pa.name, c.escalate_direktion_from, p.email, p.name, p.locale, s.email, s.name, s.locale,
       CASE WHEN t.due < :today THEN (SELECT max(e.step) FROM task_escalation e
                                       WHERE e.task_id = t.id) END,
       CASE WHEN t.due < :today THEN (SELECT max(i.day) FROM digest_item i
                                       WHERE i.task_id = t.id AND i.reason = 'overdue') END
  FROM task t JOIN cycle c ON c.id = t.cycle_id JOIN person p ON p.id = t.owner_id
  LEFT JOIN person s ON s.id = p.superior_id LEFT JOIN phase ph ON ph.id = t.phase_id
  LEFT JOIN policy_area pa ON pa.id = t.policy_area_id
 WHERE c.organisation_id = :org AND t.status IN ('open', 'in_progress') AND t.due <= :until
UNION ALL
SELECT t.id, t.title_da, t.title_en, t.due, ph.name_da, ph.name_en, 'kickoff',
       pa.name, c.escalate_direktion_from, p.email, p.name, p.locale, NULL, NULL, NULL, NULL, NULL
  FROM task t JOIN cycle c ON c.id = t.cycle_id JOIN phase ph ON ph.id = t.phase_id
  JOIN person p ON p.id = t.owner_id LEFT JOIN policy_area pa ON pa.id = t.policy_area_id
 WHERE c.organisation_id = :org AND t.status IN ('open', 'in_progress')
   AND ph.start_date > :after AND ph.start_date <= :until
"""
DIREKTION_SQL = """
SELECT p.id, p.email, p.name, p.locale FROM person_role r JOIN person p ON p.id = r.person_id
 WHERE p.organisation_id = :org AND r.role = 'direktion' AND p.active
"""


@dataclass
class _Day:
    """One composed day's figures over the runs."""

    day: date
    label: str
    floors: list[float] = field(default_factory=list)
    composes: list[float] = field(default_factory=list)
    floor_rows: int = 0
    digests: int = 0
    added: int = 0

    @property
    def ratios(self) -> list[float]:
        return [c / f for c, f in zip(self.composes, self.floors, strict=True)]


def _measure(engine: Engine, url: str, repeat: int) -> None:
    with Session(engine) as session:
        orgs = list(session.scalars(sa.select(Organisation).order_by(col(Organisation.id))))
    first = _Day(DAY, "first run: nothing composed before, the whole backlog escalates")
    steady = [_Day(d, "steady state: as if composed every workday since January") for d in DAYS]
    plans: list[float] = []
    for run in range(1, max(repeat, 1) + 1):
        with engine.connect() as conn:
            with _rolled_back(conn):
                plans.append(_plan_only(conn, orgs, DAY))
                _measure_day(conn, orgs, first)
            with _rolled_back(conn):
                _history(conn, DAY)
                for day in steady:
                    _analyze(conn)  # fresh planner statistics, as autovacuum would take
                    _measure_day(conn, orgs, day)
        days = [first, *steady]
        print(f"run {run}: " + "; ".join(
            f"{d.day}: floor {d.floors[-1]:.2f} s, compose {d.composes[-1]:.2f} s" for d in days
        ), flush=True)  # fmt: skip
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        _analyze(conn)  # PostgreSQL keeps row counts from inside the rolled-back transaction
    _report(engine, url, orgs, [first, *steady], plans)


@contextmanager
def _rolled_back(conn: Connection) -> Iterator[None]:
    """Everything inside runs in one transaction that is rolled back (each run starts alike)."""
    outer = conn.begin()
    try:
        yield
    finally:
        outer.rollback()


def _history(conn: Connection, day: date) -> None:
    """What composing every workday before ``day`` would have left behind, for the open tasks.

    Each overdue task was listed the workday after its due date and every second workday since
    (``digest_item`` of a sent digest), and each escalation step was recorded on the day it was
    reached (``task_escalation``); every municipality has a digest on the previous workday.
    """
    cal = WorkCalendar(closures=("optional",))
    index, previous = WorkdayIndex(cal), cal.previous_workday(day)
    overdue = conn.execute(
        sa.select(col(Task.id), col(Task.owner_id), col(Task.due), col(Task.escalate_after)).where(
            col(Task.status).in_(("open", "in_progress")), col(Task.due) < previous
        )
    ).all()
    steps = Settings().max_escalation_steps
    listings: dict[tuple[int, date], list[int]] = defaultdict(list)
    escalations = []
    for task_id, owner_id, due, escalate_after in overdue:
        late = index.between(due, previous)
        listings[(owner_id, cal.add_workdays(due, late - (late + 1) % 2))].append(task_id)
        for step in range(1, escalation_step(late, escalate_after, steps) + 1):
            escalations.append({
                "task_id": task_id, "step": step,
                "day": cal.add_workdays(due, step * escalate_after),
            })  # fmt: skip
    owners = conn.execute(sa.select(col(Person.id), col(Person.organisation_id))).all()
    org_of = dict(owners)
    planners = conn.execute(
        sa.select(col(PersonRole.person_id)).where(col(PersonRole.role) == "planning")
    ).scalars()
    for planner in planners:
        listings.setdefault((planner, previous), [])
    _insert_history(conn, listings, org_of, escalations)


def _insert_history(
    conn: Connection,
    listings: dict[tuple[int, date], list[int]],
    org_of: dict[int, int],
    escalations: list[dict[str, Any]],
) -> None:
    conn.execute(sa.insert(OutboxMessage), [{
        "organisation_id": org_of[person], "person_id": person, "day": listed, "kind": "digest",
        "subject": "Dit overblik", "body_text": "", "body_html": "", "task_ids": tasks,
        "status": "sent", "attempts": 1, "last_error": "", "created_at": NOW,
    } for (person, listed), tasks in listings.items()])  # fmt: skip
    ids = {
        (person, listed): message
        for message, person, listed in conn.execute(
            sa.select(col(OutboxMessage.id), col(OutboxMessage.person_id), col(OutboxMessage.day))
        )
    }
    conn.execute(sa.insert(DigestItem), [
        {"message_id": ids[key], "task_id": task, "reason": "overdue", "day": key[1]}
        for key, tasks in listings.items() for task in tasks
    ])  # fmt: skip
    conn.execute(sa.insert(TaskEscalation), escalations)


def _measure_day(conn: Connection, orgs: list[Organisation], day: _Day) -> None:
    floor_s, day.floor_rows = _floor(conn, [o.id for o in orgs], day.day)
    compose_s, day.digests, day.added = _compose(conn, orgs, day.day)
    day.floors.append(floor_s)
    day.composes.append(compose_s)


def _report(
    engine: Engine, url: str, orgs: list[Organisation], days: list[_Day], plans: list[float]
) -> None:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"backend            {engine.dialect.name}  ({url.split('@')[-1]})")
    print(f"median of {len(plans)} runs (range in brackets), {len(orgs)} organisations")
    for day in days:
        print(f"{day.day:%a %d %b %Y}    {day.label}")
        print(f"  floor (SQL)      {_spread(day.floors)}   {day.floor_rows:,} rows")
        print(
            f"  compose          {_spread(day.composes)}   {day.digests:,} digests, "
            f"{day.added:,} outbox rows"
        )
        print(f"  ratio            {_spread(day.ratios, ' x')}  (target <= 3)")
    print(f"queries + grouping of the first run {_spread(plans)} (rendering and writing excluded)")
    steady = [r for day in days[1:] for r in day.ratios]
    print(f"steady state       median ratio {statistics.median(steady):.2f} x, worst "
          f"{max(steady):.2f} x over {len(steady)} composed days (target <= 3)")  # fmt: skip
    print(f"peak memory        {rss:8.0f} MB RSS of the process (target <= 500 MB)")


def _spread(values: list[float], unit: str = " s") -> str:
    """``median unit (min-max)``."""
    return f"{statistics.median(values):8.2f}{unit} ({min(values):.2f}-{max(values):.2f})"


def _analyze(conn: Connection) -> None:
    for table in ("outbox_message", "digest_item", "task_escalation"):
        conn.exec_driver_sql(f"ANALYZE {table}")


def _floor(conn: Connection, org_ids: list[int], day: date) -> tuple[float, int]:
    cal = WorkCalendar(closures=("optional",))
    after, until = cal.previous_workday(day), cal.next_workday(day) - timedelta(days=1)
    rows = 0
    started = time.perf_counter()
    for org_id in org_ids:
        params = {"org": org_id, "after": after, "until": until, "today": day}
        rows += len(conn.execute(sa.text(FLOOR_SQL), params).all())
        rows += len(conn.execute(sa.text(DIREKTION_SQL), {"org": org_id}).all())
    return time.perf_counter() - started, rows


def _plan_only(conn: Connection, orgs: list[Organisation], day: date) -> float:
    """The queries and grouping of compose without rendering or writing (for the breakdown)."""
    from aarshjul.notifications.compose import _plan, work_calendar

    steps = Settings().max_escalation_steps
    started = time.perf_counter()
    with Session(bind=conn) as session:
        for org in orgs:
            assert org.id is not None
            _plan(session, org.id, day, work_calendar(org), (2, steps))
    return time.perf_counter() - started


def _compose(conn: Connection, orgs: list[Organisation], day: date) -> tuple[float, int, int]:
    """Compose ``day`` for every organisation in the caller's transaction (which rolls it back).

    The cyclic collector is paused, as the edges that run a day (the tick flow, ``remind``)
    pause it.
    """
    settings = Settings(base_url="https://aarshjul.kommune.example")
    digests = added = 0
    started = time.perf_counter()
    with collector_paused(), Session(bind=conn) as session:
        for org in orgs:
            result = compose_digests(session, organisation=org, today=day, settings=settings)
            digests += len(result.digests)
            added += result.added
            result.digests.clear()
        session.flush()
    return time.perf_counter() - started, digests, added


if __name__ == "__main__":
    main()
