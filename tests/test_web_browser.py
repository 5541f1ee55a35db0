"""One journey in a real headless Chromium (Debian's, driven by Playwright): a digest arrives at
the test SMTP server → its "Markér som udført" link → the confirmation page → done → sign in by
e-mail link → "my tasks" → mark another task done → ``aarshjul tasks --format json`` shows both
done by the person; screenshots of "my tasks" in Danish and English, narrow and wide.

Screenshots go to ``$AARSHJUL_ARTIFACTS`` or ``tests/artifacts/`` (git-ignored). Without
Chromium or Playwright the test skips, except under ``CI=true``, where it must run.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

from aarshjul.web.context import SESSION_COOKIE
from tests.cli_helpers import run, run_json
from tests.smtp import SmtpServer, free_port
from tests.web_support import WebWorld, add_goals, build_world, served

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
ARTIFACTS = Path(os.environ.get("AARSHJUL_ARTIFACTS") or Path(__file__).parent / "artifacts")


def _playwright() -> Any:
    ci = os.environ.get("CI", "").lower() == "true"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if ci:
            pytest.fail("CI=true needs Playwright for Python (pip install -e '.[dev]')")
        pytest.skip("Playwright for Python is not installed")
    if not shutil.which(CHROMIUM):
        if ci:
            pytest.fail(f"CI=true needs Chromium at {CHROMIUM} (apt-get install chromium)")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    return sync_playwright


@pytest.fixture
def live(
    sqlite_url: str, tmp_path: Path, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[WebWorld, str]]:
    """The app served by uvicorn on a free port, mailing through the test SMTP server."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    key = Fernet.generate_key().decode()  # signs action links and calendar feed URLs
    env = {"AARSHJUL_MAIL_URL": smtp_server.mail_url, "AARSHJUL_BASE_URL": url,
           "AARSHJUL_DATA_DIR": str(tmp_path / "data"), "AARSHJUL_SECRET_KEY": key}  # fmt: skip
    for name, value in env.items():  # the CLI's compose signs links with the app's key
        monkeypatch.setenv(name, value)
    world = build_world(
        sqlite_url, tmp_path, mail_url=smtp_server.mail_url, base_url=url, secret_key=key
    )
    try:
        with served(world.app(), port):
            yield world, url
    finally:
        world.runtime.close()


def _wait_for_mail(smtp: SmtpServer, address: str, count: int) -> Any:
    deadline = time.monotonic() + 20
    while len(smtp.to(address)) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    mails = smtp.to(address)
    assert len(mails) >= count, f"no mail number {count} for {address}"
    return mails[count - 1]


