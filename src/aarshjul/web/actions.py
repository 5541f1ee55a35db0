"""A digest's *Markér som udført* link: ``GET /a/{token}`` shows, ``POST /a/{token}`` does.

The token is signed for one task and one person (:func:`aarshjul.access.tokens.action_token`)
and works until the task is done, only while that person may still act on it. Opening it
changes nothing — mail scanners open every link — and the button's POST completes the task as
that person, audited like ``aarshjul done``. The link does not sign anyone in (a forwarded
digest must not open the whole app); the page offers to.

A goal's status task is done by reporting the goal's status: its link opens the goal's report
form for the task's year (status, comment, indicators) instead of a bare confirmation, and the
form's POST reports as that person, which completes the task.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response

from aarshjul.access.audit import record_access
from aarshjul.access.permissions import viewer_for
from aarshjul.access.tokens import parse_action_token
from aarshjul.engine.task_actions import complete_task
from aarshjul.engine.task_board import TaskCard, task_card
from aarshjul.errors import InputError, NotFound, PermissionDenied
from aarshjul.goals.goal_pages import goal_page
from aarshjul.goals.reporting import report_goal_status
from aarshjul.models.organisation import Person
from aarshjul.web.context import Page, PageDep, client_of
from aarshjul.web.goals import ReportForm, ReportFormDep, render_goal

router = APIRouter()


def _resolve(page: Page, token: str) -> tuple[Person, TaskCard] | str:
    """The link's person and task card, or the text key of why the link does not work."""
    parsed = parse_action_token(token, page.cfg.key)
    if parsed is None:
        return "action_invalid"
    task_id, person_id = parsed
    person = page.session.get(Person, person_id)
    if person is None or person.organisation_id != page.org.id or not person.active:
        return "action_invalid"
    page.use_locale(person.locale)
    viewer = viewer_for(page.session, person)
    try:
        card = task_card(
            page.session, org=page.org, viewer=viewer, task_id=task_id, today=page.today
        )
    except (NotFound, PermissionDenied):
        return "action_not_owner"
    if not card.can_act:
        return "action_not_owner"
    return person, card


@router.get("/a/{token}", response_class=HTMLResponse)
def confirm(current: PageDep, token: str) -> Response:
    found = _resolve(current, token)
    if isinstance(found, str):
        return current.render("link_problem.html", status_code=404, message=current.t(found))
    person, card = found
    if card.done:
        return current.render("action_result.html", card=card, message=current.t("action_already"))
    if card.report_year is not None:
        return _report_form(current, token, person, card)
    return current.render("action_confirm.html", token=token, card=card, name=person.name)


def _report_form(
    current: Page,
    token: str,
    person: Person,
    card: TaskCard,
    form: ReportForm | None = None,
    error: str | None = None,
) -> Response:
    """A goal's status task: the link opens the goal's report form for the task's year."""
    detail = goal_page(
        current.session, org=current.org, viewer=viewer_for(current.session, person),
        goal_key=card.goal_key or "", today=current.today, year=card.report_year,
    )  # fmt: skip
    return render_goal(
        current, "action_goal_report.html", detail, 400 if error else 200, token=token,
        card=card, name=person.name, entered=form, error=error,
    )  # fmt: skip


@router.post("/a/{token}", response_class=HTMLResponse)
def act(
    current: PageDep,
    token: str,
    form: ReportFormDep,
    note: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    found = _resolve(current, token)
    if isinstance(found, str):
        return current.render("link_problem.html", status_code=404, message=current.t(found))
    person, card = found
    if card.done:
        return current.render("action_result.html", card=card, message=current.t("action_already"))
    viewer = viewer_for(current.session, person)
    if card.report_year is not None:
        return _report(current, token, person, card, form)
    _audit(current, person, card)
    complete_task(
        current.session, org=current.org, viewer=viewer, task_id=card.id, now=current.now, note=note
    )
    done = task_card(
        current.session, org=current.org, viewer=viewer, task_id=card.id, today=current.today
    )
    return current.render("action_result.html", card=done, message=current.t("action_done"))


def _audit(current: Page, person: Person, card: TaskCard, **data: object) -> None:
    record_access(
        current.session, organisation_id=person.organisation_id, person_id=person.id,
        kind="action_link_used", method="link", client=client_of(current.request),
        now=current.now, data={"task": card.id, **data},
    )  # fmt: skip


def _report(
    current: Page, token: str, person: Person, card: TaskCard, form: ReportForm
) -> Response:
    """Report the goal's status for the task's year as the link's person; that completes the
    task. A bad field shows the form again with the message (400) and writes nothing."""
    try:
        outcome = report_goal_status(
            current.session, organisation=current.org, goal_key=card.goal_key or "",
            status=form.status, by_email=person.email, now=current.now, today=current.today,
            year=card.report_year, comment=form.comment, indicators=form.indicators,
        )  # fmt: skip
    except InputError as exc:
        current.session.rollback()
        return _report_form(current, token, person, card, form, str(exc))
    _audit(current, person, card, goal=outcome.goal_key, year=outcome.year)
    viewer = viewer_for(current.session, person)
    done = task_card(
        current.session, org=current.org, viewer=viewer, task_id=card.id, today=current.today
    )
    return current.render("action_result.html", card=done, message=current.t("action_reported"))
