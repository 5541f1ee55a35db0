"""Goal status follow-up (*målopfølgning*) in the browser.

* ``GET /goals`` — "my goals" with each goal's latest status and open status task; planning,
  the direktion and committee secretaries filter like on "my tasks";
* ``GET /goals/{key}`` (``?year=``) — one goal: indicators, the report form for a year and the
  history per year;
* ``POST /goals/{key}/report`` — fields ``year``, ``status``, ``comment`` and one
  ``indicator:<name>`` per indicator (empty = not reported). It calls
  :func:`~aarshjul.goals.reporting.report_goal_status`, which also completes the goal's status
  task; a plain form POST answered with a redirect to the goal page.

The report form is also what a status task's "done" opens (``/tasks``, and a digest's action
link, :mod:`aarshjul.web.actions`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from aarshjul.clock import as_utc, zone
from aarshjul.errors import InputError
from aarshjul.goals.goal_pages import GoalFilters, GoalPage, goal_board, goal_page
from aarshjul.goals.reporting import report_goal_status
from aarshjul.models.goal_tracking import STATUS_LABELS, ReportStatus
from aarshjul.notifications.formatting import locale_of
from aarshjul.web.context import Page, SignedInDep
from aarshjul.web.i18n import add_texts

router = APIRouter()

INDICATOR_FIELD = "indicator:"
MAX_INDICATOR_FIELDS = 100

add_texts({
    "my_goals": ("Mine mål", "My goals"),
    "goals_of": ("Mål", "Goals"),
    "no_goals": ("Ingen mål her.", "No goals here."),
    "back_to_goals": ("Tilbage til mine mål", "Back to my goals"),
    "horizon": ("Periode", "Horizon"),
    "latest_status": ("Seneste status", "Latest status"),
    "status_for_year": ("for {year}", "for {year}"),
    "not_reported": ("ikke rapporteret", "not reported"),
    "report_status": ("Rapportér målstatus", "Report goal status"),
    "report_for": ("Rapportér status for {year}", "Report the status for {year}"),
    "report_year": ("Rapportér for", "Report for"),
    "status_label": ("Status", "Status"),
    "comment": ("Kommentar", "Comment"),
    "indicators": ("Indikatorer", "Indicators"),
    "indicator": ("Indikator", "Indicator"),
    "unit": ("Enhed", "Unit"),
    "target": ("Målværdi", "Target"),
    "indicator_hint": (
        "Tal med komma eller punktum. Et tomt felt rapporteres ikke.",
        "Numbers with a decimal comma or point. An empty field is not reported.",
    ),
    "save_report": ("Gem målstatus", "Save the goal status"),
    "report_saved": ("Målstatus for {year} er gemt.", "The goal status for {year} is saved."),
    "report_unchanged": (
        "Uændret: status for {year} sagde allerede det samme.",
        "Unchanged: the status for {year} already said the same.",
    ),
    "status_task_done": (
        "Statusopgaven er markeret som udført.", "The status task is marked as done.",
    ),
    "status_task_open": (
        "Statusopgave for {year}: frist {due}. Opgaven er udført, når du gemmer.",
        "Status task for {year}: due {due}. Saving the report completes it.",
    ),
    "status_task_closed": (
        "Statusopgaven for {year} er udført.", "The status task for {year} is done.",
    ),
    "history_per_year": ("Historik pr. år", "History per year"),
    "no_reports": ("Ingen statusrapporter endnu.", "No status reports yet."),
    "reported_by": ("Rapporteret af", "Reported by"),
    "when": ("Tidspunkt", "When"),
    "current": ("gældende", "current"),
    "earlier": ("tidligere", "earlier"),
    "no_report_years": (
        "Målet løber {start}-{end}; der kan rapporteres fra {start}.",
        "The goal runs {start}-{end}; reports can be made from {start}.",
    ),
    "read_only_goal": (
        "Kun målets ansvarlige og planlægningen kan rapportere status.",
        "Only the goal's owner and planning can report its status.",
    ),
    "report_task": ("Rapportér status for {year}", "Report the status for {year}"),
    "report_intro": (
        "Du rapporterer status for {year} på målet som {name}. Når du gemmer, er opgaven udført.",
        "You report the status for {year} of the goal as {name}. Saving completes the task.",
    ),
    "action_reported": (
        "Målstatus er gemt, og opgaven er udført.", "The goal status is saved and the task is done.",
    ),
    "form_error": ("Målstatus blev ikke gemt", "The goal status was not saved"),
    "at_time": ("kl. {time}", "at {time}"),
})  # fmt: skip


@dataclass(frozen=True)
class ReportForm:
    """The report form's fields as typed (strings), to call the service with or show again."""

    year: int | None
    status: str
    comment: str
    indicators: dict[str, str]


