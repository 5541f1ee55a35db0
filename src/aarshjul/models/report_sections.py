"""The planning staff's own sections of the planning report (*planredegørelsens afsnit*).

Each save of a section is one appended row (who, when, the whole text); nothing is updated or
deleted, so a section's history is its rows and the section's text is its latest row (highest
id) for the organisation, year and key. The keys and titles are in
:mod:`aarshjul.reports.sections`.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from aarshjul.models.base import created_at_field


class ReportSection(SQLModel, table=True):
    """One version of one section (``legislation``, ``regional``, ``policies``) of one year's
    planning report, written by a person with the role ``planning``."""

    __tablename__ = "report_section"
    __table_args__ = (
        sa.Index("ix_report_section_org_year_key", "organisation_id", "year", "key", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE")
    year: int
    key: str = Field(max_length=40)
    body: str = Field(default="", sa_type=sa.Text)
    written_by_id: int = Field(foreign_key="person.id", index=True)
    written_at: datetime = created_at_field()
