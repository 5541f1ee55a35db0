"""Calendar feeds over HTTP (for Outlook) and the page where a person manages their own.

* ``GET /calendar/{token}.ics`` — the person's open tasks (the secret token is the only key);
* ``GET /calendar/{token}/organisation.ics`` — the organisation's year for that token's holder;
* ``GET /calendar/organisation.ics`` — the organisation's year: for signed-in staff, and for
  anyone when the organisation publishes it (``public_calendar``);
* ``GET /calendar`` — the person's feed URLs, how to subscribe in Outlook, and ``POST
  /calendar/issue``, ``/calendar/reissue``, ``/calendar/revoke`` (CSRF, audited).

A feed answers ``text/calendar`` with a strong ``ETag`` (the feed is byte-identical while
nothing in it changed) and ``304 Not Modified`` to a matching ``If-None-Match``. There is no
``Last-Modified``: a task leaving the feed changes no event's date, so the newest event date
would wrongly answer "not modified". An unknown, forged, revoked or re-issued token gets a bare
``404`` that does not say which. Tokens are masked in the server's access log
(:mod:`aarshjul.web.log_masking`).
"""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from sqlmodel import Session

from aarshjul.errors import ConfigError
from aarshjul.feeds.ical_feed import (
    MEDIA_TYPE,
    organisation_feed,
    organisation_feed_by_token,
    person_feed_by_token,
    public_organisation_feed,
)
from aarshjul.feeds.subscriptions import feed_links, issue_feed_url, revoke_feed_url
from aarshjul.web.context import PageDep, SignedInDep, SignInRequired, client_of, config, db
from aarshjul.web.i18n import add_texts

router = APIRouter()

#: Personal feeds may be stored by the client only and must be revalidated (ETag) each time;
#: a published organisation feed may be cached by anyone for the refresh interval.
PRIVATE_CACHE = "private, no-cache"
PUBLIC_CACHE = "public, max-age=3600"
FEED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
}

add_texts({
    "calendar_title": ("Kalender i Outlook", "Calendar in Outlook"),
    "calendar_intro": (
        "Abonnér på dine opgaver i Outlook, så fristerne står i din kalender ved siden af dine "
        "møder. Kalenderen opdateres af sig selv; en udført opgave forsvinder.",
        "Subscribe to your tasks in Outlook so the deadlines sit in your calendar next to your "
        "meetings. The calendar updates itself; a task that is done disappears.",
    ),
    "feed_tasks": ("Mine opgaver", "My tasks"),
    "feed_org": ("Årshjulet: faser, møder og milepæle", "The annual cycle: phases, meetings and milestones"),
    "feed_none": (
        "Du har intet kalender-link endnu.", "You have no calendar link yet.",
    ),
    "feed_issue": ("Opret mit kalender-link", "Create my calendar link"),
    "feed_reissue": ("Lav et nyt link", "Make a new link"),
    "feed_reissue_hint": (
        "Det gamle link holder op med at virke med det samme. Brug det, hvis linket er kommet "
        "ud til andre.",
        "The old link stops working at once. Use it if the link has reached others.",
    ),
    "feed_revoke": ("Luk mit kalender-link", "Close my calendar link"),
    "feed_secret": (
        "Linket er personligt: den, der har det, kan se dine opgaver. Del det ikke.",
        "The link is personal: whoever has it can see your tasks. Do not share it.",
    ),
    "feed_issued": ("Dit kalender-link er klar.", "Your calendar link is ready."),
    "feed_reissued": (
        "Du har fået et nyt kalender-link; det gamle virker ikke længere. Abonnér igen i Outlook.",
        "You have a new calendar link; the old one no longer works. Subscribe again in Outlook.",
    ),
    "feed_revoked": (
        "Dit kalender-link er lukket. Outlook får ikke flere opdateringer.",
        "Your calendar link is closed. Outlook gets no more updates.",
    ),
    "feed_unconfigured": (
        "Kalender-links er ikke slået til: administratoren skal sætte AARSHJUL_SECRET_KEY.",
        "Calendar links are not enabled: the administrator must set AARSHJUL_SECRET_KEY.",
    ),
    "outlook_how": ("Sådan abonnerer du i Outlook", "How to subscribe in Outlook"),
    "outlook_desktop": (
        "Outlook på pc: åbn Kalender, vælg Tilføj kalender → Fra internettet …, indsæt linket "
        "og tryk OK, og svar Ja til at tilføje kalenderen.",
        "Outlook for Windows: open Calendar, choose Add Calendar → From Internet…, paste the link, "
        "press OK and answer Yes to add the calendar.",
    ),
    "outlook_web": (
        "Outlook på nettet og den nye Outlook: åbn Kalender, vælg Tilføj kalender → Abonner fra "
        "internettet, indsæt linket, giv kalenderen et navn og tryk Importér.",
        "Outlook on the web and new Outlook: open Calendar, choose Add calendar → Subscribe from "
        "web, paste the link, name the calendar and press Import.",
    ),
    "outlook_refresh": (
        "Outlook henter kalenderen igen med få timers mellemrum, så en ændring kan være et "
        "stykke tid om at vise sig. Abonnér, importér ikke: en importeret kalender opdateres "
        "aldrig.",
        "Outlook fetches the calendar again every few hours, so a change may take a while to "
        "show. Subscribe, do not import: an imported calendar never updates.",
    ),
    "other_calendars": (
        "Google Kalender: Andre kalendere → + → Fra webadresse. Apple Kalender: Arkiv → Nyt "
        "kalenderabonnement.",
        "Google Calendar: Other calendars → + → From URL. Apple Calendar: File → New Calendar "
        "Subscription.",
    ),
    "feed_public": (
        "Årshjulet er offentligt; alle kan abonnere på det:",
        "The annual cycle is public; anyone can subscribe to it:",
    ),
    "feed_whole_year": ("Hele årshjulet", "The whole annual cycle"),
    "feed_download": ("Hent årshjulet som fil", "Download the annual cycle as a file"),
    "feed_download_hint": (
        "faser, møder og milepæle til en engangsimport; den opdateres ikke af sig selv.",
        "phases, meetings and milestones for a one-off import; it does not update itself.",
    ),
    "copy_link": ("Kalender-link", "Calendar link"),
})  # fmt: skip


