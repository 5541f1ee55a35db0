"""The cycle row and its phases, milestones, overrides and waivers: upserted by key."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from aarshjul.calendar.rules import Waiver
from aarshjul.models import (
    Cycle,
    CycleKind,
    CycleOverride,
    Milestone,
    Organisation,
    Phase,
    RuleWaiver,
)
from aarshjul.planning.date_plan import DatePlan
from aarshjul.planning.diff import MovedDate, PlanDiff
from aarshjul.planning.expand import describe
from aarshjul.planning.template_schema import Template
from aarshjul.planning.writes import table


@dataclass(frozen=True)
class Override:
    """A per-year date decision: ``budget_2nd_reading=2027-11-05`` with the reason it was made."""

    key: str
    value: date
    reason: str


KEY_MAX = 120  # Cycle.key
_SUFFIX_ROOM = 4  # "-2" … "-999"


def slug(text: str, limit: int = 60) -> str:
    """``"Tillæg 3: Solceller ved Fjerritslev"`` -> ``"tillaeg-3-solceller-ved-fjerritslev"``."""
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:limit].strip("-") or "proces"


def process_key(template_key: str, year: int, title: str) -> str:
    """``tillaeg-2027-tillaeg-3-solceller``: a process's key before any suffix, short enough for
    the column with room for one (:func:`unique_process_key`)."""
    prefix = f"{template_key}-{year}-"
    return prefix + slug(title, min(60, KEY_MAX - _SUFFIX_ROOM - len(prefix)))


def unique_process_key(
    session: Session, organisation: Organisation, base: str, title: str
) -> tuple[str, Cycle | None]:
    """The key a process titled ``title`` gets, and its cycle when it exists already.

    The same title under the same key is the same process (starting it again re-plans it, which
    changes nothing); another title whose key would be the same gets the first free suffix
    (``-2``, ``-3``…), never the other process's key.
    """
    rows = session.exec(
        select(Cycle).where(
            Cycle.organisation_id == organisation.id,
            sa.or_(col(Cycle.key) == base, col(Cycle.key).startswith(f"{base}-", autoescape=True)),
        )
    ).all()
    taken = {row.key: row for row in rows}
    same = [row for row in rows if row.title == title and _suffix_of(row.key, base) is not None]
    if same:
        return same[0].key, same[0]
    n = 1
    while (key := base if n == 1 else f"{base}-{n}") in taken:
        n += 1
    return key, None


def _suffix_of(key: str, base: str) -> int | None:
    if key == base:
        return 1
    rest = key.removeprefix(f"{base}-")
    return int(rest) if rest != key and rest.isdigit() else None


def find_cycle(session: Session, organisation: Organisation, key: str) -> Cycle | None:
    return session.exec(
        select(Cycle).where(Cycle.organisation_id == organisation.id, Cycle.key == key)
    ).first()


def annual_cycle(session: Session, organisation: Organisation, year: int) -> Cycle | None:
    """The organisation's annual cycle of ``year``, whatever its template (at most one)."""
    return session.exec(
        select(Cycle).where(
            Cycle.organisation_id == organisation.id,
            Cycle.year == year,
            Cycle.kind == CycleKind.annual,
        )
    ).first()


def stored_overrides(session: Session, cycle: Cycle | None) -> list[Override]:
    if cycle is None:
        return []
    rows = session.exec(select(CycleOverride).where(CycleOverride.cycle_id == cycle.id)).all()
    return [Override(r.key, r.value, r.reason) for r in rows]


def stored_waivers(session: Session, cycle: Cycle | None) -> list[Waiver]:
    if cycle is None:
        return []
    rows = session.exec(select(RuleWaiver).where(RuleWaiver.cycle_id == cycle.id)).all()
    return [Waiver(rule_id=r.rule_id, reason=r.reason, by="stored") for r in rows]


def merge_by(items: Iterable[Any], newer: Iterable[Any], attr: str) -> list[Any]:
    """``items`` with ``newer`` replacing those with the same ``attr`` (a key or a rule id)."""
    merged = {getattr(item, attr): item for item in items}
    merged |= {getattr(item, attr): item for item in newer}
    return list(merged.values())


def upsert_cycle(
    session: Session, cycle: Cycle | None, values: dict[str, Any], now: datetime
) -> Cycle:
    """Create the cycle or refresh its template version, hash and title."""
    if cycle is None:
        cycle = Cycle(**values, planned_at=now)
        session.add(cycle)
    else:
        for name, value in values.items():
            setattr(cycle, name, value)
        cycle.planned_at = now
    session.flush()
    return cycle


def cycle_values(
    organisation: Organisation, template: Template, key: str, year: int, title: str
) -> dict[str, Any]:
    return {
        "organisation_id": organisation.id, "key": key, "kind": CycleKind(template.kind),
        "year": year, "title": title, "template_key": template.template,
        "template_version": template.version, "template_hash": template.content_hash,
        "escalate_direktion_from": template.defaults.escalate_direktion_from,
    }  # fmt: skip


def load_structure(
    session: Session, cycle: Cycle | None
) -> tuple[dict[str, Phase], dict[str, Milestone]]:
    """The cycle's phases and milestones by key (empty for a cycle not yet planned)."""
    if cycle is None:
        return {}, {}
    phases = session.exec(select(Phase).where(Phase.cycle_id == cycle.id)).all()
    milestones = session.exec(select(Milestone).where(Milestone.cycle_id == cycle.id)).all()
    return {p.key: p for p in phases}, {m.key: m for m in milestones}


