"""What the outbox holds and what it waits for (*udbakken*): ``aarshjul outbox`` and ``deliver``.

A message waits when it is ``pending`` (the next deliver run sends it), ``failed`` (its next
attempt is after the backoff), ``sending`` (another deliverer holds it; if that one died, the
claim runs out at the end of its lease) or ``undeliverable`` (no channel: every deliver run tries
again). Times are shown in the organisation's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import col

from aarshjul.models.organisation import Organisation, Person
from aarshjul.models.outbox import OutboxMessage, OutboxStatus

WAITING = (
    OutboxStatus.pending, OutboxStatus.failed, OutboxStatus.sending, OutboxStatus.undeliverable,
)  # fmt: skip


@dataclass(frozen=True)
class Waiting:
    """Messages of one organisation and status still in the outbox.

    ``next_attempt_at``: the earliest next try for ``failed``, the end of the earliest lease for
    ``sending``; ``None`` for ``pending``/``undeliverable`` (the next deliver run). ``error`` is
    one of their last errors.
    """

    organisation: str
    timezone: str
    status: OutboxStatus
    count: int
    next_attempt_at: datetime | None
    error: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation, "status": self.status.value, "count": self.count,
            "next_attempt": local_time(self.next_attempt_at, self.timezone), "error": self.error,
        }  # fmt: skip


def local_time(instant: datetime | None, timezone: str) -> str | None:
    """``2027-10-15T07:35+02:00``: an instant in the organisation's time zone, to the minute."""
    if instant is None:
        return None
    return instant.astimezone(ZoneInfo(timezone)).isoformat(timespec="minutes")


def waiting(conn: sa.Connection, *, organisation_id: int | None, lease: timedelta) -> list[Waiting]:
    """What is still waiting, per organisation and status (one query)."""
    m, o = OutboxMessage, Organisation
    query = (
        sa.select(
            col(o.key), col(o.timezone), col(m.status), sa.func.count(),
            sa.func.min(m.next_attempt_at), sa.func.min(m.claimed_at), sa.func.max(m.last_error),
        )
        .join(o, col(o.id) == col(m.organisation_id))
        .where(col(m.status).in_(WAITING))
        .group_by(col(o.key), col(o.timezone), col(m.status))
        .order_by(col(o.key), col(m.status))
    )  # fmt: skip
    if organisation_id is not None:
        query = query.where(col(m.organisation_id) == organisation_id)
    out = []
    for key, zone, status, count, next_at, claimed, error in conn.execute(query):
        status = OutboxStatus(status)
        when = _next(status, next_at, claimed, lease)
        out.append(Waiting(key, zone, status, count, when, error or ""))
    return out


def _next(
    status: OutboxStatus,
    next_at: datetime | None,
    claimed: datetime | None,
    lease: timedelta,
) -> datetime | None:
    if status == OutboxStatus.failed:
        return next_at
    if status == OutboxStatus.sending and claimed is not None:
        return claimed + lease
    return None


def outbox_listing(
    conn: sa.Connection,
    *,
    organisation_id: int | None,
    status: OutboxStatus | None,
    lease: timedelta,
) -> list[dict[str, object]]:
    """Outbox rows (no bodies), newest day first, each with its next attempt when it waits."""
    m, o = OutboxMessage, Organisation
    query = (
        sa.select(
            col(m.id), col(o.key), col(o.timezone), col(m.day), col(m.kind),
            sa.func.coalesce(col(Person.email), col(m.recipient)).label("email"),
            col(m.subject), col(m.status), col(m.attempts), col(m.next_attempt_at),
            col(m.claimed_at), col(m.last_error), col(m.task_ids), col(m.sent_at),
        )
        # a receipt to a citizen has no person: its address is the message's recipient
        .outerjoin(Person, col(Person.id) == col(m.person_id))
        .join(o, col(o.id) == col(m.organisation_id))
        .order_by(col(m.day).desc(), col(m.id))
    )  # fmt: skip
    if organisation_id is not None:
        query = query.where(col(m.organisation_id) == organisation_id)
    if status is not None:
        query = query.where(col(m.status) == status)
    rows = []
    for row in conn.execute(query):
        state = OutboxStatus(row.status)
        when = _next(state, row.next_attempt_at, row.claimed_at, lease)
        rows.append({
            "id": row.id, "organisation": row.key, "day": row.day.isoformat(),
            "kind": str(row.kind), "email": row.email, "subject": row.subject,
            "status": state.value, "attempts": row.attempts,
            "next_attempt": local_time(when, row.timezone), "last_error": row.last_error,
            "task_ids": row.task_ids,
            "sent_at": row.sent_at.isoformat() if row.sent_at else None,
        })  # fmt: skip
    return rows
