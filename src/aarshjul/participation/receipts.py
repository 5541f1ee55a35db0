"""The receipt mail (*kvittering*): sent at once after a submission, retried by delivery.

The submitter waits at the page, so the receipt is not left for the next tick: right after the
response, :func:`send_receipt` claims the ``submission_receipt`` row that
:func:`~aarshjul.participation.submissions.receive_submission` wrote (only if it is still
``pending``, so it is sent once), sends it by e-mail to its ``recipient`` through the
organisation's mail channel and records the outcome like delivery does
(:func:`~aarshjul.notifications.send_now.send_claimed`, shared with the sign-in mail). A failed send becomes
``failed`` with the usual backoff, and ``aarshjul deliver`` (the tick) retries it — by e-mail
only, as the recipient is not one of the organisation's people.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import col

from aarshjul.config import Settings
from aarshjul.db import session_scope
from aarshjul.models import OutboxMessage, OutboxStatus
from aarshjul.notifications.channels import EMAIL, ChannelBook
from aarshjul.notifications.delivery import NO_CHANNEL
from aarshjul.notifications.queue import RowOutcome
from aarshjul.notifications.send_now import send_claimed
from aarshjul.notifications.sending import Message, Outcome, Sender


def send_receipt(
    engine: Engine,
    *,
    message_id: int,
    now: datetime,
    settings: Settings,
    sender: Sender | None = None,
) -> OutboxStatus | None:
    """Send one pending receipt now; None when it was not pending (sent or claimed already)."""
    token = str(uuid.uuid4())
    with session_scope(engine) as session:
        conn = session.connection()
        claimed = conn.execute(
            sa.update(OutboxMessage)
            .where(col(OutboxMessage.id) == message_id)
            .where(col(OutboxMessage.status) == OutboxStatus.pending)
            .values(status=OutboxStatus.sending, claim_token=token, claimed_at=now,
                    attempts=col(OutboxMessage.attempts) + 1)
        ).rowcount  # fmt: skip
        if not claimed:
            return None
        message = session.get_one(OutboxMessage, message_id)
        mail = ChannelBook(settings).organisation_mail(conn, message.organisation_id)
        content = Message(message.subject, message.body_text, message.body_html)
        recipient = message.recipient
    channel = replace(mail, recipient=recipient) if mail is not None and recipient else None
    return send_claimed(
        engine, message_id=message_id, token=token, channel=channel, message=content, now=now,
        sender=sender, settle=lambda outcome: _outcome(outcome, now, settings),
    )  # fmt: skip


def _outcome(outcome: Outcome | None, now: datetime, settings: Settings) -> RowOutcome:
    if outcome is None:
        later = now + timedelta(seconds=1)
        return RowOutcome(OutboxStatus.undeliverable, NO_CHANNEL, next_attempt_at=later)
    if outcome.ok:
        return RowOutcome(OutboxStatus.sent, sent_at=now)
    later = now + timedelta(seconds=max(settings.deliver_backoff_seconds, 1))
    return RowOutcome(OutboxStatus.failed, f"{EMAIL}: {outcome.error}", next_attempt_at=later)
