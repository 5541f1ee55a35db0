"""The board's dashboard in a real headless Chromium (Playwright): a direktion member signs in
with an e-mailed link and lands on the wheel, reaches a phase arc with the keyboard and reads its
numbers in the panel, drills down to a committee, downloads its XLSX; a department head gets
403. Screenshots (Danish wide, English narrow, the drill-down) go to the ARTIFACTS folder.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from aarshjul.models import Person
from aarshjul.web.context import SESSION_COOKIE
from tests.board_support import BoardWorld, board_world
from tests.smtp import SmtpServer, free_port
from tests.test_web_browser import ARTIFACTS, CHROMIUM, FLAGS, _playwright, _wait_for_mail
from tests.web_support import served

IDEA = "/board/phase/helhedsplan-2027--idea"


@pytest.fixture
def live(
    sqlite_url: str, tmp_path: Path, smtp_server: SmtpServer
) -> Iterator[tuple[BoardWorld, str]]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    world = board_world(
        sqlite_url, tmp_path, extra_groups=3, mail_url=smtp_server.mail_url, base_url=url
    )
    with Session(world.runtime.engine) as s:  # Palle (planning) reads English
        person = s.get_one(Person, world.board.people["plan"].id)
        person.locale = "en"
        s.add(person)
        s.commit()
    try:
        with served(world.app(), port):
            yield world, url
    finally:
        world.runtime.close()


def _sign_in(page: Any, smtp: SmtpServer, url: str, email: str) -> None:
    page.goto(f"{url}/login")
    page.fill("#email", email)
    page.click("button:has-text('Send mig et login-link')")
    page.wait_for_selector("text=Tjek din mail")
    mail = _wait_for_mail(smtp, email, 1)
    link = re.search(rf'href="({re.escape(url)}/login/[^"]+)"', mail.html)
    assert link is not None
    page.goto(link.group(1))
    page.click("button:has-text('Log ind')")


def _tab_to(page: Any, selector: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches ``selector`` (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_the_board_in_a_real_browser(live: tuple[BoardWorld, str], smtp_server: SmtpServer) -> None:
    sync_playwright = _playwright()
    world, url = live
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            context = browser.new_context(
                viewport={"width": 1440, "height": 1000}, locale="da-DK", accept_downloads=True
            )
            page = context.new_page()
            violations: list[str] = []
            page.on(
                "console",
                lambda m: (
                    violations.append(m.text) if "Content Security Policy" in m.text else None
                ),
            )
            _sign_in(page, smtp_server, url, "dorte@example.dk")
            page.wait_for_url(f"{url}/board")  # the direktion lands on the board
            wheel = page.locator(".wheel-figure svg")
            assert wheel.is_visible()
            assert page.locator(".wheel-phase").count() == 3
            panel = page.locator("#wheel-info")
            assert "Hold musen over" in panel.inner_text()
            _tab_to(page, f'a[href="{IDEA}"]')
            shown = panel.locator(".phase-info:not([hidden])")
            assert shown.count() == 1
            text = shown.inner_text()
            assert (
                "Idéfase" in text and "Forsinket" in text and "0 af 5 udført (0 %)" in text
            )  # 2 + one per extra committee
            assert "38%" in text  # 15 of the phase's 40 days have passed
            page.screenshot(path=str(ARTIFACTS / "board-da-wide.png"), full_page=True)
            page.keyboard.press("Tab")  # on to the next arc: the panel follows
            assert "Budget" in panel.locator(".phase-info:not([hidden]) h3").inner_text()
            _poll_shows_a_change(page, world)
            page.click("#list-committees a:has-text('Børne- og Skoleudvalget')")
            page.wait_for_url(f"{url}/board/committee/bsu")
            assert "Børne- og Skoleudvalget" in page.locator("h1").inner_text()
            assert "Målstatus" in page.locator("table.board-table").inner_text()
            page.screenshot(path=str(ARTIFACTS / "board-drilldown-da.png"), full_page=True)
            with page.expect_download() as download:
                page.click("a:has-text('XLSX')")
            saved = ARTIFACTS / "board-committee-bsu.xlsx"
            download.value.save_as(saved)
            assert download.value.suggested_filename == "aarshjul-2027-committee-bsu.xlsx"
            sheet = load_workbook(saved).active
            assert sheet is not None
            assert [c.value for c in sheet[1]][:4] == ["Nr.", "Opgave", "Status", "Ansvarlig"]
            assert "Målstatus" in [row[1].value for row in sheet.iter_rows(min_row=2)]
            assert violations == [], violations
            context.close()
            _english_narrow(browser, world, url)
            _department_head(browser, world, url)
        finally:
            browser.close()


def _poll_shows_a_change(page: Any, world: BoardWorld) -> None:
    """A task is done meanwhile; the next poll (fired now, not in 60 s) updates the lists and,
    out of band, the summary above the wheel, without a reload."""
    from aarshjul.models import Task, TaskStatus

    summary = page.locator("#board-summary .board-summary")
    before = summary.inner_text()
    assert "4 af 15 opgaver er udført" in before
    with Session(world.runtime.engine) as s:
        task = s.get_one(Task, world.board.id("t2"))
        task.status = TaskStatus.done
        s.add(task)
        s.commit()
    page.evaluate("htmx.ajax('GET', '/board/panels', {target: '#board-panels', swap: 'outerHTML'})")
    page.wait_for_function(
        "document.querySelector('#board-summary .board-summary').innerText.includes('5 af 15')"
    )
    assert page.locator("#list-overdue").inner_text().count("Målstatus") == 0
    assert page.locator(".wheel-figure svg").count() == 1  # the wheel stays as it was


def _context_of(browser: Any, world: BoardWorld, url: str, who: str, width: int) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 844}, locale="da-DK")
    context.add_cookies([{"name": SESSION_COOKIE, "value": world.session_token(who), "url": url}])
    return context


def _english_narrow(browser: Any, world: BoardWorld, url: str) -> None:
    """Palle (planning, English) on a phone: the wheel scales, the tables scroll."""
    context = _context_of(browser, world, url, "plan", 390)
    page = context.new_page()
    page.goto(f"{url}/board")
    assert "executive board" in page.locator("h1").inner_text()
    box = page.locator(".wheel-figure svg").bounding_box()
    assert box is not None and box["width"] <= 390
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways: {width}px"
    page.screenshot(path=str(ARTIFACTS / "board-en-narrow.png"), full_page=True)
    context.close()


def _department_head(browser: Any, world: BoardWorld, url: str) -> None:
    context = _context_of(browser, world, url, "anne", 1280)
    page = context.new_page()
    response = page.goto(f"{url}/board")
    assert response is not None and response.status == 403
    assert page.locator("a[href='/board']").count() == 0
    context.close()
