"""The web app's security promises: links that scanners may open, CSRF, no enumeration,
rate limits, cookie flags, revocable sessions and escaped output."""

from __future__ import annotations

import asyncio
import logging
import re
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from aarshjul.access.sign_in import request_sign_in_link
from aarshjul.access.tokens import action_token
from aarshjul.models import (
    AccessEvent,
    OutboxMessage,
    SignInToken,
    TaskEvent,
    TaskStatus,
    WebSession,
)
from aarshjul.web.context import SESSION_COOKIE
from tests.smtp import SmtpServer, free_port
from tests.web_support import XSS, WebWorld, build_world, csrf_of, form_token, served

LINK = re.compile(r"http://testserver/login/[A-Za-z0-9_\-%]+")


@pytest.fixture
def world(db_url: str, tmp_path: Path) -> Iterator[WebWorld]:
    w = build_world(db_url, tmp_path, base_url="http://testserver")
    yield w
    w.runtime.close()


@pytest.fixture
def mail_world(db_url: str, tmp_path: Path, smtp_server: SmtpServer) -> Iterator[WebWorld]:
    w = build_world(db_url, tmp_path, mail_url=smtp_server.mail_url, base_url="http://testserver")
    yield w
    w.runtime.close()


def _count(world: WebWorld, table: type) -> int:
    with Session(world.runtime.engine) as s:
        return int(s.exec(sa.select(sa.func.count()).select_from(table)).one()[0])  # type: ignore[call-overload]


def _ask_for_link(client: TestClient, email: str) -> str:
    token = form_token(client)
    response = client.post("/login", data={"csrf_token": token, "email": email})
    assert response.status_code == 200
    return response.text


def test_sign_in_link_by_mail_get_twice_changes_nothing_then_post_works_once(
    mail_world: WebWorld, smtp_server: SmtpServer
) -> None:
    client = mail_world.client()
    page = _ask_for_link(client, "Anne@Example.dk")  # case-insensitive
    assert "Tjek din mail" in page
    [mail] = smtp_server.to("anne@example.dk")
    assert mail.subject == "Log ind på årshjulet"
    url = LINK.search(mail.text)
    assert url is not None
    path = url.group(0).removeprefix("http://testserver")
    for _ in range(2):
        shown = client.get(path)
        assert shown.status_code == 200 and "Anne Kjær" in shown.text
        assert SESSION_COOKIE not in shown.cookies
    assert _count(mail_world, WebSession) == 0
    with Session(mail_world.runtime.engine) as s:
        assert s.exec(select(SignInToken)).one().used_at is None
    signed = client.post(path, data={"csrf_token": csrf_of(shown.text)})
    assert signed.status_code == 303 and signed.headers["location"] == "/tasks"
    assert client.get("/tasks").status_code == 200
    again = client.post(path, data={"csrf_token": csrf_of(client.get("/tasks").text)})
    assert again.status_code == 410 and "allerede brugt" in again.text
    assert _count(mail_world, WebSession) == 1
    with Session(mail_world.runtime.engine) as s:
        kinds = [e.kind for e in s.exec(select(AccessEvent).order_by(AccessEvent.id)).all()]
        stored = s.exec(select(OutboxMessage)).one()
    assert kinds == ["sign_in_link_sent", "signed_in", "link_refused"]
    assert stored.kind == "sign_in" and stored.status == "sent"
    assert path.split("/")[-1] not in stored.body_text + stored.body_html


def test_unknown_address_gets_the_same_answer_and_no_mail(
    mail_world: WebWorld, smtp_server: SmtpServer
) -> None:
    known = _ask_for_link(mail_world.client(), "anne@example.dk")
    unknown = _ask_for_link(mail_world.client(), "nobody@example.dk")
    inactive = _ask_for_link(mail_world.client(), "gone@example.dk")
    strip = lambda html, email: re.sub(r'value="[^"]+"', "", html).replace(email, "EMAIL")  # noqa: E731
    assert strip(known, "anne@example.dk") == strip(unknown, "nobody@example.dk")
    assert strip(known, "anne@example.dk") == strip(inactive, "gone@example.dk")
    assert [m.rcpt_tos for m in smtp_server.messages] == [["anne@example.dk"]]


def test_expired_link_is_a_clear_page_and_no_sign_in(world: WebWorld) -> None:
    with world.runtime.session() as s:
        org = world.runtime.organisation(s)
        link = request_sign_in_link(
            s,
            org=org,
            email="anne@example.dk",
            now=world.runtime.clock.now() - timedelta(minutes=16),
        )
    assert link is not None
    client = world.client()
    shown = client.get(f"/login/{link.token}")
    assert shown.status_code == 410 and "udløbet" in shown.text
    posted = client.post(
        f"/login/{link.token}", data={"csrf_token": csrf_of(form_token_page(client))}
    )
    assert posted.status_code == 410 and SESSION_COOKIE not in posted.cookies
    assert _count(world, WebSession) == 0
    assert client.get("/login/not-a-token").status_code == 404


def form_token_page(client: TestClient) -> str:
    return client.get("/login").text


