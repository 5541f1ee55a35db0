"""Writing to and claiming from the outbox, portable across SQLite and PostgreSQL.

*Insert*: one bulk ``INSERT … ON CONFLICT (person_id, day, kind) DO NOTHING … RETURNING``; only
the rows really added get their overdue listings (:class:`DigestItem`) and escalation records.
On PostgreSQL the messages are one ``INSERT … SELECT FROM unnest(…)`` over arrays of values, on
SQLite ``INSERT … SELECT FROM (VALUES …)`` of a thousand rows each, plain DB-API values; the
listings and steps go through :func:`aarshjul.models.bulk.insert_rows`. A message with an inline
picture (the board report's wheel) gets its ``image_sha256`` by one UPDATE per picture afterwards,
so the digests' bulk statements stay as they are.

*Claim*: a row moves ``pending``/``failed``/``undeliverable`` → ``sending`` in one conditional
UPDATE stamped with the deliverer's ``claim_token`` and the instant of the claim; PostgreSQL picks
the rows with ``FOR UPDATE SKIP LOCKED`` so concurrent deliverers never wait for or take each
other's rows, SQLite serialises writers so the conditional UPDATE alone is enough. A ``sending``
row whose lease ran out (its deliverer crashed or stalled) can be claimed again, under a new
token: :func:`renew` tells a deliverer which claims it still holds, :func:`finish` records an
outcome only under the claim's own token, :func:`release` gives back claims never started.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
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
    ``items`` ((task id, reason) pairs), ``escalations`` ((task id, step) pairs) and
    ``image_sha256`` (the key of an inline picture already stored for the organisation, see
    :mod:`aarshjul.notifications.inline_images`).

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
    _record_images(session, ids, added)
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


def _record_images(session: Session, ids: dict[int, int], added: list[Any]) -> None:
    """Point the added messages at their inline picture: one UPDATE per distinct picture."""
    by_image: dict[str, list[int]] = {}
    for m in added:
        sha = getattr(m, "image_sha256", None)
        if sha:
            by_image.setdefault(sha, []).append(ids[m.person_id])
    for sha, message_ids in by_image.items():
        stmt = (
            sa.update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(message_ids))
            .values(image_sha256=sha)
        )
        session.execute(stmt)


@dataclass(frozen=True)
class Claimed:
    """A row this deliverer claimed: what to send, to whom, and its attempt number (1 = first).

    ``person_id`` is None for a message to someone outside the organisation (a citizen's
    receipt): it goes by e-mail to ``recipient``. ``image_sha256`` is the key of the message's
    inline picture, if it has one.
    """

    id: int
    organisation_id: int
    person_id: int | None
    subject: str
    body_text: str
    body_html: str
    attempts: int
    recipient: str = ""
    image_sha256: str | None = None


def claim(
    conn: sa.Connection,
    *,
    token: str,
    now: datetime,
    lease: timedelta,
    limit: int,
    organisation_id: int | None,
    retry_now: bool = False,
) -> list[Claimed]:
    """Claim up to ``limit`` due rows for the deliverer holding ``token``, stamped ``now``.

    ``now`` must be the instant of the claim itself (not the start of a long run): the lease
    runs from it. ``organisation_id=None`` claims from every organisation. With ``retry_now``
    failed and undeliverable rows are due whatever their next attempt time.
    """
    candidates = _candidates(now, lease, limit, organisation_id, retry_now)
    if conn.dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    m = OutboxMessage
    stmt = (
        sa.update(m)
        .where(col(m.id).in_(candidates.scalar_subquery()))
        .where(_due(now, lease, retry_now))
        .values(
            status=OutboxStatus.sending,
            claim_token=token,
            claimed_at=now,
            attempts=col(m.attempts) + 1,
        )
        .returning(
            col(m.id), col(m.organisation_id), col(m.person_id), col(m.subject),
            col(m.body_text), col(m.body_html), col(m.attempts), col(m.recipient),
            col(m.image_sha256),
        )
    )  # fmt: skip
    rows: Any = conn.execute(stmt)
    return sorted((Claimed(*row) for row in rows), key=lambda c: c.id)


def _due(now: datetime, lease: timedelta, retry_now: bool = False) -> Any:
    next_attempt = col(OutboxMessage.next_attempt_at)
    waiting: Any = col(OutboxMessage.status).in_(CLAIMABLE)
    if not retry_now:
        waiting = sa.and_(waiting, sa.or_(next_attempt.is_(None), next_attempt <= now))
    abandoned = sa.and_(
        col(OutboxMessage.status) == OutboxStatus.sending,
        col(OutboxMessage.claimed_at) <= now - lease,
    )
    return sa.or_(waiting, abandoned)


def _candidates(
    now: datetime, lease: timedelta, limit: int, organisation_id: int | None, retry_now: bool
) -> Any:
    query = sa.select(col(OutboxMessage.id)).where(_due(now, lease, retry_now))
    if organisation_id is not None:
        query = query.where(col(OutboxMessage.organisation_id) == organisation_id)
    return query.order_by(col(OutboxMessage.id)).limit(limit)


@cache
def _renew_stmt() -> Any:
    m = OutboxMessage
    return (
        sa.update(m)
        .where(col(m.claim_token) == sa.bindparam("token"), col(m.status) == OutboxStatus.sending)
        .values(claimed_at=sa.bindparam("now"))
        .returning(col(m.id))
    )


@cache
def _renew_ids_stmt() -> Any:
    ids: Any = sa.bindparam("ids", expanding=True)
    return _renew_stmt().where(col(OutboxMessage.id).in_(ids))


def renew(
    conn: sa.Connection, *, token: str, now: datetime, ids: Sequence[int] | None = None
) -> set[int]:
    """Extend the claims ``token`` still holds (all, or those of ``ids``) to ``now``.

    Returns the ids it still holds: a row another deliverer claimed after this one's lease ran
    out has another token and is not in the result, so this deliverer must not send it.
    """
    if ids is None:
        rows = conn.execute(_renew_stmt(), {"token": token, "now": now})
    else:
        rows = conn.execute(_renew_ids_stmt(), {"token": token, "now": now, "ids": list(ids)})
    return {int(i) for i in rows.scalars()}


@dataclass(frozen=True)
class RowOutcome:
    """What becomes of a claimed row: its new status and the columns that go with it.

    ``give_back_attempt``: the claim counted an attempt that was not made (no channel).
    """

    status: OutboxStatus
    last_error: str = ""
    sent_at: datetime | None = None
    next_attempt_at: datetime | None = None
    give_back_attempt: bool = False


@cache
def _finish_stmt() -> Any:
    m = OutboxMessage
    return (
        sa.update(m)
        .where(
            col(m.id) == sa.bindparam("message_id"),
            col(m.claim_token) == sa.bindparam("token"),
            col(m.status) == OutboxStatus.sending,
        )
        .values(
            status=sa.bindparam("status"), last_error=sa.bindparam("last_error"),
            sent_at=sa.bindparam("sent_at"), next_attempt_at=sa.bindparam("next_attempt_at"),
            attempts=col(m.attempts) - sa.bindparam("back", type_=sa.Integer), claim_token=None,
        )
    )  # fmt: skip


def finish(conn: sa.Connection, message_id: int, token: str, outcome: RowOutcome) -> bool:
    """Record a claimed row's outcome, only if this deliverer still holds the claim."""
    params = {
        "message_id": message_id, "token": token, "status": outcome.status,
        "last_error": outcome.last_error, "sent_at": outcome.sent_at,
        "next_attempt_at": outcome.next_attempt_at, "back": int(outcome.give_back_attempt),
    }  # fmt: skip
    return bool(conn.execute(_finish_stmt(), params).rowcount)


