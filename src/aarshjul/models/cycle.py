"""A year's cycle: its phases, milestones, owned tasks and the audit trail of every task.

A :class:`Cycle` is one concrete turn of the wheel planned from a template (``annual``) or one
ad-hoc process such as an addendum (``process``). Unique keys make re-planning idempotent: one
task per (cycle, task template key, subject).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from aarshjul.models.base import (
    CycleKind,
    CycleStatus,
    PhaseStatus,
    TaskStatus,
    created_at_field,
    enum_type,
)


class Cycle(SQLModel, table=True):
    """One planned turn of a template: the year's wheel, or one addendum process.

    An organisation has at most one annual cycle per year (the partial unique index
    ``uq_cycle_annual_year``); processes are not limited.
    """

    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "key"),
        sa.Index(
            "uq_cycle_annual_year", "organisation_id", "year", unique=True,
            sqlite_where=sa.text("kind = 'annual'"), postgresql_where=sa.text("kind = 'annual'"),
        ),
    )  # fmt: skip

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    key: str = Field(max_length=120)
    kind: CycleKind = Field(default=CycleKind.annual, sa_type=enum_type(CycleKind, "cycle_kind"))
    year: int = Field(index=True)
    title: str = Field(default="", max_length=300)
    template_key: str = Field(max_length=64)
    template_version: int = 1
    template_hash: str = Field(max_length=64)
    # The escalation step from which the direktion is told (the template's default, see docs).
    escalate_direktion_from: int = Field(default=2, sa_column_kwargs={"server_default": "2"})
    status: CycleStatus = Field(
        default=CycleStatus.planned, sa_type=enum_type(CycleStatus, "cycle_status")
    )
    created_at: datetime = created_at_field()
    planned_at: datetime | None = None


class CycleOverride(SQLModel, table=True):
    """A per-year date override (``budget_2nd_reading=2027-11-05``) with the reason it was made."""

    __tablename__ = "cycle_override"
    __table_args__ = (sa.UniqueConstraint("cycle_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", ondelete="CASCADE", index=True)
    key: str = Field(max_length=120)
    value: date
    reason: str = Field(sa_type=sa.Text)
    created_at: datetime = created_at_field()


class RuleWaiver(SQLModel, table=True):
    """A statutory or local rule waived for one cycle, with the reason (shown wherever it applies)."""

    __tablename__ = "rule_waiver"
    __table_args__ = (sa.UniqueConstraint("cycle_id", "rule_id"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", ondelete="CASCADE", index=True)
    rule_id: str = Field(max_length=64)
    reason: str = Field(sa_type=sa.Text)
    created_at: datetime = created_at_field()


class Phase(SQLModel, table=True):
    """A period of the cycle (*fase*): the idea phase, the hearing, …"""

    __table_args__ = (
        sa.UniqueConstraint("cycle_id", "key"),
        sa.CheckConstraint("end_date >= start_date", name="phase_order"),
    )

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", ondelete="CASCADE", index=True)
    key: str = Field(max_length=64)
    name_da: str = Field(max_length=200)
    name_en: str = Field(default="", max_length=200)
    description: str = Field(default="", sa_type=sa.Text)
    start_date: date
    end_date: date
    owner_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    position: int = 0
    status: PhaseStatus = Field(
        default=PhaseStatus.planned, sa_type=enum_type(PhaseStatus, "phase_status")
    )
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    open_tasks_at_close: int = 0


class Milestone(SQLModel, table=True):
    """A dated event of the cycle: a meeting, a budget reading, a statutory deadline."""

    __table_args__ = (sa.UniqueConstraint("cycle_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", ondelete="CASCADE", index=True)
    key: str = Field(max_length=64)
    name_da: str = Field(max_length=200)
    name_en: str = Field(default="", max_length=200)
    description: str = Field(default="", sa_type=sa.Text)
    date: date
    kind: str = Field(default="deadline", max_length=20)
    statutory: bool = False
    position: int = 0


class Task(SQLModel, table=True):
    """A piece of work with one owner and a due date, planned from a template's task.

    ``subject`` names what the task is about (``goal:G-12``, ``policy_area:skole``, ``""`` for a
    task planned once), so re-planning finds the same row again.
    """

    __table_args__ = (
        sa.UniqueConstraint("cycle_id", "key", "subject"),
        sa.Index("ix_task_status_due", "status", "due"),
        sa.Index("ix_task_owner_status", "owner_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", ondelete="CASCADE", index=True)
    phase_id: int | None = Field(
        default=None, foreign_key="phase.id", ondelete="SET NULL", index=True
    )
    milestone_id: int | None = Field(default=None, foreign_key="milestone.id", ondelete="SET NULL")
    key: str = Field(max_length=64)
    subject: str = Field(default="", max_length=120)
    title_da: str = Field(max_length=300)
    title_en: str = Field(default="", max_length=300)
    description: str = Field(default="", sa_type=sa.Text)
    owner_id: int = Field(foreign_key="person.id", index=True)
    committee_id: int | None = Field(default=None, foreign_key="committee.id")
    policy_area_id: int | None = Field(default=None, foreign_key="policy_area.id")
    goal_id: int | None = Field(default=None, foreign_key="goal.id")
    due: date
    escalate_after: int = 5
    status: TaskStatus = Field(
        default=TaskStatus.open, sa_type=enum_type(TaskStatus, "task_status")
    )
    completed_at: datetime | None = None
    completed_by_id: int | None = Field(default=None, foreign_key="person.id")
    note: str = Field(default="", sa_type=sa.Text)
    updated_at: datetime = created_at_field()


class TaskReminder(SQLModel, table=True):
    """A day on which the task's owner is reminded (from the template's ``remind`` lead times).

    Computed at planning time on the working-day calendar, so the daily sweep is one indexed join.
    """

    __tablename__ = "task_reminder"

    task_id: int = Field(foreign_key="task.id", ondelete="CASCADE", primary_key=True)
    remind_on: date = Field(primary_key=True, index=True)


class TaskDependency(SQLModel, table=True):
    """``task_id`` cannot sensibly be done before ``depends_on_id``."""

    __tablename__ = "task_dependency"

    task_id: int = Field(foreign_key="task.id", ondelete="CASCADE", primary_key=True)
    depends_on_id: int = Field(foreign_key="task.id", ondelete="CASCADE", primary_key=True)


class TaskEvent(SQLModel, table=True):
    """Append-only audit row: every status change (and re-planning move) of a task.

    ``actor_id`` is empty when the engine itself acted (planning, waiving a vanished subject).
    """

    __tablename__ = "task_event"
    # Compose finds the tasks reassigned since the last digest (to tell the new owner).
    __table_args__ = (sa.Index("ix_task_event_kind_at", "kind", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", ondelete="CASCADE", index=True)
    at: datetime = created_at_field()
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    kind: str = Field(default="status", max_length=20)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str | None = Field(default=None, max_length=20)
    note: str = Field(default="", sa_type=sa.Text)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
