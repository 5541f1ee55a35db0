"""The administration's side of submissions: lists, one submission, reply, re-route.

Who may do what (*rettigheder*):

| who | reads | acts |
|---|---|---|
| the owner a submission is routed to | their submissions, with name and e-mail | reply and recommendation |
| ``planning`` | every submission | reply, route to another person |
| ``direktion`` | every submission | — |
| anyone else | nothing (``403`` on a submission's page) | ``403`` |

Each change is a :class:`~aarshjul.models.SubmissionEvent` with the person who made it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from aarshjul.access.permissions import Viewer
from aarshjul.errors import InputError, NotFound, PermissionDenied
from aarshjul.models import (
    Goal,
    Organisation,
    Person,
    PolicyArea,
    Recommendation,
    Submission,
    SubmissionAttachment,
    SubmissionEvent,
)
from aarshjul.participation.public_phases import PublicPhase, public_phases

PLANNING = "planning"
MAX_REPLY = 20_000


@dataclass(frozen=True)
class SubmissionRow:
    """One submission as the administration sees it."""

    id: int
    reference: str
    phase: PublicPhase | None
    created_at: datetime
    name: str
    email: str
    association: str
    publish_name: bool
    body: str
    area: str
    goal: str
    owner_id: int | None
    owner: str
    reply: str
    recommendation: str | None
    replied_at: datetime | None
    attachment: str | None
    erased: bool

    @property
    def replied(self) -> bool:
        return self.replied_at is not None


@dataclass(frozen=True)
class Choice:
    id: int
    label: str


@dataclass(frozen=True)
class SubmissionDetail:
    row: SubmissionRow
    events: list[tuple[datetime, str, str]]
    can_reply: bool
    people: list[Choice]


def may_act(viewer: Viewer, owner_id: int | None) -> bool:
    """May reply to a submission routed to ``owner_id``."""
    return owner_id == viewer.person_id or PLANNING in viewer.roles


def submission_rows(
    session: Session,
    *,
    organisation: Organisation,
    viewer: Viewer,
    phase_id: int | None = None,
    submission_id: int | None = None,
) -> list[SubmissionRow]:
    """The submissions ``viewer`` may read (of one phase, or one), oldest first; one query
    plus the public phases."""
    query = _query(organisation.id or 0)
    if not viewer.reads_all:
        query = query.where(col(Submission.owner_id) == viewer.person_id)
    if phase_id is not None:
        query = query.where(col(Submission.phase_id) == phase_id)
    if submission_id is not None:
        query = query.where(col(Submission.id) == submission_id)
    phases = {p.phase_id: p for p in public_phases(session, organisation=organisation)}
    return [_row(r, phases) for r in session.execute(query.order_by(col(Submission.id))).all()]


def submission_detail(
    session: Session, *, organisation: Organisation, viewer: Viewer, submission_id: int
) -> SubmissionDetail:
    """One submission with its audit trail; :class:`PermissionDenied` when not allowed."""
    row = _one(session, organisation, viewer, submission_id)
    events = session.execute(
        sa.select(col(SubmissionEvent.at), col(SubmissionEvent.kind), col(Person.name))
        .outerjoin(Person, col(Person.id) == col(SubmissionEvent.actor_id))
        .where(col(SubmissionEvent.submission_id) == submission_id)
        .order_by(col(SubmissionEvent.id))
    ).all()
    people: list[Choice] = []
    if PLANNING in viewer.roles:
        people = [
            Choice(p.id or 0, f"{p.name} ({p.title})" if p.title else p.name)
            for p in session.exec(
                select(Person)
                .where(Person.organisation_id == organisation.id, col(Person.active).is_(True))
                .order_by(col(Person.name))
            ).all()
        ]
    return SubmissionDetail(
        row=row,
        events=[(at, kind, name or "") for at, kind, name in events],
        can_reply=may_act(viewer, row.owner_id),
        people=people,
    )


def reply_to_submission(
    session: Session,
    *,
    organisation: Organisation,
    viewer: Viewer,
    submission_id: int,
    reply: str,
    recommendation: str,
    now: datetime,
) -> Submission:
    """Write (or rewrite) the administration's reply and recommendation (*svar og indstilling*).

    Only the owner it is routed to and ``planning`` may (:class:`PermissionDenied`); an empty
    reply or an unknown recommendation is an :class:`InputError` naming the field. The same
    reply twice changes nothing.
    """
    row = _submission(session, organisation, submission_id)
    if not may_act(viewer, row.owner_id):
        raise PermissionDenied("only the submission's owner or planning may reply")
    text = reply.strip()
    if not text or len(text) > MAX_REPLY:
        raise InputError(f"reply: write 1 to {MAX_REPLY} characters (svar: 1-{MAX_REPLY} tegn)")
    try:
        chosen = Recommendation(recommendation)
    except ValueError:
        known = ", ".join(r.value for r in Recommendation)
        raise InputError(f"recommendation: choose one of {known} (indstilling)") from None
    if row.reply == text and row.recommendation == chosen:
        return row
    first = row.replied_at is None
    row.reply, row.recommendation = text, chosen
    row.replied_at, row.replied_by_id = now, viewer.person_id
    _event(session, row, viewer, "replied", now, {"recommendation": chosen.value, "first": first})
    session.flush()
    return row


def route_submission(
    session: Session,
    *,
    organisation: Organisation,
    viewer: Viewer,
    submission_id: int,
    owner_id: int,
    now: datetime,
) -> Submission:
    """Route a submission to another person (*omfordel*); ``planning`` only."""
    if PLANNING not in viewer.roles:
        raise PermissionDenied("only planning may route submissions")
    row = _submission(session, organisation, submission_id)
    person = session.get(Person, owner_id)
    if person is None or person.organisation_id != organisation.id or not person.active:
        raise InputError(f"owner: no active person with id {owner_id} (ingen aktiv person)")
    if row.owner_id == owner_id:
        return row
    data: dict[str, object] = {"from": row.owner_id, "to": owner_id}
    row.owner_id, row.routed_at = owner_id, now
    _event(session, row, viewer, "routed", now, data)
    session.flush()
    return row


def attachment_of(
    session: Session, *, organisation: Organisation, viewer: Viewer, submission_id: int
) -> SubmissionAttachment:
    """A submission's PDF, for those who may read the submission."""
    _one(session, organisation, viewer, submission_id)
    found = session.get(SubmissionAttachment, submission_id)
    if found is None:
        raise NotFound(f"submission {submission_id} has no attachment (intet bilag)")
    return found


