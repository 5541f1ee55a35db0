"""What every route shares: the app's configuration, the per-request page, CSRF and errors.

Dependencies (``Depends``) give a route its database session, the signed-in person and the
checks, so no route re-implements them:

* :func:`db` — a session that commits before the response is sent;
* :func:`page` — the organisation, the viewer (or None), language, today and the renderer;
* :func:`signed_in` — the same, but a visitor who is not signed in is sent to ``/login``;
* :func:`csrf_protect` — on the whole app: every POST must carry the form token that matches
  the browser's CSRF cookie (``csrf_token`` field or ``X-CSRF-Token`` header), else 403.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import jinja2
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from aarshjul.access.board_access import may_see_board
from aarshjul.access.permissions import Viewer, viewer_for_session
from aarshjul.access.tokens import new_token, same, sign
from aarshjul.models.organisation import Organisation
from aarshjul.notifications.formatting import locale_of, long_date, workdays_text
from aarshjul.notifications.sending import Sender
from aarshjul.reports.sections import may_read as may_read_report
from aarshjul.runtime import Runtime
from aarshjul.web.i18n import browser_locale, text

SESSION_COOKIE = "aarshjul_session"
CSRF_COOKIE = "aarshjul_csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
TEMPLATES = Path(__file__).parent / "templates"
#: On every page: nothing cached (pages are personal), no framing, no scripts or styles from
#: elsewhere, and no Referer (sign-in and action links carry their token in the path).
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


@dataclass
class WebConfig:
    """The app's own settings, fixed when it is built (see :func:`aarshjul.web.create_app`).

    ``public_url`` is where links in mails point (``AARSHJUL_BASE_URL``, else the app's own
    address; never the request's Host header, which a client chooses). ``console`` prints a
    sign-in link to the app's terminal (only with no mail channel, on a loopback address).
    """

    runtime: Runtime
    public_url: str
    key: bytes
    templates: jinja2.Environment
    console: Callable[[str], None] | None = None
    sender: Sender | None = None
    oidc: Any = None
    extra_nav: list[tuple[str, str]] = field(default_factory=list)

    @property
    def secure(self) -> bool:
        return self.public_url.startswith("https://")


def environment() -> jinja2.Environment:
    """The page templates: autoescaped (as the messages' HTML), strict about undefined names."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["long_date"] = long_date
    env.filters["workdays"] = workdays_text
    env.globals["reads_planning_report"] = may_read_report
    env.globals["sees_board"] = may_see_board
    return env


class SignInRequired(Exception):
    """The page needs a signed-in person; the app answers with a redirect to ``/login``."""


class CsrfRefused(Exception):
    """A state-changing request without the right CSRF token (HTTP 403)."""


def config(request: Request) -> WebConfig:
    cfg: WebConfig = request.app.state.web
    return cfg


def db(request: Request) -> Iterator[Session]:
    """A session for this request: committed when the route returns, before the response."""
    with config(request).runtime.session() as session:
        yield session


def client_of(request: Request) -> str:
    """The client's address as the (trusted) proxy reports it, for rate limits and the audit."""
    return request.client.host if request.client else ""


def csrf_cookie(request: Request) -> str:
    """The browser's CSRF cookie, or a new one that the response will set."""
    value = request.cookies.get(CSRF_COOKIE)
    if not value or len(value) > 100:
        value = getattr(request.state, "new_csrf", None) or new_token()
        request.state.new_csrf = value
    return value


def csrf_token(cfg: WebConfig, cookie: str) -> str:
    return sign(cfg.key, f"csrf:{cookie}")


async def csrf_protect(request: Request) -> None:
    """Refuse a state-changing request whose token does not match the CSRF cookie."""
    if request.method in SAFE_METHODS:
        return
    cookie = request.cookies.get(CSRF_COOKIE)
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    if not cookie or not sent or not same(sent, csrf_token(config(request), cookie)):
        raise CsrfRefused()


@dataclass
class Page:
    """One request's view of the app: who, where, when and in which language."""

    request: Request
    session: Session
    cfg: WebConfig
    org: Organisation
    viewer: Viewer | None
    locale: str
    today: date
    now: datetime
    preview: bool

    def t(self, key: str, **values: object) -> str:
        return text(key, self.locale, **values)

    def use_locale(self, locale: str) -> None:
        """Speak ``locale`` on this page (a page about one person who is not signed in)."""
        if self.viewer is None:
            self.locale = locale_of(locale)
            self.request.state.locale = self.locale

    def render(self, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        return render(self.request, self.cfg, template, status_code, page=self, **context)


def render(
    request: Request, cfg: WebConfig, template: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """Render a page or fragment; sets the CSRF cookie when this browser had none."""
    locale = getattr(request.state, "locale", "da")
    values = {
        "t": lambda key, **v: text(key, locale, **v), "locale": locale,
        "csrf_token": csrf_token(cfg, csrf_cookie(request)), "nav": cfg.extra_nav,
        "oidc_label": cfg.runtime.settings.oidc_label if cfg.oidc is not None else None,
        "page": None, **context,
    }  # fmt: skip
    body = cfg.templates.get_template(template).render(values)
    response = HTMLResponse(body, status_code=status_code)
    new = getattr(request.state, "new_csrf", None)
    if new:
        response.set_cookie(
            CSRF_COOKIE, new, httponly=True, samesite="lax", secure=cfg.secure, path="/"
        )
    response.headers.update(SECURITY_HEADERS)
    return response


def page(request: Request, session: Annotated[Session, Depends(db, scope="function")]) -> Page:
    """The page context; ``viewer`` is None when nobody is signed in."""
    cfg = config(request)
    runtime = cfg.runtime
    org = runtime.organisation(session)
    now = runtime.clock.now()
    token = request.cookies.get(SESSION_COOKIE)
    viewer = (
        viewer_for_session(session, token=token, organisation_id=org.id or 0, now=now)
        if token
        else None
    )
    if viewer is not None:
        locale = locale_of(viewer.locale)
    else:
        locale = browser_locale(request.headers.get("accept-language"))
    request.state.locale = locale
    return Page(
        request=request, session=session, cfg=cfg, org=org, viewer=viewer, locale=locale,
        today=runtime.clock.today(org.timezone), now=now,
        preview=runtime.clock.is_preview(org.timezone),
    )  # fmt: skip


PageDep = Annotated[Page, Depends(page)]


@dataclass
class SignedIn:
    """A :class:`Page` with a viewer for certain."""

    page: Page
    viewer: Viewer


def signed_in(current: PageDep) -> SignedIn:
    """The page of a signed-in person; anyone else is sent to ``/login``."""
    if current.viewer is None:
        raise SignInRequired()
    return SignedIn(current, current.viewer)


SignedInDep = Annotated[SignedIn, Depends(signed_in)]
