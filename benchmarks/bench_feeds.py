"""Benchmark: calendar feeds on a municipality-sized database.

    python benchmarks/bench_feeds.py [--db URL] [--areas 40] [--goals 2000] [--tasks 30] [--repeat 200]

Builds the synthetic municipality of ``bench_planning.py`` (40 policy areas, 2,000 goals), plans
the built-in ``helhedsplan`` for 2026 and 2027, marks 2026's tasks done, re-plans 2027 with one
moved date (so tasks have 'moved' audit rows), and gives one person ``--tasks`` open tasks. Then
times, median and 95th percentile of ``--repeat`` runs each:

- the person's feed by token (:func:`person_feed_by_token`: token check, two queries, iCalendar);
- the organisation feed (:func:`organisation_feed`: phases, milestones and meetings of 2026-2027),
  first build (writes the revision rows) and steady state (reads only);

the feed with every event rendered anew (the event cache cleared) and as calendars poll it (the
events cached); each against a **floor**: the same rows read with hand-written SQL
(``exec_driver_sql``, no ORM, no iCalendar), so the ratio is what building and rendering the
feed costs on top of reading it.
"""

from __future__ import annotations

import argparse
import re
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime

import sqlalchemy as sa
from bench_planning import build_org
from cryptography.fernet import Fernet
from pydantic import SecretStr
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from aarshjul.config import Settings
from aarshjul.db import make_engine, session_scope, upgrade
from aarshjul.engine.task_status import complete_as_owner
from aarshjul.feeds.feed_queries import calendar_entries, open_tasks_of
from aarshjul.feeds.feed_tokens import feed_token, person_for_token
from aarshjul.feeds.ical_feed import _vevent_ical, organisation_feed, person_feed_by_token
from aarshjul.models import Cycle, Organisation, Person, Task, TaskStatus
from aarshjul.planning.cycles import Override
from aarshjul.planning.plan import plan_cycle
from aarshjul.planning.template_files import load_builtin_template

NOW = datetime(2027, 1, 2, 9, 0, tzinfo=UTC)
TODAY = date(2027, 3, 1)
EMAIL = "feed.person@kommune.example"

SELECTOR_FLOOR = """
SELECT p.id, p.name, p.locale, o.key FROM feed_token f JOIN person p ON p.id = f.person_id
  JOIN organisation o ON o.id = p.organisation_id WHERE f.selector = :selector AND f.revoked_at IS NULL
"""
TASKS_FLOOR = """
SELECT t.id, t.title_da, t.title_en, t.description, t.due, t.updated_at,
       (SELECT count(*) FROM task_event e WHERE e.task_id = t.id AND e.kind = 'moved'),
       c.title, ph.name_da, ph.name_en
  FROM task t JOIN cycle c ON c.id = t.cycle_id LEFT JOIN phase ph ON ph.id = t.phase_id
 WHERE t.owner_id = :person AND t.status IN ('open', 'in_progress') ORDER BY t.due, t.id
"""
ENTRIES_FLOOR = """
SELECT 'phase', ph.id, ph.name_da, ph.name_en, ph.description, ph.start_date, ph.end_date,
       c.key, c.title, c.year, c.kind, c.template_key, c.template_hash
  FROM phase ph JOIN cycle c ON c.id = ph.cycle_id WHERE c.organisation_id = :org AND c.year >= :year
UNION ALL
SELECT 'milestone', m.id, m.name_da, m.name_en, m.description, m.date, m.date,
       c.key, c.title, c.year, c.kind, c.template_key, c.template_hash
  FROM milestone m JOIN cycle c ON c.id = m.cycle_id WHERE c.organisation_id = :org AND c.year >= :year
"""
REVISIONS_FLOOR = (
    "SELECT uid, fingerprint, sequence, modified_at FROM feed_entry WHERE organisation_id = :org"
)
PERSON_FLOOR = (SELECTOR_FLOOR, TASKS_FLOOR)
ORG_FLOOR = (ENTRIES_FLOOR, REVISIONS_FLOOR)


def prepare(
    engine: Engine, areas: int, goals: int, tasks: int
) -> tuple[Organisation, str, Settings]:
    """The database: two planned years, 2026 done, a re-plan, one person with ``tasks`` tasks."""
    template = load_builtin_template("helhedsplan")
    with session_scope(engine) as session:
        org = build_org(session, areas, goals)
    for year in (2026, 2027):
        with session_scope(engine) as session:
            plan_cycle(session, organisation=org, template=template, year=year, now=NOW)
    moved = [Override("goal_status.end", date(2027, 3, 19), "benchmark")]
    with session_scope(engine) as session:
        plan_cycle(
            session, organisation=org, template=template, year=2027, now=NOW, overrides=moved
        )
        done = session.exec(
            select(Task.id).join(Cycle).where(Cycle.year == 2026, Cycle.organisation_id == org.id)
        ).all()
        complete_as_owner(session, task_ids=[i for i in done if i], now=NOW, note="benchmark")
    key = SecretStr(Fernet.generate_key().decode())
    settings = Settings(secret_key=key, base_url="https://aarshjul.example.org")
    with session_scope(engine) as session:
        token = _person_with_tasks(session, org, tasks, settings)
    return org, token, settings


