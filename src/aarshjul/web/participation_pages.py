"""The idea phase and hearings online: ``GET/POST /ideas``, ``/hearings``, ``/hearings/{key}``.

While a phase open to the public runs, its page is a form (plain POST, multipart for the PDF);
outside its period the page says when it opens or that it closed, and a POST is refused with
409 and the same message. The receipt mail is sent right after the response.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, File, Form, UploadFile
from fastapi.responses import HTMLResponse, Response

from aarshjul.access.tokens import new_token
from aarshjul.errors import NotFound
from aarshjul.participation.plan_view import digital_plan
from aarshjul.participation.public_phases import PublicPhase, find_public_phase, public_phases
from aarshjul.participation.receipts import send_receipt
from aarshjul.participation.submissions import (
    FormProblems,
    SubmissionForm,
    receive_submission,
)
from aarshjul.participation.texts import closed_message, day_month, no_phase_message
from aarshjul.web.context import Page, PageDep, WebConfig, client_of

router = APIRouter()


def idea_phase(current: Page) -> PublicPhase | None:
    """The idea phase the page is about: the open one, else the next, else the last."""
    phases = [
        p for p in public_phases(current.session, organisation=current.org) if p.kind == "ideas"
    ]
    today = current.today
    for state in ("open", "coming"):
        found = [p for p in phases if p.state(today) == state]
        if found:
            return found[0]
    return phases[-1] if phases else None


def _form_page(
    current: Page, phase: PublicPhase, action: str, status: int = 200, **extra: object
) -> Response:
    state = phase.state(current.today)
    if state != "open":
        message = closed_message(
            name=phase.name(current.locale), state=state, start=phase.start, end=phase.end,
            locale=current.locale,
        )  # fmt: skip
        return current.render(
            "participate_closed.html", status_code=status, message=message, phase=phase
        )
    plan = digital_plan(current.session, organisation=current.org, today=current.today)
    values = {
        "name": "",
        "email": "",
        "association": "",
        "concerns": "",
        "body": "",
        "publish_name": False,
    }
    return current.render(
        "participate_form.html", status_code=status, phase=phase, plan=plan, action=action,
        form_key=new_token(), values=extra.pop("values", values), problems=extra.pop("problems", {}),
        max_mb=current.cfg.runtime.settings.attachment_max_mb, day=day_month, active=phase.kind,
        **extra,
    )  # fmt: skip


@router.get("/ideas", response_class=HTMLResponse)
def ideas_page(current: PageDep) -> Response:
    phase = idea_phase(current)
    if phase is None:
        message = no_phase_message("ideas", current.locale)
        return current.render(
            "participate_closed.html", message=message, phase=None, active="ideas"
        )
    return _form_page(current, phase, "/ideas")


@router.get("/hearings", response_class=HTMLResponse)
def hearings_page(current: PageDep) -> Response:
    phases = [
        p for p in public_phases(current.session, organisation=current.org) if p.kind == "hearing"
    ]
    return current.render(
        "hearings.html", phases=list(reversed(phases)), day=day_month, active="hearing"
    )


@router.get("/hearings/{key}", response_class=HTMLResponse)
def hearing_page(current: PageDep, key: str) -> Response:
    phase = _hearing(current, key)
    return _form_page(current, phase, f"/hearings/{phase.key}")


def _hearing(current: Page, key: str) -> PublicPhase:
    phase = find_public_phase(
        current.session, organisation=current.org, key=key, year=current.today.year
    )
    if phase.kind != "hearing":
        raise NotFound(no_phase_message("hearing", current.locale))
    return phase


FormText = Annotated[str, Form(max_length=20_000)]
FormShort = Annotated[str, Form(max_length=300)]


@router.post("/ideas", response_class=HTMLResponse)
def submit_idea(
    current: PageDep, background: BackgroundTasks, name: FormShort = "", email: FormShort = "",
    body: FormText = "", form_key: FormShort = "", association: FormShort = "",
    concerns: FormShort = "", publish_name: Annotated[bool, Form()] = False,
    website: FormShort = "", attachment: Annotated[UploadFile | None, File()] = None,
) -> Response:  # fmt: skip
    phase = idea_phase(current)
    if phase is None:
        raise NotFound(no_phase_message("ideas", current.locale))
    fields = _fields(name, email, body, form_key, association, concerns, publish_name, website)
    return _submit(current, background, phase, "/ideas", fields, attachment)


@router.post("/hearings/{key}", response_class=HTMLResponse)
def submit_response(
    current: PageDep, background: BackgroundTasks, key: str, name: FormShort = "",
    email: FormShort = "", body: FormText = "", form_key: FormShort = "",
    association: FormShort = "", concerns: FormShort = "",
    publish_name: Annotated[bool, Form()] = False, website: FormShort = "",
    attachment: Annotated[UploadFile | None, File()] = None,
) -> Response:  # fmt: skip
    phase = _hearing(current, key)
    fields = _fields(name, email, body, form_key, association, concerns, publish_name, website)
    return _submit(current, background, phase, f"/hearings/{phase.key}", fields, attachment)


def _fields(*values: object) -> dict[str, object]:
    names = (
        "name",
        "email",
        "body",
        "form_key",
        "association",
        "concerns",
        "publish_name",
        "honeypot",
    )
    return dict(zip(names, values, strict=True))


def _submit(
    current: Page, background: BackgroundTasks, phase: PublicPhase, action: str,
    fields: dict[str, object], attachment: UploadFile | None,
) -> Response:  # fmt: skip
    content = attachment.file.read() if attachment is not None and attachment.filename else None
    form = SubmissionForm(
        attachment_name=attachment.filename or "" if attachment is not None else "",
        attachment=content or None, locale=current.locale, **fields,  # type: ignore[arg-type]
    )  # fmt: skip
    settings = current.cfg.runtime.settings
    try:
        receipt = receive_submission(
            current.session, organisation=current.org, phase=phase, form=form,
            client=client_of(current.request), today=current.today, now=current.now,
            settings=settings,
        )  # fmt: skip
    except FormProblems as exc:
        values = {k: v for k, v in fields.items() if k not in ("form_key", "honeypot")}
        return _form_page(current, phase, action, 400, values=values, problems=exc.fields)
    if receipt.new and receipt.message_id:
        background.add_task(_send, current.cfg, receipt.message_id)
    return current.render(
        "participate_received.html", phase=phase, receipt=receipt, active=phase.kind
    )


def _send(cfg: WebConfig, message_id: int) -> None:
    runtime = cfg.runtime
    send_receipt(
        runtime.engine, message_id=message_id, now=runtime.clock.now(),
        settings=runtime.settings, sender=cfg.sender,
    )  # fmt: skip
