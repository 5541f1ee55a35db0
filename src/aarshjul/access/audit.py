"""The access audit trail (*adgangslog*): sign-ins, sign-outs and refused links, with the person."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from aarshjul.models.organisation import Person
from aarshjul.models.web import AccessEvent


def record_access(
    session: Session,
    *,
    organisation_id: int,
    kind: str,
    now: datetime,
    person_id: int | None = None,
    method: str = "",
    client: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    """Append one audit row (``kind`` e.g. ``signed_in``, ``signed_out``, ``link_refused``)."""
    session.connection().execute(
        sa.insert(AccessEvent).values(
            organisation_id=organisation_id, person_id=person_id, at=now, kind=kind,
            method=method, client=client[:64], data=data or {},
        )
    )  # fmt: skip


def access_records(
    session: Session, organisation_id: int, limit: int = 200
) -> list[dict[str, Any]]:
    """The newest access events of the organisation with the person's address."""
    query = (
        select(AccessEvent, Person.email)
        .join(Person, col(Person.id) == col(AccessEvent.person_id), isouter=True)
        .where(AccessEvent.organisation_id == organisation_id)
        .order_by(col(AccessEvent.at).desc(), col(AccessEvent.id).desc())
        .limit(limit)
    )
    return [
        {"at": e.at.isoformat(), "kind": e.kind, "method": e.method, "email": email,
         "client": e.client, "data": e.data}
        for e, email in session.exec(query)
    ]  # fmt: skip
