"""Writing to and claiming from the outbox, portable across SQLite and PostgreSQL.

*Insert*: one bulk ``INSERT … ON CONFLICT (person_id, day, kind) DO NOTHING … RETURNING``; only
the rows really added get their overdue listings (:class:`DigestItem`) and escalation records.
On PostgreSQL the messages are one ``INSERT … SELECT FROM unnest(…)`` over arrays of values, on
SQLite ``INSERT … SELECT FROM (VALUES …)`` of a thousand rows each, plain DB-API values; the
listings and steps go through :func:`aarshjul.models.bulk.insert_rows`.

*Claim*: a row moves ``pending``/``failed``/``undeliverable`` → ``sending`` in one conditional
UPDATE stamped with a fresh ``claim_token``; PostgreSQL picks the rows with
``FOR UPDATE SKIP LOCKED`` so concurrent deliverers never wait for or take each other's rows,
SQLite serialises writers so the conditional UPDATE alone is enough. A ``sending`` row whose
lease ran out (its deliverer crashed) can be claimed again.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from aarshjul.clock import utcnow
from aarshjul.models.bulk import insert_rows
from aarshjul.models.outbox import (
    DigestItem,
    DigestReason,
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    TaskEscalation,
)

CLAIMABLE = (OutboxStatus.pending, OutboxStatus.failed, OutboxStatus.undeliverable)
# The items later digests read back: the day a task was last listed as overdue decides when it is
# listed again. An escalation is recorded once per task and step (``task_escalation``); reminders,
# due dates and kickoffs need no record (the digest window decides them); and every message lists
# all the tasks it covers in ``task_ids``. Each ``digest_item`` row costs two foreign-key checks.
_RECORDED = frozenset({DigestReason.overdue})


def insert_messages(
    session: Session, organisation_id: int, day: date, kind: OutboxKind, messages: Sequence[Any]
) -> list[Any]:
    """Insert one row per message unless (person, day, kind) exists; return the added messages.

    Each message has ``person_id``, ``subject``, ``text``, ``html``, ``task_ids`` and optionally
    ``items`` ((task id, reason) pairs) and ``escalations`` ((task id, step) pairs).

    A national digest run writes tens of thousands of messages, so they go in as plain values:
    on PostgreSQL one ``INSERT … SELECT FROM unnest(arrays)`` (one round trip, one statement), on
    SQLite ``INSERT … SELECT FROM (VALUES …)`` chunks; overdue listings and escalation steps
    through :func:`aarshjul.models.bulk.insert_rows`.
    """
    if not messages:
        return []
    if session.get_bind().dialect.name == "postgresql":
        ids = _insert_messages_pg(session, organisation_id, day, kind, messages)
    else:
        ids = _insert_messages_sqlite(session, organisation_id, day, kind, messages)
    added = [m for m in messages if m.person_id in ids]
    items = [
        (ids[m.person_id], task_id, str(reason))
        for m in added
        for task_id, reason in getattr(m, "items", ())
        if reason in _RECORDED
    ]
    _record_items(session, day, items)
    _record_escalations(session, day, added)
    return added


# SQLite: the values that are the same for every row bound once, the rest five per row from a
# VALUES list, in chunks that stay under SQLite's limit of 32,766 parameters per statement.
_SQLITE_CHUNK = 1000
_SQLITE_INSERT_MESSAGES = """
    INSERT INTO outbox_message (organisation_id, person_id, day, kind, subject, body_text,
                                body_html, task_ids, status, attempts, last_error, created_at)
    SELECT ?, m.column1, ?, ?, m.column2, m.column3, m.column4, m.column5, ?, 0, '', ?
      FROM (VALUES {rows}) AS m
     WHERE true
        ON CONFLICT (person_id, day, kind) DO NOTHING
    RETURNING id, person_id
"""


def _insert_messages_sqlite(
    session: Session, organisation_id: int, day: date, kind: OutboxKind, messages: Sequence[Any]
) -> dict[int, int]:
    """As the SQLAlchemy ``INSERT … ON CONFLICT DO NOTHING RETURNING``, without its per-value work.

    Values are stored as SQLAlchemy stores them: each column's own bind processor converts them.
    """
    conn = session.connection()
    columns = OutboxMessage.__table__.c  # type: ignore[attr-defined]

    def bind(column: str) -> Any:
        process = columns[column].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
        return process or (lambda value: value)

    to_json = bind("task_ids")
    common = (
        bind("organisation_id")(organisation_id), bind("day")(day), bind("kind")(kind),
        bind("status")(OutboxStatus.pending), bind("created_at")(utcnow()),
    )  # fmt: skip
    ids: dict[int, int] = {}
    for start in range(0, len(messages), _SQLITE_CHUNK):
        chunk = messages[start : start + _SQLITE_CHUNK]
        params: list[Any] = list(common)
        for m in chunk:
            params += (m.person_id, m.subject[:300], m.text, m.html, to_json(m.task_ids))
        sql = _SQLITE_INSERT_MESSAGES.format(rows=", ".join(["(?, ?, ?, ?, ?)"] * len(chunk)))
        for message_id, person_id in conn.exec_driver_sql(sql, tuple(params)):
            ids[person_id] = message_id
    return ids


# psycopg placeholders with binary parameters (``%(name)b``): arrays of long texts need no escaping.
_PG_INSERT_MESSAGES = """
    INSERT INTO outbox_message (organisation_id, person_id, day, kind, subject, body_text,
                                body_html, task_ids, status, attempts, last_error, created_at)
    SELECT %(organisation_id)b, m.person_id, %(day)b, %(kind)b, m.subject, m.body_text,
           m.body_html, CAST(m.task_ids AS json), %(status)b, 0, '', %(created_at)b
      FROM unnest(CAST(%(person_ids)b AS integer[]), %(subjects)b, %(texts)b, %(htmls)b,
                  %(task_ids)b) AS m(person_id, subject, body_text, body_html, task_ids)
        ON CONFLICT (person_id, day, kind) DO NOTHING
    RETURNING id, person_id
"""


def _insert_messages_pg(
    session: Session, organisation_id: int, day: date, kind: OutboxKind, messages: Sequence[Any]
) -> dict[int, int]:
    params = {
        "organisation_id": organisation_id, "day": day, "kind": kind.value,
        "status": OutboxStatus.pending.value, "created_at": utcnow(),
        "person_ids": [m.person_id for m in messages],
        "subjects": [m.subject[:300] for m in messages],
        "texts": [m.text for m in messages],
        "htmls": [m.html for m in messages],
        "task_ids": [json.dumps(m.task_ids) for m in messages],
    }  # fmt: skip
    result = session.connection().exec_driver_sql(_PG_INSERT_MESSAGES, params)
    return {person_id: message_id for message_id, person_id in result}


def _record_items(session: Session, day: date, items: list[tuple[int, int, str]]) -> None:
    rows = [{"message_id": m, "task_id": t, "reason": r, "day": day} for m, t, r in items]
    insert_rows(session, DigestItem.__table__, rows)  # type: ignore[attr-defined]


def _record_escalations(session: Session, day: date, added: list[Any]) -> None:
    steps = sorted({e for m in added for e in getattr(m, "escalations", ())})
    rows = [{"task_id": task_id, "step": step, "day": day} for task_id, step in steps]
    insert_rows(session, TaskEscalation.__table__, rows, skip_conflicts=True)  # type: ignore[attr-defined]


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
