"""What the web app's planning report pages show, with the permission checks (one call each).

* :func:`report_page` — the year's draft as a document (charts as links, so the page does not
  wait for matplotlib), the state of the three sections and the inputs;
* :func:`section_page` — one section: its text, its history, whether the viewer may edit it;
* :func:`report_download` — the planning report or the budget remarks as DOCX, PDF or HTML;
* :func:`report_chart` — one key statistics chart as SVG, for the page.

Reading needs the role ``planning``, ``direktion`` or ``finance``; writing a section ``planning``
(:mod:`aarshjul.reports.sections`). Everything else gets
:class:`~aarshjul.errors.PermissionDenied` (HTTP 403).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlmodel import Session

from aarshjul.access.permissions import Viewer
from aarshjul.documents import Document, DocumentFormat
from aarshjul.errors import NotFound
from aarshjul.models.organisation import Organisation
from aarshjul.reports import BuiltDocument, build_budget_remarks, build_planning_report
from aarshjul.reports.inputs import ReportInputs
from aarshjul.reports.planning_data import planning_report_data, report_tables
from aarshjul.reports.planning_document import ChartMode, planning_document
from aarshjul.reports.sections import (
    SECTION_TITLES,
    SectionKey,
    SectionVersion,
    check_may_read,
    check_year,
    may_write,
    section_history,
)


class ReportKind(StrEnum):
    """The documents the page offers: the planning report and the budget remarks."""

    planning = "planning"
    budget_remarks = "budget-remarks"


@dataclass(frozen=True)
class SectionState:
    """One section on the report page: its title and latest version (None: never saved)."""

    key: SectionKey
    title: str
    version: SectionVersion | None

    @property
    def written(self) -> bool:
        return self.version is not None and self.version.written


@dataclass(frozen=True)
class ReportPage:
    """The report page: the draft, the sections, the inputs, and what the viewer may do."""

    year: int
    document: Document
    sections: list[SectionState]
    inputs: ReportInputs
    can_write: bool

    @property
    def budget_year(self) -> int:
        return self.year + 1


@dataclass(frozen=True)
class SectionPage:
    """One section's page: the current text (empty when never saved) and every version."""

    year: int
    key: SectionKey
    title: str
    current: SectionVersion | None
    history: list[SectionVersion]
    can_write: bool

    @property
    def base_id(self) -> int | None:
        return self.current.id if self.current else None


def report_page(
    session: Session,
    *,
    organisation: Organisation,
    viewer: Viewer,
    year: int,
    today: date,
    lang: str,
    chart_url: Callable[[str], str],
) -> ReportPage:
    """The report page of ``year`` for ``viewer``; ``chart_url(table)`` is each chart's URL."""
    check_may_read(viewer)
    data = planning_report_data(session, organisation=organisation, year=check_year(year),
                                today=today)  # fmt: skip
    document = planning_document(data, lang=lang, charts=ChartMode.link, chart_links=chart_url)
    sections = [
        SectionState(key, SECTION_TITLES[key][_lang(lang)], data.sections.get(key))
        for key in SectionKey
    ]
    return ReportPage(year, document, sections, data.inputs, may_write(viewer))


def section_page(
    session: Session, *, organisation: Organisation, viewer: Viewer, year: int, key: SectionKey
) -> SectionPage:
    """One section of ``year``'s report with its history, newest first (two queries)."""
    check_may_read(viewer)
    assert organisation.id is not None
    history = section_history(session, organisation_id=organisation.id, year=check_year(year),
                              key=key)  # fmt: skip
    title = SECTION_TITLES[key][_lang(viewer.locale)]
    current = history[0] if history else None
    return SectionPage(year, key, title, current, history, may_write(viewer))


def report_download(
    session: Session,
    *,
    organisation: Organisation,
    viewer: Viewer,
    kind: ReportKind,
    year: int,
    today: date,
    fmt: DocumentFormat,
    lang: str,
) -> BuiltDocument:
    """The planning report of ``year`` or the budget remarks of budget year ``year``."""
    check_may_read(viewer)
    build = build_planning_report if kind is ReportKind.planning else build_budget_remarks
    return build(session, organisation=organisation, year=year, today=today, fmt=fmt, lang=lang)


def report_chart(
    session: Session, *, organisation: Organisation, viewer: Viewer, year: int, table: str,
    lang: str,
) -> str:  # fmt: skip
    """The chart of StatBank table ``table`` for ``year``'s report, as SVG text."""
    from aarshjul.stats.figure_store import table_figures
    from aarshjul.stats.stat_charts import YEARS_SHOWN, chart_svg

    check_may_read(viewer)
    wanted = table.upper()
    if wanted not in report_tables():
        raise NotFound(f"no chart {table!r} in the planning report")
    assert organisation.id is not None
    figures = table_figures(
        session, organisation_id=organisation.id, mapping=wanted,
        years=range(check_year(year) - YEARS_SHOWN + 1, year + 1),
    )  # fmt: skip
    return chart_svg(figures, year=None, lang=_lang(lang))


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "da"
