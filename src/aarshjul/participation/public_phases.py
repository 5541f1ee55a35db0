"""Phases open to the public (*offentlige faser*): the idea phase and each hearing.

A template marks such a phase with ``public: ideas`` or ``public: hearing``. The marker lives in
the template, as the wheel's rings do, so every cycle already planned gets it without being
planned again. For each public phase this module also finds:

* the **reply deadline** (*svarfrist*): the end of the phase of the same cycle that starts within
  a week after the public phase ends (the hvidbog phase), else four weeks after its end;
* the **adoption** (*vedtagelse*) it leads to: the milestone a rule orders after the phase's end
  (``dk.P8 from: hearing.end to: adoption``, or a local ``order`` rule) when it is a decision,
  else the milestone of the cycle's ``dk.P8`` rule (the idea phase feeds the year's addendum).

A public phase's key is ``{cycle key}.{phase key}`` (``helhedsplan-2027.idea``); the CLI also
takes the bare phase key for the annual cycle of a year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from sqlmodel import Session, col, select

from aarshjul.errors import AarshjulError, NotFound
from aarshjul.models import Cycle, CycleKind, Milestone, Organisation, Phase
from aarshjul.planning.template_schema import Template

Kind = Literal["ideas", "hearing"]
State = Literal["coming", "open", "closed"]
_HVIDBOG_GAP = timedelta(days=7)
_NO_HVIDBOG = timedelta(days=28)


@dataclass(frozen=True)
class PublicPhase:
    """A phase open to the public, with what the public pages and the hvidbog need.

    ``start`` and ``end`` are local dates, both inclusive: submissions are taken from the start
    of ``start`` to the end of ``end`` in the organisation's time zone.
    """

    key: str
    kind: Kind
    phase_id: int
    phase_key: str
    cycle_id: int
    cycle_key: str
    cycle_year: int
    cycle_title: str
    annual: bool
    name_da: str
    name_en: str
    start: date
    end: date
    owner_id: int | None
    replies_due: date
    adoption: date | None

    def name(self, locale: str) -> str:
        """The phase's name; a process's phases begin with the process's title."""
        name = self.name_en if locale == "en" and self.name_en else self.name_da
        return name if self.annual or not self.cycle_title else f"{self.cycle_title}: {name}"

    def state(self, today: date) -> State:
        """``coming`` before ``start``, ``open`` from ``start`` to ``end``, then ``closed``."""
        if today < self.start:
            return "coming"
        return "open" if today <= self.end else "closed"

    @property
    def retention_from(self) -> date:
        """The day the retention period of its submissions' contact details starts."""
        return self.adoption or self.end


def public_phases(
    session: Session, *, organisation: Organisation, years: tuple[int, ...] | None = None
) -> list[PublicPhase]:
    """Every public phase of the organisation's cycles (of ``years``), by start date.

    Two queries (phases with their cycles, the cycles' milestones) whatever the size of the
    organisation; templates are read once per template version.
    """
    query = (
        select(Phase, Cycle)
        .join(Cycle, col(Phase.cycle_id) == col(Cycle.id))
        .where(Cycle.organisation_id == organisation.id)
    )
    if years is not None:
        query = query.where(col(Cycle.year).in_(years))
    rows = session.exec(query.order_by(col(Phase.start_date), col(Phase.id))).all()
    cycles = {cycle.id: cycle for _, cycle in rows}
    templates = {c.id: cycle_template(session, organisation, c) for c in cycles.values()}
    marked = [
        (phase, cycle, kind)
        for phase, cycle in rows
        if (kind := _kind(templates[cycle.id], phase.key)) is not None
    ]
    if not marked:
        return []
    milestones = _milestones(session, {cycle.id for _, cycle, _ in marked if cycle.id})
    phases_by_cycle: dict[int, list[Phase]] = {}
    for phase, cycle in rows:
        phases_by_cycle.setdefault(cycle.id or 0, []).append(phase)
    return [
        _public(phase, cycle, kind, templates[cycle.id], phases_by_cycle, milestones)
        for phase, cycle, kind in marked
    ]


