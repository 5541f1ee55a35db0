"""Signing in (*log ind*): e-mailed links and OpenID Connect, both ending in a session.

E-mail link: :func:`request_sign_in_link` makes a single-use token valid for
:data:`LINK_MINUTES` minutes for the active person with that address (compared
case-insensitively) and returns it to be mailed, or None for an unknown address (the caller
answers both alike). Opening the link only *looks* (:func:`inspect_sign_in_link`): mail scanners
fetch every link in a mail, so only the POST of the page's button redeems it
(:func:`redeem_sign_in_link`), with a conditional UPDATE, so it works once.

OpenID Connect: the provider vouches for an e-mail claim; :func:`person_for_email` matches it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from aarshjul.access.audit import record_access
from aarshjul.access.sessions import start_session
from aarshjul.access.tokens import hash_token, new_token
from aarshjul.models.organisation import Organisation, Person
from aarshjul.models.web import SignInToken

LINK_MINUTES = 15


@dataclass(frozen=True)
class SignInLink:
    """A new sign-in link's token (only ever in the mail) and who it is for."""

    token: str
    person_id: int
    organisation_id: int
    email: str
    name: str
    locale: str
    expires_at: datetime


class LinkState(StrEnum):
    """What a sign-in link is when opened."""

    valid = "valid"
    expired = "expired"
    used = "used"
    unknown = "unknown"


class LinkRefused(Exception):
    """A sign-in link that cannot sign anyone in; ``state`` says why."""

    def __init__(self, state: LinkState) -> None:
        self.state = state
        super().__init__(f"sign-in link {state.value}")


def person_for_email(session: Session, org: Organisation, email: str) -> Person | None:
    """The active person of ``org`` with ``email``, compared case-insensitively; else None."""
    wanted = email.strip().lower()
    if not wanted:
        return None
    return session.exec(
        select(Person).where(
            Person.organisation_id == org.id,
            sa.func.lower(col(Person.email)) == wanted,
            col(Person.active).is_(True),
        )
    ).first()


def request_sign_in_link(
    session: Session, *, org: Organisation, email: str, now: datetime, client: str = ""
) -> SignInLink | None:
    """A new sign-in link for ``email``, or None when no active person has that address."""
    person = person_for_email(session, org, email)
    if person is None or person.id is None:
        return None
    token = new_token()
    expires = now + timedelta(minutes=LINK_MINUTES)
    session.connection().execute(
        sa.insert(SignInToken).values(
            organisation_id=person.organisation_id, person_id=person.id,
            token_hash=hash_token(token), created_at=now, expires_at=expires,
        )
    )  # fmt: skip
    record_access(
        session, organisation_id=person.organisation_id, person_id=person.id,
        kind="sign_in_link_sent", method="email", client=client, now=now,
    )  # fmt: skip
    return SignInLink(
        token, person.id, person.organisation_id, person.email, person.name, person.locale, expires
    )


def inspect_sign_in_link(
    session: Session, *, org: Organisation, token: str, now: datetime
) -> tuple[LinkState, Person | None]:
    """What the link is and whom it is for; changes nothing (a GET may be a mail scanner)."""
    row = session.exec(
        select(SignInToken, Person)
        .join(Person, col(Person.id) == col(SignInToken.person_id))
        .where(SignInToken.token_hash == hash_token(token), SignInToken.organisation_id == org.id)
    ).first()
    if row is None:
        return LinkState.unknown, None
    link, person = row
    return _state(link, person, now), person


def _state(link: SignInToken, person: Person, now: datetime) -> LinkState:
    if link.used_at is not None:
        return LinkState.used
    if link.expires_at <= now or not person.active:
        return LinkState.expired
    return LinkState.valid


def redeem_sign_in_link(
    session: Session, *, org: Organisation, token: str, now: datetime, client: str, hours: int
) -> tuple[Person, str]:
    """Use the link once and start a session: (person, session cookie token).

    Raises :class:`LinkRefused` for an unknown, expired or used link (audited when known).
    """
    state, person = inspect_sign_in_link(session, org=org, token=token, now=now)
    if state == LinkState.valid:
        result: Any = session.connection().execute(
            sa.update(SignInToken)
            .where(
                col(SignInToken.token_hash) == hash_token(token),
                col(SignInToken.used_at).is_(None),
                col(SignInToken.expires_at) > now,
            )
            .values(used_at=now)
        )
        if result.rowcount != 1:  # someone else used it between our read and our update
            state = LinkState.used
    if state != LinkState.valid or person is None:
        if person is not None:
            record_access(
                session, organisation_id=person.organisation_id, person_id=person.id,
                kind="link_refused", method="email", client=client, now=now,
                data={"state": state.value},
            )  # fmt: skip
        raise LinkRefused(state)
    cookie = start_session(
        session, person=person, method="email", client=client, now=now, hours=hours
    )
    return person, cookie


def sign_in_with_claims(
    session: Session,
    *,
    org: Organisation,
    claims: dict[str, Any],
    email_claim: str,
    now: datetime,
    client: str,
    hours: int,
) -> tuple[Person, str] | None:
    """Start a session for the person the OIDC provider vouched for, matched by e-mail.

    None (audited as ``oidc_refused`` without a person) when the claim is missing or nobody
    active in ``org`` has that address.
    """
    email = str(claims.get(email_claim) or "")
    person = person_for_email(session, org, email)
    if person is None:
        assert org.id is not None
        record_access(
            session, organisation_id=org.id, kind="oidc_refused", method="oidc", client=client,
            now=now, data={"claim": email_claim, "present": bool(email)},
        )  # fmt: skip
        return None
    cookie = start_session(
        session, person=person, method="oidc", client=client, now=now, hours=hours
    )
    return person, cookie
