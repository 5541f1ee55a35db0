"""The board's lists as :class:`~aarshjul.reports.table_files.Table`: one function per list.

The dashboard's HTML tables, their CSV and their XLSX downloads are all made from these, in the
reader's language, from the :class:`~aarshjul.engine.board_report.BoardReport`'s own numbers (and
a drill-down's rows): nothing here counts anything. A phase's status is the wheel's rule
(:func:`~aarshjul.engine.progress_status.progress_status`) over the report's counts.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from aarshjul.engine.board_drilldown import PHASE_KEY_SEPARATOR, Drilldown, DrilldownKind
from aarshjul.engine.board_report import BoardReport, GroupProgress, OverdueTask
from aarshjul.engine.milestone_risk import MilestoneRisk
from aarshjul.engine.progress import OUTSIDE_PHASES_EN, PhaseProgress
from aarshjul.engine.progress_status import ProgressStatus, progress_status
from aarshjul.errors import NotFound
from aarshjul.models.base import TaskStatus
from aarshjul.reports.table_files import CellKind, Column, Row, Table
from aarshjul.wheel.wheel_texts import STATUS as PHASE_STATUS

NUMBER, DATE, SHARE = CellKind.number, CellKind.date, CellKind.share

#: Goal statuses (the report's and the organisation file's), in the order the board reads them.
GOAL_STATUS: dict[str, tuple[str, str]] = {
    "off_track": ("Ikke på sporet", "Off track"),
    "at_risk": ("Risiko", "At risk"),
    "on_track": ("På sporet", "On track"),
    "achieved": ("Opfyldt", "Achieved"),
    "done": ("Opfyldt", "Achieved"),
    "abandoned": ("Opgivet", "Abandoned"),
    "not_reported": ("Ikke rapporteret", "Not reported"),
}
TASK_STATUS: dict[str, tuple[str, str]] = {
    TaskStatus.open: ("Åben", "Open"),
    TaskStatus.in_progress: ("I gang", "In progress"),
    TaskStatus.done: ("Udført", "Done"),
    TaskStatus.waived: ("Frafaldet", "Waived"),
}
LATE = ("over fristen", "overdue")
YES_NO = (("ja", "yes"), ("nej", "no"))


def _w(pair: tuple[str, str], locale: str) -> str:
    return pair[1] if locale == "en" else pair[0]


def drill_link(kind: DrilldownKind, key: str) -> str:
    """The drill-down page of a committee, policy area, person (e-mail) or phase."""
    return f"/board/{kind.value}/{quote(key, safe='')}"


def phase_key(p: PhaseProgress) -> str:
    return f"{p.cycle}{PHASE_KEY_SEPARATOR}{p.phase}"


def phase_status(p: PhaseProgress, report: BoardReport) -> ProgressStatus | None:
    """The phase's status by the wheel's rule; None for the *outside phases* row."""
    if p.start is None or p.end is None or p.elapsed is None:
        return None
    return progress_status(
        relevant=p.relevant, done=p.done, overdue=p.overdue, elapsed=p.elapsed,
        start=p.start, end=p.end, today=report.today,
    )  # fmt: skip


def phases_table(report: BoardReport, locale: str) -> Table:
    """Progress per phase against the share of the phase's time that has passed."""
    columns = (
        Column("cycle", "Årshjul", "Cycle", width=18), Column("phase", "Fase", "Phase", width=30),
        Column("start", "Start", "Start", DATE, 11), Column("end", "Slut", "End", DATE, 11),
        Column("status", "Status", "Status", width=14),
        *_count_columns(), Column("elapsed", "Tid gået", "Time passed", SHARE, 10),
    )  # fmt: skip
    rows = [_phase_row(p, report, locale) for p in report.phases]
    return Table("phases", ("Faser", "Phases"), columns, rows)


def _phase_row(p: PhaseProgress, report: BoardReport, locale: str) -> Row:
    status = phase_status(p, report)
    name = p.name if not p.outside or locale != "en" else OUTSIDE_PHASES_EN
    cells = (
        p.cycle, name, p.start, p.end, PHASE_STATUS[locale][status] if status else "—",
        *_counts(p), p.elapsed,
    )  # fmt: skip
    links = {} if p.outside else {1: drill_link(DrilldownKind.phase, phase_key(p))}
    return Row(cells, links, status.value if status else None)


def _count_columns() -> tuple[Column, ...]:
    return (
        Column("done", "Udført", "Done", NUMBER, 8), Column("open", "Åbne", "Open", NUMBER, 8),
        Column("overdue", "Over fristen", "Overdue", NUMBER, 12),
        Column("waived", "Frafaldet", "Waived", NUMBER, 9),
        Column("total", "I alt", "Total", NUMBER, 7),
        Column("percent", "Udført %", "Done %", NUMBER, 9),
    )  # fmt: skip


def _counts(g: PhaseProgress | GroupProgress) -> tuple[int, ...]:
    return g.done, g.open, g.overdue, g.waived, g.total, g.percent


def committees_table(report: BoardReport, locale: str) -> Table:
    """Progress per committee against the share of its tasks due by today."""
    return _groups_table(
        "committees", ("Udvalg", "Committees"), report.committees, DrilldownKind.committee
    )


def policy_areas_table(report: BoardReport, locale: str) -> Table:
    """Progress per policy area against the share of its tasks due by today."""
    return _groups_table(
        "policy-areas", ("Politikområder", "Policy areas"), report.policy_areas,
        DrilldownKind.policy_area,
    )  # fmt: skip


