"""Small factories for test rows. Each takes a session and keyword overrides, flushes, returns the row."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from sqlmodel import Session

from aarshjul.models import (
    Committee,
    Cycle,
    Goal,
    GoalLevel,
    Milestone,
    Organisation,
    Person,
    PersonRole,
    Phase,
    PolicyArea,
    Task,
)

_seq = itertools.count(1)


def _save(session: Session, row: Any) -> Any:
    session.add(row)
    session.flush()
    return row


def organisation(session: Session, **kw: Any) -> Organisation:
    n = next(_seq)
    values = {"key": f"org{n}", "name": f"Testkommune {n}", "closures": ["optional"]} | kw
    return _save(session, Organisation(**values))


def person(
    session: Session, org: Organisation, *, roles: tuple[str, ...] = (), **kw: Any
) -> Person:
    n = next(_seq)
    values = {
        "organisation_id": org.id,
        "email": f"person{n}@example.dk",
        "name": f"Person {n}",
    } | kw
    row = _save(session, Person(**values))
    for role in roles:
        session.add(PersonRole(person_id=row.id, role=role))
    session.flush()
    return row


def committee(session: Session, org: Organisation, **kw: Any) -> Committee:
    n = next(_seq)
    values = {"organisation_id": org.id, "key": f"udv{n}", "name": f"Udvalg {n}"} | kw
    return _save(session, Committee(**values))


def policy_area(
    session: Session, org: Organisation, committee: Committee, head: Person, **kw: Any
) -> PolicyArea:
    n = next(_seq)
    values = {
        "organisation_id": org.id, "key": f"omr{n}", "name": f"Område {n}",
        "committee_id": committee.id, "head_id": head.id,
    } | kw  # fmt: skip
    return _save(session, PolicyArea(**values))


def goal(session: Session, area: PolicyArea, **kw: Any) -> Goal:
    n = next(_seq)
    values = {
        "organisation_id": area.organisation_id, "key": f"mål{n}", "level": GoalLevel.goal,
        "policy_area_id": area.id, "owner_id": area.head_id, "committee_id": area.committee_id,
        "title": f"Mål {n}", "horizon_start": 2026, "horizon_end": 2029,
    } | kw  # fmt: skip
    return _save(session, Goal(**values))


def cycle(session: Session, org: Organisation, year: int = 2027, **kw: Any) -> Cycle:
    values = {
        "organisation_id": org.id, "key": f"helhedsplan-{year}", "year": year,
        "template_key": "helhedsplan", "template_hash": "test",
    } | kw  # fmt: skip
    return _save(session, Cycle(**values))


def phase(session: Session, cycle: Cycle, start: date, end: date, **kw: Any) -> Phase:
    n = next(_seq)
    values = {
        "cycle_id": cycle.id, "key": f"fase{n}", "name_da": f"Fase {n}", "name_en": f"Phase {n}",
        "start_date": start, "end_date": end,
    } | kw  # fmt: skip
    return _save(session, Phase(**values))


def milestone(session: Session, cycle: Cycle, on: date, **kw: Any) -> Milestone:
    n = next(_seq)
    values = {"cycle_id": cycle.id, "key": f"ms{n}", "name_da": f"Milepæl {n}", "date": on} | kw
    return _save(session, Milestone(**values))


def task(session: Session, cycle: Cycle, owner: Person, due: date, **kw: Any) -> Task:
    n = next(_seq)
    values = {
        "cycle_id": cycle.id, "key": f"opg{n}", "subject": "", "title_da": f"Opgave {n}",
        "title_en": f"Task {n}", "owner_id": owner.id, "due": due,
    } | kw  # fmt: skip
    return _save(session, Task(**values))
