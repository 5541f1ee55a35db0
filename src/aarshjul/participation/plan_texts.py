"""The public texts of goals and policy areas (*offentlige tekster*), edited by their owners.

Every save is a new :class:`~aarshjul.models.PlanText` row, so the history is the rows. Which
version the public sees:

* while the plan has not been adopted, a version is in force as soon as it is saved;
* once the plan is adopted, a change must be carried by an addendum (*tillæg*) whose hearing
  has not started yet; it is shown as a proposed change of that addendum and is in force from
  the addendum's adoption.

The shown text is the newest version in force; without one, the goal's description from the
organisation file. Who may edit: the goal's owner (a policy area's head) and ``planning``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from sqlmodel import Session, col, select

from aarshjul.access.permissions import Viewer
from aarshjul.clock import zone
from aarshjul.errors import InputError, NotFound, PermissionDenied
from aarshjul.models import Goal, Organisation, Person, PlanText, PolicyArea
from aarshjul.participation.plan_state import Addendum

Subject = Literal["goal", "policy_area"]
MAX_TEXT = 20_000


@dataclass(frozen=True)
class Version:
    """One saved version, with when it is (or will be) in force and what carries it."""

    id: int
    body: str
    saved_at: datetime
    author: str
    addendum: Addendum | None
    in_force: date | None


@dataclass
class TextState:
    """A subject's shown text and the changes proposed for it."""

    current: Version | None = None
    pending: list[Version] = field(default_factory=list)


def text_states(
    session: Session, *, organisation_id: int, items: list[Addendum], today: date,
    timezone: str = "Europe/Copenhagen",
) -> tuple[dict[int, TextState], dict[int, TextState]]:  # fmt: skip
    """The text state of every goal and every policy area that has versions (one query).

    A text saved without an addendum is in force from the local day (in ``timezone``) it was saved.
    """
    goals: dict[int, TextState] = {}
    areas: dict[int, TextState] = {}
    for row, author in _rows(session, organisation_id, None):
        version = _version(row, author, {a.phase_id: a for a in items}, today, timezone)
        target = goals if row.goal_id is not None else areas
        state = target.setdefault(row.goal_id or row.policy_area_id or 0, TextState())
        _place(state, version, today)
    return goals, areas


def history(
    session: Session, *, organisation: Organisation, subject: Subject, key: str,
    items: list[Addendum], today: date,
) -> tuple[Goal | PolicyArea, list[Version]]:  # fmt: skip
    """The subject and every version of its text, newest first."""
    target = _subject(session, organisation, subject, key)
    by_phase = {a.phase_id: a for a in items}
    rows = _rows(session, organisation.id or 0, (subject, target.id or 0))
    zone = organisation.timezone
    return target, [_version(r, a, by_phase, today, zone) for r, a in reversed(rows)]


def save_text(
    session: Session, *, organisation: Organisation, viewer: Viewer, subject: Subject, key: str,
    body: str, addendum_key: str | None, items: list[Addendum], adopted: bool, now: datetime,
) -> PlanText:  # fmt: skip
    """Save a new version of the subject's public text; see the module for the rules.

    Raises :class:`PermissionDenied` for anyone but the owner and ``planning``,
    :class:`InputError` for an empty or too long text, or a change to an adopted plan without
    an addendum whose hearing is still to come.
    """
    target = _subject(session, organisation, subject, key)
    owner = target.owner_id if isinstance(target, Goal) else target.head_id
    if owner != viewer.person_id and "planning" not in viewer.roles:
        raise PermissionDenied("only the owner or planning may edit this text")
    text = body.strip()
    if not text or len(text) > MAX_TEXT:
        raise InputError(f"text: write 1 to {MAX_TEXT} characters (tekst: 1-{MAX_TEXT} tegn)")
    carrier = _carrier(items, addendum_key, adopted)
    row = PlanText(
        organisation_id=organisation.id or 0, body=text, author_id=viewer.person_id,
        goal_id=target.id if subject == "goal" else None,
        policy_area_id=target.id if subject == "policy_area" else None,
        addendum_phase_id=carrier.phase_id if carrier else None, created_at=now,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def open_addenda(items: list[Addendum]) -> list[Addendum]:
    """The addenda a change can still go into: their hearing has not started."""
    return [a for a in items if a.state == "proposal"]


def _carrier(items: list[Addendum], key: str | None, adopted: bool) -> Addendum | None:
    if not key:
        if adopted:
            raise InputError(
                "addendum: the plan is adopted, so a change needs an addendum (tillæg) whose "
                "hearing has not started; start one with `aarshjul start tillaeg` "
                "(planen er vedtaget: en ændring skal med i et tillæg, der ikke er i høring endnu)"
            )
        return None
    found = next((a for a in open_addenda(items) if a.key == key), None)
    if found is None:
        raise InputError(
            f"addendum: {key!r} is not an addendum whose hearing is still to come "
            f"(tillægget {key!r} kan ikke tage ændringer)"
        )
    return found


def _subject(
    session: Session, organisation: Organisation, subject: Subject, key: str
) -> Goal | PolicyArea:
    row: Goal | PolicyArea | None
    if subject == "goal":
        row = session.exec(
            select(Goal).where(Goal.organisation_id == organisation.id, Goal.key == key)
        ).first()
    else:
        row = session.exec(
            select(PolicyArea).where(
                PolicyArea.organisation_id == organisation.id, PolicyArea.key == key
            )
        ).first()
    if row is None:
        raise NotFound(f"no {subject.replace('_', ' ')} {key!r}")
    return row


def _rows(
    session: Session, organisation_id: int, subject: tuple[Subject, int] | None
) -> list[tuple[PlanText, str | None]]:
    query = (
        select(PlanText, Person.name)
        .outerjoin(Person, col(Person.id) == col(PlanText.author_id))
        .where(PlanText.organisation_id == organisation_id)
    )
    if subject is not None:
        column = PlanText.goal_id if subject[0] == "goal" else PlanText.policy_area_id
        query = query.where(column == subject[1])
    return list(session.exec(query.order_by(col(PlanText.id))).all())


def _version(
    row: PlanText, author: str | None, by_phase: dict[int, Addendum], today: date, timezone: str
) -> Version:
    addendum = by_phase.get(row.addendum_phase_id or 0)
    if row.addendum_phase_id is None:
        in_force: date | None = row.created_at.astimezone(zone(timezone)).date()
    else:
        adoption = addendum.adoption if addendum is not None else None
        in_force = adoption if adoption is not None and adoption <= today else None
    return Version(
        id=row.id or 0, body=row.body, saved_at=row.created_at, author=author or "",
        addendum=addendum, in_force=in_force,
    )  # fmt: skip


def _place(state: TextState, version: Version, today: date) -> None:
    if version.in_force is not None:
        state.current = version  # rows come oldest first: the last one in force wins
        return
    if version.addendum is not None and version.addendum.state != "adopted":
        state.pending = [p for p in state.pending if p.addendum != version.addendum]
        state.pending.append(version)
