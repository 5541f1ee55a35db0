"""Read queries, each scoped to one organisation. Set-based: one query per listing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from aarshjul.errors import NotFound
from aarshjul.models.base import OPEN_TASK_STATUSES, TaskStatus
from aarshjul.models.cycle import Cycle, Phase, Task
from aarshjul.models.goal_statuses import latest_goal_statuses
from aarshjul.models.organisation import (
    Committee,
    Goal,
    Organisation,
    Person,
    PersonRole,
    PolicyArea,
)


def get_organisation(session: Session, key: str | None) -> Organisation:
    """The organisation ``key``; without a key, the only one in the database."""
    if key:
        org = session.exec(select(Organisation).where(Organisation.key == key)).first()
        if org is None:
            raise NotFound(
                f"no organisation {key!r} in the database (see `aarshjul org import`)",
                reason_da=f"ingen organisation {key!r} i databasen (se `aarshjul org import`)",
            )
        return org
    orgs = session.exec(select(Organisation).limit(2)).all()
    if len(orgs) == 1:
        return orgs[0]
    if not orgs:
        raise NotFound(
            "the database holds no organisation: run `aarshjul init --sample` or "
            "`aarshjul org import FILE`",
            reason_da="databasen har ingen organisation: kør `aarshjul init --sample` eller "
            "`aarshjul org import FIL`",
        )
    raise NotFound(
        "the database holds several organisations: choose one with --org KEY or "
        "AARSHJUL_ORGANISATION",
        reason_da="databasen har flere organisationer: vælg én med --org NØGLE eller "
        "AARSHJUL_ORGANISATION",
    )


def person_by_email(session: Session, org: Organisation, email: str) -> Person:
    """The person with ``email`` in ``org``, or a clear :class:`NotFound`."""
    person = session.exec(
        select(Person).where(
            Person.organisation_id == org.id, Person.email == email.strip().lower()
        )
    ).first()
    if person is None:
        raise NotFound(
            f"no person with e-mail {email!r} in {org.name}",
            reason_da=f"ingen person med e-mail {email!r} i {org.name}",
        )
    return person


def roles_of(session: Session, person_id: int) -> set[str]:
    return set(session.exec(select(PersonRole.role).where(PersonRole.person_id == person_id)))


def people_records(session: Session, org: Organisation) -> list[dict[str, Any]]:
    """Every person with roles and superior, ordered by name."""
    superior = aliased(Person)
    rows = session.exec(
        select(Person, superior.email)
        .join(superior, col(Person.superior_id) == superior.id, isouter=True)
        .where(Person.organisation_id == org.id)
        .order_by(col(Person.name))
    ).all()
    role_map = _roles_by_person(session, org)
    return [
        {
            "email": p.email,
            "name": p.name,
            "title": p.title,
            "roles": role_map.get(p.id or 0, []),
            "superior_email": sup,
            "locale": p.locale,
            "active": p.active,
        }
        for p, sup in rows
    ]


def _roles_by_person(session: Session, org: Organisation) -> dict[int, list[str]]:
    query = (
        select(PersonRole.person_id, PersonRole.role)
        .join(Person, col(Person.id) == PersonRole.person_id)
        .where(Person.organisation_id == org.id)
        .order_by(col(PersonRole.role))
    )
    out: dict[int, list[str]] = {}
    for person_id, role in session.exec(query):
        out.setdefault(person_id, []).append(role)
    return out


def goal_records(
    session: Session, org: Organisation, policy_area: str | None = None
) -> list[dict[str, Any]]:
    """Goals with their policy area, committee, owner and parent, in hierarchy order."""
    parent = aliased(Goal)
    query = (
        sa.select(Goal, col(PolicyArea.key), col(Committee.key), col(Person.email), col(parent.key))
        .join(PolicyArea, col(Goal.policy_area_id) == PolicyArea.id)
        .join(Committee, col(Goal.committee_id) == Committee.id)
        .join(Person, col(Goal.owner_id) == Person.id)
        .join(parent, col(Goal.parent_id) == parent.id, isouter=True)
        .where(col(Goal.organisation_id) == org.id)
        .order_by(col(PolicyArea.key), col(Goal.id))
    )
    if policy_area:
        _require_policy_area(session, org, policy_area)
        query = query.where(col(PolicyArea.key) == policy_area)
    assert org.id is not None
    statuses = latest_goal_statuses(session, organisation_id=org.id)
    return [
        {
            "key": g.key,
            "level": g.level.value,
            "title": g.title,
            "policy_area": area,
            "committee": committee,
            "owner_email": owner,
            "parent": parent_key,
            "horizon_start": g.horizon_start,
            "horizon_end": g.horizon_end,
            "horizon": f"{g.horizon_start}-{g.horizon_end}",
            "status": statuses[g.id or 0],
        }
        for g, area, committee, owner, parent_key in session.execute(query).all()
    ]


def _require_policy_area(session: Session, org: Organisation, key: str) -> None:
    found = session.exec(
        select(PolicyArea.id).where(PolicyArea.organisation_id == org.id, PolicyArea.key == key)
    ).first()
    if found is None:
        raise NotFound(
            f"no policy area {key!r} in {org.name}",
            reason_da=f"intet politikområde {key!r} i {org.name}",
        )


@dataclass(frozen=True)
class TaskFilter:
    """Filters of ``aarshjul tasks``; ``overdue`` means open and due before ``today``."""

    year: int | None = None
    owner_email: str | None = None
    statuses: Sequence[TaskStatus] = ()
    overdue: bool = False
    today: date | None = None
    cycle_id: int | None = None


def task_records(session: Session, org: Organisation, flt: TaskFilter) -> list[dict[str, Any]]:
    """Tasks with the documented JSON fields, ordered by due date; an ``owner_email`` that is
    nobody's is a :class:`NotFound` (a typo is not "no tasks")."""
    if flt.owner_email:
        person_by_email(session, org, flt.owner_email)
    completer = aliased(Person)
    query = (
        sa.select(
            Task,
            col(Cycle.key),
            col(Cycle.year),
            col(Phase.key),
            col(Person.email),
            col(Person.name),
            col(completer.email),
        )
        .join(Cycle, col(Task.cycle_id) == Cycle.id)
        .join(Person, col(Task.owner_id) == Person.id)
        .join(Phase, col(Task.phase_id) == Phase.id, isouter=True)
        .join(completer, col(Task.completed_by_id) == completer.id, isouter=True)
        .where(col(Cycle.organisation_id) == org.id)
        .order_by(col(Task.due), col(Task.id))
    )
    query = _apply_task_filter(query, flt)
    return [_task_record(*row, today=flt.today) for row in session.execute(query).all()]


