"""Calendar feeds over HTTP and the page where a person manages their own feed URL: media type,
ETag and 304, a bare 404 for any token that does not work, issue/re-issue/revoke with CSRF and
an audit row, the organisation's feed for staff and (when published) for anyone, and no token
in the server's log."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from icalendar import Calendar
from sqlmodel import Session, select

from aarshjul.models import AccessEvent, Organisation
from tests.cli_helpers import run
from tests.smtp import free_port
from tests.web_support import WebWorld, build_world, csrf_of, form_token

FEED = re.compile(r">http://testserver(/calendar/[A-Za-z0-9_\-]{65}\.ics)<")
KEY = Fernet.generate_key().decode()


@pytest.fixture
def world(db_url: str, tmp_path: Path) -> Iterator[WebWorld]:
    w = build_world(db_url, tmp_path, base_url="http://testserver", secret_key=KEY)
    yield w
    w.runtime.close()


def _issue(client: Any, action: str = "issue") -> str:
    """Press the page's button; the feed's path from the page it leads to."""
    response = client.post(
        f"/calendar/{action}", data={"csrf_token": form_token(client, "/calendar")}
    )
    assert (
        response.status_code == 303 and response.headers["location"] == f"/calendar?done={action}d"
    )
    found = FEED.search(client.get("/calendar").text)
    assert found, "no feed URL on the page"
    return found.group(1)


def _events(world: WebWorld) -> list[tuple[str, int | None, str, dict[str, Any]]]:
    with Session(world.runtime.engine) as s:
        rows = s.exec(select(AccessEvent).order_by(AccessEvent.id)).all()
        return [(e.kind, e.person_id, e.method, e.data) for e in rows if e.kind.startswith("feed")]


def test_the_page_issues_a_url_that_serves_my_open_tasks_to_outlook(world: WebWorld) -> None:
    client = world.client("anne")
    page = client.get("/calendar")
    assert page.status_code == 200 and "Du har intet kalender-link endnu." in page.text
    assert "Tilføj kalender → Fra internettet" in page.text
    assert "Abonner fra internettet" in page.text
    assert 'href="/calendar" aria-current="page"' in page.text
    path = _issue(client)
    shown = client.get("/calendar").text
    assert "Dit kalender-link er klar." not in shown  # the notice belongs to the redirect only
    assert f"http://testserver{path.removesuffix('.ics')}/organisation.ics" in shown
    feed = world.client().get(path)  # a calendar has no session
    assert feed.status_code == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert feed.headers["cache-control"] == "private, no-cache"
    assert feed.headers["referrer-policy"] == "no-referrer"
    calendar = Calendar.from_ical(feed.content)
    titles = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert {"Tjek servicemål", "Aflever målstatus"} <= titles
    assert "Indkald til dialogmøde" not in titles  # done: not in the feed
    assert not any("Bob" in t for t in titles)
    week = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == "Aflever målstatus")
    assert str(week["URL"]) == f"http://testserver/tasks/{world.id('week')}"
    assert week["DTEND"].dt.toordinal() - week["DTSTART"].dt.toordinal() == 1  # exclusive end
    assert b"DTSTART;VALUE=DATE:20271015\r\n" in feed.content
    assert b"DTEND;VALUE=DATE:20271016\r\n" in feed.content and b"TZID" not in feed.content
    assert _events(world) == [("feed_url_issued", world.people["anne"].id, "web", {})]


def test_etag_and_304(world: WebWorld) -> None:
    path = _issue(world.client("anne"))
    outlook = world.client()
    first = outlook.get(path)
    etag = first.headers["etag"]
    assert etag.startswith('"') and outlook.get(path).headers["etag"] == etag  # byte-identical
    again = outlook.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    weak = outlook.get(path, headers={"If-None-Match": f'"other", W/{etag}'})
    assert weak.status_code == 304
    assert outlook.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    client = world.client("anne")  # a task done leaves the feed: a new ETag
    token = form_token(client, "/tasks")
    client.post(f"/tasks/{world.id('week')}/done", data={"csrf_token": token})
    changed = outlook.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert b"Aflever m" not in changed.content
    head = outlook.head(path)
    assert head.status_code == 200 and head.headers["etag"] == changed.headers["etag"]


def test_reissue_and_revoke_are_audited_and_stop_the_old_url(world: WebWorld) -> None:
    client = world.client("anne")
    first = _issue(client)
    org_first = first.removesuffix(".ics") + "/organisation.ics"
    assert world.client().get(org_first).status_code == 200
    second = _issue(client, "reissue")
    assert second != first
    outlook = world.client()
    gone, unknown = outlook.get(first), outlook.get("/calendar/" + "A" * 65 + ".ics")
    assert gone.status_code == unknown.status_code == 404
    assert gone.content == unknown.content == b"Not found\n"  # no hint which part failed
    assert outlook.get(org_first).status_code == 404
    assert outlook.get(second).status_code == 200
    revoked = client.post("/calendar/revoke", data={"csrf_token": form_token(client, "/calendar")})
    assert revoked.headers["location"] == "/calendar?done=revoked"
    assert "Dit kalender-link er lukket." in client.get(revoked.headers["location"]).text
    assert outlook.get(second).status_code == 404
    assert "Du har intet kalender-link endnu." in client.get("/calendar").text
    anne = world.people["anne"].id
    assert _events(world) == [
        ("feed_url_issued", anne, "web", {}),
        ("feed_url_reissued", anne, "web", {}),
        ("feed_url_revoked", anne, "web", {}),
    ]
    assert client.post("/calendar/revoke", data={"csrf_token": form_token(client, "/calendar")})
    assert len(_events(world)) == 3  # nothing to revoke: nothing audited


def test_forged_truncated_and_odd_tokens_are_a_bare_404(world: WebWorld) -> None:
    path = _issue(world.client("anne"))
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    outlook = world.client()
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), token[:40], "x", "%00" * 30):
        answer = outlook.get(f"/calendar/{bad}.ics")
        assert answer.status_code == 404 and answer.content == b"Not found\n", bad


def test_state_changes_need_the_csrf_token(world: WebWorld) -> None:
    client = world.client("anne")
    good = form_token(client, "/calendar")
    for action in ("issue", "reissue", "revoke"):
        assert client.post(f"/calendar/{action}").status_code == 403
        assert (
            client.post(f"/calendar/{action}", data={"csrf_token": good + "x"}).status_code == 403
        )
    assert _events(world) == [] and "intet kalender-link" in client.get("/calendar").text
    assert world.client().get("/calendar").status_code == 303  # the page needs a sign-in


def test_english_page_and_feed(world: WebWorld) -> None:
    client = world.client("eric")
    page = client.get("/calendar").text
    assert "Calendar in Outlook" in page and "Add Calendar → From Internet" in page
    feed = world.client().get(_issue(client))
    calendar = Calendar.from_ical(feed.content)
    assert str(calendar["X-WR-CALNAME"]) == "Annual cycle: my tasks (Eric Smith)"
    assert {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")} == {"Eric's task"}


def test_the_organisation_feed_for_staff_and_when_published_for_anyone(world: WebWorld) -> None:
    visitor = world.client()
    assert visitor.get("/calendar/organisation.ics").status_code == 303  # not published
    staff = world.client("anne").get("/calendar/organisation.ics")
    assert staff.status_code == 200 and staff.headers["cache-control"] == "private, no-cache"
    phases = [str(e["SUMMARY"]) for e in Calendar.from_ical(staff.content).walk("VEVENT")]
    assert "Høring" in phases
    assert "offentligt" not in world.client("anne").get("/calendar").text
    with Session(world.runtime.engine) as s:
        org = s.get_one(Organisation, world.org.id)
        org.public_calendar = True
        s.add(org)
        s.commit()
    public = visitor.get("/calendar/organisation.ics")
    assert public.status_code == 200 and public.headers["cache-control"] == "public, max-age=3600"
    assert public.content == staff.content
    assert "Årshjulet er offentligt" in world.client("anne").get("/calendar").text


def test_without_the_secret_key_the_page_says_so_and_feeds_are_404(
    db_url: str, tmp_path: Path
) -> None:
    w = build_world(db_url, tmp_path, base_url="http://testserver")
    try:
        client = w.client("anne")
        page = client.get("/calendar")
        assert page.status_code == 200 and "AARSHJUL_SECRET_KEY" in page.text
        assert 'action="/calendar/issue"' not in page.text
        refused = client.post("/calendar/issue", data={"csrf_token": csrf_of(page.text)})
        assert refused.status_code == 503 and "AARSHJUL_SECRET_KEY" in refused.text
        assert w.client().get("/calendar/" + "A" * 65 + ".ics").status_code == 404
    finally:
        w.runtime.close()


def test_the_cli_is_audited_too(
    world: WebWorld, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AARSHJUL_SECRET_KEY", KEY)
    monkeypatch.setenv("AARSHJUL_BASE_URL", "http://testserver")
    org = ["--org", world.org.key]
    shown = run(db_url, *org, "person", "feed-url", "anne@example.dk")
    assert shown.exit_code == 0, shown.output
    assert (
        world.client().get(shown.stdout.strip().removeprefix("http://testserver")).status_code
        == 200
    )
    assert run(db_url, *org, "person", "feed-url", "anne@example.dk").stdout == shown.stdout
    assert run(db_url, *org, "person", "feed-url", "anne@example.dk", "--revoke").exit_code == 0
    anne = world.people["anne"].id
    assert _events(world) == [
        ("feed_url_issued", anne, "cli", {}),
        ("feed_url_revoked", anne, "cli", {}),
    ]


def test_feed_tokens_never_reach_the_servers_log(
    world: WebWorld, caplog: pytest.LogCaptureFixture
) -> None:
    """uvicorn's access log at level info writes every path: the token is masked."""
    import uvicorn

    path = _issue(world.client("anne"))
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    caplog.set_level(logging.DEBUG)
    port = free_port()
    config = uvicorn.Config(
        world.app(), host="127.0.0.1", port=port, log_config=None, log_level="info",
        access_log=True,
    )  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        assert httpx.get(base + path).status_code == 200
        assert httpx.get(base + path.removesuffix(".ics") + "/organisation.ics").status_code == 200
        assert httpx.get(base + "/calendar/" + "B" * 65 + ".ics").status_code == 404
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    # everything the server side logged (the test's own HTTP client logs its URLs: not ours)
    logged = "\n".join(
        r.getMessage() for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))
    )
    assert "/calendar/[masked].ics" in logged and "/calendar/[masked]/organisation.ics" in logged
    assert token not in logged and "B" * 65 not in logged