def test_no_mail_channel_prints_the_link_to_the_terminal_never_to_a_log(
    world: WebWorld, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    _ask_for_link(world.client(), "anne@example.dk")
    [line] = world.console
    assert "anne@example.dk" in line and "http://testserver/login/" in line
    token = line.rsplit("/", 1)[1]
    assert token not in caplog.text
    assert _count(world, OutboxMessage) == 0


def test_with_a_mail_channel_nothing_is_printed(mail_world: WebWorld) -> None:
    _ask_for_link(mail_world.client(), "anne@example.dk")
    assert mail_world.console == []


def test_sign_in_requests_are_rate_limited_per_address_and_per_client(world: WebWorld) -> None:
    client = world.client()
    for _ in range(5):
        _ask_for_link(client, "anne@example.dk")
    token = form_token(client)
    refused = client.post("/login", data={"csrf_token": token, "email": "ANNE@example.dk"})
    assert refused.status_code == 429 and "For mange forsøg" in refused.text
    assert len(world.console) == 5
    for n in range(24):  # 6 + 24 = 30 requests from this client in the quarter
        assert (
            client.post(
                "/login", data={"csrf_token": token, "email": f"x{n}@example.dk"}
            ).status_code
            == 200
        )
    assert (
        client.post("/login", data={"csrf_token": token, "email": "new@example.dk"}).status_code
        == 429
    )


@pytest.mark.parametrize(
    "path",
    [
        "/login",
        "/logout",
        "/logout/everywhere",
        "/tasks/{id}/done",
        "/tasks/{id}/undo",
        "/a/{token}",
    ],
)
def test_post_without_the_csrf_token_is_403(world: WebWorld, path: str) -> None:
    client = world.client("anne")
    good = form_token(client, "/tasks")
    target = path.format(
        id=world.id("week"),
        token=action_token(
            task_id=world.id("week"),
            person_id=world.people["anne"].id or 0,
            key=client.app.state.web.key,
        ),  # type: ignore[attr-defined]
    )
    assert client.post(target, data={"email": "anne@example.dk"}).status_code == 403
    assert client.post(target, data={"csrf_token": good + "x"}).status_code == 403
    other = world.client("anne")  # a cookie of its own: the token of another browser is refused
    other.get("/tasks")
    assert other.post(target, data={"csrf_token": good}).status_code == 403
    assert world.task("week").status == TaskStatus.open
    assert world.console == []


def test_session_cookie_flags_on_http_and_https(db_url: str, tmp_path: Path) -> None:
    for base, secure in (("http://testserver", False), ("https://aarshjul.example.org", True)):
        w = build_world(db_url, tmp_path / base.split(":")[0], base_url=base)
        try:
            client = w.client(base_url=base)
            _ask_for_link(client, "anne@example.dk")
            path = "/login/" + w.console[-1].rsplit("/", 1)[1]
            page = client.get(path)
            signed = client.post(path, data={"csrf_token": csrf_of(page.text)})
            cookie = signed.headers["set-cookie"]
            assert cookie.startswith(f"{SESSION_COOKIE}=")
            assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
            assert ("Secure" in cookie) is secure
            csrf = page.headers.get("set-cookie", "") or client.get("/login").headers.get(
                "set-cookie", ""
            )
            assert "HttpOnly" in csrf or csrf == ""
        finally:
            w.runtime.close()


def test_sign_out_everywhere_revokes_every_session(world: WebWorld) -> None:
    laptop, phone = world.client("anne"), world.client("anne")
    assert phone.get("/tasks").status_code == 200
    token = form_token(laptop, "/tasks")
    out = laptop.post("/logout/everywhere", data={"csrf_token": token})
    assert out.status_code == 200 and "alle enheder" in out.text
    assert phone.get("/tasks").status_code == 303
    with Session(world.runtime.engine) as s:
        assert all(r.revoked_at is not None for r in s.exec(select(WebSession)).all())
        assert s.exec(select(AccessEvent.kind)).all()[-1] == "signed_out_everywhere"


def test_action_link_get_twice_changes_nothing_then_post_works_once(world: WebWorld) -> None:
    client = world.client()
    key = client.app.state.web.key  # type: ignore[attr-defined]
    anne = world.people["anne"].id or 0
    path = f"/a/{action_token(task_id=world.id('week'), person_id=anne, key=key)}"
    for _ in range(2):
        page = client.get(path)
        assert page.status_code == 200 and "Aflever målstatus" in page.text
    assert world.task("week").status == TaskStatus.open
    done = client.post(path, data={"csrf_token": csrf_of(page.text), "note": "via mail"})
    assert done.status_code == 200 and "markeret som udført" in done.text
    task = world.task("week")
    assert (
        task.status == TaskStatus.done and task.completed_by_id == anne and task.note == "via mail"
    )
    again = client.post(path, data={"csrf_token": csrf_of(page.text)})
    assert again.status_code == 200 and "allerede udført" in again.text
    assert "allerede udført" in client.get(path).text
    with Session(world.runtime.engine) as s:
        events = s.exec(select(TaskEvent).where(TaskEvent.task_id == world.id("week"))).all()
    assert [(e.to_status, e.actor_id) for e in events] == [("done", anne)]
    with Session(world.runtime.engine) as s:
        access = s.exec(select(AccessEvent)).one()
    assert (access.kind, access.person_id, access.data) == (
        "action_link_used",
        anne,
        {"task": world.id("week")},
    )
    assert SESSION_COOKIE not in client.cookies  # an action link does not sign in


def test_action_link_refuses_forgeries_and_other_people(world: WebWorld) -> None:
    client = world.client()
    key = client.app.state.web.key  # type: ignore[attr-defined]
    anne, bob = world.people["anne"].id or 0, world.people["bob"].id or 0
    forged = action_token(task_id=world.id("week"), person_id=anne, key=b"x" * 32)
    assert client.get(f"/a/{forged}").status_code == 404
    bobs_link_to_annes_task = action_token(task_id=world.id("week"), person_id=bob, key=key)
    page = client.get(f"/a/{bobs_link_to_annes_task}")
    assert page.status_code == 404 and "ikke længere din" in page.text
    assert (
        client.post(
            f"/a/{bobs_link_to_annes_task}", data={"csrf_token": csrf_of(client.get("/login").text)}
        ).status_code
        == 404
    )
    assert world.task("week").status == TaskStatus.open


def test_script_in_a_title_is_escaped_on_every_page(world: WebWorld) -> None:
    anne = world.client("anne")
    key = anne.app.state.web.key  # type: ignore[attr-defined]
    action = f"/a/{action_token(task_id=world.id('later'), person_id=world.people['anne'].id or 0, key=key)}"
    pages = [
        anne.get("/tasks").text,
        anne.get(f"/tasks/{world.id('later')}").text,
        world.client("palle").get(f"/tasks?person={world.people['anne'].id}").text,
        world.client().get(action).text,
        world.client("eric").get(f"/tasks/{world.id('later')}").text,
    ]
    for html in pages[:4]:
        assert XSS not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert XSS not in pages[4]  # a 403 page shows no title at all
    visitor = world.client()
    result = visitor.post(action, data={"csrf_token": csrf_of(visitor.get(action).text)})
    assert result.status_code == 200 and XSS not in result.text


class _HeldSmtp(SmtpServer):
    """An SMTP server that holds each message until the test lets it through."""

    def __init__(self, port: int) -> None:
        super().__init__(port=port)
        self.gate = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.get_running_loop().run_in_executor(None, self.gate.wait, 30)
        return await super().handle_DATA(server, session, envelope)


def test_the_answer_does_not_wait_for_the_mail_server(sqlite_url: str, tmp_path: Path) -> None:
    """Known and unknown addresses are answered before any mail is sent (same timing class)."""
    smtp = _HeldSmtp(free_port())
    smtp.start()
    port = free_port()
    world = build_world(
        sqlite_url, tmp_path, mail_url=smtp.mail_url, base_url=f"http://127.0.0.1:{port}"
    )
    try:
        with served(world.app(), port) as url, httpx.Client(base_url=url, timeout=20) as client:
            token = csrf_of(client.get("/login").text)
            for address in ("anne@example.dk", "nobody@example.dk"):
                answer = client.post("/login", data={"csrf_token": token, "email": address})
                assert answer.status_code == 200 and "Tjek din mail" in answer.text
            assert smtp.messages == []  # answered while the mail server still holds the mail
            smtp.gate.set()
            deadline = time.monotonic() + 20
            while not smtp.messages and time.monotonic() < deadline:
                time.sleep(0.05)
            assert [m.rcpt_tos for m in smtp.messages] == [["anne@example.dk"]]
    finally:
        smtp.gate.set()
        smtp.stop()
        world.runtime.close()


def test_pages_forbid_framing_caching_and_referers(world: WebWorld) -> None:
    page = world.client("anne").get("/tasks")
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"


def test_bad_form_input_is_a_clear_400_page(world: WebWorld) -> None:
    client = world.client("palle")
    token = form_token(client, "/tasks")
    bad = client.post(
        f"/tasks/{world.id('week')}/reassign", data={"csrf_token": token, "owner": "x"}
    )
    assert bad.status_code == 400 and "owner" in bad.text and "<html" in bad.text
    long = client.post("/login", data={"csrf_token": token, "email": "a" * 300})
    assert long.status_code == 400 and "email" in long.text
    assert world.task("week").owner_id == world.people["anne"].id


def test_signing_in_renews_the_csrf_cookie(world: WebWorld) -> None:
    client = world.client()
    _ask_for_link(client, "anne@example.dk")
    before = csrf_of(client.get("/login").text)
    path = "/login/" + world.console[-1].rsplit("/", 1)[1]
    signed = client.post(path, data={"csrf_token": csrf_of(client.get(path).text)})
    assert signed.status_code == 303
    stale = client.post("/logout", data={"csrf_token": before})
    assert stale.status_code == 403
    fresh = csrf_of(client.get("/tasks").text)
    assert fresh != before and client.post("/logout", data={"csrf_token": fresh}).status_code == 303
