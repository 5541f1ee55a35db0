"""The organisation and its people, committees, policy areas and goals.

Every row belongs to one :class:`Organisation`; keys and e-mail addresses are unique *within* an
organisation, so one database can hold many municipalities.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from aarshjul.models.base import (
    HORIZON_YEARS,
    GoalLevel,
    GoalStatus,
    created_at_field,
    enum_type,
)


class Organisation(SQLModel, table=True):
    """A municipality (*kommune*) or other administration running its own wheel.

    ``election_year`` is any year with an ordinary municipal election (*kommunalvalg*, 2025, 2029…)
    and ``election_every`` the term length; see :mod:`aarshjul.calendar.election`.
    """

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200)
    timezone: str = Field(default="Europe/Copenhagen", max_length=64)
    locale: str = Field(default="da", max_length=8)
    holiday_country: str = Field(default="DK", max_length=8)
    closures: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    template_key: str = Field(default="helhedsplan", max_length=64)
    election_year: int = Field(default=2025, sa_column_kwargs={"server_default": "2025"})
    election_every: int = Field(default=4, sa_column_kwargs={"server_default": "4"})
    # Statistics Denmark's municipality code (*kommunekode*, e.g. 849 Jammerbugt): the area whose
    # key figures `aarshjul stats` imports for this organisation.
    municipality_code: str | None = Field(default=None, max_length=8)
    created_at: datetime = created_at_field()
    # Phases, meetings and milestones published without a token (the digital plan).
    public_calendar: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})


class OrganisationTemplate(SQLModel, table=True):
    """The organisation's own cycle template (*skabelon*), stored so every machine that plans the
    year (the 1 December flow on any worker) uses the same wheel.

    ``org import`` stores it when the organisation file names a template file; the organisation's
    ``template_key`` then names it. ``content`` is the YAML text as read, ``content_hash`` its
    template's normalised sha256 (:func:`aarshjul.planning.template_files.template_hash`).
    """

    __tablename__ = "organisation_template"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    key: str = Field(max_length=64)
    source: str = Field(default="", max_length=500)
    content: str = Field(sa_type=sa.Text)
    content_hash: str = Field(max_length=64)
    stored_at: datetime = created_at_field()


class Person(SQLModel, table=True):
    """Someone who owns tasks or goals, receives reminders, or monitors the year."""

    __table_args__ = (sa.UniqueConstraint("organisation_id", "email"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    email: str = Field(max_length=254)
    name: str = Field(max_length=200)
    title: str = Field(default="", max_length=200)
    locale: str = Field(default="da", max_length=8)
    superior_id: int | None = Field(
        default=None, foreign_key="person.id", ondelete="SET NULL", index=True
    )
    active: bool = True
    created_at: datetime = created_at_field()


class PersonRole(SQLModel, table=True):
    """A role a person holds: ``direktion``, ``planning``, ``finance``, ``secretary``…"""

    __tablename__ = "person_role"

    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", primary_key=True)
    role: str = Field(max_length=40, primary_key=True, index=True)


class Committee(SQLModel, table=True):
    """A political committee (*udvalg*), e.g. Økonomiudvalget, with its chair and secretary."""

    __table_args__ = (sa.UniqueConstraint("organisation_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    key: str = Field(max_length=64)
    name: str = Field(max_length=200)
    chair_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    secretary_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")


class PolicyArea(SQLModel, table=True):
    """A policy area (*politikområde*): owned by one committee and one department head."""

    __tablename__ = "policy_area"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    key: str = Field(max_length=64)
    name: str = Field(max_length=200)
    committee_id: int = Field(foreign_key="committee.id", index=True)
    head_id: int = Field(foreign_key="person.id", index=True)


class Goal(SQLModel, table=True):
    """One node of the goal hierarchy: vision, goal (*mål*), service goal or action.

    Every goal has exactly one owner (a department head, *fagchef*) and one committee: both columns
    are NOT NULL, so the rule holds in the database itself.
    """

    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "key"),
        sa.CheckConstraint("horizon_end >= horizon_start", name="horizon_order"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    key: str = Field(max_length=64)
    level: GoalLevel = Field(sa_type=enum_type(GoalLevel, "goal_level"))
    parent_id: int | None = Field(default=None, foreign_key="goal.id", index=True)
    policy_area_id: int = Field(foreign_key="policy_area.id", index=True)
    owner_id: int = Field(foreign_key="person.id", index=True)
    committee_id: int = Field(foreign_key="committee.id", index=True)
    title: str = Field(max_length=300)
    description: str = Field(default="", sa_type=sa.Text)
    horizon_start: int
    horizon_end: int
    status: GoalStatus = Field(
        default=GoalStatus.not_reported, sa_type=enum_type(GoalStatus, "goal_status")
    )
    status_comment: str = Field(default="", sa_type=sa.Text)
    status_at: datetime | None = None


def horizon_for(level: GoalLevel, start: int) -> tuple[int, int]:
    """The default horizon of a goal of ``level`` starting in ``start`` (inclusive years)."""
    return start, start + HORIZON_YEARS[level] - 1
