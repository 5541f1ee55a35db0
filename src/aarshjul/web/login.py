"""Signing in with an e-mailed link, and signing out (``/login``, ``/logout``).

``POST /login`` answers every address alike (no enumeration) and does the same work in the
request for each: it counts the request against the rate limits (per address, per client) and
hands the address to a background task, which runs after the response is sent, makes the link
for a known address and mails it through the outbox at once. ``GET /login/{token}`` only shows
a button (mail scanners open links); its ``POST`` signs in.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, Form, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from aarshjul.access import rate_limit
from aarshjul.access.board_access import landing_page
from aarshjul.access.sessions import end_all_sessions, end_session
from aarshjul.access.sign_in import (
    LINK_MINUTES,
    LinkRefused,
    LinkState,
    inspect_sign_in_link,
    redeem_sign_in_link,
    request_sign_in_link,
)
from aarshjul.access.tokens import new_token
from aarshjul.models.organisation import Person
from aarshjul.notifications.sign_in_mail import send_sign_in_mail
from aarshjul.web.context import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    PageDep,
    SignedInDep,
    WebConfig,
    client_of,
)

router = APIRouter()


def safe_next(value: str | None) -> str:
    """A local path to go to after signing in (never another site)."""
    if value and value.startswith("/") and not value.startswith(("//", "/\\")):
        return value
    return "/tasks"


@router.get("/login", response_class=HTMLResponse)
def login_form(
    current: PageDep, after: Annotated[str | None, Query(alias="next")] = None
) -> Response:
    if current.viewer is not None:
        return RedirectResponse(safe_next(after), status_code=303)
    return current.render("login.html", next=safe_next(after))


@router.post("/login", response_class=HTMLResponse)
def request_link(
    current: PageDep, background: BackgroundTasks, email: Annotated[str, Form(max_length=254)]
) -> Response:
    """Same page for every address; 429 when the address or the client asked too often."""
    address = email.strip()
    client = client_of(current.request)
    session, now = current.session, current.now
    allowed = rate_limit.allow(session, limit=rate_limit.CLIENT, key=client, now=now)
    allowed = allowed and rate_limit.allow(session, limit=rate_limit.ADDRESS, key=address, now=now)
    if not allowed:
        return current.render(
            "login.html", status_code=429, next="/tasks", error=current.t("too_many")
        )
    background.add_task(_send_link, current.cfg, address, client)
    return current.render("login_sent.html", email=address, minutes=LINK_MINUTES)


def _send_link(cfg: WebConfig, email: str, client: str) -> None:
    """Make and send the link for a known address (after the response: same timing for all)."""
    runtime = cfg.runtime
    now = runtime.clock.now()
    with runtime.session() as session:
        org = runtime.organisation(session)
        link = request_sign_in_link(session, org=org, email=email, now=now, client=client)
    if link is None:
        return
    url = f"{cfg.public_url}/login/{quote(link.token)}"
    settings = runtime.settings
    status = send_sign_in_mail(
        runtime.engine, organisation=org, person_id=link.person_id, email=link.email,
        name=link.name, locale=link.locale, url=url, minutes=LINK_MINUTES, now=now,
        settings=settings, sender=cfg.sender,
    )  # fmt: skip
    if status is None and cfg.console is not None:  # no mail channel: the app's own terminal
        cfg.console(f"Login-link til / sign-in link for {link.email}: {url}")


@router.get("/login/{token}", response_class=HTMLResponse)
def confirm_page(current: PageDep, token: str) -> Response:
    """Shows whom the link signs in and a button; uses nothing (a scanner may be opening it)."""
    state, person = inspect_sign_in_link(
        current.session, org=current.org, token=token, now=current.now
    )
    if person is not None:
        current.use_locale(person.locale)
    if state != LinkState.valid or person is None:
        return _refused(current, state)
    return current.render("sign_in_confirm.html", token=token, name=person.name)


def _refused(current: PageDep, state: LinkState) -> Response:
    status = 404 if state == LinkState.unknown else 410
    message = current.t(f"link_{state.value}")
    return current.render("link_problem.html", status_code=status, message=message)


@router.post("/login/{token}", response_class=HTMLResponse)
def sign_in(current: PageDep, token: str) -> Response:
    """Use the link once: a session cookie, then "my tasks" (the dashboard for the direktion)."""
    cfg = current.cfg
    try:
        person, cookie = redeem_sign_in_link(
            current.session, org=current.org, token=token, now=current.now,
            client=client_of(current.request), hours=cfg.runtime.settings.session_hours,
        )  # fmt: skip
    except LinkRefused as exc:
        return _refused(current, exc.state)
    response = RedirectResponse(landing_page(current.session, person), status_code=303)
    set_session_cookie(response, cfg, cookie)
    return response


def set_session_cookie(response: Response, cfg: WebConfig, token: str) -> None:
    """The session cookie: HttpOnly, SameSite=Lax, Secure when the app is served over https.

    The CSRF cookie is renewed at the same time, so no token from before signing in (one an
    attacker might have planted) is valid afterwards.
    """
    response.set_cookie(
        SESSION_COOKIE, token, max_age=cfg.runtime.settings.session_hours * 3600,
        httponly=True, samesite="lax", secure=cfg.secure, path="/",
    )  # fmt: skip
    response.set_cookie(
        CSRF_COOKIE, new_token(), httponly=True, samesite="lax", secure=cfg.secure, path="/"
    )


@router.post("/logout")
def logout(current: PageDep) -> Response:
    token = current.request.cookies.get(SESSION_COOKIE)
    if token:
        end_session(
            current.session, token=token, now=current.now, client=client_of(current.request)
        )
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/logout/everywhere")
def logout_everywhere(current: SignedInDep) -> Response:
    """Revoke every session of the signed-in person (every browser, every device)."""
    page = current.page
    person = page.session.get_one(Person, current.viewer.person_id)
    end_all_sessions(page.session, person=person, now=page.now, client=client_of(page.request))
    response = page.render(
        "link_problem.html",
        message=page.t("signed_out_everywhere"),
        title=page.t("sign_out_everywhere"),
    )
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
