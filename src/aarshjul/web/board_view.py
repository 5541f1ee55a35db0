"""What the board's pages show, gathered for a route in one call each.

* :func:`board_view` — the dashboard: the :class:`~aarshjul.engine.board_report.BoardReport`,
  its lists as tables, and the wheel (inline SVG whose phase arcs link to their drill-down), with
  one info block per phase for the panel that hovering or focusing an arc opens;
* :func:`drilldown_view` — one committee, policy area, person or phase;
* :func:`table_download` — any of those lists as a CSV or XLSX file.

Every number is the report's (or the drill-down's rows'); a handful of queries per page whatever
the organisation's size (the report's, the wheel's, the drill-down's).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from markupsafe import Markup
from sqlmodel import Session

from aarshjul.access.board_access import check_may_see_board
from aarshjul.access.permissions import Viewer
from aarshjul.engine.board_drilldown import Drilldown, DrilldownKind, board_drilldown
from aarshjul.engine.board_report import BoardReport, board_report
from aarshjul.errors import NotFound
from aarshjul.models.organisation import Organisation
from aarshjul.reports.table_files import (
    CSV_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    CellKind,
    Table,
    file_name,
    share_text,
    table_csv,
    table_xlsx,
)
from aarshjul.web.board_tables import (
    BOARD_TABLES,
    board_table,
    drill_link,
    drilldown_table,
    phase_key,
    phase_status,
)
from aarshjul.wheel.picture import STYLE, WheelOptions, draw_wheel
from aarshjul.wheel.wheel_service import wheel_data
from aarshjul.wheel.wheel_texts import STATUS as PHASE_STATUS

WHEEL_PREFIX = "board"
_MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


class FileFormat(StrEnum):
    """A list's download format."""

    csv = "csv"
    xlsx = "xlsx"


@dataclass(frozen=True)
class PhaseInfo:
    """What the wheel's panel says about one phase (the report's numbers, in words)."""

    key: str
    name: str
    cycle: str
    start: date
    end: date
    status: str
    status_key: str
    done: int
    relevant: int
    open: int
    overdue: int
    percent: int
    elapsed: str
    link: str


@dataclass
class BoardView:
    """The dashboard's content; ``wheel`` is None in the polled fragment or when nothing is
    planned for the year."""

    report: BoardReport
    tables: list[Table]
    wheel: Markup | None = None
    phases: list[PhaseInfo] = field(default_factory=list)


@dataclass(frozen=True)
class Download:
    """A list as a file: its bytes, media type and attachment name."""

    content: bytes
    media_type: str
    filename: str


def board_view(
    session: Session, *, organisation: Organisation, viewer: Viewer, today: date, locale: str,
    wheel: bool = True,
) -> BoardView:  # fmt: skip
    """The dashboard as of ``today`` in ``locale``; ``wheel=False`` for the polled fragment.

    Raises :class:`~aarshjul.errors.PermissionDenied` unless ``viewer`` is direktion/planning.
    """
    check_may_see_board(viewer)
    report = board_report(session, organisation=organisation, today=today)
    tables = [make(report, locale) for make in BOARD_TABLES.values()]
    view = BoardView(report=report, tables=tables, phases=_phase_infos(report, locale))
    if wheel:
        view.wheel = _wheel(session, organisation, today, locale)
    return view


def _phase_infos(report: BoardReport, locale: str) -> list[PhaseInfo]:
    out = []
    for p in report.phases:
        status = phase_status(p, report)
        if status is None or p.start is None or p.end is None:
            continue
        key = phase_key(p)
        out.append(PhaseInfo(
            key=key, name=p.name, cycle=p.cycle, start=p.start, end=p.end,
            status=PHASE_STATUS[locale][status], status_key=status.value, done=p.done,
            relevant=p.relevant, open=p.open, overdue=p.overdue, percent=p.percent,
            elapsed=share_text(p.elapsed), link=drill_link(DrilldownKind.phase, key),
        ))  # fmt: skip
    return out


def _wheel(session: Session, organisation: Organisation, today: date, locale: str) -> Markup | None:
    """The year's wheel as inline SVG, each phase arc a link to its drill-down.

    The SVG's own ``<style>`` (hover and focus marks) is left out: the page's CSP allows no
    inline style; ``board.css`` carries the same rules.
    """
    try:
        data = wheel_data(
            session, organisation=organisation, year=today.year, today=today, locale=locale
        )
    except NotFound:
        return None
    phases = tuple(
        dataclasses.replace(p, link=drill_link(DrilldownKind.phase, p.key)) for p in data.phases
    )
    svg = draw_wheel(
        dataclasses.replace(data, phases=phases),
        WheelOptions(prefix=WHEEL_PREFIX, interactive=True),
    )
    return Markup(svg.replace(f"<style>{STYLE}</style>", "", 1))


def drilldown_view(
    session: Session, *, organisation: Organisation, viewer: Viewer, kind: DrilldownKind,
    key: str, today: date, locale: str,
) -> tuple[Drilldown, Table]:  # fmt: skip
    """One committee's, policy area's, person's or phase's tasks and their table.

    Raises :class:`~aarshjul.errors.PermissionDenied` (not direktion/planning) or
    :class:`~aarshjul.errors.NotFound` (no such key).
    """
    check_may_see_board(viewer)
    drill = board_drilldown(
        session, organisation=organisation, kind=kind, key=key, today=today, locale=locale
    )
    return drill, drilldown_table(drill, locale)


def table_download(
    session: Session, *, organisation: Organisation, viewer: Viewer, today: date, locale: str,
    name: str, fmt: FileFormat, drill: tuple[DrilldownKind, str] | None = None,
) -> Download:  # fmt: skip
    """The dashboard's list ``name`` (or, with ``drill``, that drill-down's list) as a file.

    Raises :class:`~aarshjul.errors.PermissionDenied` or :class:`~aarshjul.errors.NotFound`.
    """
    check_may_see_board(viewer)
    if drill is None:
        report = board_report(session, organisation=organisation, today=today)
        table = board_table(report, name, locale)
    else:
        table = drilldown_view(
            session, organisation=organisation, viewer=viewer, kind=drill[0], key=drill[1],
            today=today, locale=locale,
        )[1]  # fmt: skip
    if fmt == FileFormat.csv:
        return Download(
            table_csv(table, locale), CSV_MEDIA_TYPE, file_name(today.year, table.name, "csv")
        )
    return Download(
        table_xlsx(table, locale), XLSX_MEDIA_TYPE, file_name(today.year, table.name, "xlsx")
    )


def cell_text(value: object, kind: CellKind, locale: str) -> str:
    """A table cell as the page shows it: dates as ``13.10.2027`` (da) or ``13 Oct 2027`` (en),
    shares as whole percent, nothing as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, date):
        if locale == "en":
            return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"
        return f"{value:%d.%m.%Y}"
    if kind == CellKind.share and isinstance(value, float):
        return share_text(value)
    return str(value)
