"""The app factory: one FastAPI app built from a :class:`~aarshjul.runtime.Runtime`.

The app holds no state of its own beyond its configuration: sessions, sign-in links and rate
limits are rows in the database, so any number of app processes can serve behind a proxy.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import OperationalError

from aarshjul.access.tokens import signing_key
from aarshjul.errors import (
    ConfigError,
    DatabaseError,
    InputError,
    NotFound,
    PermissionDenied,
    RateLimited,
    StateConflict,
)
from aarshjul.notifications.sending import Sender
from aarshjul.runtime import Runtime
from aarshjul.web import (
    actions,
    board,
    calendar_feeds,
    goals,
    health,
    log_masking,
    login,
    oidc,
    participation_pages,
    participation_texts,
    plan_pages,
    planning_report,
    submission_pages,
    tasks,
)
from aarshjul.web.context import (
    CsrfRefused,
    SignInRequired,
    WebConfig,
    config,
    csrf_protect,
    environment,
    render,
)
from aarshjul.web.i18n import text
from aarshjul.web.upload_limit import UploadLimit

STATIC = Path(__file__).parent / "static"
#: Pages in the navigation besides "my tasks" (an empty address shows the page greyed out, as
#: coming soon).
PLANNED_NAV = [("goals", "/goals"), ("calendar", "/calendar")]


def create_app(
    runtime: Runtime,
    *,
    public_url: str | None = None,
    console: Callable[[str], None] | None = None,
    sender: Sender | None = None,
) -> FastAPI:
    """The web app for ``runtime``'s database and organisation.

    ``public_url`` is the address in mailed links (default ``AARSHJUL_BASE_URL``, else
    ``http://127.0.0.1:<AARSHJUL_WEB_PORT>``); ``console`` receives sign-in links when no mail
    channel is configured (``aarshjul web`` passes ``print`` on a loopback address only).

    >>> app = create_app(build_runtime())  # doctest: +SKIP
    """
    settings = runtime.settings
    url = (public_url or settings.base_url or f"http://127.0.0.1:{settings.web_port}").rstrip("/")
    key = signing_key(settings)
    app = FastAPI(
        title="aarshjul", docs_url=None, redoc_url=None, openapi_url=None,
        dependencies=[Depends(csrf_protect)],
    )  # fmt: skip
    app.state.web = WebConfig(
        runtime=runtime, public_url=url, key=key, templates=environment(),
        console=console, sender=sender,
        oidc=oidc.make_client(settings),
        extra_nav=[*PLANNED_NAV, ("submissions", "/submissions"), ("plan", "/plan")],
    )  # fmt: skip
    participation_texts.register()
    if app.state.web.oidc is not None:
        from starlette.middleware.sessions import SessionMiddleware

        app.add_middleware(
            SessionMiddleware, secret_key=key.hex(), session_cookie="aarshjul_oidc",
            max_age=600, same_site="lax", https_only=url.startswith("https://"),
        )  # fmt: skip
    app.add_middleware(UploadLimit, max_bytes=(settings.attachment_max_mb + 1) * 1024 * 1024)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (
        health,
        oidc,
        login,
        tasks,
        actions,
        planning_report,
        board,
    ):  # /login/oidc first
        app.include_router(module.router)
    for module in (goals, calendar_feeds, plan_pages, participation_pages, submission_pages):
        app.include_router(module.router)
    log_masking.install()
    _handlers(app)
    return app


def _error(request: Request, status: int, title: str, message: str) -> Response:
    cfg = config(request)
    locale = getattr(request.state, "locale", "da")
    return render(
        request, cfg, "error.html", status,
        title=text(title, locale), message=text(message, locale) if message in _KEYS else message,
    )  # fmt: skip


_KEYS = {"forbidden_text", "csrf", "unavailable"}


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, _: Exception) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method != "GET":
            target = "/tasks"
        if request.headers.get("hx-request") == "true":  # a polled fragment: the whole page goes
            page = urlsplit(request.headers.get("hx-current-url", "")).path or "/tasks"
            return Response(status_code=204, headers={"HX-Redirect": f"/login?next={page}"})
        return RedirectResponse(f"/login?next={target}", status_code=303)

    @app.exception_handler(CsrfRefused)
    async def _csrf(request: Request, _: Exception) -> Response:
        return _error(request, 403, "forbidden", "csrf")

    @app.exception_handler(PermissionDenied)
    async def _forbidden(request: Request, _: Exception) -> Response:
        return _error(request, 403, "forbidden", "forbidden_text")

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: Exception) -> Response:
        return _error(request, 404, "not_found", str(exc))

    @app.exception_handler(StateConflict)
    async def _conflict(request: Request, exc: Exception) -> Response:
        return render(
            request, config(request), "participate_closed.html", 409, message=str(exc), phase=None
        )

    @app.exception_handler(RateLimited)
    async def _too_many(request: Request, exc: Exception) -> Response:
        return _error(request, 429, "rate_limited", str(exc))

    @app.exception_handler(InputError)
    async def _bad(request: Request, exc: Exception) -> Response:
        return _error(request, 400, "bad_request", str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        fields = ", ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: {e.get('msg', '')}"
            for e in exc.errors()
        )
        return _error(request, 400, "bad_request", fields)

    @app.exception_handler(ConfigError)
    async def _not_configured(request: Request, exc: Exception) -> Response:
        return _error(request, 503, "unavailable", str(exc))

    @app.exception_handler(DatabaseError)
    @app.exception_handler(OperationalError)
    async def _unavailable(request: Request, _: Exception) -> Response:
        return _error(request, 503, "unavailable", "unavailable")