def phase_values(
    template: Template, dates: DatePlan, owners: Mapping[str, int | None]
) -> dict[str, dict[str, Any]]:
    out = {}
    for position, spec in enumerate(template.phases):
        start, end = dates.phase(spec.key)
        out[spec.key] = {
            "name_da": spec.name.da, "name_en": spec.name.en,
            "description": describe(spec.description, spec.links), "start_date": start,
            "end_date": end, "owner_id": owners.get(spec.key), "position": position,
        }  # fmt: skip
    return out


def milestone_values(template: Template, dates: DatePlan) -> dict[str, dict[str, Any]]:
    named = dates.named
    return {
        spec.key: {
            "name_da": spec.name.da,
            "name_en": spec.name.en,
            "description": describe(spec.description, []),
            "date": named[spec.key],
            "kind": spec.kind,
            "statutory": spec.statutory,
            "position": position,
        }
        for position, spec in enumerate(template.milestones)
    }


def structure_diff(
    phases: Mapping[str, Phase], milestones: Mapping[str, Milestone],
    want_phases: Mapping[str, dict[str, Any]], want_milestones: Mapping[str, dict[str, Any]],
    diff: PlanDiff,
) -> bool:  # fmt: skip
    """Record moved and added phase/milestone dates in ``diff``; True if any row differs."""
    for key, values in want_phases.items():
        _compare(phases.get(key), key, values, (("start", "start_date"), ("end", "end_date")), diff)
    for key, values in want_milestones.items():
        _compare(milestones.get(key), key, values, (("", "date"),), diff)
    rows = [*_pairs(phases, want_phases), *_pairs(milestones, want_milestones)]
    return any(
        row is None or any(getattr(row, k) != v for k, v in vals.items()) for row, vals in rows
    )


def _pairs(
    rows: Mapping[str, Any], wanted: Mapping[str, dict[str, Any]]
) -> list[tuple[Any, dict[str, Any]]]:
    return [(rows.get(key), values) for key, values in wanted.items()]


def _compare(
    row: Any, key: str, values: dict[str, Any], names: Sequence[tuple[str, str]], diff: PlanDiff
) -> None:
    if row is None:
        diff.added_dates.append(key)
        return
    for suffix, column in names:
        if getattr(row, column) != values[column]:
            name = f"{key}.{suffix}" if suffix else key
            diff.moved_dates.append(MovedDate(name, getattr(row, column), values[column]))


def write_structure(
    session: Session, cycle_id: int, model: type[Phase] | type[Milestone],
    rows: Mapping[str, Any], wanted: Mapping[str, dict[str, Any]],
) -> dict[str, int]:  # fmt: skip
    """Upsert phases or milestones by key; returns key -> id. Rows no longer wanted stay."""
    for key, values in wanted.items():
        row = rows.get(key)
        if row is None:
            session.add(model(cycle_id=cycle_id, key=key, **values))
        else:
            for name, value in values.items():
                if getattr(row, name) != value:
                    setattr(row, name, value)
    session.flush()
    cols = table(model).c
    found = session.execute(sa.select(cols.id, cols.key).where(cols.cycle_id == cycle_id))
    return {key: row_id for row_id, key in found}


def decision_changes(
    cycle_key: str,
    old: tuple[Sequence[Override], Sequence[Waiver]],
    new: tuple[Sequence[Override], Sequence[Waiver]],
) -> list[tuple[str, str, str, dict[str, list[Any]], str]]:
    """Overrides and waivers that are new or changed, for the audit trail.

    Rows are (entity, key, ``added``/``updated``, {field: [old, new]}, reason).
    """
    out: list[tuple[str, str, str, dict[str, list[Any]], str]] = []
    before = {o.key: (o.value.isoformat(), o.reason) for o in old[0]}
    for o in new[0]:
        value, prior = (o.value.isoformat(), o.reason), before.get(o.key)
        if prior != value:
            fields = {"value": [prior[0] if prior else None, value[0]],
                      "reason": [prior[1] if prior else None, o.reason]}  # fmt: skip
            out.append(("override", f"{cycle_key}/{o.key}", "updated" if prior else "added",
                        fields, o.reason))  # fmt: skip
    reasons = {w.rule_id: w.reason for w in old[1]}
    for w in new[1]:
        if reasons.get(w.rule_id) != w.reason:
            fields = {"reason": [reasons.get(w.rule_id), w.reason]}
            action = "updated" if w.rule_id in reasons else "added"
            out.append(("waiver", f"{cycle_key}/{w.rule_id}", action, fields, w.reason))
    return out


def store_decisions(
    session: Session, cycle_id: int, overrides: Sequence[Override], waivers: Sequence[Waiver]
) -> None:
    """Keep every override and waiver with its reason (replacing older ones with the same key)."""
    existing_o = {
        r.key: r
        for r in session.exec(select(CycleOverride).where(CycleOverride.cycle_id == cycle_id))
    }
    for o in overrides:
        row = existing_o.get(o.key)
        if row is None:
            session.add(CycleOverride(cycle_id=cycle_id, key=o.key, value=o.value, reason=o.reason))
        elif (row.value, row.reason) != (o.value, o.reason):
            row.value, row.reason = o.value, o.reason
    existing_w = {
        r.rule_id: r
        for r in session.exec(select(RuleWaiver).where(RuleWaiver.cycle_id == cycle_id))
    }
    for w in waivers:
        wrow = existing_w.get(w.rule_id)
        if wrow is None:
            session.add(RuleWaiver(cycle_id=cycle_id, rule_id=w.rule_id, reason=w.reason))
        elif wrow.reason != w.reason:
            wrow.reason = w.reason
    session.flush()
