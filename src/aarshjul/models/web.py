"""What the web app keeps: sessions, sign-in links, rate-limit hits and the access audit trail.

Secrets are never stored: a session cookie and a sign-in link carry a random token, the database
holds its SHA-256 (:func:`aarshjul.access.tokens.hash_token`), so a database dump alone signs
nobody in. Action links in digests are signed instead (HMAC, see :mod:`aarshjul.access.tokens`)
and need no row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from aarshjul.models.base import created_at_field


class WebSession(SQLModel, table=True):
    """A signed-in browser (*session*): revocable, one row per sign-in."""

    __tablename__ = "web_session"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    method: str = Field(max_length=20)
    client: str = Field(default="", max_length=64)
    created_at: datetime = created_at_field()
    expires_at: datetime
    revoked_at: datetime | None = None


class SignInToken(SQLModel, table=True):
    """An e-mailed sign-in link (*login-link*): single use, short-lived, stored hashed."""

    __tablename__ = "sign_in_token"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = created_at_field()
    expires_at: datetime
    used_at: datetime | None = None


class RateLimitHit(SQLModel, table=True):
    """One counted request for a rate limit (``scope`` ``address`` or ``client``, key hashed).

    In the database, so every app process behind the proxy counts the same hits.
    """

    __tablename__ = "rate_limit_hit"
    __table_args__ = (sa.Index("ix_rate_limit_hit_scope_key_at", "scope", "key_hash", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=20)
    key_hash: str = Field(max_length=64)
    at: datetime = Field(index=True)


class AccessEvent(SQLModel, table=True):
    """Append-only audit row of the web app: sign-ins, sign-outs, refused links (*adgangslog*).

    Changes to tasks are audited where tasks are (:class:`~aarshjul.models.cycle.TaskEvent`).
    """

    __tablename__ = "access_event"
    __table_args__ = (sa.Index("ix_access_event_org_at", "organisation_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE")
    person_id: int | None = Field(
        default=None, foreign_key="person.id", ondelete="SET NULL", index=True
    )
    at: datetime = created_at_field()
    kind: str = Field(max_length=40)
    method: str = Field(default="", max_length=20)
    client: str = Field(default="", max_length=64)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