def _apply_task_filter(query: Any, flt: TaskFilter) -> Any:
    if flt.year is not None:
        query = query.where(Cycle.year == flt.year)
    if flt.cycle_id is not None:
        query = query.where(Task.cycle_id == flt.cycle_id)
    if flt.owner_email:
        query = query.where(Person.email == flt.owner_email.strip().lower())
    if flt.statuses:
        query = query.where(col(Task.status).in_(list(flt.statuses)))
    if flt.overdue:
        assert flt.today is not None
        query = query.where(col(Task.status).in_(OPEN_TASK_STATUSES), col(Task.due) < flt.today)
    return query


def _task_record(
    task: Task,
    cycle_key: str,
    year: int,
    phase: str | None,
    owner_email: str,
    owner_name: str,
    completed_by: str | None,
    *,
    today: date | None,
) -> dict[str, Any]:
    late = today is not None and task.status in OPEN_TASK_STATUSES and task.due < today
    return {
        "id": task.id,
        "key": task.key,
        "subject": task.subject,
        "title": task.title_da,
        "title_en": task.title_en,
        "cycle": cycle_key,
        "year": year,
        "phase": phase,
        "owner_email": owner_email,
        "owner_name": owner_name,
        "due": task.due.isoformat(),
        "status": task.status.value,
        "overdue": late,
        "completed_at": task.completed_at.isoformat() if task.completed_at else None,
        "completed_by": completed_by,
        "note": task.note,
    }
