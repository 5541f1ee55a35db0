"""What a template task is planned for (``for_each``) and who owns it, in a handful of queries.

Subjects are keyed ``goal:KEY``, ``policy_area:KEY``, ``committee:KEY`` or ``""`` (planned
once); the key is how re-planning finds the same task again. Owners:

``owner``                the goal's owner, or the policy area's department head (*fagchef*)
``head``                 the department head of the goal's (or the) policy area
``committee_secretary``  the secretary of the subject's committee (*udvalgssekretær*)
``committee_chair``      the chair of the subject's committee (*udvalgsformand*)
``role:NAME``            the first active person with that role, by e-mail (deterministic)
``person:EMAIL``         that person
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

from aarshjul.errors import InputError
from aarshjul.models import Committee, Goal, Organisation, Person, PersonRole, PolicyArea
from aarshjul.planning.template_schema import TaskSpec


@dataclass(frozen=True)
class Subject:
    """One thing a task is about, with the ids its owner and columns are taken from."""

    key: str = ""
    names: dict[str, str] = field(default_factory=dict)
    owner_id: int | None = None
    head_id: int | None = None
    committee_id: int | None = None
    policy_area_id: int | None = None
    goal_id: int | None = None


ONCE = Subject()


@dataclass
class OrgIndex:
    """The organisation's committees, policy areas, goals, roles and people, loaded once."""

    committees: dict[int, Committee]
    areas: list[PolicyArea]
    goals: list[Goal]
    role_holder: dict[str, int]
    people: dict[str, int]

    def committee_subject(self, c: Committee) -> Subject:
        assert c.id is not None
        return Subject(f"committee:{c.key}", {"committee": c.name}, committee_id=c.id)

    def area_subject(self, a: PolicyArea) -> Subject:
        names = {"policy_area": a.name, "committee": self.committees[a.committee_id].name}
        return Subject(
            f"policy_area:{a.key}", names, owner_id=a.head_id, head_id=a.head_id,
            committee_id=a.committee_id, policy_area_id=a.id,
        )  # fmt: skip

    def goal_subject(self, g: Goal, areas: dict[int, PolicyArea]) -> Subject:
        area = areas[g.policy_area_id]
        names = {"goal": g.title, "policy_area": area.name}
        names["committee"] = self.committees[g.committee_id].name
        return Subject(
            f"goal:{g.key}", names, owner_id=g.owner_id, head_id=area.head_id,
            committee_id=g.committee_id, policy_area_id=area.id, goal_id=g.id,
        )  # fmt: skip


def load_index(session: Session, organisation: Organisation) -> OrgIndex:
    """Everything subjects and owners need: five queries, whatever the organisation's size."""
    org_id = organisation.id
    committees = session.exec(select(Committee).where(Committee.organisation_id == org_id)).all()
    areas = session.exec(
        select(PolicyArea).where(PolicyArea.organisation_id == org_id).order_by(PolicyArea.key)
    ).all()
    goals = session.exec(
        select(Goal).where(Goal.organisation_id == org_id).order_by(Goal.key)
    ).all()
    return OrgIndex(
        committees={c.id: c for c in committees if c.id is not None},
        areas=list(areas),
        goals=list(goals),
        role_holder=_role_holders(session, organisation),
        people=_people(session, organisation),
    )


def _role_holders(session: Session, organisation: Organisation) -> dict[str, int]:
    rows = session.exec(
        select(PersonRole.role, Person.id)
        .join(Person, Person.id == PersonRole.person_id)  # type: ignore[arg-type]
        .where(Person.organisation_id == organisation.id, Person.active == True)  # noqa: E712
        .order_by(PersonRole.role, Person.email)
    ).all()
    holders: dict[str, int] = {}
    for role, person_id in rows:
        if person_id is not None:
            holders.setdefault(role, person_id)
    return holders


def _people(session: Session, organisation: Organisation) -> dict[str, int]:
    rows = session.exec(
        select(Person.email, Person.id).where(Person.organisation_id == organisation.id)
    ).all()
    return {email: pid for email, pid in rows if pid is not None}


def subjects_for(task: TaskSpec, index: OrgIndex, year: int) -> list[Subject]:
    """The subjects of ``task`` in ``year`` (goals whose horizon covers the year, or the year before)."""
    if task.for_each == "once":
        return [ONCE]
    if task.for_each == "committee":
        ordered = sorted(index.committees.values(), key=lambda c: c.key)
        return [index.committee_subject(c) for c in ordered]
    if task.for_each == "policy_area":
        return [index.area_subject(a) for a in index.areas]
    areas = {a.id: a for a in index.areas if a.id is not None}
    wanted = year - 1 if task.goals == "previous" else year
    levels = set(task.levels)
    return [
        index.goal_subject(g, areas)
        for g in index.goals
        if g.horizon_start <= wanted <= g.horizon_end and (not levels or g.level in levels)
    ]


def owner_of(spec: str, subject: Subject, index: OrgIndex) -> int | str:
    """The id of the person ``spec`` (``owner``, ``role:planning`` …) names, or why there is none."""
    if spec.startswith("role:"):
        role = spec.removeprefix("role:")
        return index.role_holder.get(role, f"no active person has the role {role!r}")
    if spec.startswith("person:"):
        email = spec.removeprefix("person:").lower()
        return index.people.get(email, f"no person with e-mail {email!r}")
    return _subject_owner(spec, subject, index)


def _subject_owner(spec: str, subject: Subject, index: OrgIndex) -> int | str:
    found: Any = None
    if spec == "owner":
        found = subject.owner_id
    elif spec == "head":
        found = subject.head_id
    elif subject.committee_id is not None:
        committee = index.committees[subject.committee_id]
        found = committee.secretary_id if spec == "committee_secretary" else committee.chair_id
    if found is None:
        return f"{subject.key or 'the task'} has no {spec.replace('_', ' ')}"
    return int(found)


def owner_problem(task_key: str, index_in_template: int, reason: str) -> str:
    return f"tasks[{index_in_template}].owner ({task_key}): {reason}"


def raise_owner_problems(source: str, problems: list[str]) -> None:
    """One :class:`InputError` naming every template task whose owner cannot be found."""
    if problems:
        lines = [f"{source}: {p}" for p in problems]
        head = f"{source}: {len(problems)} task owner(s) not found in the organisation"
        raise InputError("\n".join([head, *(f"  {p}" for p in lines[:20])]), problems=lines)