def _person_with_tasks(session: Session, org: Organisation, n: int, settings: Settings) -> str:
    person = Person(organisation_id=org.id or 0, email=EMAIL, name="Feed Person")
    session.add(person)
    session.flush()
    open_2027 = session.exec(
        select(Task.id).join(Cycle).where(Cycle.year == 2027, Task.status == TaskStatus.open)
        .order_by(col(Task.id))
    ).all()  # fmt: skip
    step = max(len(open_2027) // n, 1)
    chosen = list(open_2027[::step][:n])
    session.execute(sa.update(Task).where(col(Task.id).in_(chosen)).values(owner_id=person.id))
    return feed_token(session, organisation=org, email=EMAIL, settings=settings, now=NOW)


def measure(label: str, repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 20 else max(times)
    print(f"  {label:<34} median {median * 1000:7.2f} ms   p95 {p95 * 1000:7.2f} ms")
    return median


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--areas", type=int, default=40)
    parser.add_argument("--goals", type=int, default=2000)
    parser.add_argument("--tasks", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args(argv)
    engine = make_engine(args.db or f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    upgrade(engine)
    org, token, settings = prepare(engine, args.areas, args.goals, args.tasks)
    assert org.id is not None
    with Session(engine) as session:
        total = session.exec(select(func.count()).select_from(Task)).one()
        person_id = session.exec(select(Person.id).where(Person.email == EMAIL)).one()
        feed = person_feed_by_token(session, token=token, settings=settings) or b""
    print(
        f"database: {engine.url.get_backend_name()}, {args.goals} goals, {total} tasks; "
        f"person feed: {feed.count(b'BEGIN:VEVENT')} events, {len(feed):,} bytes"
    )
    with engine.connect() as conn, Session(engine) as session:
        print("person feed (by token)")
        floor = measure(
            "floor (SQL)",
            args.repeat,
            lambda: _sql(conn, PERSON_FLOOR, selector=token[:22], person=person_id),
        )
        measure(
            "the feed's own reads", args.repeat, lambda: _person_reads(session, token, settings)
        )
        measure(
            "feed, events not cached",
            args.repeat,
            lambda: _person(session, token, settings, cold=True),
        )
        built = measure("feed", args.repeat, lambda: _person(session, token, settings))
        print(f"  ratio {built / floor:.1f} x")
        print("organisation feed (2026-2027)")
        start = time.perf_counter()
        first = organisation_feed(session, organisation=org, today=TODAY, now=NOW)
        session.commit()
        took = (time.perf_counter() - start) * 1000
        events = first.count(b"BEGIN:VEVENT")
        print(
            f"  {'first build (writes revisions)':<34} {took:7.2f} ms   {events} events, {len(first):,} bytes"
        )
        floor = measure(
            "floor (SQL)", args.repeat, lambda: _sql(conn, ORG_FLOOR, org=org.id, year=2026)
        )
        measure(
            "the feed's own reads",
            args.repeat,
            lambda: calendar_entries(session, org.id or 0, 2026),
        )
        measure("feed, events not cached", args.repeat, lambda: _org(session, org, cold=True))
        built = measure("feed, steady state", args.repeat, lambda: _org(session, org))
        print(f"  ratio {built / floor:.1f} x")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS): {peak_mb:.0f} MB")
    engine.dispose()


def _sql(conn: sa.Connection, statements: tuple[str, ...], **values: object) -> None:
    for sql in statements:
        if conn.dialect.name == "postgresql":
            sql = re.sub(r":(\w+)", r"%(\1)s", sql)
        conn.exec_driver_sql(sql, values).all()


def _org(session: Session, org: Organisation, *, cold: bool = False) -> None:
    if cold:
        _vevent_ical.cache_clear()
    organisation_feed(session, organisation=org, today=TODAY, now=NOW)


def _person(session: Session, token: str, settings: Settings, *, cold: bool = False) -> None:
    if cold:
        _vevent_ical.cache_clear()
    session.expire_all()
    assert person_feed_by_token(session, token=token, settings=settings)


def _person_reads(session: Session, token: str, settings: Settings) -> None:
    session.expire_all()
    found = person_for_token(session, token=token, settings=settings)
    assert found is not None and found[0].id is not None
    open_tasks_of(session, found[0].id)


if __name__ == "__main__":
    main()
