"""Reminder benchmark: compose one day's digests for a synthetic national-scale database.

98 municipalities, about 1,000,000 tasks and 50,000 people (SQLite or PostgreSQL). It prints the
compose time for one day over all organisations (the real ``compose_digests``, inserts included,
in a transaction that is rolled back), its peak memory, and the ratio to hand-written SQL per
organisation that selects the rows compose needs (reminders due, due today, overdue with their
last escalation step, last listing and the owner's superior, kickoff tasks, the direktion):
the floor.

It then measures a typical day the same way: the worst-case day above has no escalation recorded
yet, so every overdue task escalates at once; with that day's digests kept in the same transaction
(as if committed, planner statistics refreshed), it composes the next workday and compares it with
the floor for that day. Everything is rolled back at the end.

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
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col

from aarshjul.calendar.workdays import WorkCalendar
from aarshjul.config import Settings
from aarshjul.db import make_engine, upgrade
from aarshjul.models import (
    Cycle,
    Organisation,
    Person,
    PersonRole,
    Phase,
    Task,
    TaskReminder,
)
from aarshjul.notifications import compose_digests

DAY = date(2027, 6, 16)  # a Wednesday
NEXT_DAY = date(2027, 6, 17)  # the next workday
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
# superior, who receives the escalation) and kickoff tasks, each with the owner's address; plus
# the direktion members, who receive every escalation. Due and overdue share one scan, as in
# compose.
FLOOR_SQL = """
SELECT t.id, t.owner_id, p.email, 'reminder' AS reason, CAST(NULL AS VARCHAR(320)) AS superior,
       CAST(NULL AS INTEGER) AS last_step, CAST(NULL AS DATE) AS last_listed
  FROM task t JOIN cycle c ON c.id = t.cycle_id JOIN person p ON p.id = t.owner_id
 WHERE c.organisation_id = :org AND t.status IN ('open', 'in_progress')
   AND EXISTS (SELECT 1 FROM task_reminder r
                WHERE r.task_id = t.id AND r.remind_on > :after AND r.remind_on <= :until)
UNION ALL
SELECT t.id, t.owner_id, p.email, 'due_or_overdue', s.email,
       CASE WHEN t.due < :today THEN (SELECT max(e.step) FROM task_escalation e
                                       WHERE e.task_id = t.id) END,
       CASE WHEN t.due < :today THEN (SELECT max(i.day) FROM digest_item i
                                       WHERE i.task_id = t.id AND i.reason = 'overdue') END
  FROM task t JOIN cycle c ON c.id = t.cycle_id JOIN person p ON p.id = t.owner_id
  LEFT JOIN person s ON s.id = p.superior_id
 WHERE c.organisation_id = :org AND t.status IN ('open', 'in_progress') AND t.due <= :until
UNION ALL
SELECT t.id, t.owner_id, p.email, 'kickoff', NULL, NULL, NULL
  FROM task t JOIN cycle c ON c.id = t.cycle_id JOIN phase ph ON ph.id = t.phase_id
  JOIN person p ON p.id = t.owner_id
 WHERE c.organisation_id = :org AND t.status IN ('open', 'in_progress')
   AND ph.start_date > :after AND ph.start_date <= :until
"""
DIREKTION_SQL = """
SELECT p.id, p.email FROM person_role r JOIN person p ON p.id = r.person_id
 WHERE p.organisation_id = :org AND r.role = 'direktion' AND p.active
"""


def _measure(engine: Engine, url: str, repeat: int) -> None:
    with Session(engine) as session:
        orgs = list(session.scalars(sa.select(Organisation).order_by(col(Organisation.id))))
    floors, plans, composes, next_floors, next_composes = [], [], [], [], []
    for run in range(1, max(repeat, 1) + 1):
        with engine.connect() as conn:
            outer = conn.begin()
            try:
                floor_s, floor_rows = _floor(conn, [o.id for o in orgs], DAY)
                plan_s = _plan_only(conn, orgs, DAY)
                compose_s, digests, added = _compose(conn, orgs, DAY)
                # The typical day: the worst-case day stays in the transaction as if committed
                # (with fresh planner statistics, as autovacuum would take), then the next workday.
                _analyze(conn)
                next_floor_s, next_rows = _floor(conn, [o.id for o in orgs], NEXT_DAY)
                next_s, next_digests, next_added = _compose(conn, orgs, NEXT_DAY)
            finally:
                outer.rollback()
        floors.append(floor_s)
        plans.append(plan_s)
        composes.append(compose_s)
        next_floors.append(next_floor_s)
        next_composes.append(next_s)
        print(
            f"run {run}: floor {floor_s:.2f} s, compose {compose_s:.2f} s; next day: floor "
            f"{next_floor_s:.2f} s, compose {next_s:.2f} s",
            flush=True,
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        _analyze(conn)  # PostgreSQL keeps row counts from inside the rolled-back transaction
    ratios = [c / f for c, f in zip(composes, floors, strict=True)]
    next_ratios = [c / f for c, f in zip(next_composes, next_floors, strict=True)]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    backend = engine.dialect.name
    print(f"backend            {backend}  ({url.split('@')[-1]})")
    print(f"median of {len(floors)} runs, {len(orgs)} organisations")
    print(f"worst case         {DAY}: no escalation recorded yet, every overdue task escalates")
    print(f"  floor (SQL)      {_spread(floors)}   {floor_rows:,} rows")
    print(f"  compose          {_spread(composes)}   {digests:,} digests, {added:,} outbox rows")
    print(f"    of which queries + grouping {_spread(plans)}; rendering and insert the rest")
    print(f"  ratio            {_spread(ratios, ' x')}  (target <= 3)")
    print(f"typical day        {NEXT_DAY}: the next workday, after {DAY} was composed")
    print(f"  floor (SQL)      {_spread(next_floors)}   {next_rows:,} rows")
    print(
        f"  compose          {_spread(next_composes)}   {next_digests:,} digests, "
        f"{next_added:,} outbox rows"
    )
    print(f"  ratio            {_spread(next_ratios, ' x')}  (target <= 3)")
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
    """Compose ``day`` for every organisation in the caller's transaction (which rolls it back)."""
    settings = Settings(base_url="https://aarshjul.example.dk")
    digests = added = 0
    started = time.perf_counter()
    with Session(bind=conn) as session:
        for org in orgs:
            result = compose_digests(session, organisation=org, today=day, settings=settings)
            digests += len(result.digests)
            added += result.added
            result.digests.clear()
        session.flush()
    return time.perf_counter() - started, digests, added


if __name__ == "__main__":
    main()
