"""The hvidbog (*white paper*): every submission of a public phase with the administration's
reply and recommendation, grouped by policy area and numbered, with a summary table.

:func:`hvidbog` reads the phase's submissions in one query. A submitter is named only when
they agreed to publication (and their name has not been erased); an association's name is
always shown; an e-mail address never is. The documents are made from it by
:mod:`aarshjul.participation.hvidbog_document`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col

from aarshjul.models import (
    Goal,
    Organisation,
    PolicyArea,
    Submission,
    SubmissionAttachment,
)
from aarshjul.notifications.compose import work_calendar
from aarshjul.participation.public_phases import PublicPhase
from aarshjul.participation.texts import RECOMMENDATIONS, day_month, word

MISSING = "missing"


@dataclass(frozen=True)
class Entry:
    """One numbered submission in the hvidbog."""

    number: int
    reference: str
    submitter: str
    concerns: str
    received: str
    body: str
    reply: str
    recommendation: str
    recommendation_key: str
    attachment: bool


@dataclass
class Group:
    """The submissions about one policy area (or none: *Generelt*)."""

    title: str
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Hvidbog:
    """Everything the documents show, in the reader's language."""

    locale: str
    title: str
    organisation: str
    phase: str
    period: str
    made_on: str
    kind_plural: str
    groups: list[Group]
    summary: list[tuple[str, int]]

    @property
    def entries(self) -> list[Entry]:
        return [e for g in self.groups for e in g.entries]

    @property
    def missing(self) -> int:
        return sum(1 for e in self.entries if e.recommendation_key == MISSING)


def hvidbog(
    session: Session,
    *,
    organisation: Organisation,
    phase: PublicPhase,
    today: date,
    locale: str = "da",
) -> Hvidbog:
    """The hvidbog of ``phase`` as on ``today`` (its date), in ``locale`` (``da``/``en``)."""
    loc = "en" if locale == "en" else "da"
    en = loc == "en"
    rows = session.execute(
        sa.select(Submission, col(PolicyArea.name), col(Goal.title),
                  col(SubmissionAttachment.submission_id))
        .outerjoin(PolicyArea, col(PolicyArea.id) == col(Submission.policy_area_id))
        .outerjoin(Goal, col(Goal.id) == col(Submission.goal_id))
        .outerjoin(SubmissionAttachment,
                   col(SubmissionAttachment.submission_id) == col(Submission.id))
        .where(col(Submission.organisation_id) == organisation.id,
               col(Submission.phase_id) == phase.phase_id)
        .order_by(col(Submission.created_at), col(Submission.id))
    ).all()  # fmt: skip
    general = "General" if en else "Generelt"
    members: dict[str, list[tuple[Submission, str | None, bool]]] = {}
    for s, area, goal, attached in rows:
        members.setdefault(area or general, []).append((s, goal, attached is not None))
    titles = sorted(members, key=lambda t: (t == general, t.casefold()))
    ordered = [Group(t) for t in titles]
    calendar = work_calendar(organisation)
    number = 0
    for group in ordered:
        for s, goal, attached in members[group.title]:
            number += 1
            key = s.recommendation.value if s.recommendation else MISSING
            group.entries.append(
                Entry(
                    number=number,
                    reference=s.reference,
                    submitter=submitter(s, loc),
                    concerns=goal or group.title,
                    received=day_month(calendar.local_date(s.created_at), loc),
                    body=s.body,
                    reply=s.reply,
                    recommendation=_recommendation(key, loc),
                    recommendation_key=key,
                    attachment=attached,
                )
            )
    counts = Counter(e.recommendation_key for g in ordered for e in g.entries)
    summary = [
        (_recommendation(k, loc), counts[k]) for k in [*RECOMMENDATIONS, MISSING] if counts[k]
    ]
    kind = "Ideas" if phase.kind == "ideas" and en else "Idéer" if phase.kind == "ideas" else (
        "Hearing responses" if en else "Høringssvar"
    )  # fmt: skip
    return Hvidbog(
        locale=loc,
        title=("White paper: " if en else "Hvidbog: ") + phase.name(loc),
        organisation=organisation.name,
        phase=phase.name(loc),
        period=f"{day_month(phase.start, loc)} \u2013 {day_month(phase.end, loc)}",
        made_on=day_month(today, loc),
        kind_plural=kind,
        groups=ordered,
        summary=summary,
    )


def submitter(row: Submission, locale: str) -> str:
    """How the hvidbog names the submitter: their name only with consent (and not erased);
    an association always; else *Borger* / *A citizen*. Never an e-mail address."""
    parts = []
    if row.publish_name and row.name and row.erased_at is None:
        parts.append(row.name)
    if row.association:
        parts.append(row.association)
    if not parts:
        return "A citizen" if locale == "en" else "Borger"
    return ", ".join(parts)


def _recommendation(key: str, loc: str) -> str:
    if key == MISSING:
        return "Reply missing" if loc == "en" else "Mangler svar"
    return word(RECOMMENDATIONS, key, loc)
