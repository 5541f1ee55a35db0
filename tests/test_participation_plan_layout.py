"""The public plan page in a real headless Chromium: the wheel is readable, the page fits a phone.

The wheel's labels are drawn for a 1600-unit-wide picture; squeezed into the text column (640 px)
they were too small to read. It now takes the window's width, and a link opens the SVG itself at
full size. A Danish compound word in a goal's title wraps instead of widening the page.
Screenshots go to ``tests/artifacts/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from aarshjul.models import GoalLevel, PolicyArea
from tests import factories as f
from tests.participation_support import PlanWorld, build_plan_world
from tests.smtp import free_port
from tests.test_web_browser import ARTIFACTS, CHROMIUM, FLAGS, _playwright
from tests.web_support import served

LONG_WORD = "Forældretilfredshedsundersøgelsesresultaterne"


@pytest.fixture
def live(sqlite_url: str, tmp_path: Path) -> Iterator[tuple[PlanWorld, str]]:
    world = build_plan_world(sqlite_url, tmp_path)
    with Session(world.runtime.engine) as s:
        skole = s.get_one(PolicyArea, world.goals["trivsel"].policy_area_id)
        f.goal(s, skole, key="skole-s1", level=GoalLevel.service_goal,
               title=f"{LONG_WORD} offentliggøres hvert år",
               parent_id=world.goals["trivsel"].id)  # fmt: skip
        s.commit()
    try:
        with served(world.app(), free_port()) as url:
            yield world, url
    finally:
        world.runtime.close()


def _page_width(page: Any) -> tuple[int, int]:
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    return scroll, client


def test_the_public_wheel_is_wide_and_links_to_its_full_size(live: tuple[PlanWorld, str]) -> None:
    sync_playwright = _playwright()
    _, url = live
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            wide = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
            page = wide.new_page()
            page.goto(f"{url}/plan")
            wheel = page.locator("figure.wheel img")
            wheel.scroll_into_view_if_needed()
            page.wait_for_function("document.querySelector('figure.wheel img').naturalWidth > 0")
            box = wheel.bounding_box()
            assert box is not None and box["width"] >= 1200, box  # not the 640 px column
            assert box["height"] / box["width"] == pytest.approx(1040 / 1600, rel=0.15)
            link = page.get_by_role("link", name="Åbn årshjulet i fuld størrelse (SVG)")
            assert link.get_attribute("href") == "/plan/wheel.svg"
            assert _page_width(page)[0] <= 1280
            page.locator("figure.wheel").screenshot(path=str(ARTIFACTS / "plan-wheel-da-wide.png"))
            with page.expect_response(f"{url}/plan/wheel.svg") as opened:
                link.click()
            answer = opened.value
            assert answer.status == 200
            assert answer.headers["content-type"].startswith("image/svg+xml")
            wide.close()
            narrow = browser.new_context(viewport={"width": 390, "height": 844}, locale="da-DK")
            page = narrow.new_page()
            page.goto(f"{url}/plan")
            assert LONG_WORD in page.inner_text("main")
            scroll, client = _page_width(page)
            assert scroll <= client, f"the page is {scroll} px wide on a {client} px phone"
            page.screenshot(path=str(ARTIFACTS / "plan-da-phone.png"), full_page=True)
            narrow.close()
        finally:
            browser.close()
