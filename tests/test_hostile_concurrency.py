"""Issue 13, kind 9: concurrent writers. A re-plan sees a completion wholly before or wholly after
it, never in between; two identical re-plans at once write the changes once.

Before: ``plan --set …`` moved tasks that were completed while it ran (19 of 24 ``aarshjul done``
runs on PostgreSQL) and wrote a "moved" audit row dated before the completion; two identical
re-plans both wrote every "moved" row. Each test runs on SQLite and PostgreSQL, with two engines
(two connections) as two processes would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from aarshjul.db import make_engine
from aarshjul.engine.task_status import set_task_status
from aarshjul.models import Organisation, Task, TaskEvent, TaskStatus
from aarshjul.models.queries import get_organisation
from aarshjul.org.importing import import_org
from aarshjul.org.org_files import load_sample_org
from aarshjul.planning.cycles import Override
from aarshjul.planning.plan import PlanResult, plan_cycle
from aarshjul.planning.template_files import load_builtin_template

NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
PLANNER = "marianne.skovbo@jammerbugt.example"
MOVED_END = date(2027, 3, 5)  # goal_status.end moved: every goal's status task moves


@pytest.fixture
def engines(db_url: str) -> Iterator[tuple[Engine, Engine]]:
    first, second = make_engine(db_url), make_engine(db_url)
    with Session(first) as session:
        import_org(session, load_sample_org())
        session.commit()
        _plan(session)
        session.commit()
    yield first, second
    first.dispose()
    second.dispose()


def _plan(session: Session, end: date | None = None, now: datetime = NOW) -> PlanResult:
    org = get_organisation(session, "jammerbugt")
    overrides = [Override("goal_status.end", end, "Udskudt")] if end else []
    return plan_cycle(
        session, organisation=org, template=load_builtin_template("helhedsplan"), year=2027,
        overrides=overrides, now=now,
    )  # fmt: skip


def _status_tasks(engine: Engine) -> list[Task]:
    with Session(engine) as session:
        return list(session.exec(select(Task).where(Task.key == "goal_status").order_by(Task.id)))


def _complete(session: Session, task_id: int, now: datetime) -> None:
    org = get_organisation(session, "jammerbugt")
    set_task_status(
        session, org=org, task_id=task_id, by_email=PLANNER, status=TaskStatus.done, now=now
    )


def _in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # reported by the test
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def _events(engine: Engine, task_id: int) -> list[tuple[str, str | None]]:
    with Session(engine) as session:
        rows = session.exec(
            select(TaskEvent.kind, TaskEvent.to_status)
            .where(TaskEvent.task_id == task_id)
            .order_by(col(TaskEvent.id))
        )
        return [(kind, to) for kind, to in rows]


def test_a_replan_waits_for_a_completion_in_progress(engines: tuple[Engine, Engine]) -> None:
    first, second = engines
    task = _status_tasks(first)[0]
    assert task.id is not None
    with Session(first) as completing:
        _complete(completing, task.id, NOW)  # holds the task's row lock (SQLite: the write lock)

        def replan() -> None:
            with Session(second) as planning:
                _plan(planning, MOVED_END, NOW + timedelta(seconds=1))
                planning.commit()

        thread, errors = _in_thread(replan)
        thread.join(1.5)
        assert thread.is_alive(), "the re-plan must wait for the completion"
        completing.commit()
    thread.join(60)
    assert not thread.is_alive() and errors == []
    done = next(t for t in _status_tasks(first) if t.id == task.id)
    assert done.status == TaskStatus.done and done.due == task.due  # never moved once done
    assert _events(first, task.id) == [("planned", "open"), ("status", "done")]
    others = [t for t in _status_tasks(first) if t.id != task.id]
    assert others and all(t.due < task.due for t in others)  # the others did move


def test_a_completion_waits_for_a_replan_in_progress(engines: tuple[Engine, Engine]) -> None:
    first, second = engines
    task = _status_tasks(first)[0]
    assert task.id is not None
    with Session(first) as planning:
        result = _plan(planning, MOVED_END)
        assert len(result.diff.moved_tasks) >= 50

        def complete() -> None:
            with Session(second) as completing:
                _complete(completing, task.id, NOW + timedelta(seconds=1))  # type: ignore[arg-type]
                completing.commit()

        thread, errors = _in_thread(complete)
        thread.join(1.5)
        assert thread.is_alive(), "the completion must wait for the re-plan"
        planning.commit()
    thread.join(60)
    assert not thread.is_alive() and errors == []
    done = next(t for t in _status_tasks(first) if t.id == task.id)
    assert done.status == TaskStatus.done and done.due < task.due  # moved first, then done
    assert _events(first, task.id) == [("planned", "open"), ("moved", None), ("status", "done")]


def test_two_identical_replans_at_once_write_the_changes_once(
    engines: tuple[Engine, Engine],
) -> None:
    first, second = engines
    start = threading.Barrier(2)
    results: list[PlanResult] = []

    def replan(engine: Engine) -> Callable[[], None]:
        def work() -> None:
            with Session(engine) as session:
                start.wait()
                results.append(_plan(session, MOVED_END))
                session.commit()

        return work

    threads = [_in_thread(replan(first)), _in_thread(replan(second))]
    for thread, errors in threads:
        thread.join(120)
        assert not thread.is_alive() and errors == []
    moved = sorted(len(r.diff.moved_tasks) for r in results)
    assert moved[0] == 0 and moved[1] >= 50  # the second saw the first's work
    with Session(first) as session:
        rows = session.exec(select(sa.func.count()).where(TaskEvent.kind == "moved")).one()
    assert rows == moved[1]


def test_completions_during_replans_never_move_a_done_task(
    engines: tuple[Engine, Engine],
) -> None:
    """The loop of the issue (413 of 2,007 went wrong): re-plans back and forth while tasks are
    completed; afterwards no task has a "moved" event after its completion."""
    first, second = engines
    tasks = [t.id for t in _status_tasks(first)][:24]
    stop = threading.Event()

    def replans() -> None:
        ends = [MOVED_END, None]
        n = 0
        while not stop.is_set() and n < 8:
            with Session(second) as session:
                _plan(session, ends[n % 2], NOW + timedelta(minutes=n))
                session.commit()
            n += 1

    thread, errors = _in_thread(replans)
    for n, task_id in enumerate(tasks):
        with Session(first) as session:
            _complete(session, task_id, NOW + timedelta(minutes=n, seconds=30))  # type: ignore[arg-type]
            session.commit()
    stop.set()
    thread.join(300)
    assert not thread.is_alive() and errors == []
    for task_id in tasks:
        kinds = [kind for kind, _ in _events(first, task_id)]  # type: ignore[arg-type]
        assert "moved" not in kinds[kinds.index("status") :], (task_id, kinds)
    with Session(first) as session:
        org = session.exec(select(Organisation)).one()
        assert org.key == "jammerbugt"
