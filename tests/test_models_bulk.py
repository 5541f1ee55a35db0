"""Bulk inserts keep every type intact on both backends (PostgreSQL goes through unnest arrays)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session, select

from aarshjul.models import Task, TaskEvent, TaskStatus
from aarshjul.models.bulk import insert_rows
from tests import factories as f

NOW = datetime(2027, 3, 1, 8, 30, tzinfo=UTC)


def test_insert_rows_round_trips_types_and_returns_ids(session: Session) -> None:
    org = f.organisation(session)
    owner = f.person(session, org)
    cycle = f.cycle(session, org)
    rows = [
        {"cycle_id": cycle.id, "key": "k", "subject": f"goal:{i}", "title_da": "Æblerød ø",
         "title_en": "", "description": "", "owner_id": owner.id, "due": date(2027, 3, i + 1),
         "status": TaskStatus.open, "note": "", "updated_at": NOW, "escalate_after": 5,
         "goal_id": None}
        for i in range(3)
    ]  # fmt: skip
    returned = insert_rows(session, Task.__table__, rows, returning=("id", "subject"))  # type: ignore[attr-defined]
    assert [subject for _, subject in returned] == ["goal:0", "goal:1", "goal:2"]
    events = [
        {"task_id": task_id, "at": NOW, "actor_id": None, "kind": "planned", "from_status": None,
         "to_status": "open", "note": "", "data": {"due": "2027-03-01", "n": [1, 2]}}
        for task_id, _ in returned
    ]  # fmt: skip
    assert insert_rows(session, TaskEvent.__table__, events) == []  # type: ignore[attr-defined]
    session.commit()
    session.expire_all()
    tasks = session.exec(select(Task).order_by(Task.id)).all()  # type: ignore[arg-type]
    first = tasks[0]
    assert (first.title_da, first.due, first.status, first.updated_at) == (
        "Æblerød ø", date(2027, 3, 1), TaskStatus.open, NOW,
    )  # fmt: skip
    stored = session.exec(select(TaskEvent)).all()
    assert {e.data["n"][1] for e in stored} == {2} and len(stored) == 3


def test_insert_rows_with_nothing_does_nothing(session: Session) -> None:
    assert insert_rows(session, Task.__table__, []) == []  # type: ignore[attr-defined]
