"""The audit trail of an organisation import: what the file changed, field by field.

The organisation is exported before and after the import (:func:`~aarshjul.org.exporting.export_org`,
a handful of queries) and the two are compared in the file's own terms — e-mail addresses and
keys, not database ids — so the trail reads ``superior: anne@… → bent@…`` and
``roles: [department_head] → [department_head, planning]``. One
:class:`~aarshjul.models.audit.AuditEvent` per added or changed person, committee, policy area,
goal or organisation; unchanged rows leave nothing. A dry run is rolled back with the import.

>>> diff({"name": "A", "title": "x"}, {"name": "A", "title": "y"})
{'title': ['x', 'y']}
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, select

from aarshjul.models.audit import AuditEvent
from aarshjul.models.organisation import Organisation
from aarshjul.org.exporting import export_org
from aarshjul.org.importing import ImportSummary, import_org
from aarshjul.org.org_schema import OrgFile

#: Section of the file, the entity it holds, and the field that is its key.
SECTIONS = (
    ("people", "person", "email"),
    ("committees", "committee", "key"),
    ("policy_areas", "policy_area", "key"),
    ("goals", "goal", "key"),
)


def import_org_audited(
    session: Session, data: OrgFile, *, actor: str, source: str, now: datetime
) -> ImportSummary:
    """:func:`~aarshjul.org.importing.import_org`, with every change in the audit trail."""
    before = _snapshot(session, data.organisation.key)
    summary = import_org(session, data)
    org = _organisation(session, data.organisation.key)
    assert org is not None and org.id is not None
    session.add_all(
        AuditEvent(
            organisation_id=org.id,
            at=now,
            actor=actor,
            entity=entity,
            key=key,
            action=action,
            changes=changes,
            source=source,
        )
        for entity, key, action, changes in org_changes(before, export_org(session, org))
    )
    session.flush()
    return summary


def _organisation(session: Session, key: str) -> Organisation | None:
    return session.exec(select(Organisation).where(Organisation.key == key)).first()


def _snapshot(session: Session, key: str) -> OrgFile | None:
    org = _organisation(session, key)
    return export_org(session, org) if org is not None else None


def org_changes(
    before: OrgFile | None, after: OrgFile
) -> Iterable[tuple[str, str, str, dict[str, list[Any]]]]:
    """(entity, key, ``added``/``updated``, {field: [old, new]}) for every difference."""
    old_org = _plain(before.organisation) if before else None
    yield from _compare("organisation", {after.organisation.key: old_org} if old_org else {},
                        {after.organisation.key: _plain(after.organisation)})  # fmt: skip
    for section, entity, key in SECTIONS:
        old = {getattr(x, key): _plain(x) for x in getattr(before, section)} if before else {}
        new = {getattr(x, key): _plain(x) for x in getattr(after, section)}
        yield from _compare(entity, old, new)


def _compare(
    entity: str, old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]
) -> Iterable[tuple[str, str, str, dict[str, list[Any]]]]:
    for key, values in new.items():
        if key not in old:
            added = {f: [None, v] for f, v in values.items() if v not in (None, "", [])}
            yield entity, key, "added", added
        elif changed := diff(old[key], values):
            yield entity, key, "updated", changed


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields whose value differs, as ``{field: [old, new]}``."""
    return {f: [old.get(f), v] for f, v in new.items() if old.get(f) != v}


def _plain(spec: BaseModel) -> dict[str, Any]:
    return spec.model_dump(mode="json")
