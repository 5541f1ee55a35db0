"""Personal data in submissions (GDPR): retention, erasure and a person's own export.

* The submitter's e-mail address is shown only to the administration (the owner a submission
  is routed to, ``planning``, ``direktion``); never on a public page or in the hvidbog.
* **Retention** (*opbevaring*): contact details are kept for ``AARSHJUL_RETENTION_MONTHS``
  (default 12) after the adoption the phase led to (the phase's end when there is none; see
  :mod:`~aarshjul.participation.public_phases`). :func:`erase_expired_contacts` then erases
  the name, e-mail address and organisation, deletes the attachment, and blanks the receipt
  mail kept in the outbox (address, body, and the masked address of its delivery
  attempts). The text, the reply and the recommendation stay:
  they are the hvidbog, a public record. Each erasure is an audit row. Running it again
  erases nothing new.
* **Access** (*indsigt*, GDPR art. 15): :func:`export_submissions` gives everything stored
  about one e-mail address's submissions, and records that it was exported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from aarshjul.models import (
    Goal,
    Organisation,
    OutboxDelivery,
    OutboxMessage,
    PolicyArea,
    Submission,
    SubmissionAttachment,
    SubmissionEvent,
)
from aarshjul.participation.public_phases import PublicPhase, public_phases

ERASED_BODY = "[slettet efter opbevaringsperioden / erased after the retention period]"


@dataclass
class Erasure:
    """What one run erased (or, with ``dry_run``, would erase)."""

    submissions: list[str] = field(default_factory=list)
    attachments: int = 0
    receipts: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"submissions": len(self.submissions), "references": self.submissions,
                "attachments": self.attachments, "receipts": self.receipts}  # fmt: skip


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, on the last day of a shorter month.

    >>> add_months(date(2027, 1, 31), 1), add_months(date(2027, 12, 9), 12)
    (datetime.date(2027, 2, 28), datetime.date(2028, 12, 9))
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def erase_due_on(phase: PublicPhase, months: int) -> date:
    """The first day a phase's submissions' contact details are erased."""
    return add_months(phase.retention_from, months)


def erase_expired_contacts(
    session: Session,
    *,
    organisation: Organisation,
    today: date,
    now: datetime,
    months: int,
    dry_run: bool = False,
) -> Erasure:
    """Erase the contact details whose retention period ended by ``today``; see the module."""
    due = [
        p.phase_id
        for p in public_phases(session, organisation=organisation)
        if erase_due_on(p, months) <= today
    ]
    rows = session.exec(
        select(Submission).where(
            Submission.organisation_id == organisation.id,
            col(Submission.phase_id).in_(due),
            col(Submission.erased_at).is_(None),
        )
    ).all()
    result = Erasure(submissions=[r.reference for r in rows])
    ids = [r.id or 0 for r in rows]
    receipts = [r.receipt_message_id for r in rows if r.receipt_message_id is not None]
    result.attachments = _count(session, SubmissionAttachment.submission_id, ids)
    result.receipts = len(receipts)
    if dry_run or not ids:
        return result
    conn = session.connection()
    conn.execute(
        sa.update(Submission).where(col(Submission.id).in_(ids))
        .values(name="", email="", association="", erased_at=now)
    )  # fmt: skip
    conn.execute(
        sa.delete(SubmissionAttachment).where(col(SubmissionAttachment.submission_id).in_(ids))
    )
    conn.execute(
        sa.update(OutboxMessage).where(col(OutboxMessage.id).in_(receipts))
        .values(recipient="", body_text=ERASED_BODY, body_html=ERASED_BODY)
    )  # fmt: skip
    conn.execute(
        sa.update(OutboxDelivery).where(col(OutboxDelivery.message_id).in_(receipts))
        .values(url_masked="", error="")
    )  # fmt: skip
    conn.execute(
        sa.insert(SubmissionEvent),
        [
            {"submission_id": i, "at": now, "kind": "erased", "data": {"months": months}}
            for i in ids
        ],
    )
    session.expire_all()
    return result


def export_submissions(
    session: Session, *, organisation: Organisation, email: str, now: datetime, months: int
) -> list[dict[str, Any]]:
    """Everything stored about the submissions sent from ``email`` (case-insensitive), oldest
    first, as plain values; each export is an audit row (``exported``)."""
    phases = {p.phase_id: p for p in public_phases(session, organisation=organisation)}
    rows = session.execute(
        sa.select(Submission, col(PolicyArea.name), col(Goal.title),
                  col(SubmissionAttachment.filename), col(SubmissionAttachment.size))
        .outerjoin(PolicyArea, col(PolicyArea.id) == col(Submission.policy_area_id))
        .outerjoin(Goal, col(Goal.id) == col(Submission.goal_id))
        .outerjoin(SubmissionAttachment,
                   col(SubmissionAttachment.submission_id) == col(Submission.id))
        .where(col(Submission.organisation_id) == organisation.id,
               sa.func.lower(col(Submission.email)) == email.strip().lower())
        .order_by(col(Submission.id))
    ).all()  # fmt: skip
    out = [
        _record(s, area, goal, (filename, size), phases.get(s.phase_id), months)
        for s, area, goal, filename, size in rows
    ]
    for s, *_ in rows:
        session.add(SubmissionEvent(submission_id=s.id or 0, at=now, kind="exported", data={}))
    session.flush()
    return out


def _record(
    s: Submission,
    area: str | None,
    goal: str | None,
    attachment: tuple[str | None, int | None],
    phase: PublicPhase | None,
    months: int,
) -> dict[str, Any]:
    filename, size = attachment
    erase_on = erase_due_on(phase, months).isoformat() if phase and not s.erased_at else None
    return {
        "reference": s.reference, "phase": phase.key if phase else None,
        "received_at": s.created_at.isoformat(), "name": s.name, "email": s.email,
        "organisation": s.association, "publish_name": s.publish_name, "text": s.body,
        "policy_area": area, "goal": goal,
        "attachment": {"filename": filename, "bytes": size} if filename else None,
        "reply": s.reply or None,
        "recommendation": s.recommendation.value if s.recommendation else None,
        "replied_at": s.replied_at.isoformat() if s.replied_at else None,
        "erase_contact_details_on": erase_on,
    }  # fmt: skip


def _count(session: Session, column: Any, ids: list[int]) -> int:
    if not ids:
        return 0
    return int(session.execute(sa.select(sa.func.count()).where(col(column).in_(ids))).scalar_one())
