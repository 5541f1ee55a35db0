"""Shared column helpers, enums and the metadata naming convention.

The naming convention is set before any table is defined, so every constraint has a stable name
that Alembic can drop later (SQLite's batch mode cannot drop unnamed constraints).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from aarshjul.clock import utcnow

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def created_at_field() -> Any:
    """A non-null, timezone-aware creation instant."""
    return Field(default_factory=utcnow, nullable=False)


def enum_type(enum: type[StrEnum], name: str) -> sa.Enum:
    """A portable enum column: VARCHAR + CHECK on every backend, storing the *values*.

    Native PostgreSQL enums are awkward to change in migrations, so they are avoided.
    """
    values: Callable[[type[StrEnum]], list[str]] = lambda e: [m.value for m in e]  # noqa: E731
    return sa.Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=values,
        validate_strings=True,
    )


class Role(StrEnum):
    """A role a person holds in the organisation (*rolle*); it decides who is told what.

    ``direktion`` (the executive board) gets escalations and the board report; ``planning``
    (*plan- og økonomistab*) may complete any task and hears about plans and dead letters;
    ``department_head`` (*fagchef*) owns goals and tasks; ``secretary`` (*udvalgssekretær*),
    ``finance`` (*økonomi*) and ``politician`` (*politiker*) are there for templates' owners.
    """

    direktion = "direktion"
    planning = "planning"
    finance = "finance"
    secretary = "secretary"
    department_head = "department_head"
    politician = "politician"


class GoalLevel(StrEnum):
    """The Helhedsplan hierarchy: *vision* (12 years), *mål* (4), *servicemål* and *handling* (1)."""

    vision = "vision"
    goal = "goal"
    service_goal = "service_goal"
    action = "action"


HORIZON_YEARS: dict[GoalLevel, int] = {
    GoalLevel.vision: 12,
    GoalLevel.goal: 4,
    GoalLevel.service_goal: 1,
    GoalLevel.action: 1,
}


class GoalStatus(StrEnum):
    """A goal's reported status."""

    on_track = "on_track"
    at_risk = "at_risk"
    off_track = "off_track"
    done = "done"
    not_reported = "not_reported"


class CycleKind(StrEnum):
    """``annual``: the yearly wheel; ``process``: an ad-hoc process such as an addendum (*tillæg*)."""

    annual = "annual"
    process = "process"


class CycleStatus(StrEnum):
    planned = "planned"
    running = "running"
    closed = "closed"


class PhaseStatus(StrEnum):
    planned = "planned"
    open = "open"
    closed = "closed"


class TaskStatus(StrEnum):
    open = "open"
    in_progress = "in_progress"
    done = "done"
    waived = "waived"


OPEN_TASK_STATUSES: tuple[TaskStatus, ...] = (TaskStatus.open, TaskStatus.in_progress)
