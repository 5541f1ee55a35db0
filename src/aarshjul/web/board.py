"""The executive board's dashboard (*direktionens overblik*), for ``direktion`` and ``planning``.

* ``GET /board`` — the year's wheel (each phase arc links to its drill-down; hovering or
  focusing one shows its numbers beside the wheel), progress per phase, committee and policy
  area, the overdue list, goals by status, statutory milestones at risk, the week's changes;
* ``GET /board/panels`` — the same lists as a fragment, which the page polls (HTMX, every 60 s);
* ``GET /board/{kind}/{key}`` — a drill-down: ``committee``/``policy_area`` by key, ``person``
  by e-mail, ``phase`` by ``cycle--phase``; 404 for an unknown key;
* ``GET /board/export/{list}.{csv,xlsx}`` and ``GET /board/{kind}/{key}/export.{csv,xlsx}`` —
  any list as a file.

Anyone else signed in gets 403; a visitor who is not signed in is sent to ``/login``. Every route
is parse, one call into :mod:`aarshjul.web.board_view`, render.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from aarshjul.engine.board_drilldown import DrilldownKind
from aarshjul.web.board_tables import drill_link
from aarshjul.web.board_view import (
    FileFormat,
    board_view,
    cell_text,
    drilldown_view,
    table_download,
)
from aarshjul.web.context import SECURITY_HEADERS, SignedIn, SignedInDep
from aarshjul.web.i18n import add_texts

router = APIRouter()
#: How often an open dashboard fetches its lists again (HTMX polling).
POLL_SECONDS = 60

add_texts({
    "board": ("Direktion", "Board"),
    "board_title": ("Direktionens overblik", "The executive board's dashboard"),
    "board_intro": (
        "{done} af {relevant} opgaver er udført ({pct} %); {overdue} er over fristen.",
        "{done} of {relevant} tasks are done ({pct}%); {overdue} are overdue.",
    ),
    "board_as_of": ("Status pr. {day}", "Status as of {day}"),
    "board_wheel": ("Årshjulet", "The annual cycle"),
    "board_wheel_hint": (
        "Hold musen over en fase, eller gå til den med Tab, for at se dens tal. "
        "Klik for at se fasens opgaver.",
        "Hover over a phase, or reach it with Tab, to see its numbers. "
        "Click to see the phase's tasks.",
    ),
    "board_no_wheel": ("Intet årshjul er planlagt for {year}.", "No cycle is planned for {year}."),
    "board_period": ("Periode", "Period"),
    "board_done_of": ("{done} af {total} udført ({pct} %)", "{done} of {total} done ({pct}%)"),
    "board_done_n": ("Udført", "Done"),
    "board_open_n": ("Åbne", "Open"),
    "board_overdue_n": ("Over fristen", "Overdue"),
    "board_time_passed": ("Tid gået", "Time passed"),
    "board_show_tasks": ("Vis fasens opgaver", "Show the phase's tasks"),
    "board_changes": ("Siden sidste uge", "Since last week"),
    "board_changes_since": ("Siden {day}", "Since {day}"),
    "board_completed": ("Opgaver udført", "Tasks completed"),
    "board_became_overdue": ("Kommet over fristen", "Became overdue"),
    "board_goal_reports": ("Målrapporter", "Goal reports"),
    "board_percent_change": ("Udført i alt", "Done in all"),
    "board_overdue_change": ("Over fristen i alt", "Overdue in all"),
    "board_download": ("Hent", "Download"),
    "board_none": ("Ingen.", "None."),
    "board_updated": ("Opdateres automatisk hvert minut.", "Updates by itself every minute."),
    "board_back": ("Tilbage til overblikket", "Back to the dashboard"),
    "board_kind_committee": ("Udvalg", "Committee"),
    "board_kind_policy_area": ("Politikområde", "Policy area"),
    "board_kind_person": ("Person", "Person"),
    "board_kind_phase": ("Fase", "Phase"),
    "board_drill_counts": (
        "{total} opgaver: {done} udført, {open} åbne, {overdue} over fristen, {waived} frafaldet.",
        "{total} tasks: {done} done, {open} open, {overdue} overdue, {waived} waived.",
    ),
    "board_tasks": ("Opgaver", "Tasks"),
})  # fmt: skip


def _view(current: SignedIn, *, wheel: bool) -> dict[str, Any]:
    page = current.page
    view = board_view(
        page.session, organisation=page.org, viewer=current.viewer, today=page.today,
        locale=page.locale, wheel=wheel,
    )  # fmt: skip
    # The polled fragment brings the summary along out of band (hx-swap-oob).
    return {
        "view": view,
        "cell": cell_text,
        "poll": POLL_SECONDS,
        "active": "board",
        "oob": not wheel,
    }


@router.get("/board", response_class=HTMLResponse)
def dashboard(current: SignedInDep) -> Response:
    return current.page.render("board.html", **_view(current, wheel=True))


@router.get("/board/panels", response_class=HTMLResponse)
def panels(current: SignedInDep) -> Response:
    return current.page.render("_board_panels.html", **_view(current, wheel=False))


@router.get("/board/export/{name}.{fmt}")
def export_list(current: SignedInDep, name: str, fmt: FileFormat) -> Response:
    return _download(current, name, fmt, None)


@router.get("/board/{kind}/{key}", response_class=HTMLResponse)
def drilldown(current: SignedInDep, kind: DrilldownKind, key: str) -> Response:
    page = current.page
    drill, table = drilldown_view(
        page.session, organisation=page.org, viewer=current.viewer, kind=kind, key=key,
        today=page.today, locale=page.locale,
    )  # fmt: skip
    return page.render(
        "board_drilldown.html", drill=drill, table=table, cell=cell_text, active="board",
        export=f"{drill_link(kind, key)}/export",
    )  # fmt: skip


@router.get("/board/{kind}/{key}/export.{fmt}")
def export_drilldown(
    current: SignedInDep, kind: DrilldownKind, key: str, fmt: FileFormat
) -> Response:
    return _download(current, "", fmt, (kind, key))


def _download(
    current: SignedIn, name: str, fmt: FileFormat, drill: tuple[DrilldownKind, str] | None
) -> Response:
    page = current.page
    file = table_download(
        page.session, organisation=page.org, viewer=current.viewer, today=page.today,
        locale=page.locale, name=name, fmt=fmt, drill=drill,
    )  # fmt: skip
    headers = SECURITY_HEADERS | {"Content-Disposition": f'attachment; filename="{file.filename}"'}
    return Response(file.content, media_type=file.media_type, headers=headers)