def _event(
    session: Session,
    row: Submission,
    viewer: Viewer,
    kind: str,
    now: datetime,
    data: dict[str, object],
) -> None:
    session.add(
        SubmissionEvent(
            submission_id=row.id or 0, at=now, actor_id=viewer.person_id, kind=kind, data=data
        )
    )


def _submission(session: Session, organisation: Organisation, submission_id: int) -> Submission:
    row = session.get(Submission, submission_id)
    if row is None or row.organisation_id != organisation.id:
        raise NotFound(f"no submission {submission_id} (ingen indsendelse {submission_id})")
    return row


def _one(
    session: Session, organisation: Organisation, viewer: Viewer, submission_id: int
) -> SubmissionRow:
    _submission(session, organisation, submission_id)
    rows = submission_rows(
        session, organisation=organisation, viewer=viewer, submission_id=submission_id
    )
    if not rows:
        raise PermissionDenied("this submission is routed to someone else")
    return rows[0]


def _query(org_id: int) -> Any:
    return (
        sa.select(
            Submission,
            col(PolicyArea.name),
            col(Goal.title),
            col(Person.name),
            col(SubmissionAttachment.filename),
        )
        .outerjoin(PolicyArea, col(PolicyArea.id) == col(Submission.policy_area_id))
        .outerjoin(Goal, col(Goal.id) == col(Submission.goal_id))
        .outerjoin(Person, col(Person.id) == col(Submission.owner_id))
        .outerjoin(
            SubmissionAttachment, col(SubmissionAttachment.submission_id) == col(Submission.id)
        )
        .where(col(Submission.organisation_id) == org_id)
    )


def _row(result: Any, phases: dict[int, PublicPhase]) -> SubmissionRow:
    s, area, goal, owner, attachment = result
    return SubmissionRow(
        id=s.id or 0, reference=s.reference, phase=phases.get(s.phase_id),
        created_at=s.created_at, name=s.name, email=s.email, association=s.association,
        publish_name=s.publish_name, body=s.body, area=area or "", goal=goal or "",
        owner_id=s.owner_id, owner=owner or "", reply=s.reply,
        recommendation=s.recommendation.value if s.recommendation else None,
        replied_at=s.replied_at, attachment=attachment, erased=s.erased_at is not None,
    )  # fmt: skip
