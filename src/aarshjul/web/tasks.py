""" "My tasks" (``GET /tasks``), one task (``GET /tasks/{id}``) and what can be done to it.

``POST /tasks/{id}/done`` (with an optional note), ``/undo`` (the same day) and ``/reassign``
(planning) answer an HTMX request with the task's card fragment and a plain form POST with a
redirect back, so everything works without JavaScript. A goal's status task is done by
reporting the goal's status: its ``done`` leads to the goal's report form (:mod:`.goals`).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from aarshjul.engine.task_actions import complete_task, reassign_task, undo_completion
from aarshjul.engine.task_board import TaskCard, TaskFilters, task_board, task_card, task_page
from aarshjul.web.context import SignedIn, SignedInDep

router = APIRouter()

NoteField = Annotated[str, Form(max_length=4000)]


@router.get("/", include_in_schema=False)
def home() -> Response:
    return RedirectResponse("/tasks", status_code=303)


def _id(value: str | None) -> int | None:
    """A filter's id from a query parameter; an empty choice means no filter."""
    return int(value) if value and value.isdigit() else None


@router.get("/tasks", response_class=HTMLResponse)
def my_tasks(
    current: SignedInDep,
    person: Annotated[str | None, Query()] = None,
    committee: Annotated[str | None, Query()] = None,
    policy_area: Annotated[str | None, Query()] = None,
) -> Response:
    page = current.page
    filters = TaskFilters(
        person_id=_id(person), committee_id=_id(committee), policy_area_id=_id(policy_area)
    )
    board = task_board(
        page.session, org=page.org, viewer=current.viewer, today=page.today, now=page.now,
        filters=filters,
    )  # fmt: skip
    return page.render("tasks.html", board=board)


@router.get("/tasks/{task_id}", response_class=HTMLResponse)
def show_task(current: SignedInDep, task_id: int) -> Response:
    page = current.page
    detail = task_page(
        page.session, org=page.org, viewer=current.viewer, task_id=task_id, today=page.today
    )
    return page.render("task.html", detail=detail, card=detail.card)


def _after(current: SignedIn, task_id: int, back: str | None) -> Response:
    """The card fragment for HTMX, else a redirect to where the form was."""
    page = current.page
    if page.request.headers.get("hx-request") == "true":
        card = task_card(
            page.session, org=page.org, viewer=current.viewer, task_id=task_id, today=page.today
        )
        return page.render("_task_card.html", card=card)
    target = back if back in ("tasks", "task") else "tasks"
    return RedirectResponse("/tasks" if target == "tasks" else f"/tasks/{task_id}", status_code=303)


@router.post("/tasks/{task_id}/done")
def mark_done(
    current: SignedInDep,
    task_id: int,
    note: NoteField = "",
    back: Annotated[str | None, Form()] = None,
) -> Response:
    page = current.page
    card = task_card(
        page.session, org=page.org, viewer=current.viewer, task_id=task_id, today=page.today
    )
    if card.report_year is not None and not card.done:
        return _to_goal_report(current, card)
    complete_task(
        page.session, org=page.org, viewer=current.viewer, task_id=task_id, now=page.now, note=note
    )
    return _after(current, task_id, back)


def _to_goal_report(current: SignedIn, card: TaskCard) -> Response:
    """A goal's status task is done by reporting the goal's status: open its form instead."""
    target = f"/goals/{quote(card.goal_key or '', safe='')}?year={card.report_year}#report"
    if current.page.request.headers.get("hx-request") == "true":
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


@router.post("/tasks/{task_id}/undo")
def undo(
    current: SignedInDep, task_id: int, back: Annotated[str | None, Form()] = None
) -> Response:
    page = current.page
    undo_completion(
        page.session, org=page.org, viewer=current.viewer, task_id=task_id, now=page.now,
        today=page.today,
    )  # fmt: skip
    return _after(current, task_id, back)


@router.post("/tasks/{task_id}/reassign")
def reassign(
    current: SignedInDep,
    task_id: int,
    owner: Annotated[int, Form()],
    note: NoteField = "",
) -> Response:
    page = current.page
    reassign_task(
        page.session, org=page.org, viewer=current.viewer, task_id=task_id, new_owner_id=owner,
        now=page.now, note=note,
    )  # fmt: skip
    return RedirectResponse(f"/tasks/{task_id}", status_code=303)