def find_public_phase(
    session: Session, *, organisation: Organisation, key: str, year: int | None = None
) -> PublicPhase:
    """The public phase ``key`` (``cycle.phase``, or a bare phase key of ``year``'s annual cycle).

    Raises :class:`NotFound` naming the keys there are.
    """
    phases = public_phases(session, organisation=organisation)
    found = [p for p in phases if p.key == key]
    if not found and "." not in key:
        found = [p for p in phases if p.annual and p.phase_key == key and p.cycle_year == year]
    if found:
        return found[-1]
    known = ", ".join(p.key for p in phases) or "none"
    raise NotFound(
        f"no phase open to the public with the key {key!r} (ingen offentlig fase {key!r}); "
        f"known: {known}"
    )


def _kind(template: Template | None, key: str) -> Kind | None:
    if template is None:
        return None
    spec = next((p for p in template.phases if p.key == key), None)
    return spec.public if spec is not None else None


def _milestones(session: Session, cycle_ids: set[int]) -> dict[tuple[int, str], Milestone]:
    rows = session.exec(select(Milestone).where(col(Milestone.cycle_id).in_(cycle_ids))).all()
    return {(m.cycle_id, m.key): m for m in rows}


def _public(
    phase: Phase,
    cycle: Cycle,
    kind: Kind,
    template: Template | None,
    phases_by_cycle: dict[int, list[Phase]],
    milestones: dict[tuple[int, str], Milestone],
) -> PublicPhase:
    cycle_id = cycle.id or 0
    adoption_key = _adoption_key(template, phase.key, kind) if template else None
    adoption = milestones.get((cycle_id, adoption_key)) if adoption_key else None
    return PublicPhase(
        key=f"{cycle.key}.{phase.key}", kind=kind, phase_id=phase.id or 0, phase_key=phase.key,
        cycle_id=cycle_id, cycle_key=cycle.key, cycle_year=cycle.year, cycle_title=cycle.title,
        annual=cycle.kind == CycleKind.annual, name_da=phase.name_da, name_en=phase.name_en,
        start=phase.start_date, end=phase.end_date, owner_id=phase.owner_id,
        replies_due=_replies_due(phase, phases_by_cycle.get(cycle_id, [])),
        adoption=adoption.date if adoption is not None else None,
    )  # fmt: skip


def _replies_due(phase: Phase, siblings: list[Phase]) -> date:
    after = [
        p
        for p in siblings
        if phase.end_date < p.start_date <= phase.end_date + _HVIDBOG_GAP and p.id != phase.id
    ]
    if not after:
        return phase.end_date + _NO_HVIDBOG
    return min(after, key=lambda p: (p.start_date, p.id or 0)).end_date


def _adoption_key(template: Template, phase_key: str, kind: Kind) -> str | None:
    decisions = {m.key for m in template.milestones if m.kind == "decision"}
    for rule in template.rules:
        if rule.from_ == f"{phase_key}.end" and rule.to in decisions:
            return rule.to
    for rule in template.rules:
        if rule.use == "dk.P8" and rule.to in decisions:
            return rule.to
    return None


# -- templates ----------------------------------------------------------------------------------


def cycle_template(session: Session, organisation: Organisation, cycle: Cycle) -> Template | None:
    """The template ``cycle`` was planned from (a stored, file or built-in one), or None when it
    cannot be read any more; parsed once per template key and version."""
    return _cached_template(session, organisation, cycle.template_key, cycle.template_hash)


def _cached_template(
    session: Session, organisation: Organisation, key: str, version: str
) -> Template | None:
    cache_key = (organisation.id or 0, key, version)
    if cache_key in _TEMPLATES:
        return _TEMPLATES[cache_key]
    from aarshjul.planning.template_store import organisation_template

    try:
        template: Template | None = organisation_template(session, organisation, key)
    except AarshjulError:
        template = None
    if len(_TEMPLATES) > 64:
        _TEMPLATES.clear()
    _TEMPLATES[cache_key] = template
    return template


_TEMPLATES: dict[tuple[int, str, str], Template | None] = {}
