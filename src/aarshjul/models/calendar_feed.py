"""Calendar feeds (iCalendar, for Outlook): people's secret feed tokens and published entries.

A :class:`FeedToken` stores only the public half of a person's feed token (the *selector*); the
other half is an HMAC of the selector under ``AARSHJUL_SECRET_KEY`` and is never stored, so a
database dump alone gives no usable feed URL (see docs/calendar-feeds.md).

A :class:`FeedEntry` remembers what the organisation feed last published of one event (a phase,
milestone or meeting), so a moved event gets a higher ``SEQUENCE`` and a new ``LAST-MODIFIED``.
Tasks need no such row: their moves are in their audit trail (:class:`TaskEvent`).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from aarshjul.models.base import created_at_field


class FeedToken(SQLModel, table=True):
    """A person's calendar feed token: the selector, when it was issued and when revoked."""

    __tablename__ = "feed_token"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", unique=True)
    selector: str = Field(max_length=32, unique=True)
    issued_at: datetime = created_at_field()
    revoked_at: datetime | None = None


class FeedEntry(SQLModel, table=True):
    """The last published state of one event of an organisation feed (by its ``UID``)."""

    __tablename__ = "feed_entry"
    organisation_id: int = Field(
        foreign_key="organisation.id", ondelete="CASCADE", primary_key=True
    )
    uid: str = Field(max_length=200, primary_key=True)
    fingerprint: str = Field(max_length=64)
    sequence: int = 0
    modified_at: datetime = created_at_field()
