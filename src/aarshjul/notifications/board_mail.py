"""The weekly board report as text: markdown (mail text and Prefect artifact) and HTML.

One list of sections (title, header, rows) is built from a
:class:`~aarshjul.engine.board_report.BoardReport` in the reader's language and rendered twice: as
markdown here and as HTML by the ``board_report`` templates (which an organisation can override
like the digest's). :func:`queue_board_report` writes one outbox message per member of the
``direktion`` role, so delivery, retries and the once-per-day guarantee are the outbox's.

>>> text = board_markdown(report, "da")                           # doctest: +SKIP
>>> text.splitlines()[0]                                          # doctest: +SKIP
'# Årshjul 2027 - status pr. mandag den 6. september 2027'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from aarshjul.config import Settings, get_settings
from aarshjul.engine.board_report import BoardReport, GroupProgress
from aarshjul.escaping import markdown_text
from aarshjul.models import digest_queries as q
from aarshjul.models.base import Role
from aarshjul.models.outbox import OutboxKind
from aarshjul.notifications.formatting import locale_of, long_date
from aarshjul.notifications.queue import insert_messages
from aarshjul.notifications.rendering import render

DIREKTION = Role.direktion.value

LABELS: dict[str, dict[str, str]] = {
    "da": {
        "title": "Årshjul {year} - status pr. {day}",
        "intro": "{done} af {relevant} opgaver er udført ({pct}); {overdue} er over fristen.",
        "phases": "Faser", "committees": "Udvalg", "areas": "Politikområder",
        "overdue": "Over fristen", "goals": "Mål efter status",
        "milestones": "Lovbundne milepæle i fare",
        "name": "Navn", "status": "Status", "done": "Udført", "open": "Åbne", "late": "Forsinkede",
        "elapsed": "Tid gået", "expected": "Forfaldet", "completion": "Færdig",
        "task": "Opgave", "owner": "Ansvarlig", "due": "Frist", "days_late": "Arbejdsdage over",
        "phase": "Fase", "count": "Antal", "date": "Dato", "tasks": "Forsinkede opgaver",
        "none": "Ingen.", "passed": "overskredet", "outside": "Uden for faser",
        "report_inputs": "Planredegørelse {year}: grundlaget",
        "goals_reported": "Mål med statusrapport", "sections_written": "Afsnit skrevet",
        "of": "{n} af {total}",
        "step": "Eskaleringstrin", "forecast": "Prognose", "behind": "Arbejdsdage efter",
        "changes": "Siden sidste uge ({since})", "completed": "Udført i ugen",
        "became_overdue": "Kommet over fristen", "goal_reports": "Målstatus rapporteret",
        "share_done": "Andel udført", "overdue_now": "Over fristen",
        "then_now": "{then} → {now}",
    },
    "en": {
        "title": "Annual cycle {year} - status as of {day}",
        "intro": "{done} of {relevant} tasks are done ({pct}); {overdue} are overdue.",
        "phases": "Phases", "committees": "Committees", "areas": "Policy areas",
        "overdue": "Overdue", "goals": "Goals by status",
        "milestones": "Statutory milestones at risk",
        "name": "Name", "status": "Status", "done": "Done", "open": "Open", "late": "Overdue",
        "elapsed": "Time passed", "expected": "Due so far", "completion": "Complete",
        "task": "Task", "owner": "Owner", "due": "Due", "days_late": "Workdays late",
        "phase": "Phase", "count": "Count", "date": "Date", "tasks": "Late tasks",
        "none": "None.", "passed": "passed", "outside": "Outside phases",
        "report_inputs": "Planning report {year}: its inputs",
        "goals_reported": "Goals with a status report", "sections_written": "Sections written",
        "of": "{n} of {total}",
        "step": "Escalation step", "forecast": "Forecast", "behind": "Workdays behind",
        "changes": "Since last week ({since})", "completed": "Done this week",
        "became_overdue": "Became overdue", "goal_reports": "Goal statuses reported",
        "share_done": "Share done", "overdue_now": "Overdue",
        "then_now": "{then} → {now}",
    },
}  # fmt: skip


@dataclass
class Section:
    """A titled table of the report."""

    title: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    empty: str = ""


@dataclass
class RenderedMessage:
    """A rendered message for one reader (what the outbox stores): reports and notices."""

    person_id: int
    subject: str
    text: str
    html: str
    task_ids: list[int] = field(default_factory=list)


def _pct(value: float) -> str:
    return f"{value:.0%}"


def sections(report: BoardReport, locale: str) -> tuple[str, str, list[Section]]:
    """The report's title, intro line and sections in ``locale`` (``da`` or ``en``)."""
    lab = LABELS[locale_of(locale)]
    totals = report.totals
    title = lab["title"].format(year=report.year, day=long_date(report.today, locale))
    intro = lab["intro"].format(
        done=totals["done"], relevant=totals["total"] - totals["waived"],
        pct=f"{report.percent}%", overdue=totals["overdue"],
    )  # fmt: skip
    return title, intro, [
        *_changes(report, lab, locale), _phases(report, lab),
        _groups(lab["committees"], report.committees, lab),
        _groups(lab["areas"], report.policy_areas, lab), _overdue(report, lab, locale),
        _goals(report, lab), _milestones(report, lab, locale), *_report_inputs(report, lab),
    ]  # fmt: skip


