"""The model's rules hold in the database itself, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, select

from aarshjul.engine.task_status import set_task_status
from aarshjul.errors import PermissionDenied
from aarshjul.models import Goal, GoalLevel, Person, Task, TaskEvent, TaskStatus
from tests import factories as f

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def org_area(session: Session):  # type: ignore[no-untyped-def]
    org = f.organisation(session)
    head = f.person(session, org)
    committee = f.committee(session, org, secretary_id=head.id)
    area = f.policy_area(session, org, committee, head)
    return org, head, committee, area


@pytest.mark.parametrize("missing", ["owner_id", "committee_id"])
def test_goal_requires_exactly_one_owner_and_one_committee(session, org_area, missing):  # type: ignore[no-untyped-def]
    _, _, _, area = org_area
    f.goal(session, area)
    session.commit()
    with pytest.raises(IntegrityError):
        f.goal(session, area, **{missing: None})
    session.rollback()
    assert session.exec(select(sa.func.count()).select_from(Goal)).one() == 1


def test_goal_horizon_cannot_end_before_it_starts(session, org_area):  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError):
        f.goal(session, org_area[3], horizon_start=2030, horizon_end=2026)


def test_goal_level_outside_the_hierarchy_is_refused(session, org_area):  # type: ignore[no-untyped-def]
    with pytest.raises((IntegrityError, StatementError)):
        f.goal(session, org_area[3], level="strategy")


def test_email_is_unique_within_an_organisation_but_not_across(session):  # type: ignore[no-untyped-def]
    one, two = f.organisation(session), f.organisation(session)
    f.person(session, one, email="chef@example.dk")
    f.person(session, two, email="chef@example.dk")
    session.commit()
    with pytest.raises(IntegrityError):
        f.person(session, one, email="chef@example.dk")


def test_keys_are_unique_per_organisation(session, org_area):  # type: ignore[no-untyped-def]
    org, head, committee, _ = org_area
    f.policy_area(session, org, committee, head, key="skole")
    other = f.organisation(session)
    f.policy_area(
        session, other, f.committee(session, other), f.person(session, other), key="skole"
    )
    session.commit()
    with pytest.raises(IntegrityError):
        f.policy_area(session, org, committee, head, key="skole")


def test_one_task_per_cycle_template_task_and_subject(session, org_area):  # type: ignore[no-untyped-def]
    org, head, _, _ = org_area
    cycle = f.cycle(session, org)
    f.task(session, cycle, head, date(2027, 3, 1), key="status", subject="goal:a")
    f.task(session, cycle, head, date(2027, 3, 1), key="status", subject="goal:b")
    session.commit()
    with pytest.raises(IntegrityError):
        f.task(session, cycle, head, date(2027, 4, 1), key="status", subject="goal:a")


def test_naive_datetimes_are_refused(session, org_area):  # type: ignore[no-untyped-def]
    org, head, _, _ = org_area
    task = f.task(session, f.cycle(session, org), head, date(2027, 3, 1))
    task.completed_at = datetime(2027, 3, 1, 9, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(StatementError, match="timezone"):
        session.flush()


def test_instants_come_back_aware_in_utc(session, org_area):  # type: ignore[no-untyped-def]
    org, head, _, _ = org_area
    task = f.task(session, f.cycle(session, org), head, date(2027, 3, 1), completed_at=NOW)
    session.commit()
    session.expire_all()
    stored = session.get(Task, task.id)
    assert stored is not None and stored.completed_at == NOW
    assert stored.completed_at.utcoffset() is not None


def test_completing_a_task_writes_one_audit_row(session, org_area):  # type: ignore[no-untyped-def]
    org, head, _, _ = org_area
    task = f.task(session, f.cycle(session, org), head, date(2027, 3, 1))
    done, _ = set_task_status(
        session, org=org, task_id=task.id, by_email=head.email, status=TaskStatus.done, now=NOW,
        note="Afleveret",
    )  # fmt: skip
    session.commit()
    assert done.status == TaskStatus.done and done.completed_by_id == head.id
    assert done.completed_at == NOW and done.note == "Afleveret"
    events = session.exec(select(TaskEvent).where(TaskEvent.task_id == task.id)).all()
    assert [(e.from_status, e.to_status, e.actor_id, e.note) for e in events] == [
        ("open", "done", head.id, "Afleveret")
    ]


def test_completing_twice_changes_nothing_the_second_time(session, org_area):  # type: ignore[no-untyped-def]
    org, head, _, _ = org_area
    task = f.task(session, f.cycle(session, org), head, date(2027, 3, 1))
    for _ in range(2):
        set_task_status(
            session, org=org, task_id=task.id, by_email=head.email, status=TaskStatus.done, now=NOW
        )
    session.commit()
    assert len(session.exec(select(TaskEvent)).all()) == 1


def test_only_the_owner_or_planning_may_complete(session, org_area):  # type: ignore[no-untyped-def]
    org, head, _, _ = org_area
    stranger = f.person(session, org)
    planner = f.person(session, org, roles=("planning",))
    task = f.task(session, f.cycle(session, org), head, date(2027, 3, 1))
    with pytest.raises(PermissionDenied, match="only its owner"):
        set_task_status(
            session,
            org=org,
            task_id=task.id,
            by_email=stranger.email,
            status=TaskStatus.done,
            now=NOW,
        )
    set_task_status(
        session, org=org, task_id=task.id, by_email=planner.email, status=TaskStatus.done, now=NOW
    )
    assert session.get(Task, task.id).completed_by_id == planner.id  # type: ignore[union-attr]


def test_a_task_of_another_organisation_is_not_found(session, org_area):  # type: ignore[no-untyped-def]
    from aarshjul.errors import NotFound

    org, head, _, _ = org_area
    other = f.organisation(session)
    task = f.task(session, f.cycle(session, org), head, date(2027, 3, 1))
    f.person(session, other, email=head.email)
    with pytest.raises(NotFound, match=f"no task with id {task.id}"):
        set_task_status(
            session,
            org=other,
            task_id=task.id,
            by_email=head.email,
            status=TaskStatus.done,
            now=NOW,
        )


def test_deleting_a_superior_keeps_the_person(session):  # type: ignore[no-untyped-def]
    org = f.organisation(session)
    boss = f.person(session, org)
    worker = f.person(session, org, superior_id=boss.id)
    session.commit()
    session.delete(boss)
    session.commit()
    session.expire_all()
    assert session.get(Person, worker.id).superior_id is None  # type: ignore[union-attr]


def test_goal_levels_are_the_helhedsplan_hierarchy() -> None:
    assert [level.value for level in GoalLevel] == ["vision", "goal", "service_goal", "action"]


def test_complete_as_owner_is_set_based_audited_and_idempotent(session, org_area):  # type: ignore[no-untyped-def]
    from aarshjul.engine.task_status import complete_as_owner

    org, head, _, _ = org_area
    cycle = f.cycle(session, org)
    tasks = [f.task(session, cycle, head, date(2027, 3, d)) for d in (1, 2, 3)]
    tasks[2].status = TaskStatus.waived
    ids = [t.id for t in tasks]
    assert complete_as_owner(session, task_ids=ids, now=NOW, note="importeret") == 2
    assert complete_as_owner(session, task_ids=ids, now=NOW, note="importeret") == 0
    session.commit()
    session.expire_all()
    stored = [session.get(Task, i) for i in ids]
    assert [t.status for t in stored] == [TaskStatus.done, TaskStatus.done, TaskStatus.waived]  # type: ignore[union-attr]
    assert {t.completed_by_id for t in stored[:2]} == {head.id}  # type: ignore[union-attr]
    events = session.exec(select(TaskEvent).order_by(TaskEvent.task_id)).all()
    assert [(e.task_id, e.actor_id, e.to_status) for e in events] == [
        (ids[0], head.id, "done"), (ids[1], head.id, "done"),
    ]  # fmt: skip