def _groups_table(
    name: str, title: tuple[str, str], groups: list[GroupProgress], kind: DrilldownKind
) -> Table:
    columns = (
        Column("name", "Navn", "Name", width=30), *_count_columns(),
        Column("expected", "Forfaldet", "Due so far", SHARE, 10),
    )  # fmt: skip
    rows = [
        Row((g.name, *_counts(g), g.expected), {} if g.key == "—" else {0: drill_link(kind, g.key)})
        for g in groups
    ]
    return Table(name, title, columns, rows)


def overdue_table(report: BoardReport, locale: str) -> Table:
    """The open tasks past their due day: owner, working days late and escalation step."""
    columns = (
        Column("id", "Nr.", "No.", NUMBER, 6), Column("task", "Opgave", "Task", width=40),
        Column("owner", "Ansvarlig", "Owner", width=22),
        Column("email", "E-mail", "E-mail", width=28), Column("due", "Frist", "Due", DATE, 11),
        Column("workdays_late", "Arbejdsdage over", "Working days late", NUMBER, 10),
        Column("escalation_step", "Eskaleringstrin", "Escalation step", NUMBER, 10),
        Column("phase", "Fase", "Phase", width=24),
        Column("committee", "Udvalg", "Committee", width=24),
    )  # fmt: skip
    rows = [_overdue_row(o) for o in report.overdue]
    return Table("overdue", ("Over fristen", "Overdue"), columns, rows)


def _overdue_row(o: OverdueTask) -> Row:
    cells = (o.id, o.title, o.owner_name, o.owner_email, o.due, o.workdays_late,
             o.escalation_step, o.phase, o.committee)  # fmt: skip
    return Row(cells, {1: f"/tasks/{o.id}", 2: drill_link(DrilldownKind.person, o.owner_email)})


def goals_table(report: BoardReport, locale: str) -> Table:
    """Goals by their latest reported status, the worst first; the status is written out."""
    order = list(GOAL_STATUS)
    columns = (
        Column("status", "Status", "Status", width=20),
        Column("goals", "Mål", "Goals", NUMBER, 8),
    )
    ranked = sorted(
        report.goals.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99
    )
    rows = [
        Row((_w(GOAL_STATUS.get(status, (status, status)), locale), n), marker=status)
        for status, n in ranked
    ]
    return Table("goals", ("Mål efter status", "Goals by status"), columns, rows)


def milestones_table(report: BoardReport, locale: str) -> Table:
    """Statutory milestones at risk with the late tasks they wait for and the forecast day."""
    columns = (
        Column("milestone", "Milepæl", "Milestone", width=30),
        Column("date", "Dato", "Date", DATE, 11), Column("cycle", "Årshjul", "Cycle", width=18),
        Column("late_tasks", "Forsinkede opgaver", "Late tasks", width=20),
        Column("forecast", "Prognose", "Forecast", DATE, 11),
        Column("workdays_behind", "Arbejdsdage bagud", "Working days behind", NUMBER, 10),
        Column("passed", "Overskredet", "Passed", width=10),
    )  # fmt: skip
    rows = [_milestone_row(m, locale) for m in report.milestones_at_risk]
    return Table(
        "milestones", ("Lovbundne milepæle i fare", "Statutory milestones at risk"), columns, rows
    )


def _milestone_row(m: MilestoneRisk, locale: str) -> Row:
    late = ", ".join(f"#{i}" for i in m.late_task_ids)
    passed = _w(YES_NO[0] if m.passed else YES_NO[1], locale)
    return Row((m.name, m.date, m.cycle, late, m.forecast, m.workdays_behind, passed))


def drilldown_table(drill: Drilldown, locale: str) -> Table:
    """A drill-down's tasks: status, owner, due day and working days late."""
    columns = (
        Column("id", "Nr.", "No.", NUMBER, 6), Column("task", "Opgave", "Task", width=40),
        Column("status", "Status", "Status", width=16),
        Column("owner", "Ansvarlig", "Owner", width=22), Column("due", "Frist", "Due", DATE, 11),
        Column("workdays_late", "Arbejdsdage over", "Working days late", NUMBER, 10),
        Column("phase", "Fase", "Phase", width=24),
        Column("committee", "Udvalg", "Committee", width=24),
        Column("policy_area", "Politikområde", "Policy area", width=24),
    )  # fmt: skip
    rows = []
    for t in drill.tasks:
        status = _w(TASK_STATUS.get(t.status, (t.status, t.status)), locale)
        shown = f"{status}, {_w(LATE, locale)}" if t.overdue else status
        late = t.workdays_late if t.overdue else None
        cells = (t.id, t.title, shown, t.owner_name, t.due, late, t.phase, t.committee,
                 t.policy_area)  # fmt: skip
        links = {1: f"/tasks/{t.id}", 3: drill_link(DrilldownKind.person, t.owner_email)}
        rows.append(Row(cells, links, "overdue" if t.overdue else t.status))
    name = f"{drill.kind.value}-{drill.key}"
    return Table(name, (drill.name, drill.name), columns, rows)


BOARD_TABLES: dict[str, Callable[[BoardReport, str], Table]] = {
    "phases": phases_table,
    "committees": committees_table,
    "policy-areas": policy_areas_table,
    "overdue": overdue_table,
    "goals": goals_table,
    "milestones": milestones_table,
}


def board_table(report: BoardReport, name: str, locale: str) -> Table:
    """The dashboard's list ``name`` (a key of :data:`BOARD_TABLES`); else :class:`NotFound`."""
    make = BOARD_TABLES.get(name)
    if make is None:
        raise NotFound(f"no list {name!r} on the board (ingen liste {name!r} på tavlen)")
    return make(report, locale)
