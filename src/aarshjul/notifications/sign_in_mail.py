"""The sign-in mail: one message through the outbox, delivered at once, by e-mail only.

A person waiting at the login page cannot wait for the next tick, so :func:`send_sign_in_mail`
writes one ``sign_in`` row already claimed by itself, sends it through the organisation's e-mail
channel (never a person's chat channel: a Teams channel may be shared) and records the outcome
as delivery does. The stored body never holds the link — only the mail does — so the outbox and
a database dump reveal no live link. A failed send becomes ``dead`` (a sign-in link is useless
later; the planning role hears of it in their next digest) and is never retried.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import col

from aarshjul.config import Settings
from aarshjul.db import session_scope
from aarshjul.models.organisation import Organisation
from aarshjul.models.outbox import OutboxKind, OutboxMessage, OutboxStatus
from aarshjul.notifications.channels import ChannelBook
from aarshjul.notifications.compose import work_calendar
from aarshjul.notifications.formatting import locale_of
from aarshjul.notifications.queue import RowOutcome
from aarshjul.notifications.rendering import render
from aarshjul.notifications.send_now import send_claimed
from aarshjul.notifications.sending import Message, Outcome, Sender

REDACTED = "[link fjernet efter afsendelse / link removed after sending]"


def send_sign_in_mail(
    engine: Engine,
    *,
    organisation: Organisation,
    person_id: int,
    email: str,
    name: str,
    locale: str,
    url: str,
    minutes: int,
    now: datetime,
    settings: Settings,
    sender: Sender | None = None,
) -> OutboxStatus | None:
    """Write, send and record one sign-in mail; returns ``sent`` or ``dead``, or None (nothing
    written) when the organisation has no e-mail channel (its own or ``AARSHJUL_MAIL_URL``)."""
    loc = locale_of(locale)
    context = {"person": {"name": name}, "minutes": minutes}
    mail = render("sign_in", loc, {**context, "url": url}, settings.template_dir)
    stored = render("sign_in", loc, {**context, "url": REDACTED}, settings.template_dir)
    day = work_calendar(organisation).local_date(now)
    token = str(uuid.uuid4())
    with session_scope(engine) as session:
        conn = session.connection()
        mail_channel = ChannelBook(settings).organisation_mail(conn, organisation.id or 0)
        if mail_channel is None:
            return None
        # One row per person and day (the outbox's key): the newest request replaces the last.
        conn.execute(
            sa.delete(OutboxMessage).where(
                col(OutboxMessage.person_id) == person_id,
                col(OutboxMessage.day) == day,
                col(OutboxMessage.kind) == OutboxKind.sign_in,
            )
        )
        message = OutboxMessage(
            organisation_id=organisation.id or 0, person_id=person_id, day=day,
            kind=OutboxKind.sign_in, subject=stored.subject, body_text=stored.text,
            body_html=stored.html, status=OutboxStatus.sending, attempts=1, claimed_at=now,
            claim_token=token, created_at=now,
        )  # fmt: skip
        session.add(message)
        session.flush()
        message_id = message.id or 0
    return send_claimed(
        engine, message_id=message_id, token=token,
        channel=replace(mail_channel, recipient=email),
        message=Message(mail.subject, mail.text, mail.html), now=now, sender=sender,
        settle=lambda outcome: _settle(outcome, now),
    )  # fmt: skip


def _settle(outcome: Outcome | None, now: datetime) -> RowOutcome:
    """Sent, or ``dead``: a sign-in link is useless later, so it is never retried."""
    if outcome is not None and outcome.ok:
        return RowOutcome(OutboxStatus.sent, sent_at=now)
    return RowOutcome(OutboxStatus.dead, last_error=outcome.error if outcome else "")
