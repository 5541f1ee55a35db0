"""The notification outbox: rendered messages, each channel attempt, people's own channels.

An :class:`OutboxMessage` is written when a digest is composed and only changes status afterwards;
the unique key (person, day, kind) makes composing twice for the same day a no-op. Delivery claims
rows, sends them and records one :class:`OutboxDelivery` per channel URL attempt. A message may
carry an inline picture (the board report's wheel): an :class:`OutboxImage`, stored once per
organisation and content hash however many messages show it.
:class:`TaskEscalation` and :class:`DigestItem` remember what was already said, so an escalation
step is sent once and an overdue task reappears only every N workdays.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from aarshjul.models.base import created_at_field, enum_type


class OutboxKind(StrEnum):
    """What a message is: the daily digest, the weekly board report, the yearly notice that next
    year's cycle was planned, a sign-in link (sent at once, its link removed from the stored body
    after the attempt), the receipt for a citizen's idea or hearing response (to ``recipient``,
    not a person; sent at once). ``dead_letter_report`` is kept for rows written before dead
    messages were reported in the planning role's digest."""

    digest = "digest"
    dead_letter_report = "dead_letter_report"
    board_report = "board_report"
    planning_notice = "planning_notice"
    sign_in = "sign_in"
    submission_receipt = "submission_receipt"


class OutboxStatus(StrEnum):
    """A message's life: pending → sending → sent, or failed (retried) → dead; undeliverable."""

    pending = "pending"
    sending = "sending"
    sent = "sent"
    failed = "failed"
    dead = "dead"
    undeliverable = "undeliverable"


class DigestReason(StrEnum):
    """Why a task is in a digest."""

    reminder = "reminder"
    due = "due"
    overdue = "overdue"
    escalation = "escalation"
    kickoff = "kickoff"


class OutboxMessage(SQLModel, table=True):
    """One rendered message to one person for one day (*påmindelse*, *sammendrag*).

    A message to someone who is not one of the organisation's people (a citizen's receipt) has
    no ``person_id`` and goes by e-mail to ``recipient``.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (
        sa.UniqueConstraint("person_id", "day", "kind"),
        sa.Index("ix_outbox_message_status_next", "status", "next_attempt_at"),
        sa.Index("ix_outbox_message_org_day", "organisation_id", "day"),
        # Messages with a picture are few (the weekly board report): digests stay out of this index.
        sa.Index(
            "ix_outbox_message_image", "organisation_id", "image_sha256",
            sqlite_where=sa.text("image_sha256 IS NOT NULL"),
            postgresql_where=sa.text("image_sha256 IS NOT NULL"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id", "image_sha256"],
            ["outbox_image.organisation_id", "outbox_image.sha256"],
        ),
    )  # fmt: skip

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE")
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="CASCADE")
    # Raw bulk inserts of digests leave it out: the server default keeps them valid.
    recipient: str = Field(default="", max_length=254, sa_column_kwargs={"server_default": ""})
    day: date
    kind: OutboxKind = Field(sa_type=enum_type(OutboxKind, "outbox_kind"))
    subject: str = Field(max_length=300)
    body_text: str = Field(sa_type=sa.Text)
    body_html: str = Field(default="", sa_type=sa.Text)
    task_ids: list[int] = Field(default_factory=list, sa_type=sa.JSON)
    # The key of the inline picture the HTML shows (``cid:…@aarshjul``, see OutboxImage).
    image_sha256: str | None = Field(default=None, max_length=64)
    status: OutboxStatus = Field(
        default=OutboxStatus.pending, sa_type=enum_type(OutboxStatus, "outbox_status")
    )
    attempts: int = 0
    next_attempt_at: datetime | None = None
    claimed_at: datetime | None = None
    claim_token: str | None = Field(default=None, max_length=36)
    sent_at: datetime | None = None
    last_error: str = Field(default="", sa_type=sa.Text)
    reported_at: datetime | None = None
    created_at: datetime = created_at_field()


class OutboxImage(SQLModel, table=True):
    """A picture sent inline with messages (the wheel in the board report, *årshjulet*).

    Keyed by organisation and the SHA-256 of its bytes (64 hex digits), so the report to five
    board members stores one copy. Messages refer to it by (organisation, ``image_sha256``); an
    image no message refers to any more is removed by
    :func:`aarshjul.notifications.inline_images.delete_unused_images` (run with every report that
    stores a new picture, and by anything that purges the outbox). Deleting the organisation
    deletes its images.
    """

    __tablename__ = "outbox_image"

    organisation_id: int = Field(
        foreign_key="organisation.id", ondelete="CASCADE", primary_key=True
    )
    sha256: str = Field(max_length=64, primary_key=True)
    content_type: str = Field(max_length=40)
    filename: str = Field(max_length=100)
    data: bytes = Field(sa_type=sa.LargeBinary)
    created_at: datetime = created_at_field()


class OutboxDelivery(SQLModel, table=True):
    """One attempt to send one message over one channel URL (the URL is stored masked)."""

    __tablename__ = "outbox_delivery"

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="outbox_message.id", ondelete="CASCADE", index=True)
    channel: str = Field(max_length=64)
    url_masked: str = Field(sa_type=sa.Text)
    status: str = Field(max_length=20)
    error: str = Field(default="", sa_type=sa.Text)
    at: datetime = created_at_field()


class PersonChannel(SQLModel, table=True):
    """A person's own apprise URL (Teams, Slack, SMS…), stored encrypted (Fernet, see docs).

    The label ``email`` without a secret is the organisation's e-mail channel: a disabled
    ``email`` row means the person does not want e-mail.
    """

    __tablename__ = "person_channel"
    __table_args__ = (sa.UniqueConstraint("person_id", "label"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    label: str = Field(max_length=64)
    kind: str = Field(max_length=40)
    secret: str = Field(default="", sa_type=sa.Text)
    url_masked: str = Field(default="", sa_type=sa.Text)
    enabled: bool = True
    created_at: datetime = created_at_field()


class OrganisationChannel(SQLModel, table=True):
    """The organisation's own e-mail channel (*afsender*): its apprise mail URL, encrypted.

    Stored like a person's channel (Fernet ciphertext plus apprise's masked form); without a row
    the organisation sends through ``AARSHJUL_MAIL_URL``. The label is ``email``.
    """

    __tablename__ = "organisation_channel"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "label"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    label: str = Field(max_length=64)
    kind: str = Field(max_length=40)
    secret: str = Field(sa_type=sa.Text)
    url_masked: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = created_at_field()


class TaskEscalation(SQLModel, table=True):
    """An escalation step of an overdue task that was sent (*eskalering*); one row per step."""

    __tablename__ = "task_escalation"

    task_id: int = Field(foreign_key="task.id", ondelete="CASCADE", primary_key=True)
    step: int = Field(primary_key=True)
    day: date


class DigestItem(SQLModel, table=True):
    """A task listed in a message, and why; tells when an overdue task was last shown.

    Compose records the overdue listings only (what later digests read back); every task a
    message covers is in :attr:`OutboxMessage.task_ids`, escalations in :class:`TaskEscalation`.
    """

    __tablename__ = "digest_item"
    __table_args__ = (sa.Index("ix_digest_item_task_reason_day", "task_id", "reason", "day"),)

    message_id: int = Field(foreign_key="outbox_message.id", ondelete="CASCADE", primary_key=True)
    task_id: int = Field(foreign_key="task.id", ondelete="CASCADE", primary_key=True)
    reason: DigestReason = Field(sa_type=enum_type(DigestReason, "digest_reason"), primary_key=True)
    day: date
