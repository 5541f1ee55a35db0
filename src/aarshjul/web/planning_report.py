"""The planning report's pages (*planredegørelse*): the year's draft, the planning staff's
sections, downloads (Word, PDF, HTML) and the budget remarks.

* ``GET /planning-report``: redirect to this year's report;
* ``GET /planning-report/{year}``: the draft, the sections' state, downloads;
* ``GET /planning-report/{year}/sections/{key}``: a section's editor (planning) or text, and
  its history; ``POST`` the same path saves it (``body``, ``base_id``): 409 when someone saved
  in between;
* ``GET /planning-report/{year}/download.{docx,pdf,html}``: the planning report as a file;
* ``GET /budget-remarks/{year}/download.{docx,pdf,html}``: the budget remarks for budget year
  ``year``;
* ``GET /planning-report/{year}/charts/{table}.svg``: a key statistics chart;
* ``GET /documents/document.css``: the documents' stylesheet.

Every route is parse, one service call (:mod:`aarshjul.reports.report_page`), render; the
service checks who may read (``planning``, ``direktion``, ``finance``) and write (``planning``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from aarshjul.documents import MEDIA_TYPES, DocumentFormat, render_fragment
from aarshjul.documents.html_render import stylesheet as document_stylesheet
from aarshjul.reports.report_page import (
    ReportKind,
    report_chart,
    report_download,
    report_page,
    section_page,
)
from aarshjul.reports.sections import BODY_MAX, SectionConflict, parse_key, save_section
from aarshjul.web.context import SECURITY_HEADERS, SignedInDep

router = APIRouter()

#: A chart is a picture: no script, its own inline styles, never framed.
CHART_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
}


@router.get("/planning-report", include_in_schema=False)
def this_year(current: SignedInDep) -> Response:
    return RedirectResponse(f"/planning-report/{current.page.today.year}", status_code=303)


@router.get("/planning-report/{year}", response_class=HTMLResponse)
def show_report(current: SignedInDep, year: int) -> Response:
    page = current.page
    report = report_page(
        page.session, organisation=page.org, viewer=current.viewer, year=year, today=page.today,
        lang=page.locale, chart_url=lambda table: f"/planning-report/{year}/charts/{table}.svg",
    )  # fmt: skip
    return page.render(
        "planning_report.html", report=report, draft=render_fragment(report.document),
        active="planning_report",
    )  # fmt: skip


@router.get("/planning-report/{year}/sections/{key}", response_class=HTMLResponse)
def show_section(current: SignedInDep, year: int, key: str) -> Response:
    page = current.page
    section = section_page(
        page.session, organisation=page.org, viewer=current.viewer, year=year, key=parse_key(key)
    )
    return page.render("report_section.html", section=section, draft=None, conflict=None)


@router.post("/planning-report/{year}/sections/{key}")
def save(
    current: SignedInDep,
    year: int,
    key: str,
    body: Annotated[str, Form(max_length=BODY_MAX + 1000)] = "",
    base_id: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    page = current.page
    section = parse_key(key)
    try:
        save_section(
            page.session, organisation=page.org, viewer=current.viewer, year=year, key=section,
            body=body, base_id=int(base_id) if base_id.isdigit() else None, now=page.now,
        )  # fmt: skip
    except SectionConflict as conflict:
        shown = section_page(
            page.session, organisation=page.org, viewer=current.viewer, year=year, key=section
        )
        return page.render(
            "report_section.html", 409, section=shown, draft=body, conflict=conflict.current
        )
    return RedirectResponse(f"/planning-report/{year}#section-{section.value}", status_code=303)


@router.get("/planning-report/{year}/download.{fmt}")
def download_report(current: SignedInDep, year: int, fmt: DocumentFormat) -> Response:
    return _download(current, ReportKind.planning, year, fmt)


@router.get("/budget-remarks/{year}/download.{fmt}")
def download_remarks(current: SignedInDep, year: int, fmt: DocumentFormat) -> Response:
    return _download(current, ReportKind.budget_remarks, year, fmt)


def _download(current: SignedInDep, kind: ReportKind, year: int, fmt: DocumentFormat) -> Response:
    page = current.page
    built = report_download(
        page.session, organisation=page.org, viewer=current.viewer, kind=kind, year=year,
        today=page.today, fmt=fmt, lang=page.locale,
    )  # fmt: skip
    headers = SECURITY_HEADERS | {"Content-Disposition": f'attachment; filename="{built.filename}"'}
    return Response(built.content, media_type=MEDIA_TYPES[fmt], headers=headers)


@router.get("/planning-report/{year}/charts/{table}.svg")
def chart(current: SignedInDep, year: int, table: str) -> Response:
    page = current.page
    svg = report_chart(
        page.session, organisation=page.org, viewer=current.viewer, year=year, table=table,
        lang=page.locale,
    )  # fmt: skip
    return Response(svg, media_type="image/svg+xml", headers=CHART_HEADERS)


@router.get("/documents/document.css", include_in_schema=False)
def stylesheet() -> Response:
    return Response(
        document_stylesheet(), media_type="text/css",
        headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )  # fmt: skip