def _phases(report: BoardReport, lab: dict[str, str]) -> Section:
    header = [lab[k] for k in ("phase", "status", "done", "open", "late", "elapsed", "completion")]
    rows = [
        [p.name if not p.outside else lab["outside"], p.status, str(p.done), str(p.open),
         str(p.overdue), _pct(p.elapsed) if p.elapsed is not None else "—", f"{p.percent}%"]
        for p in report.phases
    ]  # fmt: skip
    return Section(lab["phases"], header, rows, lab["none"])


def _groups(title: str, groups: list[GroupProgress], lab: dict[str, str]) -> Section:
    header = [lab[k] for k in ("name", "done", "open", "late", "expected", "completion")]
    rows = [
        [g.name, str(g.done), str(g.open), str(g.overdue), _pct(g.expected), f"{g.percent}%"]
        for g in groups
    ]
    return Section(title, header, rows, lab["none"])


def _overdue(report: BoardReport, lab: dict[str, str], locale: str) -> Section:
    header = [lab[k] for k in ("task", "owner", "due", "days_late", "step", "phase")]
    rows = [
        [f"#{o.id} {o.title}", f"{o.owner_name} <{o.owner_email}>", o.due.isoformat(),
         str(o.workdays_late), str(o.escalation_step or "—"), o.phase or ""]
        for o in report.overdue
    ]  # fmt: skip
    return Section(lab["overdue"], header, rows, lab["none"])


def _goals(report: BoardReport, lab: dict[str, str]) -> Section:
    rows = [[status, str(n)] for status, n in sorted(report.goals.items())]
    return Section(lab["goals"], [lab["status"], lab["count"]], rows, lab["none"])


def _milestones(report: BoardReport, lab: dict[str, str], locale: str) -> Section:
    header = [lab["name"], lab["date"], lab["forecast"], lab["behind"], lab["tasks"]]
    rows = [
        [m.name + (f" ({lab['passed']})" if m.passed else ""), m.date.isoformat(),
         m.forecast.isoformat(), str(m.workdays_behind),
         ", ".join(f"#{i}" for i in m.late_task_ids)]
        for m in report.milestones_at_risk
    ]  # fmt: skip
    return Section(lab["milestones"], header, rows, lab["none"])


def _changes(report: BoardReport, lab: dict[str, str], locale: str) -> list[Section]:
    """The week in one row: done this week, newly overdue, goal reports, share and overdue."""
    changes = report.changes
    if changes is None:
        return []
    keys = ("completed", "became_overdue", "goal_reports", "share_done", "overdue_now")
    row = [
        str(changes.completed), str(changes.became_overdue), str(changes.goal_reports),
        lab["then_now"].format(then=f"{changes.percent_then}%", now=f"{report.percent}%"),
        lab["then_now"].format(then=changes.overdue_then, now=report.totals["overdue"]),
    ]  # fmt: skip
    title = lab["changes"].format(since=long_date(changes.since, locale))
    return [Section(title, [lab[k] for k in keys], [row], lab["none"])]


def _report_inputs(report: BoardReport, lab: dict[str, str]) -> list[Section]:
    """The planning report's inputs: goals with a current status report, sections written."""
    inputs = report.report_inputs
    if inputs is None:
        return []
    row = [
        lab["of"].format(n=inputs.goals_reported, total=inputs.goals_due),
        lab["of"].format(n=inputs.sections_written, total=inputs.sections_total),
    ]
    header = [lab["goals_reported"], lab["sections_written"]]
    return [Section(lab["report_inputs"].format(year=inputs.year), header, [row], lab["none"])]


def board_markdown(report: BoardReport, locale: str = "da") -> str:
    """The report as markdown: a heading, the intro line and one table per section."""
    title, intro, parts = sections(report, locale)
    lines = [f"# {title}", "", intro]
    for part in parts:
        lines += ["", f"## {part.title}", ""]
        if not part.rows:
            lines.append(part.empty)
            continue
        lines.append("| " + " | ".join(part.header) + " |")
        lines.append("|" + "---|" * len(part.header))
        lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in part.rows]
    return "\n".join(lines) + "\n"


def _cell(value: str) -> str:
    # Data from names and titles: shown as written, never a link, an image or HTML.
    return markdown_text(value)


def render_board_report(
    report: BoardReport, locale: str, person_id: int, settings: Settings | None = None
) -> RenderedMessage:
    """The report as a message for one reader (subject, markdown text, HTML)."""
    loc = locale_of(locale)
    title, intro, parts = sections(report, loc)
    context: dict[str, Any] = {
        "report": {"year": report.year, "today": report.today, "totals": report.totals},
        "title": title, "intro": intro, "sections": parts,
        "markdown": board_markdown(report, loc),
    }  # fmt: skip
    cfg = settings or get_settings()
    rendered = render("board_report", loc, context, cfg.template_dir)
    task_ids = sorted({o.id for o in report.overdue})
    return RenderedMessage(person_id, rendered.subject, rendered.text, rendered.html, task_ids)


def queue_board_report(
    session: Session,
    *,
    organisation_id: int,
    report: BoardReport,
    settings: Settings | None = None,
) -> list[RenderedMessage]:
    """One outbox message per active ``direktion`` member (the caller commits).

    Once per person and day: queuing the same day's report again adds nothing. Returns the
    messages really added.
    """
    people = q.people(session, organisation_id)
    messages = [
        render_board_report(report, people[pid].locale, pid, settings)
        for pid in q.people_with_role(session, organisation_id, DIREKTION)
    ]
    return insert_messages(
        session, organisation_id, report.today, OutboxKind.board_report, messages
    )
