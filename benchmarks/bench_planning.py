"""Benchmark: plan the default template for a large synthetic municipality.

    python benchmarks/bench_planning.py [--db URL] [--areas 40] [--goals 2000]

Builds an organisation with ``--areas`` policy areas and ``--goals`` goals (bulk inserts), then
times three planning runs of the built-in ``helhedsplan`` template for 2027: the first plan
(every task inserted), an identical re-plan (nothing changes) and a re-plan with one moved date
(every goal-status task moves). Prints wall time, tasks per second and peak memory (RSS).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, func, select

from aarshjul.db import make_engine, session_scope, upgrade
from aarshjul.models import Committee, Goal, Organisation, Person, PersonRole, PolicyArea, Task
from aarshjul.planning.cycles import Override
from aarshjul.planning.plan import PlanResult, plan_cycle
from aarshjul.planning.template_files import load_builtin_template

NOW = datetime(2027, 1, 2, 9, 0, tzinfo=UTC)
ROLES = ("direktion", "planning", "finance", "secretary")


def _ids(session: Session, model: Any, org_id: int) -> list[int]:
    return list(
        session.exec(select(model.id).where(model.organisation_id == org_id).order_by(model.id))
    )


def build_org(session: Session, areas: int, goals: int) -> Organisation:
    """A synthetic organisation, inserted set-based (this is setup, not the measured part)."""
    org = Organisation(key="bench", name="Benchmark Kommune", closures=["optional", "12-27"])
    session.add(org)
    session.flush()
    assert org.id is not None
    people = [
        {
            "organisation_id": org.id,
            "email": f"p{i}@kommune.example",
            "name": f"Person {i}",
            "title": "",
            "locale": "da",
            "active": True,
            "created_at": NOW,
        }
        for i in range(areas + 20)
    ]
    session.execute(sa.insert(Person), people)
    person_ids = _ids(session, Person, org.id)
    roles = [{"person_id": person_ids[i], "role": role} for i, role in enumerate(ROLES)]
    session.execute(sa.insert(PersonRole), roles)
    committees = [
        {
            "organisation_id": org.id,
            "key": f"udv{i}",
            "name": f"Udvalg {i}",
            "chair_id": person_ids[-1 - i],
            "secretary_id": person_ids[i % 4],
        }
        for i in range(10)
    ]
    session.execute(sa.insert(Committee), committees)
    committee_ids = _ids(session, Committee, org.id)
    rows = [
        {
            "organisation_id": org.id,
            "key": f"omr{i}",
            "name": f"Politikområde {i}",
            "committee_id": committee_ids[i % 10],
            "head_id": person_ids[4 + i],
        }
        for i in range(areas)
    ]
    session.execute(sa.insert(PolicyArea), rows)
    area_ids = _ids(session, PolicyArea, org.id)
    session.execute(
        sa.insert(Goal),
        [_goal(org.id, n, area_ids, committee_ids, person_ids) for n in range(goals)],
    )
    session.flush()
    return org


def _goal(
    org_id: int, n: int, areas: list[int], committees: list[int], people: list[int]
) -> dict[str, Any]:
    area = n % len(areas)
    return {
        "organisation_id": org_id,
        "key": f"m{n}",
        "level": "goal",
        "policy_area_id": areas[area],
        "owner_id": people[4 + area],
        "committee_id": committees[area % 10],
        "title": f"Mål nummer {n} for politikområde {area}",
        "description": "",
        "horizon_start": 2026,
        "horizon_end": 2029,
        "status": "not_reported",
        "status_comment": "",
    }


def timed(label: str, run: Any) -> tuple[float, PlanResult]:
    start = time.perf_counter()
    result = run()
    elapsed = time.perf_counter() - start
    diff = result.diff
    counts = f"added {diff.added:>6}  moved {diff.moved:>6}  unchanged {diff.unchanged:>6}"
    print(f"{label:<28} {elapsed:7.2f} s   {counts}")
    return elapsed, result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--areas", type=int, default=40)
    parser.add_argument("--goals", type=int, default=2000)
    args = parser.parse_args(argv)
    url = args.db or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    engine = make_engine(url)
    upgrade(engine)
    template = load_builtin_template("helhedsplan")
    with session_scope(engine) as session:
        org = build_org(session, args.areas, args.goals)

    def plan(**kw: Any) -> PlanResult:
        with session_scope(engine) as session:
            return plan_cycle(
                session, organisation=org, template=template, year=2027, now=NOW, **kw
            )

    print(
        f"database: {engine.url.get_backend_name()}, {args.areas} policy areas, {args.goals} goals"
    )
    first, _ = timed("first plan (insert all)", plan)
    timed("re-plan, nothing changed", plan)
    moved = [Override("goal_status.end", date(2027, 3, 19), "benchmark")]
    timed("re-plan, one date moved", lambda: plan(overrides=moved))
    with session_scope(engine) as session:
        tasks = session.exec(select(func.count()).select_from(Task)).one()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"tasks: {tasks}   first plan: {tasks / first:,.0f} tasks/s   peak memory (RSS): {peak_mb:.0f} MB"
    )
    engine.dispose()


if __name__ == "__main__":
    main()
