"""Key figures in the database: import (an idempotent upsert), list, and read back per year.

The promise of :func:`import_figures`: a StatBank file is checked whole before anything is
written (:mod:`statbank_csv`, :mod:`figure_series`), so a broken file writes nothing. A figure
is then added, updated (its value or suppression changed: the new value, source and retrieval day
replace the old) or left unchanged (keeping the source and day it was first retrieved with), so
importing the same file again changes nothing. Figures are never deleted by an import: a file is
a selection, not the whole table. An import that added or changed figures leaves one
:class:`~aarshjul.models.StatisticImport` row (the audit trail). The caller commits.

:func:`table_figures` is what the planning report and the web app read: an organisation's figures
of one table, per period and per year (made by the mapping's ``per_year`` rule), in one query.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from aarshjul.models import Organisation, StatisticFigure, StatisticImport
from aarshjul.models.bulk import insert_rows
from aarshjul.stats.figure_series import Extraction, Observation, extract_series
from aarshjul.stats.statbank_csv import read_statbank_csv
from aarshjul.stats.statbank_periods import Period, parse_period
from aarshjul.stats.table_mappings import PerYear, TableMapping, load_mapping


@dataclass
class ImportSummary:
    """What an import did, per series: figures added, updated, unchanged, and suppressed."""

    table: str
    area: str
    source: str
    retrieved_on: date
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    first_period: str = ""
    last_period: str = ""
    other_areas: int = 0
    other_breakdowns: int = 0

    def total(self, outcome: str) -> int:
        """All series' count of ``outcome`` (``added``, ``updated``, ``unchanged``, ``suppressed``)."""
        return sum(counts.get(outcome, 0) for counts in self.counts.values())

    def as_records(self) -> list[dict[str, Any]]:
        """One record per series, for a CLI listing."""
        outcomes = ("added", "updated", "unchanged", "suppressed")
        return [
            {"series": series, **{name: counts.get(name, 0) for name in outcomes}}
            for series, counts in self.counts.items()
        ]


def import_figures(
    session: Session,
    *,
    organisation: Organisation,
    data: bytes,
    source: str,
    mapping: TableMapping,
    area: str | None,
    retrieved_on: date,
    now: datetime,
) -> ImportSummary:
    """Check ``data`` (a whole StatBank CSV file) and upsert the area's figures.

    ``area`` defaults to the organisation's ``municipality_code``. ``source`` is recorded with each
    new or changed figure (a file name or the API URL). Raises
    :class:`~aarshjul.errors.StatisticsFileError` before writing anything when the file is broken.
    """
    file = read_statbank_csv(data, source=source)
    extraction = extract_series(file, mapping, area=area or organisation.municipality_code)
    assert organisation.id is not None
    summary = _store(session, organisation.id, extraction, source, retrieved_on, now)
    if summary.total("added") or summary.total("updated"):
        session.add(_import_row(organisation.id, summary, file.sha256, now))
    session.flush()
    return summary


def _store(
    session: Session,
    organisation_id: int,
    extraction: Extraction,
    source: str,
    retrieved_on: date,
    now: datetime,
) -> ImportSummary:
    existing = _existing(session, organisation_id, extraction)
    summary = ImportSummary(extraction.table, extraction.area, source, retrieved_on)
    summary.other_areas, summary.other_breakdowns = (
        extraction.other_areas,
        extraction.other_breakdowns,
    )
    new_rows, changed_rows = [], []
    stamp = {"source": source, "retrieved_on": retrieved_on, "updated_at": now}
    for obs in extraction.observations:
        counts = summary.counts.setdefault(obs.series, {})
        if obs.suppressed:
            counts["suppressed"] = counts.get("suppressed", 0) + 1
        old = existing.get((obs.series, obs.period.code))
        values = {"value": obs.value, "suppressed": obs.suppressed}
        if old is None:
            new_rows.append(_row(organisation_id, extraction.table, obs) | values | stamp)
            outcome = "added"
        elif (old.value, old.suppressed) != (obs.value, obs.suppressed):
            changed_rows.append({"id": old.id} | values | stamp)
            outcome = "updated"
        else:
            outcome = "unchanged"
        counts[outcome] = counts.get(outcome, 0) + 1
    table: sa.Table = StatisticFigure.__table__  # type: ignore[attr-defined]
    insert_rows(session, table, new_rows)
    if changed_rows:
        session.execute(sa.update(StatisticFigure), changed_rows)
    periods = sorted((o.period for o in extraction.observations), key=lambda p: p.start)
    summary.first_period, summary.last_period = periods[0].code, periods[-1].code
    return summary


def _existing(
    session: Session, organisation_id: int, extraction: Extraction
) -> dict[tuple[str, str], StatisticFigure]:
    series = sorted({o.series for o in extraction.observations})
    query = select(StatisticFigure).where(
        StatisticFigure.organisation_id == organisation_id,
        StatisticFigure.table_id == extraction.table,
        col(StatisticFigure.series).in_(series),
    )
    return {(f.series, f.period): f for f in session.exec(query)}


def _row(organisation_id: int, table: str, obs: Observation) -> dict[str, Any]:
    return {
        "organisation_id": organisation_id,
        "table_id": table,
        "series": obs.series,
        "period": obs.period.code,
        "period_start": obs.period.start,
    }


