"""Who may see and do what with tasks (*rettigheder*), from the person's roles.

* the owner reads and acts on their own tasks;
* ``planning`` reads and acts on every task (:data:`~aarshjul.engine.task_status.STEWARD_ROLES`);
* ``direktion`` reads every task;
* a committee's secretary reads the tasks of that committee;
* anyone else is refused (HTTP 403 in the web app).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from aarshjul.access.tokens import hash_token
from aarshjul.engine.task_status import STEWARD_ROLES
from aarshjul.models.organisation import Committee, Person, PersonRole
from aarshjul.models.queries import roles_of
from aarshjul.models.web import WebSession

READ_ALL_ROLES = frozenset({"planning", "direktion"})


@dataclass(frozen=True)
class Viewer:
    """The signed-in person with what decides their permissions."""

    person_id: int
    organisation_id: int
    email: str
    name: str
    locale: str
    roles: frozenset[str]
    secretary_of: frozenset[int]

    @property
    def reads_all(self) -> bool:
        return bool(self.roles & READ_ALL_ROLES)

    @property
    def acts_on_all(self) -> bool:
        return bool(self.roles & STEWARD_ROLES)

    def can_read(self, *, owner_id: int, committee_id: int | None) -> bool:
        """May read a task owned by ``owner_id`` that belongs to ``committee_id``."""
        return (
            owner_id == self.person_id
            or self.reads_all
            or (committee_id is not None and committee_id in self.secretary_of)
        )

    def can_act(self, *, owner_id: int) -> bool:
        """May complete, undo or change a task owned by ``owner_id``."""
        return owner_id == self.person_id or self.acts_on_all


def viewer_for(session: Session, person: Person) -> Viewer:
    """The :class:`Viewer` of ``person``: their roles and the committees they are secretary of."""
    assert person.id is not None
    committees = session.exec(
        select(Committee.id).where(
            Committee.organisation_id == person.organisation_id,
            Committee.secretary_id == person.id,
        )
    ).all()
    return Viewer(
        person_id=person.id, organisation_id=person.organisation_id, email=person.email,
        name=person.name, locale=person.locale, roles=frozenset(roles_of(session, person.id)),
        secretary_of=frozenset(c for c in committees if c is not None),
    )  # fmt: skip


def viewer_for_session(
    session: Session, *, token: str, organisation_id: int, now: datetime
) -> Viewer | None:
    """The :class:`Viewer` behind a live session cookie, in one query; None when there is none.

    The person is joined with their roles and the committees they are secretary of (a few rows
    per person), so a page pays one round trip for who is asking.
    """
    rows = session.execute(
        sa.select(Person, col(PersonRole.role), col(Committee.id))
        .join(WebSession, col(WebSession.person_id) == col(Person.id))
        .join(PersonRole, col(PersonRole.person_id) == col(Person.id), isouter=True)
        .join(Committee, col(Committee.secretary_id) == col(Person.id), isouter=True)
        .where(
            col(WebSession.token_hash) == hash_token(token),
            col(WebSession.organisation_id) == organisation_id,
            col(WebSession.revoked_at).is_(None),
            col(WebSession.expires_at) > now,
            col(Person.active).is_(True),
        )
    ).all()
    if not rows:
        return None
    person = rows[0][0]
    assert person.id is not None
    return Viewer(
        person_id=person.id, organisation_id=person.organisation_id, email=person.email,
        name=person.name, locale=person.locale,
        roles=frozenset(r for _, r, _ in rows if r is not None),
        secretary_of=frozenset(c for _, _, c in rows if c is not None),
    )  # fmt: skip