def feed_response(request: Request, body: bytes, *, shared: bool = False) -> Response:
    """The feed with its ETag; ``304`` when the client already has these bytes."""
    etag = f'"{hashlib.sha256(body).hexdigest()[:40]}"'
    headers = {
        "ETag": etag, "Cache-Control": PUBLIC_CACHE if shared else PRIVATE_CACHE,
        "Content-Disposition": 'inline; filename="aarshjul.ics"', **FEED_HEADERS,
    }  # fmt: skip
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=MEDIA_TYPE, headers=headers)


def _matches(header: str | None, etag: str) -> bool:
    """``If-None-Match`` lists ``etag`` (weak comparison, as RFC 9110 says for GET) or is ``*``."""
    if not header:
        return False
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or etag in tags


def _not_found() -> Response:
    """The same bare answer for every token that does not work (no hint which part failed)."""
    return PlainTextResponse("Not found\n", status_code=404, headers=FEED_HEADERS)


SessionDep = Annotated[Session, Depends(db)]


@router.api_route("/calendar/organisation.ics", methods=["GET", "HEAD"])
def organisation_ics(current: PageDep) -> Response:
    """Signed-in staff get the organisation's year; anyone else only when it is published."""
    page, url = current, current.cfg.public_url
    if page.viewer is not None:
        body: bytes | None = organisation_feed(
            page.session, organisation=page.org, today=page.today, now=page.now, base_url=url
        )
    else:
        body = public_organisation_feed(
            page.session, organisation_key=page.org.key, today=page.today, now=page.now,
            base_url=url,
        )  # fmt: skip
    if body is None:
        raise SignInRequired()
    return feed_response(page.request, body, shared=page.viewer is None)


@router.api_route("/calendar/{token}/organisation.ics", methods=["GET", "HEAD"])
def organisation_ics_by_token(request: Request, session: SessionDep, token: str) -> Response:
    runtime = config(request).runtime
    org = runtime.organisation(session)
    try:
        body = organisation_feed_by_token(
            session, token=token, settings=runtime.settings,
            today=runtime.clock.today(org.timezone), now=runtime.clock.now(),
        )  # fmt: skip
    except ConfigError:
        body = None
    return _not_found() if body is None else feed_response(request, body)


@router.api_route("/calendar/{token}.ics", methods=["GET", "HEAD"])
def person_ics(request: Request, session: SessionDep, token: str) -> Response:
    cfg = config(request)
    try:
        body = person_feed_by_token(
            session, token=token, settings=cfg.runtime.settings, base_url=cfg.public_url
        )
    except ConfigError:
        body = None
    return _not_found() if body is None else feed_response(request, body)


_DONE = {"issued": "feed_issued", "reissued": "feed_reissued", "revoked": "feed_revoked"}


@router.get("/calendar", response_class=HTMLResponse)
def calendar_page(current: SignedInDep, done: str | None = None) -> Response:
    page = current.page
    links = feed_links(
        page.session, organisation=page.org, email=current.viewer.email,
        settings=page.cfg.runtime.settings, base_url=page.cfg.public_url,
    )  # fmt: skip
    notice = page.t(_DONE[done]) if done in _DONE else None
    return page.render("calendar.html", links=links, notice=notice)


def _issue(current: SignedInDep, *, reissue: bool) -> Response:
    page = current.page
    issue_feed_url(
        page.session, organisation=page.org, email=current.viewer.email,
        settings=page.cfg.runtime.settings, now=page.now, reissue=reissue, method="web",
        client=client_of(page.request),
    )  # fmt: skip
    return RedirectResponse(
        f"/calendar?done={'reissued' if reissue else 'issued'}", status_code=303
    )


@router.post("/calendar/issue")
def issue(current: SignedInDep) -> Response:
    return _issue(current, reissue=False)


@router.post("/calendar/reissue")
def reissue(current: SignedInDep) -> Response:
    return _issue(current, reissue=True)


@router.post("/calendar/revoke")
def revoke(current: SignedInDep) -> Response:
    page = current.page
    revoke_feed_url(
        page.session, organisation=page.org, email=current.viewer.email, now=page.now,
        method="web", client=client_of(page.request),
    )  # fmt: skip
    return RedirectResponse("/calendar?done=revoked", status_code=303)
