"""The sign-in mail: one message through the outbox, delivered at once, by e-mail only.

A person waiting at the login page cannot wait for the next tick, so :func:`send_sign_in_mail`
writes one ``sign_in`` row already claimed by itself, sends it through the organisation's e-mail
channel (never a person's chat channel: a Teams channel may be shared) and records the outcome
as delivery does. The stored body never holds the link — only the mail does — so the outbox and
a database dump reveal no live link. A failed send becomes ``dead`` (a sign-in link is useless
later; the planning role hears of it in the dead-letter report) and is never retried.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import col

from aarshjul.config import Settings
from aarshjul.db import session_scope
from aarshjul.models.organisation import Organisation
from aarshjul.models.outbox import OutboxDelivery, OutboxKind, OutboxMessage, OutboxStatus
from aarshjul.notifications.channels import EMAIL, channels_for
from aarshjul.notifications.compose import work_calendar
from aarshjul.notifications.delivery import Transport, apprise_transport
from aarshjul.notifications.formatting import locale_of
from aarshjul.notifications.queue import finish
from aarshjul.notifications.rendering import render

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
    transport: Transport = apprise_transport,
) -> OutboxStatus:
    """Write, send and record one sign-in mail; returns ``sent`` or ``dead``."""
    loc = locale_of(locale)
    context = {"person": {"name": name}, "minutes": minutes}
    mail = render("sign_in", loc, {**context, "url": url}, settings.template_dir)
    stored = render("sign_in", loc, {**context, "url": REDACTED}, settings.template_dir)
    day = work_calendar(organisation).local_date(now)
    token = str(uuid.uuid4())
    with session_scope(engine) as session:
        conn = session.connection()
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
        channels = [
            c for c in channels_for(session, person_id, email, settings) if c.label == EMAIL
        ]
    sendable = message.model_copy(
        update={"subject": mail.subject, "body_text": mail.text, "body_html": mail.html}
    )
    outcome = transport(channels[0], sendable) if channels else None
    with session_scope(engine) as session:
        if outcome is not None:
            session.add(
                OutboxDelivery(
                    message_id=message_id, channel=EMAIL, url_masked=outcome.url_masked,
                    status="sent" if outcome.ok else "failed", error=outcome.error, at=now,
                )
            )  # fmt: skip
        values: dict[str, Any]
        if outcome is not None and outcome.ok:
            status, values = OutboxStatus.sent, {"sent_at": now, "claim_token": None}
        else:
            error = (
                outcome.error if outcome is not None else "no e-mail channel (AARSHJUL_MAIL_URL)"
            )
            status, values = OutboxStatus.dead, {"last_error": error}
        finish(session, message_id, token, status=status, **values)
    return status
