"""Citizens' submissions in the idea phase and hearings, and the plan's public texts.

A :class:`Submission` is an idea (*idé*) or a hearing response (*høringssvar*) received through
the public pages while a phase open to the public runs; it is routed to one owner, who writes
the administration's reply and recommendation (*indstilling*) for the hvidbog. Its contact
details (name, e-mail, organisation) are erased after the retention period; ``erased_at`` says
when. Every change is a :class:`SubmissionEvent` (append-only, no personal data in it).

A :class:`PlanText` is one version of the public text of a goal or a policy area; the newest
version in force is the one shown. A version written once the plan is adopted is carried by an
addendum (*tillæg*): ``addendum_phase_id`` names that addendum's hearing, and the version is in
force from the addendum's adoption.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from aarshjul.models.base import created_at_field, enum_type


class Recommendation(StrEnum):
    """The administration's recommendation (*indstilling*) on a submission."""

    adopt = "adopt"  # imødekommes
    partly = "partly"  # imødekommes delvist
    reject = "reject"  # imødekommes ikke
    covered = "covered"  # allerede indeholdt i planen
    noted = "noted"  # tages til efterretning


class Submission(SQLModel, table=True):
    """An idea or hearing response (*indsendt idé / høringssvar*) from a citizen or association.

    ``reference`` is the number on the receipt (``IDE-2027-K7Q3M``); ``form_key`` the SHA-256 of
    the form's one-time key, so a form sent twice is one submission.
    """

    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "reference"),
        sa.UniqueConstraint("organisation_id", "form_key"),
        sa.Index("ix_submission_owner_replied", "owner_id", "replied_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    phase_id: int = Field(foreign_key="phase.id", index=True)
    reference: str = Field(max_length=32)
    form_key: str = Field(max_length=64)
    name: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=254)
    association: str = Field(default="", max_length=200)
    body: str = Field(sa_type=sa.Text)
    publish_name: bool = False
    locale: str = Field(default="da", max_length=8)
    policy_area_id: int | None = Field(
        default=None, foreign_key="policy_area.id", ondelete="SET NULL"
    )
    goal_id: int | None = Field(default=None, foreign_key="goal.id", ondelete="SET NULL")
    owner_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    routed_at: datetime = created_at_field()
    reply: str = Field(default="", sa_type=sa.Text)
    recommendation: Recommendation | None = Field(
        default=None, sa_type=enum_type(Recommendation, "recommendation")
    )
    replied_at: datetime | None = None
    replied_by_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    receipt_message_id: int | None = Field(
        default=None, foreign_key="outbox_message.id", ondelete="SET NULL"
    )
    created_at: datetime = created_at_field()
    erased_at: datetime | None = None


class SubmissionAttachment(SQLModel, table=True):
    """A submission's PDF attachment (*bilag*), checked by its content, kept in the database."""

    __tablename__ = "submission_attachment"

    submission_id: int = Field(foreign_key="submission.id", ondelete="CASCADE", primary_key=True)
    filename: str = Field(max_length=200)
    size: int
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_type=sa.LargeBinary)


class SubmissionEvent(SQLModel, table=True):
    """Append-only audit row of a submission: received, routed, replied, erased, exported."""

    __tablename__ = "submission_event"

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", ondelete="CASCADE", index=True)
    at: datetime = created_at_field()
    actor_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    kind: str = Field(max_length=20)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)


class PlanText(SQLModel, table=True):
    """One version of the public text (*offentlig tekst*) of a goal or a policy area."""

    __tablename__ = "plan_text"
    __table_args__ = (
        sa.CheckConstraint("(goal_id IS NULL) <> (policy_area_id IS NULL)", name="one_subject"),
        sa.Index("ix_plan_text_org_goal", "organisation_id", "goal_id"),
        sa.Index("ix_plan_text_org_area", "organisation_id", "policy_area_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE")
    goal_id: int | None = Field(default=None, foreign_key="goal.id", ondelete="CASCADE")
    policy_area_id: int | None = Field(
        default=None, foreign_key="policy_area.id", ondelete="CASCADE"
    )
    body: str = Field(sa_type=sa.Text)
    author_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    addendum_phase_id: int | None = Field(default=None, foreign_key="phase.id")
    created_at: datetime = created_at_field()
