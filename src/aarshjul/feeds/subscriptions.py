"""A person's calendar subscriptions (*kalenderabonnement*): see, issue, re-issue and revoke
their secret feed URL, audited.

What the web app's calendar page and ``aarshjul person feed-url`` call. Issuing a first URL,
re-issuing (the old URL stops at once) and revoking each append an access event
(``feed_url_issued``, ``feed_url_reissued``, ``feed_url_revoked``) with the person, the method
(``web``, ``cli``) and the client address; the token itself is never in the audit trail. Showing
the current URL again writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from aarshjul.access.audit import record_access
from aarshjul.config import Settings
from aarshjul.errors import ConfigError
from aarshjul.feeds.feed_tokens import (
    current_feed_token,
    feed_token,
    feed_url,
    revoke_feed_token,
)
from aarshjul.models.organisation import Organisation
from aarshjul.models.queries import person_by_email

ORGANISATION_FEED = "organisation.ics"


@dataclass(frozen=True)
class FeedLinks:
    """What a person's calendar page shows.

    ``configured`` is False without ``AARSHJUL_SECRET_KEY`` (no personal URL can exist);
    ``tasks_url`` is the person's feed of open tasks and ``organisation_url`` the organisation's
    year behind the same token (None until a URL is issued); ``public_url`` is the organisation
    feed anyone may subscribe to, when the organisation publishes it; ``download_url`` is the
    organisation feed for signed-in staff (a file, for a one-off import).
    """

    configured: bool
    tasks_url: str | None
    organisation_url: str | None
    public_url: str | None
    download_url: str


def feed_links(
    session: Session,
    *,
    organisation: Organisation,
    email: str,
    settings: Settings,
    base_url: str,
) -> FeedLinks:
    """The person's feed URLs under ``base_url`` (the app's public address); writes nothing."""
    base = base_url.rstrip("/")
    try:
        token = current_feed_token(
            session, organisation=organisation, email=email, settings=settings
        )
        configured = True
    except ConfigError:
        token, configured = None, False
    return FeedLinks(
        configured=configured,
        tasks_url=feed_url(base, token) if token else None,
        organisation_url=f"{base}/calendar/{token}/{ORGANISATION_FEED}" if token else None,
        public_url=f"{base}/calendar/{ORGANISATION_FEED}" if organisation.public_calendar else None,
        download_url=f"{base}/calendar/{ORGANISATION_FEED}",
    )


def issue_feed_url(
    session: Session,
    *,
    organisation: Organisation,
    email: str,
    settings: Settings,
    now: datetime,
    reissue: bool = False,
    method: str,
    client: str = "",
) -> str:
    """The person's feed token: the current one, else a new one; ``reissue`` always draws a new
    one (the old URL stops working). A new token is audited. Raises like
    :func:`~aarshjul.feeds.feed_tokens.feed_token`."""
    before = current_feed_token(session, organisation=organisation, email=email, settings=settings)
    token = feed_token(
        session, organisation=organisation, email=email, settings=settings, now=now,
        reissue=reissue,
    )  # fmt: skip
    if token != before:
        kind = "feed_url_reissued" if before else "feed_url_issued"
        _audit(session, organisation, email, kind=kind, now=now, method=method, client=client)
    return token


def revoke_feed_url(
    session: Session,
    *,
    organisation: Organisation,
    email: str,
    now: datetime,
    method: str,
    client: str = "",
) -> bool:
    """Stop the person's feed URL; False (and nothing audited) when there was no live one."""
    revoked = revoke_feed_token(session, organisation=organisation, email=email, now=now)
    if revoked:
        _audit(
            session, organisation, email, kind="feed_url_revoked", now=now, method=method,
            client=client,
        )  # fmt: skip
    return revoked


def _audit(
    session: Session,
    organisation: Organisation,
    email: str,
    *,
    kind: str,
    now: datetime,
    method: str,
    client: str,
) -> None:
    person = person_by_email(session, organisation, email)
    assert organisation.id is not None
    record_access(
        session, organisation_id=organisation.id, person_id=person.id, kind=kind, now=now,
        method=method, client=client,
    )  # fmt: skip
