"""Web sessions (*sessioner*): server-side rows behind an opaque cookie, revocable at any time.

The cookie carries a random token; the row stores its hash, the person, how they signed in and
when the session ends. Signing out revokes one row, *sign out everywhere* every row of the
person, so a lost laptop can be cut off from any other browser.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from aarshjul.access.audit import record_access
from aarshjul.access.tokens import hash_token, new_token
from aarshjul.models.organisation import Person
from aarshjul.models.web import WebSession


def start_session(
    session: Session, *, person: Person, method: str, client: str, now: datetime, hours: int
) -> str:
    """A new session for ``person``; returns the cookie token (audited as ``signed_in``)."""
    assert person.id is not None
    token = new_token()
    session.connection().execute(
        sa.insert(WebSession).values(
            organisation_id=person.organisation_id, person_id=person.id,
            token_hash=hash_token(token), method=method, client=client[:64], created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )  # fmt: skip
    record_access(
        session, organisation_id=person.organisation_id, person_id=person.id, kind="signed_in",
        method=method, client=client, now=now,
    )  # fmt: skip
    return token


def end_session(session: Session, *, token: str, now: datetime, client: str = "") -> None:
    """Revoke the session of ``token`` (audited as ``signed_out``); unknown tokens are ignored."""
    row = session.exec(
        select(WebSession).where(
            WebSession.token_hash == hash_token(token), col(WebSession.revoked_at).is_(None)
        )
    ).first()
    if row is None:
        return
    row.revoked_at = now
    session.add(row)
    record_access(
        session, organisation_id=row.organisation_id, person_id=row.person_id,
        kind="signed_out", client=client, now=now,
    )  # fmt: skip


def end_all_sessions(session: Session, *, person: Person, now: datetime, client: str = "") -> int:
    """Revoke every live session of ``person``; returns how many (``signed_out_everywhere``)."""
    result = session.connection().execute(
        sa.update(WebSession)
        .where(col(WebSession.person_id) == person.id, col(WebSession.revoked_at).is_(None))
        .values(revoked_at=now)
    )
    record_access(
        session, organisation_id=person.organisation_id, person_id=person.id,
        kind="signed_out_everywhere", client=client, now=now,
        data={"sessions": result.rowcount},
    )  # fmt: skip
    return int(result.rowcount)
