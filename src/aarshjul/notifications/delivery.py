"""Deliver: claim pending outbox rows, send them through apprise, record every outcome.

Guarantee: a row is sent by at most one deliverer at a time (it is claimed with a token in its
own short transaction; see :mod:`aarshjul.notifications.queue`) and it is marked right after
its own send, in a new transaction. A crash between sending and marking leaves that one row in
``sending``; after the lease (``AARSHJUL_DELIVER_LEASE_SECONDS``) the next run claims and sends
it again. So the worst case is one resent message per crashed deliverer, never a lost one.
Channels that already succeeded for a message are skipped on a retry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from aarshjul.config import Settings, get_settings
from aarshjul.db import session_scope
from aarshjul.models.organisation import Person
from aarshjul.models.outbox import OutboxDelivery, OutboxMessage, OutboxStatus
from aarshjul.notifications.channels import Channel, channels_for, mask
from aarshjul.notifications.dead_letters import compose_dead_letter_reports
from aarshjul.notifications.queue import claim, finish

NO_CHANNEL = "undeliverable: no channel"
BATCH = 20


@dataclass(frozen=True)
class Outcome:
    """What one channel URL did with one message."""

    ok: bool
    url_masked: str
    error: str = ""


Transport = Callable[[Channel, OutboxMessage], Outcome]


@dataclass
class DeliveryReport:
    """Counts of one deliver run (``reported``: dead-letter reports composed)."""

    claimed: int = 0
    sent: int = 0
    failed: int = 0
    dead: int = 0
    undeliverable: int = 0
    reported: int = 0
    lost_claims: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if k != "errors"} | {"errors": self.errors}


def apprise_transport(channel: Channel, message: OutboxMessage) -> Outcome:
    """Send through apprise with one URL, reading its per-URL status (never a bare bool)."""
    import apprise  # here, not at module level: every CLI command would pay ~0.2 s

    if channel.error:
        return Outcome(False, f"{channel.label}://****", channel.error)
    client = apprise.Apprise()
    if not client.add(channel.url):
        return Outcome(False, mask(channel.url), "apprise rejected the URL")
    html = channel.html and bool(message.body_html)
    result = client.notify(
        title=message.subject,
        body=message.body_html if html else message.body_text,
        body_format=apprise.NotifyFormat.HTML if html else apprise.NotifyFormat.TEXT,
    )
    per_url = list(result)
    if not per_url:
        return Outcome(False, mask(channel.url), f"apprise: {result.status.name}")
    first = per_url[0]
    if first.status == apprise.AppriseResultStatus.SUCCESS:
        return Outcome(True, first.url)
    return Outcome(False, first.url, _error_of(first, channel.url))


def _error_of(result: Any, url: str) -> str:
    lines = [e.message for e in result.logs() if e.level in ("WARNING", "ERROR", "CRITICAL")]
    text = lines[-1] if lines else f"apprise: {result.status.name}"
    password = _password(url)
    return text.replace(password, "****") if password else text


def _password(url: str) -> str:
    netloc = url.split("://", 1)[-1].split("/", 1)[0].split("?", 1)[0]
    userinfo = netloc.rpartition("@")[0]
    return userinfo.partition(":")[2]


def deliver_pending(
    engine: Engine,
    *,
    organisation_id: int | None = None,
    now: datetime,
    settings: Settings | None = None,
    limit: int | None = None,
    transport: Transport = apprise_transport,
) -> DeliveryReport:
    """Send every due outbox row (pending, failed past its backoff, abandoned claims).

    Each claim and each outcome is its own short transaction, so two deliverers can run at
    the same time. Rows that die are reported to the ``planning`` role in the same run.

    >>> deliver_pending(engine, now=datetime(2027, 10, 15, 7, tzinfo=UTC))  # doctest: +SKIP
    DeliveryReport(claimed=12, sent=12, failed=0, dead=0, undeliverable=0, reported=0, ...)
    """
    cfg = settings or get_settings()
    report = DeliveryReport()
    _deliver_batches(engine, organisation_id, now, cfg, limit, transport, report)
    if report.dead:
        with session_scope(engine) as session:
            report.reported = compose_dead_letter_reports(session, now=now)
        _deliver_batches(engine, organisation_id, now, cfg, limit, transport, report)
    return report


def _deliver_batches(
    engine: Engine,
    organisation_id: int | None,
    now: datetime,
    cfg: Settings,
    limit: int | None,
    transport: Transport,
    report: DeliveryReport,
) -> None:
    lease = timedelta(seconds=cfg.deliver_lease_seconds)
    while limit is None or report.claimed < limit:
        size = BATCH if limit is None else min(BATCH, limit - report.claimed)
        with session_scope(engine) as session:
            token, ids = claim(
                session, now=now, lease=lease, limit=size, organisation_id=organisation_id
            )
        if not ids:
            return
        report.claimed += len(ids)
        for message_id in ids:
            _deliver_one(engine, message_id, token, now, cfg, transport, report)


def _deliver_one(
    engine: Engine,
    message_id: int,
    token: str,
    now: datetime,
    cfg: Settings,
    transport: Transport,
    report: DeliveryReport,
) -> None:
    with session_scope(engine) as session:
        message, channels, done = _load(session, message_id, cfg)
    todo = [c for c in channels if c.label not in done]
    outcomes = [(c, transport(c, message)) for c in todo]
    with session_scope(engine) as session:
        _record(session, message_id, outcomes, now)
        status, values = _outcome(message, channels, outcomes, now, cfg)
        if not finish(session, message_id, token, status=status, **values):
            report.lost_claims += 1
            return
    _count(report, status, message, values)


def _load(
    session: Session, message_id: int, cfg: Settings
) -> tuple[OutboxMessage, list[Channel], set[str]]:
    message = session.get_one(OutboxMessage, message_id)
    if message.person_id is None:  # someone outside the organisation (a receipt): e-mail only
        from aarshjul.participation.receipts import recipient_channels

        channels = recipient_channels(message.recipient, cfg)
    else:
        person = session.get_one(Person, message.person_id)
        channels = channels_for(session, person.id or 0, person.email, cfg)
    done = session.exec(
        select(OutboxDelivery.channel).where(
            OutboxDelivery.message_id == message_id, OutboxDelivery.status == "sent"
        )
    ).all()
    return message, channels, set(done)


def _record(
    session: Session, message_id: int, outcomes: list[tuple[Channel, Outcome]], now: datetime
) -> None:
    for channel, outcome in outcomes:
        session.add(
            OutboxDelivery(
                message_id=message_id,
                channel=channel.label,
                url_masked=outcome.url_masked,
                status="sent" if outcome.ok else "failed",
                error=outcome.error,
                at=now,
            )
        )


def _outcome(
    message: OutboxMessage,
    channels: list[Channel],
    outcomes: list[tuple[Channel, Outcome]],
    now: datetime,
    cfg: Settings,
) -> tuple[OutboxStatus, dict[str, Any]]:
    if not channels:
        later = now + timedelta(seconds=1)  # not again in this run; any later run retries
        values = {"last_error": NO_CHANNEL, "next_attempt_at": later,
                  "attempts": col(OutboxMessage.attempts) - 1}  # fmt: skip
        return OutboxStatus.undeliverable, values
    errors = [f"{c.label}: {o.error}" for c, o in outcomes if not o.ok]
    if not errors:
        return OutboxStatus.sent, {"sent_at": now, "last_error": "", "claim_token": None}
    if message.attempts >= cfg.deliver_max_attempts:
        return OutboxStatus.dead, {"last_error": "; ".join(errors)}
    backoff = cfg.deliver_backoff_seconds * 2 ** (message.attempts - 1)
    later = now + timedelta(seconds=max(backoff, 1))
    return OutboxStatus.failed, {"last_error": "; ".join(errors), "next_attempt_at": later}


def _count(
    report: DeliveryReport, status: OutboxStatus, message: OutboxMessage, values: dict[str, Any]
) -> None:
    name = status.value
    setattr(report, name, getattr(report, name) + 1)
    if status in (OutboxStatus.failed, OutboxStatus.dead):
        report.errors.append(f"#{message.id}: {values['last_error']}")