def _import_row(
    organisation_id: int, summary: ImportSummary, sha256: str, now: datetime
) -> StatisticImport:
    return StatisticImport(
        organisation_id=organisation_id,
        table_id=summary.table,
        area=summary.area,
        source=summary.source,
        sha256=sha256,
        retrieved_on=summary.retrieved_on,
        added=summary.total("added"),
        updated=summary.total("updated"),
        unchanged=summary.total("unchanged"),
        imported_at=now,
    )


def list_figures(
    session: Session, *, organisation_id: int, table: str | None = None
) -> list[StatisticFigure]:
    """The organisation's figures (of ``table`` if given), by table, series and period."""
    query = select(StatisticFigure).where(StatisticFigure.organisation_id == organisation_id)
    if table:
        query = query.where(StatisticFigure.table_id == table.strip().upper())
    order = (
        col(StatisticFigure.table_id),
        col(StatisticFigure.series),
        col(StatisticFigure.period_start),
    )
    return list(session.exec(query.order_by(*order)))


@dataclass(frozen=True)
class PeriodFigure:
    """One stored figure: the period, the value (``None`` when suppressed) and its provenance."""

    period: Period
    value: float | None
    suppressed: bool
    source: str
    retrieved_on: date


@dataclass(frozen=True)
class YearFigure:
    """One year's figure by the mapping's ``per_year`` rule.

    ``complete`` is false when periods are missing or suppressed (a year not yet over, say);
    ``periods`` is how many periods went into ``value``, ``expected`` how many a year has (``None``
    for weeks and days), ``last_period`` the last period with a figure.
    """

    year: int
    value: float | None
    complete: bool
    periods: int
    expected: int | None
    last_period: Period | None


@dataclass(frozen=True)
class SeriesFigures:
    """A series' figures per period (in time order) and per year (ascending)."""

    key: str
    periods: tuple[PeriodFigure, ...]
    years: tuple[YearFigure, ...]

    def year(self, year: int) -> YearFigure | None:
        return next((y for y in self.years if y.year == year), None)


@dataclass(frozen=True)
class TableFigures:
    """An organisation's figures of one table, with the mapping that says what they are."""

    mapping: TableMapping
    series: dict[str, SeriesFigures]

    def sources(self) -> list[tuple[str, date]]:
        """Each distinct source with the latest day figures were retrieved from it."""
        latest: dict[str, date] = {}
        for series in self.series.values():
            for fig in series.periods:
                latest[fig.source] = max(latest.get(fig.source, fig.retrieved_on), fig.retrieved_on)
        return sorted(latest.items())


def table_figures(
    session: Session,
    *,
    organisation_id: int,
    mapping: TableMapping | str,
    years: Iterable[int] | None = None,
) -> TableFigures:
    """The organisation's figures of one table (a mapping, or a shipped table's id such as
    ``"FOLK1A"``), limited to ``years`` when given; one query.

    Every series of the mapping is present, empty when nothing was imported for it. Raises
    :class:`~aarshjul.errors.StatisticsFileError` for a table id aarshjul has no mapping for.
    """
    if isinstance(mapping, str):
        mapping = load_mapping(mapping)
    wanted = sorted(set(years)) if years is not None else None
    query = select(StatisticFigure).where(
        StatisticFigure.organisation_id == organisation_id,
        StatisticFigure.table_id == mapping.table,
    )
    if wanted:
        query = query.where(
            StatisticFigure.period_start >= date(wanted[0], 1, 1),
            StatisticFigure.period_start <= date(wanted[-1], 12, 31),
        )
    rows = session.exec(query.order_by(col(StatisticFigure.period_start))).all()
    by_series: dict[str, list[PeriodFigure]] = {key: [] for key in mapping.series}
    for row in rows:
        period = parse_period(row.period)
        if row.series in by_series and period and (wanted is None or period.year in wanted):
            by_series[row.series].append(
                PeriodFigure(period, row.value, row.suppressed, row.source, row.retrieved_on)
            )
    return TableFigures(
        mapping,
        {
            key: SeriesFigures(key, tuple(figs), _years(figs, mapping))
            for key, figs in by_series.items()
        },
    )


def _years(figures: Sequence[PeriodFigure], mapping: TableMapping) -> tuple[YearFigure, ...]:
    by_year: dict[int, list[PeriodFigure]] = {}
    for fig in figures:
        by_year.setdefault(fig.period.year, []).append(fig)
    return tuple(_year(year, figs, mapping) for year, figs in sorted(by_year.items()))


def _year(year: int, figures: list[PeriodFigure], mapping: TableMapping) -> YearFigure:
    expected = mapping.period.per_year
    known = [f for f in figures if f.value is not None]
    last = known[-1].period if known else None
    all_there = expected is None or (len(figures) == expected and len(known) == expected)
    rule = mapping.per_year
    if rule in (PerYear.first, PerYear.last):
        return _point_year(year, known, rule, expected)
    if not known:
        return YearFigure(year, None, False, 0, expected, None)
    total = sum(f.value for f in known if f.value is not None)
    value = total if rule is PerYear.sum else total / len(known)
    return YearFigure(year, value, all_there, len(known), expected, last)


def _point_year(
    year: int, known: list[PeriodFigure], rule: PerYear, expected: int | None
) -> YearFigure:
    index = 1 if rule is PerYear.first else expected
    hit = next((f for f in known if f.period.index == index), None)
    if hit is not None:
        return YearFigure(year, hit.value, True, 1, 1, hit.period)
    if rule is PerYear.last and known:  # the year is not over: its latest figure, preliminary
        return YearFigure(year, known[-1].value, False, 1, 1, known[-1].period)
    return YearFigure(year, None, False, 0, 1, None)
