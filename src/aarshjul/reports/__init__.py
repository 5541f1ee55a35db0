"""Documents made from the year's data: the planning report (*planredegørelse*) and the budget
remarks (*budgetbemærkninger*), and the planning staff's own sections of the report.

The service functions the CLI (``aarshjul report planning|budget-remarks``), the web app and the
board report call:

* :func:`build_planning_report` / :func:`build_budget_remarks` — read the data (a handful of
  queries), build the :class:`~aarshjul.documents.Document`, render it to DOCX, PDF or HTML;
* :func:`~aarshjul.reports.sections.save_section`,
  :func:`~aarshjul.reports.sections.current_sections`,
  :func:`~aarshjul.reports.sections.section_history` — the editable sections;
* :func:`~aarshjul.reports.inputs.report_inputs` — how complete a year's inputs are.

The year of the planning report is the year it is written in (the annual cycle's year: the
report of 2027 reviews the status reports on 2026 and the goals that end in 2027); the year of
the budget remarks is the budget year (the remarks for 2028 are written in 2027). Nothing here
reads the clock: ``today`` is an input. See ``docs/reports.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from aarshjul.documents import Document, DocumentFormat, render
from aarshjul.models.organisation import Organisation


@dataclass(frozen=True)
class BuiltDocument:
    """A rendered document: its bytes, format and a file name to offer (``planredegoerelse-2027.pdf``)."""

    content: bytes
    fmt: DocumentFormat
    filename: str


def planning_report_document(
    session: Session, *, organisation: Organisation, year: int, today: date, lang: str, fmt: str
) -> Document:
    """The planning report of ``year`` as a document, its charts drawn for format ``fmt``."""
    from aarshjul.reports.planning_data import planning_report_data
    from aarshjul.reports.planning_document import ChartMode, planning_document
    from aarshjul.reports.sections import check_year

    data = planning_report_data(session, organisation=organisation, year=check_year(year),
                                today=today)  # fmt: skip
    charts = ChartMode.png if DocumentFormat(fmt) is DocumentFormat.docx else ChartMode.svg
    return planning_document(data, lang=lang, charts=charts)


def build_planning_report(
    session: Session,
    *,
    organisation: Organisation,
    year: int,
    today: date,
    fmt: DocumentFormat | str,
    lang: str = "da",
) -> BuiltDocument:
    """The planning report of ``year`` as of ``today``, rendered as ``fmt`` (docx, pdf, html).

    >>> built = build_planning_report(session, organisation=org, year=2027,
    ...                               today=date(2027, 5, 3), fmt="docx")   # doctest: +SKIP
    >>> built.filename  # doctest: +SKIP
    'planredegoerelse-2027.docx'
    """
    kind = DocumentFormat(fmt)
    document = planning_report_document(
        session, organisation=organisation, year=year, today=today, lang=lang, fmt=kind
    )
    return BuiltDocument(render(document, kind), kind, f"planredegoerelse-{year}.{kind.value}")


def build_budget_remarks(
    session: Session,
    *,
    organisation: Organisation,
    year: int,
    today: date,
    fmt: DocumentFormat | str,
    lang: str = "da",
) -> BuiltDocument:
    """The budget remarks for budget year ``year``, rendered as ``fmt`` (docx, pdf, html)."""
    from aarshjul.reports.budget_remarks import budget_remarks_data, budget_remarks_document
    from aarshjul.reports.sections import check_year

    kind = DocumentFormat(fmt)
    data = budget_remarks_data(session, organisation=organisation, year=check_year(year),
                               today=today)  # fmt: skip
    document = budget_remarks_document(data, lang=lang)
    return BuiltDocument(render(document, kind), kind, f"budgetbemaerkninger-{year}.{kind.value}")
