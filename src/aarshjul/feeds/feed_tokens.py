"""People's secret calendar feed tokens: issue, show again, revoke, re-issue, look up.

A token is two halves: a random *selector* (22 characters, stored in :class:`FeedToken`) and a
*verifier*, the HMAC-SHA256 of the selector under a key derived from ``AARSHJUL_SECRET_KEY``
(43 characters, never stored). The feed URL is ``<AARSHJUL_BASE_URL>/calendar/<selector><verifier>.ics``.

Why this shape: a database dump alone holds only selectors, and without the secret key no
verifier can be computed from them, so the dump reveals no usable feed URL; yet the URL can be
shown again at any time (``aarshjul person feed-url``, the web app's calendar page) without
storing it. Revoking marks the row; re-issuing draws a new selector, so the old URL stops
working at once. Changing ``AARSHJUL_SECRET_KEY`` invalidates every feed URL (they are re-shown
with the new key). Verification compares in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime

from sqlmodel import Session, col, select

from aarshjul.config import Settings
from aarshjul.errors import ConfigError
from aarshjul.models.calendar_feed import FeedToken
from aarshjul.models.organisation import Organisation, Person
from aarshjul.models.queries import person_by_email

SELECTOR_LENGTH = 22  # secrets.token_urlsafe(16)
VERIFIER_LENGTH = 43  # 32 bytes, base64url without padding
_CONTEXT = b"aarshjul calendar feed token v1"


def _key(settings: Settings) -> bytes:
    """The feed-token key: derived from ``AARSHJUL_SECRET_KEY``, never the key itself."""
    if settings.secret_key is None:
        raise ConfigError(
            "AARSHJUL_SECRET_KEY mangler / is not set: calendar feed URLs are signed with it "
            "(see docs/calendar-feeds.md)"
        )
    secret = settings.secret_key.get_secret_value().encode()
    return hmac.new(secret, _CONTEXT, hashlib.sha256).digest()


def _verifier(key: bytes, selector: str) -> str:
    mac = hmac.new(key, selector.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def feed_token(
    session: Session,
    *,
    organisation: Organisation,
    email: str,
    settings: Settings,
    now: datetime,
    reissue: bool = False,
) -> str:
    """The person's feed token: the current one, or a new one (first time, revoked, ``reissue``).

    Raises :class:`~aarshjul.errors.NotFound` for an unknown person and
    :class:`~aarshjul.errors.ConfigError` without ``AARSHJUL_SECRET_KEY``.
    """
    key = _key(settings)
    person = person_by_email(session, organisation, email)
    row = _row(session, person)
    if row is None or row.revoked_at is not None or reissue:
        row = _issue(session, person, row, now)
    return row.selector + _verifier(key, row.selector)


def current_feed_token(
    session: Session, *, organisation: Organisation, email: str, settings: Settings
) -> str | None:
    """The person's live feed token shown again, or None (never issued, or revoked); writes
    nothing. Raises like :func:`feed_token`."""
    key = _key(settings)
    row = _row(session, person_by_email(session, organisation, email))
    if row is None or row.revoked_at is not None:
        return None
    return row.selector + _verifier(key, row.selector)


def _row(session: Session, person: Person) -> FeedToken | None:
    return session.exec(select(FeedToken).where(FeedToken.person_id == person.id)).first()


def _issue(session: Session, person: Person, row: FeedToken | None, now: datetime) -> FeedToken:
    assert person.id is not None
    row = row or FeedToken(person_id=person.id, selector="")
    row.selector, row.issued_at, row.revoked_at = secrets.token_urlsafe(16), now, None
    session.add(row)
    session.flush()
    return row


def revoke_feed_token(
    session: Session, *, organisation: Organisation, email: str, now: datetime
) -> bool:
    """Stop the person's feed URL from working; False when there was no active one."""
    row = _row(session, person_by_email(session, organisation, email))
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = now
    session.add(row)
    session.flush()
    return True


def person_for_token(
    session: Session, *, token: str, settings: Settings
) -> tuple[Person, Organisation] | None:
    """The active person (and organisation) whose live token this is, or None. One query."""
    if len(token) != SELECTOR_LENGTH + VERIFIER_LENGTH or not token.isascii():
        return None
    selector, verifier = token[:SELECTOR_LENGTH], token[SELECTOR_LENGTH:]
    if not hmac.compare_digest(_verifier(_key(settings), selector), verifier):
        return None
    query = (
        select(Person, Organisation)
        .join(FeedToken, col(FeedToken.person_id) == col(Person.id))
        .join(Organisation, col(Organisation.id) == col(Person.organisation_id))
        .where(
            FeedToken.selector == selector,
            col(FeedToken.revoked_at).is_(None),
            Person.active == True,  # noqa: E712  (someone who left: the URL stops)
        )
    )
    found = session.exec(query).first()
    return (found[0], found[1]) if found else None


def feed_url(base_url: str | None, token: str) -> str:
    """``<AARSHJUL_BASE_URL>/calendar/<token>.ics``; a clear error without a base URL."""
    if not base_url:
        raise ConfigError(
            "AARSHJUL_BASE_URL mangler / is not set: the feed URL needs the app's public address"
        )
    return f"{base_url.rstrip('/')}/calendar/{token}.ics"
