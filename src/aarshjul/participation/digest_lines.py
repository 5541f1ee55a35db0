"""Lines about submissions in an owner's daily digest (*sammendrag*).

* **new**: submissions routed to the person on the days since the last digest (local days from
  the window's start up to yesterday), one line per phase with the count;
* **missing**: the person's submissions without a reply, on the days 10 and 2 workdays before
  the phase's reply deadline and on the deadline itself (said on the workday before when such
  a day is closed, as task reminders are).

Two grouped queries for the whole organisation, plus the public phases.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col

from aarshjul.calendar.workdays import WorkCalendar
from aarshjul.models import Organisation, Submission
from aarshjul.notifications.policy import Window
from aarshjul.participation.public_phases import PublicPhase, public_phases
from aarshjul.participation.texts import day_month

REMIND_WORKDAYS = (10, 2, 0)


@dataclass(frozen=True)
class ParticipationLine:
    """One line: ``count`` new (or unanswered) submissions of ``phase`` for the person."""

    kind: Literal["new", "missing"]
    phase: PublicPhase
    count: int
    link: str | None

    def text(self, locale: str) -> str:
        due = day_month(self.phase.replies_due, locale)
        name = self.phase.name(locale)
        n = self.count
        if locale == "en":
            what = "submission" if n == 1 else "submissions"
            if self.kind == "new":
                return f"{n} new {what} for you in {name}. Reply by {due}."
            return f"{n} {what} in {name} still without your reply. Deadline {due}."
        what = "indsendelse" if n == 1 else "indsendelser"
        if self.kind == "new":
            return f"{n} {'ny' if n == 1 else 'nye'} {what} til dig i {name}. Svar senest {due}."
        return f"{n} {what} i {name} mangler stadig dit svar. Frist {due}."


def participation_lines(
    session: Session,
    *,
    organisation: Organisation,
    today: date,
    window: Window,
    calendar: WorkCalendar,
    base_url: str | None,
) -> dict[int, list[ParticipationLine]]:
    """Person id -> their lines for the digest of ``today``."""
    phases = {p.phase_id: p for p in public_phases(session, organisation=organisation)}
    if not phases:
        return {}
    out: dict[int, list[ParticipationLine]] = defaultdict(list)
    tz = ZoneInfo(organisation.timezone)
    start = datetime.combine(window.after, time(), tzinfo=tz)
    end = datetime.combine(today, time(), tzinfo=tz)
    base = base_url.rstrip("/") if base_url else None
    for owner, phase_id, n in _counts(session, organisation, routed=(start, end)):
        out[owner].append(_line("new", phases[phase_id], n, base))
    reminded = [p for p in phases.values() if _remind(p.replies_due, window, calendar)]
    if reminded:
        ids = [p.phase_id for p in reminded]
        for owner, phase_id, n in _counts(session, organisation, unanswered=ids):
            out[owner].append(_line("missing", phases[phase_id], n, base))
    return dict(out)


def _line(
    kind: Literal["new", "missing"], phase: PublicPhase, n: int, base: str | None
) -> ParticipationLine:
    link = f"{base}/submissions?phase={phase.phase_id}" if base else None
    return ParticipationLine(kind, phase, n, link)


def _remind(due: date, window: Window, calendar: WorkCalendar) -> bool:
    days = {calendar.add_workdays(due, -n) if n else due for n in REMIND_WORKDAYS}
    return any(window.covers(d) for d in days)


def _counts(
    session: Session,
    organisation: Organisation,
    *,
    routed: tuple[datetime, datetime] | None = None,
    unanswered: list[int] | None = None,
) -> list[tuple[int, int, int]]:
    query = (
        sa.select(col(Submission.owner_id), col(Submission.phase_id), sa.func.count())
        .where(col(Submission.organisation_id) == organisation.id)
        .where(col(Submission.owner_id).is_not(None))
        .group_by(col(Submission.owner_id), col(Submission.phase_id))
        .order_by(col(Submission.owner_id), col(Submission.phase_id))
    )
    if routed is not None:
        query = query.where(
            col(Submission.routed_at) >= routed[0], col(Submission.routed_at) < routed[1]
        )
    if unanswered is not None:
        query = query.where(
            col(Submission.replied_at).is_(None), col(Submission.phase_id).in_(unanswered)
        )
    return [(int(o), int(p), int(n)) for o, p, n in session.execute(query).all()]