def test_from_the_digest_to_done_in_a_real_browser(
    live: tuple[WebWorld, str], smtp_server: SmtpServer, sqlite_url: str
) -> None:
    sync_playwright = _playwright()
    world, url = live
    remind = run(sqlite_url, "remind", "--today", "2027-10-13", "--deliver")
    assert remind.exit_code == 0, remind.output
    digest = _wait_for_mail(smtp_server, "anne@example.dk", 1)
    done_links = re.findall(rf'href="({re.escape(url)}/a/[^"]+)">Markér som udført', digest.html)
    late = world.id("late")  # overdue: in today's digest
    [action] = [link for link in done_links if link.split("/a/")[1].startswith(f"{late}.")]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="da-DK")
            page.goto(action)
            assert page.locator("h1").inner_text() == "Markér opgaven som udført"
            assert world.task("late").status == "open"  # opening the link changed nothing
            page.screenshot(path=str(ARTIFACTS / "action-confirm-da.png"), full_page=True)
            page.fill("#note", "Sendt fra mailen")
            page.click("button:has-text('Markér som udført')")
            page.wait_for_selector("h1.ok")
            assert "markeret som udført" in page.inner_text("h1")
            page.click("a:has-text('Log ind')")
            page.fill("#email", "anne@example.dk")
            page.click("button:has-text('Send mig et login-link')")
            page.wait_for_selector("text=Tjek din mail")
            sign_in = _wait_for_mail(smtp_server, "anne@example.dk", 2)
            link = re.search(rf'href="({re.escape(url)}/login/[^"]+)"', sign_in.html)
            assert link is not None
            page.goto(link.group(1))
            page.click("button:has-text('Log ind')")
            page.wait_for_url(f"{url}/tasks")
            done_section = page.locator("section.done_recently")
            assert "Tjek servicemål" in done_section.inner_text()
            page.screenshot(path=str(ARTIFACTS / "my-tasks-da-wide.png"), full_page=True)
            page.set_viewport_size({"width": 390, "height": 844})
            page.screenshot(path=str(ARTIFACTS / "my-tasks-da-narrow.png"), full_page=True)
            page.set_viewport_size({"width": 1280, "height": 900})
            card = page.locator(f"#task-{world.id('week')}")
            card.locator("input[name=note]").fill("Klaret")
            card.locator("button:has-text('Markér som udført')").click()
            page.wait_for_selector(f"#task-{world.id('week')}.done")  # swapped in by HTMX
            assert "Fortryd" in page.locator(f"#task-{world.id('week')}").inner_text()
            page.reload()
            page.screenshot(path=str(ARTIFACTS / "my-tasks-da-after-done.png"), full_page=True)
            page.goto(f"{url}/tasks/{world.id('late')}")
            assert "Anne Kjær" in page.locator("table.history").inner_text()
            _english(browser, world, url)
            _planning(browser, world, url)
        finally:
            browser.close()
    tasks = {t["id"]: t for t in run_json(sqlite_url, "tasks")}
    for name, note in (("late", "Sendt fra mailen"), ("week", "Klaret")):
        record = tasks[world.id(name)]
        assert record["status"] == "done" and record["completed_by"] == "anne@example.dk"
        assert record["note"] == note


def _english(browser: Any, world: WebWorld, url: str) -> None:
    """Eric (locale en), signed in by a session of his own: English pages."""
    for width, height, name in ((1280, 900, "wide"), (390, 844, "narrow")):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="da-DK")
        context.add_cookies(
            [{"name": SESSION_COOKIE, "value": world.session_token("eric"), "url": url}]
        )
        page = context.new_page()
        page.goto(f"{url}/tasks")
        assert page.locator("h1").inner_text() == "My tasks"
        page.screenshot(path=str(ARTIFACTS / f"my-tasks-en-{name}.png"), full_page=True)
        context.close()


