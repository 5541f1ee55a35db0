"""One outbox row sent at once by e-mail, outside a delivery run: the sign-in mail, the receipt.

The person waits at the page, so these are not left for the next tick. The caller writes or
claims the row (status ``sending`` with its claim token); :func:`send_claimed` sends the message
through the given e-mail channel (or a sender of its own for this one message) and records the
outcome with the queue's :func:`~aarshjul.notifications.queue.mark`, as delivery does. What a
failure becomes is the caller's choice (``settle``): a sign-in link is useless later (``dead``),
a receipt is retried by delivery (``failed``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.engine import Engine

from aarshjul.db import session_scope
from aarshjul.models.outbox import OutboxStatus
from aarshjul.notifications.channels import EMAIL, Channel
from aarshjul.notifications.queue import Attempt, RowOutcome, mark
from aarshjul.notifications.sending import ChannelSender, Message, Outcome, Sender


def send_claimed(
    engine: Engine,
    *,
    message_id: int,
    token: str,
    channel: Channel | None,
    message: Message,
    now: datetime,
    sender: Sender | None,
    settle: Callable[[Outcome | None], RowOutcome],
) -> OutboxStatus:
    """Send the claimed row's ``message`` through ``channel`` (None: nothing to send it by) and
    record ``settle(outcome)``; returns the row's new status."""
    outcome = None if channel is None else _send(sender, channel, message, now)
    result = settle(outcome)
    attempts = [] if outcome is None else [
        Attempt(EMAIL, outcome.url_masked, outcome.ok, outcome.error)
    ]  # fmt: skip
    with session_scope(engine) as session:
        mark(session.connection(), message_id=message_id, token=token, outcome=result,
             attempts=attempts, following=None, now=now)  # fmt: skip
    return result.status


def _send(sender: Sender | None, channel: Channel, message: Message, now: datetime) -> Outcome:
    """Through the given sender, or a sender of its own for this one message."""
    if sender is not None:
        return sender.send(channel, message)
    with ChannelSender(clock=lambda: now) as own:
        return own.send(channel, message)
