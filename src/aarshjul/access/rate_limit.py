"""Rate limits on sign-in requests, counted in the database so every app process sees them.

A limit allows ``count`` hits per ``key`` in a sliding ``window``. Keys (an address, a client
address) are stored as SHA-256 hashes; hits older than the longest window are deleted as new
ones arrive. A refused request is not counted, so a flood does not grow the table.

>>> ADDRESS.count, CLIENT.count
(5, 30)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col

from aarshjul.access.tokens import hash_token
from aarshjul.models.web import RateLimitHit


@dataclass(frozen=True)
class Limit:
    """``count`` hits per key in ``window``; ``scope`` names what the key is."""

    scope: str
    count: int
    window: timedelta


#: Sign-in links asked for one address: five per quarter of an hour.
ADDRESS = Limit("address", 5, timedelta(minutes=15))
#: Sign-in requests from one client (IP address, as the proxy reports it): thirty per quarter.
CLIENT = Limit("client", 30, timedelta(minutes=15))
_KEEP = timedelta(hours=1)


def allow(session: Session, *, limit: Limit, key: str, now: datetime) -> bool:
    """Count one hit for ``key`` and say whether it is within ``limit`` (the caller commits)."""
    key_hash = hash_token(f"{limit.scope}:{key.strip().lower()}")
    conn = session.connection()
    conn.execute(
        sa.delete(RateLimitHit).where(col(RateLimitHit.at) < now - max(_KEEP, limit.window))
    )
    recent = conn.execute(
        sa.select(sa.func.count())
        .select_from(RateLimitHit)
        .where(
            col(RateLimitHit.scope) == limit.scope,
            col(RateLimitHit.key_hash) == key_hash,
            col(RateLimitHit.at) > now - limit.window,
        )
    ).scalar_one()
    if recent >= limit.count:
        return False
    conn.execute(sa.insert(RateLimitHit).values(scope=limit.scope, key_hash=key_hash, at=now))
    return True
