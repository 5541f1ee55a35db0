"""The digital plan, public and without signing in: ``/plan``, a policy area, a goal, search,
the public wheel; and the owners' page to edit a public text (``/plan-text/…``, signed in).

Stable addresses: ``/plan/{policy area key}`` and ``/plan/{policy area key}/{goal key}``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from aarshjul.errors import NotFound
from aarshjul.participation.plan_state import addenda, plan_state
from aarshjul.participation.plan_texts import Subject, history, open_addenda, save_text
from aarshjul.participation.plan_view import digital_plan, search_plan
from aarshjul.participation.public_phases import public_phases
from aarshjul.participation.texts import LEVELS, STATUS, day_month, word
from aarshjul.web.context import PageDep, SignedInDep

router = APIRouter()
SUBJECTS: tuple[Subject, ...] = ("goal", "policy_area")


def _helpers() -> dict[str, Any]:
    return {"day": day_month, "level": lambda k, loc: word(LEVELS, k, loc),
            "status": lambda k, loc: word(STATUS, k, loc)}  # fmt: skip


@router.get("/plan", response_class=HTMLResponse)
def plan_page(current: PageDep) -> Response:
    plan = digital_plan(current.session, organisation=current.org, today=current.today)
    return current.render("plan.html", plan=plan, active="plan", **_helpers())


@router.get("/plan/search", response_class=HTMLResponse)
def plan_search(current: PageDep, q: Annotated[str, Query(max_length=200)] = "") -> Response:
    plan = digital_plan(current.session, organisation=current.org, today=current.today)
    hits = search_plan(plan, q)
    return current.render(
        "plan_search.html", plan=plan, q=q, hits=hits, active="plan", **_helpers()
    )


@router.get("/plan/wheel.svg")
def public_wheel(current: PageDep) -> Response:
    """This year's wheel without people (``aarshjul wheel --public``), in the reader's language."""
    from aarshjul.wheel.picture import draw_wheel
    from aarshjul.wheel.wheel_service import wheel_data

    data = wheel_data(
        current.session, organisation=current.org, year=current.today.year, today=current.today,
        public=True, locale=current.locale,
    )  # fmt: skip
    return Response(
        draw_wheel(data), media_type="image/svg+xml",
        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff",
                 "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"},
    )  # fmt: skip


@router.get("/plan/{area_key}", response_class=HTMLResponse)
def area_page(current: PageDep, area_key: str) -> Response:
    plan = digital_plan(current.session, organisation=current.org, today=current.today)
    area = plan.area(area_key)
    return current.render("plan_area.html", plan=plan, area=area, active="plan", **_helpers())


@router.get("/plan/{area_key}/{goal_key}", response_class=HTMLResponse)
def goal_page(current: PageDep, area_key: str, goal_key: str) -> Response:
    plan = digital_plan(current.session, organisation=current.org, today=current.today)
    area, goal = plan.area(area_key), plan.goal(area_key, goal_key)
    _, versions = history(
        current.session, organisation=current.org, subject="goal", key=goal_key,
        items=plan.addenda, today=current.today,
    )  # fmt: skip
    shown = [v for v in versions if v.in_force is not None]
    return current.render(
        "plan_goal.html", plan=plan, area=area, goal=goal, versions=shown, active="plan",
        **_helpers(),
    )  # fmt: skip


def _subject(subject: str) -> Subject:
    if subject not in SUBJECTS:
        raise NotFound(f"no such kind of text: {subject!r}")
    return "goal" if subject == "goal" else "policy_area"


@router.get("/plan-text/{subject}/{key}", response_class=HTMLResponse)
def edit_text_page(current: SignedInDep, subject: str, key: str) -> Response:
    page = current.page
    items = addenda(public_phases(page.session, organisation=page.org), page.today)
    target, versions = history(
        page.session, organisation=page.org, subject=_subject(subject), key=key, items=items,
        today=page.today,
    )  # fmt: skip
    adopted = plan_state(items, page.today).state == "adopted"
    return page.render(
        "plan_text_edit.html", subject=subject, key=key, target=target, versions=versions,
        choices=open_addenda(items), adopted=adopted,
        current_text=versions[0].body if versions else getattr(target, "description", ""),
        **_helpers(),
    )  # fmt: skip


@router.post("/plan-text/{subject}/{key}")
def save_text_page(
    current: SignedInDep,
    subject: str,
    key: str,
    body: Annotated[str, Form(max_length=20_000)],
    addendum: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    page = current.page
    plan = digital_plan(page.session, organisation=page.org, today=page.today)
    save_text(
        page.session, organisation=page.org, viewer=current.viewer, subject=_subject(subject),
        key=key, body=body, addendum_key=addendum or None, items=plan.addenda,
        adopted=plan.state.state == "adopted", now=page.now,
    )  # fmt: skip
    return RedirectResponse(f"/plan-text/{subject}/{key}", status_code=303)
