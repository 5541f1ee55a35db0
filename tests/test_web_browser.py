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

from aarshjul.web.context import SESSION_COOKIE
from tests.cli_helpers import run, run_json
from tests.smtp import SmtpServer, free_port
from tests.web_support import WebWorld, build_world, served

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
    env = {"AARSHJUL_MAIL_URL": smtp_server.mail_url, "AARSHJUL_BASE_URL": url,
           "AARSHJUL_DATA_DIR": str(tmp_path / "data")}  # fmt: skip
    for name, value in env.items():  # the CLI's compose signs links with the app's key
        monkeypatch.setenv(name, value)
    world = build_world(sqlite_url, tmp_path, mail_url=smtp_server.mail_url, base_url=url)
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