async def indicator_fields(request: Request) -> dict[str, str]:
    """The form's ``indicator:<name>`` fields that hold something (name -> the typed text)."""
    form = await request.form()
    out: dict[str, str] = {}
    for name, value in form.multi_items():
        if not name.startswith(INDICATOR_FIELD) or not isinstance(value, str):
            continue
        if len(out) >= MAX_INDICATOR_FIELDS or len(value) > 40:
            raise InputError(f"{name}: at most {MAX_INDICATOR_FIELDS} values of 40 characters")
        if value.strip():
            out[name.removeprefix(INDICATOR_FIELD)] = value.strip()
    return out


def report_form(
    indicators: Annotated[dict[str, str], Depends(indicator_fields)],
    status: Annotated[str, Form(max_length=40)] = "",
    comment: Annotated[str, Form(max_length=8000)] = "",
    year: Annotated[int | None, Form()] = None,
) -> ReportForm:
    return ReportForm(year=year, status=status, comment=comment, indicators=indicators)


ReportFormDep = Annotated[ReportForm, Depends(report_form)]


def number_text(value: float | None, locale: str) -> str:
    """An indicator value as typed back into the form: ``5,9`` (da) or ``5.9`` (en), no grouping.

    >>> number_text(81.5, "da"), number_text(4.0, "en"), number_text(None, "da")
    ('81,5', '4', '')
    """
    if value is None:
        return ""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if locale_of(locale) == "da" else text


def status_text(status: str, locale: str) -> str:
    """A status value in the reader's language (``risiko`` / ``at risk``)."""
    lang = locale_of(locale)
    if status in ReportStatus.__members__:
        return STATUS_LABELS[ReportStatus(status)][lang]
    return "ikke rapporteret" if lang == "da" else "not reported"


def local_time(instant: datetime, timezone: str) -> datetime:
    """``instant`` on the organisation's clock (a stored instant without a zone is UTC)."""
    return as_utc(instant).astimezone(zone(timezone))


def render_goal(
    page: Page, template: str, detail: GoalPage, status_code: int = 200, **context: Any
) -> Response:
    """A page with the goal's form: the helpers its templates use are passed along."""
    return page.render(
        template, status_code, detail=detail, statuses=list(ReportStatus),
        status_text=lambda s: status_text(s, page.locale),
        num=lambda v: number_text(v, page.locale),
        local=lambda v: local_time(v, page.org.timezone), **context,
    )  # fmt: skip


def _id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@router.get("/goals", response_class=HTMLResponse)
def my_goals(
    current: SignedInDep,
    person: Annotated[str | None, Query()] = None,
    committee: Annotated[str | None, Query()] = None,
    policy_area: Annotated[str | None, Query()] = None,
) -> Response:
    page = current.page
    filters = GoalFilters(
        person_id=_id(person), committee_id=_id(committee), policy_area_id=_id(policy_area)
    )
    board = goal_board(page.session, org=page.org, viewer=current.viewer, filters=filters)
    return page.render("goals.html", board=board, status_text=lambda s: status_text(s, page.locale))


_SAVED = {"created": "report_saved", "unchanged": "report_unchanged"}


@router.get("/goals/{goal_key}", response_class=HTMLResponse)
def show_goal(
    current: SignedInDep,
    goal_key: str,
    year: Annotated[int | None, Query()] = None,
    saved: Annotated[str | None, Query(max_length=20)] = None,
    task: Annotated[int | None, Query()] = None,
) -> Response:
    page = current.page
    detail = goal_page(
        page.session, org=page.org, viewer=current.viewer, goal_key=goal_key, today=page.today,
        year=year,
    )  # fmt: skip
    notices = [page.t(_SAVED[saved], year=detail.form_year)] if saved in _SAVED else []
    notices += [page.t("status_task_done")] if saved in _SAVED and task else []
    return render_goal(page, "goal.html", detail, notices=notices, entered=None, error=None)


@router.post("/goals/{goal_key}/report", response_class=HTMLResponse)
def report(current: SignedInDep, goal_key: str, form: ReportFormDep) -> Response:
    """Report; a bad field shows the form again with the message and what was typed (400)."""
    page = current.page
    try:
        outcome = report_goal_status(
            page.session, organisation=page.org, goal_key=goal_key, status=form.status,
            by_email=current.viewer.email, now=page.now, today=page.today, year=form.year,
            comment=form.comment, indicators=form.indicators,
        )  # fmt: skip
    except InputError as exc:
        page.session.rollback()
        detail = goal_page(
            page.session, org=page.org, viewer=current.viewer, goal_key=goal_key,
            today=page.today, year=form.year,
        )  # fmt: skip
        return render_goal(page, "goal.html", detail, 400, notices=[], entered=form, error=str(exc))
    saved = "created" if outcome.created else "unchanged"
    target = f"/goals/{quote(outcome.goal_key, safe='')}?year={outcome.year}&saved={saved}"
    if outcome.completed_task_id is not None:
        target += f"&task={outcome.completed_task_id}"
    return RedirectResponse(target, status_code=303)
