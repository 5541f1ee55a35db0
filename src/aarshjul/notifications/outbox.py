"""Writing to and claiming from the outbox, portable across SQLite and PostgreSQL.

*Insert*: one bulk ``INSERT … ON CONFLICT (person_id, day, kind) DO NOTHING … RETURNING``; only
the rows really added get their :class:`DigestItem` rows and escalation records.

*Claim*: a row moves ``pending``/``failed``/``undeliverable`` → ``sending`` in one conditional
UPDATE stamped with a fresh ``claim_token``; PostgreSQL picks the rows with
``FOR UPDATE SKIP LOCKED`` so concurrent deliverers never wait for or take each other's rows,
SQLite serialises writers so the conditional UPDATE alone is enough. A ``sending`` row whose
lease ran out (its deliverer crashed) can be claimed again.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from aarshjul.models.base import utcnow
from aarshjul.models.outbox import (
    DigestItem,
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    TaskEscalation,
)

CLAIMABLE = (OutboxStatus.pending, OutboxStatus.failed, OutboxStatus.undeliverable)


class Composed(Protocol):
    """A rendered message for one person (a digest or a report)."""

    person_id: int
    subject: str
    text: str
    html: str

    @property
    def task_ids(self) -> list[int]: ...


def _insert(session: Session, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)


def insert_messages(
    session: Session, organisation_id: int, day: date, kind: OutboxKind, messages: Sequence[Any]
) -> list[Any]:
    """Insert one row per message unless (person, day, kind) exists; return the added messages.

    Each message has ``person_id``, ``subject``, ``text``, ``html``, ``task_ids`` and optionally
    ``items`` ((task id, reason) pairs) and ``escalations`` ((task id, step) pairs).
    """
    if not messages:
        return []
    rows = [_row(organisation_id, day, kind, m) for m in messages]
    stmt = (
        _insert(session, OutboxMessage)
        .on_conflict_do_nothing(index_elements=["person_id", "day", "kind"])
        .returning(col(OutboxMessage.id), col(OutboxMessage.person_id))
    )
    ids = {
        person_id: message_id for message_id, person_id in session.connection().execute(stmt, rows)
    }
    added = [m for m in messages if m.person_id in ids]
    _insert_items(session, day, [(ids[m.person_id], m) for m in added])
    _record_escalations(session, day, added)
    return added


def _row(organisation_id: int, day: date, kind: OutboxKind, message: Any) -> dict[str, Any]:
    return {
        "organisation_id": organisation_id, "person_id": message.person_id, "day": day,
        "kind": kind, "subject": message.subject[:300], "body_text": message.text,
        "body_html": message.html, "task_ids": message.task_ids,
        "status": OutboxStatus.pending, "attempts": 0, "last_error": "",
        "created_at": utcnow(),
    }  # fmt: skip


def _insert_items(session: Session, day: date, added: list[tuple[int, Any]]) -> None:
    rows = [
        {"message_id": message_id, "task_id": task_id, "reason": reason, "day": day}
        for message_id, message in added
        for task_id, reason in getattr(message, "items", ())
    ]
    if rows:
        session.connection().execute(sa.insert(DigestItem), rows)


def _record_escalations(session: Session, day: date, added: list[Any]) -> None:
    steps = {e for m in added for e in getattr(m, "escalations", ())}
    if steps:
        stmt = _insert(session, TaskEscalation).on_conflict_do_nothing()
        session.connection().execute(
            stmt, [{"task_id": t, "step": s, "day": day} for t, s in sorted(steps)]
        )


def claim(
    session: Session,
    *,
    now: datetime,
    lease: timedelta,
    limit: int,
    organisation_id: int | None = None,
) -> tuple[str, list[int]]:
    """Claim up to ``limit`` due rows for this deliverer; returns the claim token and row ids."""
    token = str(uuid.uuid4())
    candidates = _candidates(now, lease, limit, organisation_id)
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    stmt = (
        sa.update(OutboxMessage)
        .where(col(OutboxMessage.id).in_(candidates.scalar_subquery()))
        .where(_due(now, lease))
        .values(
            status=OutboxStatus.sending,
            claim_token=token,
            claimed_at=now,
            attempts=col(OutboxMessage.attempts) + 1,
        )
        .returning(col(OutboxMessage.id))
    )
    ids = sorted(int(i or 0) for i in session.connection().execute(stmt).scalars())
    return token, ids


def _due(now: datetime, lease: timedelta) -> Any:
    waiting = sa.and_(
        col(OutboxMessage.status).in_(CLAIMABLE),
        sa.or_(
            col(OutboxMessage.next_attempt_at).is_(None), col(OutboxMessage.next_attempt_at) <= now
        ),
    )
    abandoned = sa.and_(
        col(OutboxMessage.status) == OutboxStatus.sending,
        col(OutboxMessage.claimed_at) <= now - lease,
    )
    return sa.or_(waiting, abandoned)


def _candidates(now: datetime, lease: timedelta, limit: int, organisation_id: int | None) -> Any:
    query = sa.select(col(OutboxMessage.id)).where(_due(now, lease))
    if organisation_id is not None:
        query = query.where(col(OutboxMessage.organisation_id) == organisation_id)
    return query.order_by(col(OutboxMessage.id)).limit(limit)


def finish(session: Session, message_id: int, token: str, **values: Any) -> bool:
    """Record a claimed row's outcome, only if this deliverer still holds the claim."""
    stmt = (
        sa.update(OutboxMessage)
        .where(col(OutboxMessage.id) == message_id, col(OutboxMessage.claim_token) == token)
        .values(**values)
    )
    return bool(session.connection().execute(stmt).rowcount)