def _planning(browser: Any, world: WebWorld, url: str) -> None:
    """Palle (planning) looks at Bob's tasks and opens one to reassign it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    context.add_cookies(
        [{"name": SESSION_COOKIE, "value": world.session_token("palle"), "url": url}]
    )
    page = context.new_page()
    page.goto(f"{url}/tasks")
    page.select_option("select[name=person]", str(world.people["bob"].id))
    page.click("button:has-text('Vis')")
    assert "Bobs økonomiopgave" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / "tasks-planning-da-wide.png"), full_page=True)
    page.click("a:has-text('Bobs skoleopgave')")
    page.screenshot(path=str(ARTIFACTS / "task-page-planning-da.png"), full_page=True)
    context.close()


def _signed_in_page(browser: Any, world: WebWorld, url: str, who: str, width: int = 1280) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="da-DK")
    context.add_cookies([{"name": SESSION_COOKIE, "value": world.session_token(who), "url": url}])
    return context.new_page()


def test_an_owner_reports_a_goal_status_from_the_status_task_in_a_real_browser(
    live: tuple[WebWorld, str], sqlite_url: str
) -> None:
    """Anne opens her status task from "my tasks", reports the goal's status with a comment
    and an indicator value; the task is done; the goal page in Danish and (Eric's) in English,
    the digest link's report form and the calendar page are saved as screenshots."""
    sync_playwright = _playwright()
    world, url = live
    gw = add_goals(world)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            link = _action_link(world, url, gw.status_task_id, "anne")
            visitor = browser.new_page(viewport={"width": 1280, "height": 900}, locale="da-DK")
            visitor.goto(link)  # the digest's link: the report form, and nothing changes
            assert visitor.locator("h1").inner_text() == "Rapportér målstatus"
            visitor.screenshot(path=str(ARTIFACTS / "action-goal-report-da.png"), full_page=True)
            visitor.close()
            page = _signed_in_page(browser, world, url, "anne")
            page.goto(f"{url}/tasks")
            page.screenshot(path=str(ARTIFACTS / "my-tasks-status-task-da.png"), full_page=True)
            card = page.locator(f"#task-{gw.status_task_id}")
            card.locator("a:has-text('Rapportér status for 2026')").click()
            page.wait_for_url(f"{url}/goals/skole-m1?year=2026#report")
            page.screenshot(path=str(ARTIFACTS / "goal-form-da-wide.png"), full_page=True)
            page.check("input[name=status][value=at_risk]")
            page.fill("#comment", "Trivslen falder i udskolingen; handleplan på vej.")
            page.fill("input[name='indicator:trivsel']", "81,5")
            page.click("button:has-text('Gem målstatus')")
            page.wait_for_selector("p.notice")
            assert "Målstatus for 2026 er gemt." in page.inner_text("main")
            assert "Statusopgaven er markeret som udført." in page.inner_text("main")
            assert "2026: risiko" in page.locator("section.history-years").inner_text()
            page.screenshot(path=str(ARTIFACTS / "goal-da-wide.png"), full_page=True)
            page.set_viewport_size({"width": 390, "height": 844})
            page.screenshot(path=str(ARTIFACTS / "goal-da-narrow.png"), full_page=True)
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(f"{url}/goals")
            assert "Risiko" in page.locator(f"#goal-{gw.goal_ids['skole-m1']}").inner_text()
            page.screenshot(path=str(ARTIFACTS / "my-goals-da.png"), full_page=True)
            page.goto(f"{url}/tasks")
            assert "Statusrapport" in page.locator("section.done_recently").inner_text()
            page.goto(f"{url}/calendar")
            page.click("button:has-text('Opret mit kalender-link')")
            page.wait_for_selector("textarea.feed-url")
            page.screenshot(path=str(ARTIFACTS / "calendar-da.png"), full_page=True)
            page.context.close()
            _goal_in_english(browser, world, url)
        finally:
            browser.close()
    [task] = [t for t in run_json(sqlite_url, "tasks") if t["id"] == gw.status_task_id]
    assert task["status"] == "done" and task["completed_by"] == "anne@example.dk"
    [report] = run_json(sqlite_url, "goal", "history", "skole-m1")
    assert report["status"] == "at_risk" and report["reported_by"] == "anne@example.dk"
    assert report["indicators"][0]["value"] == 81.5 and report["task_id"] == gw.status_task_id


def _action_link(world: WebWorld, url: str, task_id: int, who: str) -> str:
    from aarshjul.access.tokens import action_token, signing_key

    person = world.people[who].id or 0
    key = signing_key(world.runtime.settings)
    return f"{url}/a/{action_token(task_id=task_id, person_id=person, key=key)}"


def _goal_in_english(browser: Any, world: WebWorld, url: str) -> None:
    """Eric (locale en) reports on his goal; his goal page and calendar page in English."""
    for width, name in ((1280, "wide"), (390, "narrow")):
        page = _signed_in_page(browser, world, url, "eric", width)
        page.goto(f"{url}/goals/eng-m1")
        if name == "wide":
            page.check("input[name=status][value=on_track]")
            page.fill("#comment", "Case handling time is down to 21 days.")
            page.click("button:has-text('Save the goal status')")
            page.wait_for_selector("p.notice")
        assert page.locator("h1").inner_text() == "Shorter case handling"
        assert "2027: on track" in page.locator("section.history-years").inner_text()
        page.screenshot(path=str(ARTIFACTS / f"goal-en-{name}.png"), full_page=True)
        if name == "wide":
            page.goto(f"{url}/calendar")
            page.screenshot(path=str(ARTIFACTS / "calendar-en.png"), full_page=True)
        page.context.close()