@dataclass(frozen=True)
class Attempt:
    """One channel's attempt at a message, for ``outbox_delivery`` (the URL already masked)."""

    channel: str
    url_masked: str
    ok: bool
    error: str = ""


def mark(
    conn: sa.Connection,
    *,
    message_id: int,
    token: str,
    outcome: RowOutcome,
    attempts: Sequence[Attempt],
    following: int | None,
    now: datetime,
) -> tuple[bool, bool]:
    """After a send: record its attempts, :func:`finish` the row, renew the claim on the row
    that follows. Returns (the row was still ours and is marked, the following row is ours).

    On PostgreSQL this is one statement (data-modifying CTEs), so a run on an autocommit
    connection costs one round trip per message; on SQLite three statements.
    """
    if conn.dialect.name == "postgresql":
        return _mark_pg(conn, message_id, token, outcome, attempts, following, now)
    return _mark_sqlite(conn, message_id, token, outcome, attempts, following, now)


def _attempt_row(message_id: int, attempt: Attempt, now: datetime) -> dict[str, Any]:
    return {
        "message_id": message_id, "channel": attempt.channel, "url_masked": attempt.url_masked,
        "status": "sent" if attempt.ok else "failed", "error": attempt.error, "at": now,
    }  # fmt: skip


# SQLite: plain DB-API statements (a delivery run executes them once per message), with the
# values stored as SQLAlchemy stores them: instants through the columns' own bind processors.
_SQLITE_RECORD = (
    "INSERT INTO outbox_delivery (message_id, channel, url_masked, status, error, at) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
_SQLITE_FINISH = """
    UPDATE outbox_message
       SET status = ?, last_error = ?, sent_at = ?, next_attempt_at = ?, attempts = attempts - ?,
           claim_token = NULL
     WHERE id = ? AND claim_token = ? AND status = 'sending'
"""
_SQLITE_RENEW = """
    UPDATE outbox_message SET claimed_at = ?
     WHERE id = ? AND claim_token = ? AND status = 'sending'
"""


def _mark_sqlite(
    conn: sa.Connection,
    message_id: int,
    token: str,
    outcome: RowOutcome,
    attempts: Sequence[Attempt],
    following: int | None,
    now: datetime,
) -> tuple[bool, bool]:
    instant = _instant_processor(conn.dialect)
    stamp = instant(now)
    cursor = conn.connection.cursor()
    try:
        for a in attempts:
            row = (message_id, a.channel, a.url_masked, "sent" if a.ok else "failed", a.error)
            cursor.execute(_SQLITE_RECORD, (*row, stamp))
        cursor.execute(_SQLITE_FINISH, (
            outcome.status.value, outcome.last_error, instant(outcome.sent_at),
            instant(outcome.next_attempt_at), int(outcome.give_back_attempt), message_id, token,
        ))  # fmt: skip
        marked = cursor.rowcount == 1
        ours = False
        if following is not None:
            cursor.execute(_SQLITE_RENEW, (stamp, following, token))
            ours = cursor.rowcount == 1
    finally:
        cursor.close()
    return marked, ours


@cache
def _instant_processor(dialect: Any) -> Any:
    column = OutboxMessage.__table__.c.sent_at  # type: ignore[attr-defined]
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    return process or (lambda value: value)


_PG_MARK = """
    WITH {record}fin AS (
        UPDATE outbox_message
           SET status = %(status)s, last_error = %(last_error)s, sent_at = %(sent_at)s,
               next_attempt_at = %(next_attempt_at)s, attempts = attempts - %(back)s,
               claim_token = NULL
         WHERE id = %(message_id)s AND claim_token = %(token)s AND status = 'sending'
     RETURNING id
    ), nxt AS (
        UPDATE outbox_message SET claimed_at = %(now)s
         WHERE id = %(following)s AND claim_token = %(token)s AND status = 'sending'
     RETURNING id
    )
    SELECT (SELECT count(*) FROM fin), (SELECT count(*) FROM nxt)
"""
_PG_RECORD = """rec AS (
        INSERT INTO outbox_delivery (message_id, channel, url_masked, status, error, at)
        VALUES {values}
    ), """


def _mark_pg(
    conn: sa.Connection,
    message_id: int,
    token: str,
    outcome: RowOutcome,
    attempts: Sequence[Attempt],
    following: int | None,
    now: datetime,
) -> tuple[bool, bool]:
    params: dict[str, Any] = {
        "message_id": message_id, "token": token, "status": outcome.status.value,
        "last_error": outcome.last_error, "sent_at": outcome.sent_at,
        "next_attempt_at": outcome.next_attempt_at, "back": int(outcome.give_back_attempt),
        "following": following, "now": now,
    }  # fmt: skip
    values = []
    for n, attempt in enumerate(attempts):
        row = _attempt_row(message_id, attempt, now)
        values.append(f"(%(message_id)s, %(c{n})s, %(u{n})s, %(s{n})s, %(e{n})s, %(now)s)")
        params |= {f"c{n}": row["channel"], f"u{n}": row["url_masked"],
                   f"s{n}": row["status"], f"e{n}": row["error"]}  # fmt: skip
    record = _PG_RECORD.format(values=", ".join(values)) if values else ""
    marked, ours = conn.exec_driver_sql(_PG_MARK.format(record=record), params).one()
    return bool(marked), bool(ours)


def release(conn: sa.Connection, *, token: str, ids: Sequence[int]) -> int:
    """Give back claims that were never started, as if they had not been claimed.

    The attempt the claim counted is taken back; a row that had been tried before waits as
    ``failed`` (due at once), one that had not as ``pending``. Returns how many were released.
    """
    if not ids:
        return 0
    m = OutboxMessage
    mine = sa.and_(
        col(m.id).in_(list(ids)), col(m.claim_token) == token, col(m.status) == OutboxStatus.sending
    )
    released = 0
    for first_try, status in ((True, OutboxStatus.pending), (False, OutboxStatus.failed)):
        tried = col(m.attempts) <= 1 if first_try else col(m.attempts) > 1
        stmt = (
            sa.update(m)
            .where(mine, tried)
            .values(status=status, attempts=col(m.attempts) - 1, claim_token=None, claimed_at=None)
        )
        released += conn.execute(stmt).rowcount
    return released
