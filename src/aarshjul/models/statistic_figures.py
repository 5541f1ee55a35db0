"""Key figures (*nøgletal*) from Statistics Denmark, stored per organisation.

One :class:`StatisticFigure` row is one figure of one series in one period, e.g. FOLK1A /
``befolkning`` / ``2024K1``. A suppressed figure (``..`` in StatBank's CSV) is stored as
``value = NULL`` with ``suppressed = True``, never as zero. Each figure remembers where it came from
(a file name or the StatBank API URL) and the day it was retrieved there.

A :class:`StatisticImport` row records one import that added or changed figures (the audit
trail); an import that changes nothing writes nothing.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from aarshjul.models.base import created_at_field


class StatisticFigure(SQLModel, table=True):
    """One key figure: per organisation, StatBank table, series and period.

    ``period`` is StatBank's period code in its Danish form (``2024``, ``2024K1``, ``2024M03``);
    ``period_start`` is the period's first day, for ordering. ``value`` is in the table's unit
    (persons, dwellings, per cent of the labour force…), see the table's mapping.
    """

    __tablename__ = "statistic_figure"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "table_id", "series", "period"),
        sa.CheckConstraint("NOT (suppressed AND value IS NOT NULL)", name="suppressed_no_value"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    table_id: str = Field(max_length=32)
    series: str = Field(max_length=64)
    period: str = Field(max_length=16)
    period_start: date
    value: float | None = None
    suppressed: bool = False
    source: str = Field(max_length=2000)
    retrieved_on: date
    updated_at: datetime = created_at_field()


class StatisticImport(SQLModel, table=True):
    """One import that added or changed figures: what, from where, and how many (audit trail)."""

    __tablename__ = "statistic_import"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    table_id: str = Field(max_length=32)
    area: str = Field(max_length=64)
    source: str = Field(max_length=2000)
    sha256: str = Field(max_length=64)
    retrieved_on: date
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    imported_at: datetime = created_at_field()
