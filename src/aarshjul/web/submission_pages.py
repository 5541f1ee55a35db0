"""The administration's pages for submissions: ``/submissions`` (routed to me; all for
planning and direktion), one submission with reply and routing, its PDF, and the hvidbog page
for planning with its documents (``/hvidbog/{key}?format=docx|pdf|html``).

A POST here needs a signed-in person allowed to act: anyone else gets 403 (not a redirect to
sign in: a form posted without a session is refused).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from aarshjul.errors import PermissionDenied
from aarshjul.participation.answers import (
    attachment_of,
    reply_to_submission,
    route_submission,
    submission_detail,
    submission_rows,
)
from aarshjul.participation.hvidbog import hvidbog
from aarshjul.participation.hvidbog_document import hvidbog_fragment, render_hvidbog
from aarshjul.participation.public_phases import find_public_phase, public_phases
from aarshjul.participation.texts import RECOMMENDATIONS, day_month, word
from aarshjul.web.context import PageDep, SignedIn, SignedInDep

router = APIRouter()
MEDIA = {
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def acting(current: PageDep) -> SignedIn:
    """The signed-in person for a state change; 403 for anyone not signed in."""
    if current.viewer is None:
        raise PermissionDenied("sign in to do this")
    return SignedIn(current, current.viewer)


ActingDep = Annotated[SignedIn, Depends(acting)]


def _helpers() -> dict[str, Any]:
    return {"day": day_month, "recommendations": RECOMMENDATIONS,
            "rec": lambda k, loc: word(RECOMMENDATIONS, k, loc)}  # fmt: skip


@router.get("/submissions", response_class=HTMLResponse)
def list_page(current: SignedInDep, phase: Annotated[str | None, Query()] = None) -> Response:
    page = current.page
    phase_id = int(phase) if phase and phase.isdigit() else None
    rows = submission_rows(
        page.session, organisation=page.org, viewer=current.viewer, phase_id=phase_id
    )
    phases = public_phases(page.session, organisation=page.org)
    return page.render(
        "submissions.html", rows=rows, phases=phases, phase_id=phase_id, active="submissions",
        planner="planning" in current.viewer.roles or current.viewer.reads_all, **_helpers(),
    )  # fmt: skip


@router.get("/submissions/{submission_id}", response_class=HTMLResponse)
def detail_page(current: SignedInDep, submission_id: int) -> Response:
    page = current.page
    detail = submission_detail(
        page.session, organisation=page.org, viewer=current.viewer, submission_id=submission_id
    )
    return page.render(
        "submission.html", d=detail, s=detail.row, active="submissions", **_helpers()
    )


@router.post("/submissions/{submission_id}/reply")
def reply(
    current: ActingDep,
    submission_id: int,
    reply: Annotated[str, Form(max_length=20_000)],
    recommendation: Annotated[str, Form(max_length=20)],
) -> Response:
    page = current.page
    reply_to_submission(
        page.session, organisation=page.org, viewer=current.viewer, submission_id=submission_id,
        reply=reply, recommendation=recommendation, now=page.now,
    )  # fmt: skip
    return RedirectResponse(f"/submissions/{submission_id}", status_code=303)


@router.post("/submissions/{submission_id}/route")
def route(current: ActingDep, submission_id: int, owner: Annotated[int, Form()]) -> Response:
    page = current.page
    route_submission(
        page.session, organisation=page.org, viewer=current.viewer, submission_id=submission_id,
        owner_id=owner, now=page.now,
    )  # fmt: skip
    return RedirectResponse(f"/submissions/{submission_id}", status_code=303)


@router.get("/submissions/{submission_id}/attachment")
def attachment(current: SignedInDep, submission_id: int) -> Response:
    page = current.page
    found = attachment_of(
        page.session, organisation=page.org, viewer=current.viewer, submission_id=submission_id
    )
    return Response(
        found.content, media_type="application/pdf",
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(found.filename)}",
            "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )  # fmt: skip


@router.get("/hvidbog/{key}", response_class=HTMLResponse)
def hvidbog_page(
    current: SignedInDep, key: str, fmt: Annotated[str | None, Query(alias="format")] = None
) -> Response:
    """The hvidbog of a public phase, for ``planning`` (and ``direktion``, who read all)."""
    page = current.page
    if not current.viewer.reads_all:
        raise PermissionDenied("the hvidbog page is for planning")
    phase = find_public_phase(page.session, organisation=page.org, key=key, year=page.today.year)
    book = hvidbog(
        page.session, organisation=page.org, phase=phase, today=page.today, locale=page.locale
    )
    if fmt in MEDIA:
        name = f"hvidbog-{phase.key}.{fmt}"
        return Response(
            render_hvidbog(book, fmt),
            media_type=MEDIA[fmt],
            headers={"Content-Disposition": f'attachment; filename="{name}"',
                     "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
        )  # fmt: skip
    return page.render(
        "hvidbog_page.html",
        book=book,
        phase=phase,
        body=hvidbog_fragment(book),
        active="submissions",
    )
