"""Idempotent upsert of an organisation file into the database (one transaction, by keys)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, delete, select

from aarshjul.goals.indicators import sync_indicators
from aarshjul.models import Committee, Goal, Organisation, Person, PersonRole, PolicyArea
from aarshjul.org.org_schema import GoalSpec, OrgFile

R = TypeVar("R", bound=SQLModel)


@dataclass
class ImportSummary:
    """What an import did, per kind: ``added``, ``updated``, ``unchanged``."""

    organisation: str
    counts: dict[str, Counter[str]] = field(default_factory=dict)

    def count(self, kind: str, outcome: str) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += 1

    @property
    def changed(self) -> bool:
        return any(c["added"] or c["updated"] for c in self.counts.values())

    def as_records(self) -> list[dict[str, Any]]:
        return [
            {
                "kind": kind,
                "added": c["added"],
                "updated": c["updated"],
                "unchanged": c["unchanged"],
            }
            for kind, c in self.counts.items()
        ]


def import_org(session: Session, data: OrgFile) -> ImportSummary:
    """Upsert ``data`` (already validated by :func:`load_org_file`). The caller commits."""
    org = _upsert_organisation(session, data)
    summary = ImportSummary(organisation=org.key)
    assert org.id is not None
    people = _import_people(session, org.id, data, summary)
    committees = _import_committees(session, org.id, data, people, summary)
    areas = _import_policy_areas(session, org.id, data, people, committees, summary)
    _import_goals(session, org.id, data, people, committees, areas, summary)
    session.flush()
    return summary


def _upsert_organisation(session: Session, data: OrgFile) -> Organisation:
    spec = data.organisation
    values = spec.model_dump()
    values["template_key"] = values.pop("template")
    elections = values.pop("elections") or {}
    values["election_year"] = elections.get("year", 2025)
    values["election_every"] = elections.get("every", 4)
    own = data.template_file
    if own is not None:
        values["template_key"] = own.template.template
    org = session.exec(select(Organisation).where(Organisation.key == spec.key)).first()
    org = _apply(session, org, Organisation, values, ImportSummary(spec.key), "organisation")
    session.flush()
    if own is not None:
        from aarshjul.clock import utcnow
        from aarshjul.planning.template_store import store_template

        store_template(
            session, org, template=own.template, text=own.text, source=own.source, now=utcnow()
        )
    return org


def _apply(
    session: Session,
    row: R | None,
    model: type[R],
    values: dict[str, Any],
    summary: ImportSummary,
    kind: str,
) -> R:
    """Create ``row`` or update the fields that differ; count the outcome."""
    if row is None:
        row = model.model_validate(values)
        session.add(row)
        summary.count(kind, "added")
        return row
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    summary.count(kind, "updated" if changed else "unchanged")
    return row


def _existing(session: Session, model: type[R], org_id: int, attr: str) -> dict[str, R]:
    rows = session.exec(select(model).where(model.organisation_id == org_id)).all()  # type: ignore[attr-defined]
    return {getattr(row, attr): row for row in rows}


def _import_people(
    session: Session, org_id: int, data: OrgFile, summary: ImportSummary
) -> dict[str, int]:
    existing = _existing(session, Person, org_id, "email")
    rows = {}
    for spec in data.people:
        values = spec.model_dump(exclude={"roles", "superior"}) | {"organisation_id": org_id}
        rows[spec.email] = _apply(
            session, existing.get(spec.email), Person, values, summary, "people"
        )
    session.flush()
    ids = {email: row.id for email, row in rows.items() if row.id is not None}
    for spec in data.people:
        rows[spec.email].superior_id = ids[spec.superior] if spec.superior else None
    _replace_roles(session, data, ids)
    return ids


def _replace_roles(session: Session, data: OrgFile, ids: dict[str, int]) -> None:
    wanted = {(ids[p.email], role) for p in data.people for role in p.roles}
    person_ids = list(ids.values())
    current = set(
        session.exec(
            select(PersonRole.person_id, PersonRole.role).where(
                PersonRole.person_id.in_(person_ids)  # type: ignore[attr-defined]
            )
        ).all()
    )
    for person_id, role in current - wanted:
        session.exec(
            delete(PersonRole).where(PersonRole.person_id == person_id, PersonRole.role == role)  # type: ignore[arg-type]
        )
    session.add_all(PersonRole(person_id=pid, role=role) for pid, role in wanted - current)


def _import_committees(
    session: Session, org_id: int, data: OrgFile, people: dict[str, int], summary: ImportSummary
) -> dict[str, int]:
    existing = _existing(session, Committee, org_id, "key")
    rows = {}
    for spec in data.committees:
        values = {
            "organisation_id": org_id,
            "key": spec.key,
            "name": spec.name,
            "chair_id": people.get(spec.chair) if spec.chair else None,
            "secretary_id": people.get(spec.secretary) if spec.secretary else None,
        }
        rows[spec.key] = _apply(
            session, existing.get(spec.key), Committee, values, summary, "committees"
        )
    session.flush()
    return {key: row.id for key, row in rows.items() if row.id is not None}


def _import_policy_areas(
    session: Session,
    org_id: int,
    data: OrgFile,
    people: dict[str, int],
    committees: dict[str, int],
    summary: ImportSummary,
) -> dict[str, PolicyArea]:
    existing = _existing(session, PolicyArea, org_id, "key")
    rows = {}
    for spec in data.policy_areas:
        values = {
            "organisation_id": org_id,
            "key": spec.key,
            "name": spec.name,
            "committee_id": committees[spec.committee],
            "head_id": people[spec.head],
        }
        rows[spec.key] = _apply(
            session, existing.get(spec.key), PolicyArea, values, summary, "policy_areas"
        )
    session.flush()
    return rows


def _import_goals(
    session: Session,
    org_id: int,
    data: OrgFile,
    people: dict[str, int],
    committees: dict[str, int],
    areas: dict[str, PolicyArea],
    summary: ImportSummary,
) -> None:
    existing = _existing(session, Goal, org_id, "key")
    rows = {}
    for spec in data.goals:
        values = _goal_values(spec, org_id, people, committees, areas[spec.policy_area])
        rows[spec.key] = _apply(session, existing.get(spec.key), Goal, values, summary, "goals")
    session.flush()
    for spec in data.goals:
        rows[spec.key].parent_id = rows[spec.parent].id if spec.parent else None
    stated = {
        rows[s.key].id or 0: s.indicators for s in data.goals if "indicators" in s.model_fields_set
    }
    for outcome, n in sync_indicators(session, stated).items():
        summary.counts.setdefault("indicators", Counter())[outcome] += n


def _goal_values(
    spec: GoalSpec,
    org_id: int,
    people: dict[str, int],
    committees: dict[str, int],
    area: PolicyArea,
) -> dict[str, Any]:
    """Owner and committee default to the policy area's department head and committee.

    A status is taken from the file only where the file states one, so re-importing an old file
    never wipes what department heads have reported since.
    """
    values: dict[str, Any] = {
        "organisation_id": org_id,
        "key": spec.key,
        "level": spec.level,
        "title": spec.title,
        "description": spec.description,
        "policy_area_id": area.id,
        "owner_id": people[spec.owner] if spec.owner else area.head_id,
        "committee_id": committees[spec.committee] if spec.committee else area.committee_id,
        "horizon_start": spec.horizon[0],
        "horizon_end": spec.horizon[1],
    }
    if "status" in spec.model_fields_set:
        values |= {"status": spec.status, "status_comment": spec.status_comment}
    return values
