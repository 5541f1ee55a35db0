"""The receipt mail (*kvittering*): sent at once after a submission, retried by delivery.

The submitter waits at the page, so the receipt is not left for the next tick: right after the
response, :func:`send_receipt` claims the ``submission_receipt`` row that
:func:`~aarshjul.participation.submissions.receive_submission` wrote (only if it is still
``pending``, so it is sent once), sends it by e-mail to its ``recipient`` through the
organisation's mail channel and records the outcome like delivery does. A failed send becomes
``failed`` with the usual backoff, and ``aarshjul deliver`` (the tick) retries it — by e-mail
only, as the recipient is not one of the organisation's people.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import col

from aarshjul.config import Settings
from aarshjul.db import session_scope
from aarshjul.models import OutboxDelivery, OutboxMessage, OutboxStatus
from aarshjul.notifications.channels import EMAIL, Channel, with_recipient
from aarshjul.notifications.delivery import NO_CHANNEL, Transport, apprise_transport
from aarshjul.notifications.queue import finish


def recipient_channels(recipient: str, settings: Settings) -> list[Channel]:
    """The channel a message to someone outside the organisation goes by: e-mail, if any."""
    if not settings.mail_url or not recipient:
        return []
    return [Channel(EMAIL, with_recipient(settings.mail_url, recipient), html=True)]


def send_receipt(
    engine: Engine,
    *,
    message_id: int,
    now: datetime,
    settings: Settings,
    transport: Transport = apprise_transport,
) -> OutboxStatus | None:
    """Send one pending receipt now; None when it was not pending (sent or claimed already)."""
    token = str(uuid.uuid4())
    with session_scope(engine) as session:
        claimed = session.connection().execute(
            sa.update(OutboxMessage)
            .where(col(OutboxMessage.id) == message_id)
            .where(col(OutboxMessage.status) == OutboxStatus.pending)
            .values(status=OutboxStatus.sending, claim_token=token, claimed_at=now,
                    attempts=col(OutboxMessage.attempts) + 1)
        ).rowcount  # fmt: skip
        if not claimed:
            return None
        message = session.get_one(OutboxMessage, message_id)
        session.expunge(message)
    channels = recipient_channels(message.recipient, settings)
    outcome = transport(channels[0], message) if channels else None
    with session_scope(engine) as session:
        if outcome is not None:
            session.add(
                OutboxDelivery(
                    message_id=message_id, channel=EMAIL, url_masked=outcome.url_masked,
                    status="sent" if outcome.ok else "failed", error=outcome.error, at=now,
                )
            )  # fmt: skip
        status, values = _outcome(outcome, now, settings)
        finish(session, message_id, token, status=status, **values)
    return status


def _outcome(
    outcome: Any, now: datetime, settings: Settings
) -> tuple[OutboxStatus, dict[str, Any]]:
    if outcome is None:
        later = now + timedelta(seconds=1)
        return OutboxStatus.undeliverable, {"last_error": NO_CHANNEL, "next_attempt_at": later}
    if outcome.ok:
        return OutboxStatus.sent, {"sent_at": now, "last_error": "", "claim_token": None}
    later = now + timedelta(seconds=max(settings.deliver_backoff_seconds, 1))
    return OutboxStatus.failed, {
        "last_error": f"{EMAIL}: {outcome.error}",
        "next_attempt_at": later,
    }
