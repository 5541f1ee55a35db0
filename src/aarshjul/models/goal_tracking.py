"""Goal status follow-up (*målopfølgning*): indicators per goal and the yearly status reports.

Every report is a row and nothing is ever updated or deleted: the history of a goal is its
reports, the latest report of a goal and year (highest id) is its status for that year. A report
keeps the indicator values as reported, with the indicator's name, unit and target at that
moment, so renaming or removing an indicator in the organisation file never rewrites history.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from aarshjul.models.base import created_at_field, enum_type


class ReportStatus(StrEnum):
    """A goal's reported status for one year (*målstatus*); Danish labels in ``STATUS_LABELS``."""

    on_track = "on_track"
    at_risk = "at_risk"
    off_track = "off_track"
    achieved = "achieved"
    abandoned = "abandoned"


#: How each status is written in Danish and English (the CLI and the web form accept both).
STATUS_LABELS: dict[ReportStatus, dict[str, str]] = {
    ReportStatus.on_track: {"da": "på sporet", "en": "on track"},
    ReportStatus.at_risk: {"da": "risiko", "en": "at risk"},
    ReportStatus.off_track: {"da": "ikke på sporet", "en": "off track"},
    ReportStatus.achieved: {"da": "opfyldt", "en": "achieved"},
    ReportStatus.abandoned: {"da": "opgivet", "en": "abandoned"},
}


class GoalIndicator(SQLModel, table=True):
    """A measure a goal is followed up by (*indikator*), e.g. ``sygefravær`` in ``%``, target 4.8.

    Defined in the organisation file (``goals[].indicators``); ``name`` is unique per goal.
    """

    __tablename__ = "goal_indicator"
    __table_args__ = (sa.UniqueConstraint("goal_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    goal_id: int = Field(foreign_key="goal.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=100)
    unit: str = Field(default="", max_length=40)
    target: float | None = None
    position: int = 0


class GoalReport(SQLModel, table=True):
    """One status report of a goal for one year, by its owner or the planning staff.

    ``indicators`` is a list of ``{"name", "unit", "target", "value"}`` in the goal's indicator
    order; ``task_id`` is the status task this report completed, if any.
    """

    __tablename__ = "goal_report"
    __table_args__ = (sa.Index("ix_goal_report_goal_year", "goal_id", "year", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    goal_id: int = Field(foreign_key="goal.id", ondelete="CASCADE")
    year: int
    status: ReportStatus = Field(sa_type=enum_type(ReportStatus, "report_status"))
    comment: str = Field(default="", sa_type=sa.Text)
    indicators: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    reported_by_id: int = Field(foreign_key="person.id", index=True)
    reported_at: datetime = created_at_field()
    task_id: int | None = Field(default=None, foreign_key="task.id", ondelete="SET NULL")
