"""The citizen's and the owner's journey in a real headless Chromium, with axe-core.

A citizen opens ``/plan`` and a goal, sends an idea with a PDF during the idea phase and gets
the receipt at the test SMTP server; the owner signs in by e-mail link and replies;
``aarshjul hvidbog`` holds the idea and the reply (DOCX, PDF rendered to PNG, HTML); the same
idea sent after the phase closed is refused with the closing date. axe-core checks WCAG 2.1 A
and AA on the plan, a goal page, the idea form, its receipt and the closed page. Screenshots in
Danish and English, narrow and wide, go to ``tests/artifacts/``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from aarshjul.web.context import SESSION_COOKIE
from tests import axe
from tests.cli_helpers import run
from tests.participation_support import IDEA_OPEN, PDF, PlanWorld, build_plan_world
from tests.smtp import SmtpServer, free_port
from tests.test_web_browser import ARTIFACTS, CHROMIUM, FLAGS, _playwright, _wait_for_mail
from tests.web_support import served

IDEA = "Lav en skolehave med bistader ved hver skole."
REPLY = "Forvaltningen foreslår skolehaver på tre skoler i 2028."


@pytest.fixture
def live(
    sqlite_url: str, tmp_path: Path, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[PlanWorld, str, Any]]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {"AARSHJUL_MAIL_URL": smtp_server.mail_url, "AARSHJUL_BASE_URL": url,
           "AARSHJUL_DATA_DIR": str(tmp_path / "data")}  # fmt: skip
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    world = build_plan_world(sqlite_url, tmp_path, mail_url=smtp_server.mail_url, base_url=url)
    app = world.app()
    try:
        with served(app, port):
            yield world, url, app
    finally:
        world.runtime.close()


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_citizen_idea_owner_reply_and_hvidbog_in_a_real_browser(
    live: tuple[PlanWorld, str, Any], smtp_server: SmtpServer, sqlite_url: str, tmp_path: Path
) -> None:
    sync_playwright = _playwright()
    source = axe.axe_source()
    world, url, app = live
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = tmp_path / "skolehave.pdf"
    pdf.write_bytes(PDF)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            citizen = browser.new_context(
                viewport={"width": 1280, "height": 900}, locale="da-DK", bypass_csp=True
            )
            page = citizen.new_page()
            page.goto(f"{url}/plan")
            assert page.locator("h1").inner_text().startswith("Helhedsplanen")
            axe.check(page, source, "/plan")
            _shot(page, "plan-da-wide")
            page.emulate_media(media="print")
            _shot(page, "plan-da-print")
            page.emulate_media(media="screen")
            page.click("a:has-text('Flere elever trives')")
            page.wait_for_url(f"{url}/plan/skole/skole-m1")
            assert "Trivslen måles hvert år" in page.inner_text("main")
            axe.check(page, source, "a goal page")
            _shot(page, "goal-da-wide")
            page.goto(f"{url}/plan")
            page.click("a:has-text('Giv din mening til kende')")
            page.wait_for_url(f"{url}/ideas")
            axe.check(page, source, "the idea form")
            _shot(page, "ideas-form-da-wide")
            page.fill("#f-name", "Karen Borger")
            page.fill("#f-email", "karen@example.org")
            page.fill("#f-association", "Skolens Venner")
            page.select_option("#f-concerns", "goal:skole-m1")
            page.fill("#f-body", IDEA)
            page.set_input_files("#f-attachment", str(pdf))
            page.check("#f-publish")
            second = citizen.new_page()  # the same idea, sent again after the phase closed
            second.goto(f"{url}/ideas")
            for field, value in (("#f-name", "Karen Borger"), ("#f-email", "karen@example.org"),
                                 ("#f-body", IDEA)):  # fmt: skip
                second.fill(field, value)
            page.click("button:has-text('Send')")
            page.wait_for_selector("h1.ok")
            reference = re.search(r"IDE-2027-[A-Z0-9]{5}", page.inner_text("main"))
            assert reference is not None
            axe.check(page, source, "the receipt page")
            _shot(page, "ideas-received-da")
            receipt = _wait_for_mail(smtp_server, "karen@example.org", 1)
            assert reference.group(0) in receipt.subject and IDEA in receipt.text
            _english(browser, url, source)
            _owner_replies(browser, world, url, smtp_server, reference.group(0))
            app.state.web.runtime = world.on(date(2027, 4, 13)).runtime
            second.click("button:has-text('Send')")
            second.wait_for_selector("p.notice")
            assert "lukkede 12. april 2027" in second.inner_text("main")
            axe.check(second, source, "the closed page")
            _shot(second, "ideas-closed-da")
        finally:
            browser.close()
    _hvidbog(sqlite_url, tmp_path, reference.group(0))


def _english(browser: Any, url: str, source: str) -> None:
    for width, height, name in ((1280, 900, "wide"), (390, 844, "narrow")):
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="en-GB", bypass_csp=True
        )
        page = context.new_page()
        page.goto(f"{url}/plan")
        assert "is open until 12 April 2027" in page.inner_text("main")
        _shot(page, f"plan-en-{name}")
        page.goto(f"{url}/plan/skole/skole-m1")
        _shot(page, f"goal-en-{name}")
        page.goto(f"{url}/ideas")
        assert page.locator("label[for=f-body]").inner_text().startswith("Your idea")
        axe.check(page, source, "the English idea form")
        _shot(page, f"ideas-form-en-{name}")
        context.close()
    narrow = browser.new_context(viewport={"width": 390, "height": 844}, locale="da-DK")
    page = narrow.new_page()
    for path, name in (("/plan", "plan-da-narrow"), ("/ideas", "ideas-form-da-narrow")):
        page.goto(f"{url}{path}")
        _shot(page, name)
    narrow.close()


def _owner_replies(browser: Any, world: PlanWorld, url: str, smtp: SmtpServer, ref: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    page = context.new_page()
    page.goto(f"{url}/login")
    page.fill("#email", "anne@example.dk")
    page.click("button:has-text('Send mig et login-link')")
    page.wait_for_selector("text=Tjek din mail")
    mail = _wait_for_mail(smtp, "anne@example.dk", 1)
    link = re.search(rf'href="({re.escape(url)}/login/[^"]+)"', mail.html)
    assert link is not None
    page.goto(link.group(1))
    page.click("button:has-text('Log ind')")
    page.wait_for_url(f"{url}/tasks")
    page.click("nav a:has-text('Idéer og høringssvar')")
    page.click(f"a:has-text('{ref}')")
    assert "karen@example.org" in page.inner_text("main")  # the owner sees the address
    page.fill("#reply", REPLY)
    page.select_option("#recommendation", "partly")
    page.click("button:has-text('Gem svar')")
    page.wait_for_selector("text=Besvaret")
    _shot(page, "submission-owner-da")
    context.close()
    planner = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    planner.add_cookies(
        [{"name": SESSION_COOKIE, "value": world.session_token("palle"), "url": url}]
    )
    page = planner.new_page()
    page.goto(f"{url}/hvidbog/helhedsplan-2027.idea")
    assert REPLY in page.inner_text("main")
    _shot(page, "hvidbog-page-da")
    planner.close()


def _hvidbog(db_url: str, tmp_path: Path, ref: str) -> None:
    from docx import Document

    for suffix in ("docx", "pdf", "html"):
        out = tmp_path / f"hvidbog.{suffix}"
        result = run(db_url, "hvidbog", "idea", "--today", IDEA_OPEN.isoformat(), "-o", str(out))
        assert result.exit_code == 0, result.output
        assert "1 submissions, 0 without a reply" in result.stdout
    text = "\n".join(p.text for p in Document(str(tmp_path / "hvidbog.docx")).paragraphs)
    assert IDEA in text and REPLY in text and ref in text and "Karen Borger" in text
    assert "karen@example.org" not in text
    html = (tmp_path / "hvidbog.html").read_text(encoding="utf-8")
    assert IDEA in html and "Imødekommes delvist" in html and "karen@example.org" not in html
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    prefix = ARTIFACTS / "hvidbog-pdf"
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "2",
                    str(tmp_path / "hvidbog.pdf"), str(prefix)], check=True)  # fmt: skip
    assert list(ARTIFACTS.glob("hvidbog-pdf*.png"))
    pdftext = subprocess.run(["pdftotext", str(tmp_path / "hvidbog.pdf"), "-"],
                             capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "skolehave" in pdftext and ref in pdftext
