"""Writing an organisation back to the file format ``org import`` reads."""

from __future__ import annotations

from typing import Any

import yaml
from sqlmodel import Session, select

from aarshjul.goals.indicators import indicator_specs, indicators_by_goal
from aarshjul.models import (
    Committee,
    Goal,
    GoalStatus,
    Organisation,
    Person,
    PersonRole,
    PolicyArea,
)
from aarshjul.org.org_schema import (
    CommitteeSpec,
    Elections,
    GoalSpec,
    OrganisationSpec,
    OrgFile,
    PersonSpec,
    PolicyAreaSpec,
)


def export_org(session: Session, org: Organisation) -> OrgFile:
    """The whole organisation as an :class:`OrgFile` (re-importing it changes nothing)."""
    assert org.id is not None
    people = _rows(session, Person, org.id, Person.email)
    emails = {p.id: p.email for p in people}
    committees = _rows(session, Committee, org.id, Committee.key)
    areas = _rows(session, PolicyArea, org.id, PolicyArea.key)
    return OrgFile(
        organisation=_organisation(org),
        people=_people(session, people, emails),
        committees=[_committee(c, emails) for c in committees],
        policy_areas=[_area(a, emails, committees) for a in areas],
        goals=_goals(session, org.id, emails, committees, areas),
    )


def org_payload(data: OrgFile) -> dict[str, Any]:
    """The file's content as plain data (what YAML and the workbook write), fields in order."""
    payload = data.model_dump(mode="json", exclude_defaults=True)
    payload["organisation"] = data.organisation.model_dump(mode="json", exclude_none=True)
    if not data.organisation.public_calendar:
        del payload["organisation"]["public_calendar"]
    return payload


def dump_org_yaml(data: OrgFile) -> str:
    """YAML text with Danish letters kept as they are and fields in schema order."""
    return yaml.safe_dump(org_payload(data), allow_unicode=True, sort_keys=False, width=100)


def _rows(session: Session, model: Any, org_id: int, order: Any) -> list[Any]:
    return list(session.exec(select(model).where(model.organisation_id == org_id).order_by(order)))


def _organisation(org: Organisation) -> OrganisationSpec:
    return OrganisationSpec(
        key=org.key,
        name=org.name,
        timezone=org.timezone,
        locale=org.locale,
        holiday_country=org.holiday_country,
        closures=list(org.closures),
        template=org.template_key,
        elections=(
            None
            if (org.election_year, org.election_every) == (2025, 4)
            else Elections(year=org.election_year, every=org.election_every)
        ),
        municipality_code=org.municipality_code,
        public_calendar=org.public_calendar,
    )


def _people(
    session: Session, people: list[Person], emails: dict[int | None, str]
) -> list[PersonSpec]:
    ids = [p.id for p in people]
    roles: dict[int, list[str]] = {}
    query = select(PersonRole).where(PersonRole.person_id.in_(ids)).order_by(PersonRole.role)  # type: ignore[attr-defined]
    for row in session.exec(query):
        roles.setdefault(row.person_id, []).append(row.role)
    return [
        PersonSpec(
            email=p.email,
            name=p.name,
            title=p.title,
            roles=roles.get(p.id or 0, []),
            locale=p.locale,
            superior=emails.get(p.superior_id) if p.superior_id else None,
            active=p.active,
        )
        for p in people
    ]


def _committee(c: Committee, emails: dict[int | None, str]) -> CommitteeSpec:
    return CommitteeSpec(
        key=c.key,
        name=c.name,
        chair=emails.get(c.chair_id) if c.chair_id else None,
        secretary=emails.get(c.secretary_id) if c.secretary_id else None,
    )


def _area(
    a: PolicyArea, emails: dict[int | None, str], committees: list[Committee]
) -> PolicyAreaSpec:
    keys = {c.id: c.key for c in committees}
    return PolicyAreaSpec(
        key=a.key, name=a.name, committee=keys[a.committee_id], head=emails[a.head_id]
    )


def _goals(
    session: Session,
    org_id: int,
    emails: dict[int | None, str],
    committees: list[Committee],
    areas: list[PolicyArea],
) -> list[GoalSpec]:
    goals = _rows(session, Goal, org_id, Goal.id)
    goal_keys = {g.id: g.key for g in goals}
    committee_keys = {c.id: c.key for c in committees}
    by_id = {a.id: a for a in areas}
    indicators = indicators_by_goal(session, goal_keys)
    return [
        _goal(g, goal_keys, emails, committee_keys, by_id[g.policy_area_id]).model_copy(
            update={"indicators": indicator_specs(indicators.get(g.id or 0, []))}
        )
        for g in goals
    ]


def _goal(
    g: Goal,
    goal_keys: dict[int | None, str],
    emails: dict[int | None, str],
    committee_keys: dict[int | None, str],
    area: PolicyArea,
) -> GoalSpec:
    values: dict[str, Any] = {
        "key": g.key,
        "level": g.level,
        "title": g.title,
        "description": g.description,
        "policy_area": area.key,
        "parent": goal_keys.get(g.parent_id) if g.parent_id else None,
        "horizon": (g.horizon_start, g.horizon_end),
    }
    if g.owner_id != area.head_id:
        values["owner"] = emails[g.owner_id]
    if g.committee_id != area.committee_id:
        values["committee"] = committee_keys[g.committee_id]
    if g.status != GoalStatus.not_reported:
        values |= {"status": g.status, "status_comment": g.status_comment}
    return GoalSpec.model_validate(values)
