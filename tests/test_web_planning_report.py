"""The planning report's pages on both backends: who may read and write, CSRF, the section
editor with history and its conflict check, downloads, charts, and the draft task's link."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import docx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from aarshjul.access.sessions import start_session
from aarshjul.clock import Clock
from aarshjul.config import Settings
from aarshjul.db import make_engine, session_scope
from aarshjul.models import Person, ReportSection, Task
from aarshjul.runtime import Runtime
from aarshjul.web.app import create_app
from aarshjul.web.context import SESSION_COOKIE
from tests.report_scenario import DIREKTOR, HEAD, HOSTILE, PLANNER, TODAY, build_report_world
from tests.web_support import csrf_of

FINANCE = "karina.loevstrup@jammerbugt.example"
PAGE = "/planning-report/2027"
SECTION = f"{PAGE}/sections/policies"


class Site:
    """The sample municipality's app, and a signed-in client per person."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.app = create_app(runtime, console=lambda _: None)

    def client(self, email: str | None) -> TestClient:
        client = TestClient(self.app, base_url="http://testserver", follow_redirects=False)
        if email is not None:
            with session_scope(self.runtime.engine) as s:
                person = s.exec(select(Person).where(Person.email == email)).one()
                token = start_session(s, person=person, method="test", client="test",
                                      now=self.runtime.clock.now(), hours=1)  # fmt: skip
            client.cookies.set(SESSION_COOKIE, token)
        return client

    def versions(self, key: str = "policies") -> list[str]:
        with Session(self.runtime.engine) as s:
            rows = s.exec(select(ReportSection.body).where(ReportSection.key == key)
                          .order_by(col(ReportSection.id)))  # fmt: skip
            return list(rows)


@contextmanager
def _site(db_url: str, tmp_path: Path, *, plan: bool) -> Iterator[Site]:
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as session:
        build_report_world(session, plan=plan)
    runtime = Runtime(
        settings=Settings(data_dir=tmp_path / "data"), engine=engine,
        clock=Clock(fixed_today=TODAY), organisation_key="jammerbugt",
    )  # fmt: skip
    try:
        yield Site(runtime)
    finally:
        engine.dispose()


@pytest.fixture
def site(db_url: str, tmp_path: Path) -> Iterator[Site]:
    """The sample municipality without a planned year (planning costs seconds on PostgreSQL)."""
    with _site(db_url, tmp_path, plan=False) as built:
        yield built


@pytest.fixture
def planned_site(db_url: str, tmp_path: Path) -> Iterator[Site]:
    """The same with the 2027 wheel planned (its tasks)."""
    with _site(db_url, tmp_path, plan=True) as built:
        yield built


def _post(client: TestClient, path: str, **data: Any) -> Any:
    token = csrf_of(client.get(path).text)
    return client.post(path, data={"csrf_token": token, **data})


def test_direktion_reads_the_draft_and_cannot_write(site: Site) -> None:
    client = site.client(DIREKTOR)
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.text
    for area in ("Økonomi og administration", "Landdistrikter og bosætning"):
        assert f">{area}</h3>" in html
    assert '<a href="/planning-report" aria-current="page">Planredegørelse</a>' in html
    assert "Planredegørelse 2027: 50 af 58 mål har en statusrapport" in html
    assert 'href="/planning-report/2027/download.docx"' in html
    assert 'href="/budget-remarks/2028/download.docx"' in html
    assert '<img src="/planning-report/2027/charts/FOLK1A.svg"' in html
    assert HOSTILE not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "Redigér" not in html and 'rel="stylesheet" href="/documents/document.css"' in html
    section = client.get(SECTION)
    assert section.status_code == 200 and "<textarea" not in section.text
    assert client.post(SECTION, data={"csrf_token": csrf_of(section.text), "body": "x"}
                       ).status_code == 403  # fmt: skip
    assert site.versions() == []
    assert client.get("/planning-report").headers["location"] == PAGE


def test_only_planning_direktion_and_finance_may_read(site: Site) -> None:
    head = site.client(HEAD)
    for path in (PAGE, SECTION, f"{PAGE}/download.docx", "/budget-remarks/2028/download.pdf",
                 f"{PAGE}/charts/FOLK1A.svg"):  # fmt: skip
        assert head.get(path).status_code == 403, path
    assert "/planning-report" not in head.get("/tasks").text  # no link in the navigation
    assert site.client(FINANCE).get(PAGE).status_code == 200
    anonymous = site.client(None).get(PAGE)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")


def test_planning_writes_a_section_and_every_version_is_kept(site: Site) -> None:
    client = site.client(PLANNER)
    form = client.get(SECTION)
    assert form.status_code == 200 and '<textarea id="body" name="body"' in form.text
    assert 'name="base_id" value=""' in form.text
    assert client.post(SECTION, data={"body": "Uden token"}).status_code == 403  # no CSRF
    saved = client.post(SECTION, data={"csrf_token": csrf_of(form.text), "body": f"Ny {HOSTILE}",
                                       "base_id": ""})  # fmt: skip
    assert saved.status_code == 303
    assert saved.headers["location"] == f"{PAGE}#section-policies"
    again = client.get(SECTION)
    first_id = re.search(r'name="base_id" value="(\d+)"', again.text)
    assert first_id is not None
    client.post(SECTION, data={"csrf_token": csrf_of(again.text), "body": "Version 2",
                               "base_id": first_id.group(1)})  # fmt: skip
    assert site.versions() == [f"Ny {HOSTILE}", "Version 2"]
    history = client.get(SECTION).text
    assert history.count("Marianne Skovbo</td>") == 2 and "gældende" in history
    assert "&lt;script&gt;" in history and HOSTILE not in history
    draft = client.get(PAGE).text
    assert "Version 2" in draft and 'id="section-policies"' in draft
    assert "Redigér" in draft  # planning sees the edit links


def test_a_stale_form_gets_409_with_both_texts_and_saves_nothing(site: Site) -> None:
    client = site.client(PLANNER)
    stale = client.get(f"{PAGE}/sections/legislation").text  # opened before the other save
    base = re.search(r'name="base_id" value="(\d+)"', stale)
    assert base is not None
    other = site.client("liam.connolly@jammerbugt.example")  # planning, English
    _post(other, f"{PAGE}/sections/legislation", body="Liam's text", base_id=base.group(1))
    refused = client.post(f"{PAGE}/sections/legislation", data={
        "csrf_token": csrf_of(stale), "body": "Marianne's text", "base_id": base.group(1)})  # fmt: skip
    assert refused.status_code == 409
    assert "Liam Connolly gemte afsnittet" in refused.text and "Liam&#39;s text" in refused.text
    assert ">Marianne&#39;s text</textarea>" in refused.text  # her draft is not lost
    assert site.versions("legislation")[-1] == "Liam's text"
    newest = re.search(r'name="base_id" value="(\d+)"', refused.text)
    assert newest is not None and newest.group(1) != base.group(1)  # saving again is deliberate
    kept = client.post(f"{PAGE}/sections/legislation", data={
        "csrf_token": csrf_of(stale), "body": "Marianne's text", "base_id": newest.group(1)})  # fmt: skip
    assert kept.status_code == 303 and site.versions("legislation")[-1] == "Marianne's text"


def test_downloads_and_charts(site: Site) -> None:
    client = site.client(DIREKTOR)
    word = client.get(f"{PAGE}/download.docx")
    assert word.status_code == 200
    assert word.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert (
        word.headers["content-disposition"] == 'attachment; filename="planredegoerelse-2027.docx"'
    )
    headings = [p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs
                if p.style.name == "Heading 2"]  # fmt: skip
    assert "Skole" in headings
    html = client.get(f"{PAGE}/download.html")
    assert html.headers["content-disposition"].endswith('planredegoerelse-2027.html"')
    assert html.headers["content-security-policy"].startswith("default-src 'self'")
    remarks = client.get("/budget-remarks/2028/download.docx")
    assert remarks.headers["content-disposition"].endswith('budgetbemaerkninger-2028.docx"')
    assert client.get(f"{PAGE}/download.odt").status_code == 400
    chart = client.get(f"{PAGE}/charts/BYGV33.svg")
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/svg+xml"
    assert "<svg" in chart.text and "Fuldførte boliger" in chart.text
    assert chart.headers["content-security-policy"].startswith("default-src 'none'")
    assert client.get(f"{PAGE}/charts/ARE207.svg").status_code == 404
    css = client.get("/documents/document.css")
    assert css.status_code == 200 and "col.w25" in css.text


def test_bad_year_and_section_are_400(site: Site) -> None:
    client = site.client(PLANNER)
    assert client.get("/planning-report/1999").status_code == 400
    assert client.get(f"{PAGE}/sections/economy").status_code == 400
    assert client.get("/planning-report/abc").status_code == 400


def test_the_draft_task_links_to_the_report_and_section_tasks_to_their_editor(
    planned_site: Site,
) -> None:
    site = planned_site
    with Session(site.runtime.engine) as s:
        ids = dict(s.exec(select(Task.key, Task.id).where(
            col(Task.key).in_(["report_draft", "report_policies", "goal_status"]))).all())  # fmt: skip
    client = site.client(PLANNER)
    draft = client.get(f"/tasks/{ids['report_draft']}").text
    assert f'<a href="{PAGE}">Åbn udkastet til planredegørelse 2027 (Word, PDF) →</a>' in draft
    policies = client.get(f"/tasks/{ids['report_policies']}").text
    assert f'href="{SECTION}"' in policies
    assert "document-link" not in client.get(f"/tasks/{ids['goal_status']}").text


def test_the_pages_in_a_real_browser(sqlite_url: str, tmp_path: Path) -> None:
    """Planning writes a section in Chromium: the editor, the draft with its charts, narrow and
    wide; screenshots under tests/artifacts/reports/ (or $AARSHJUL_ARTIFACTS/reports/)."""
    from tests.smtp import free_port
    from tests.test_reports_planning import artifacts
    from tests.test_web_browser import CHROMIUM, FLAGS, _playwright
    from tests.web_support import served

    sync_playwright = _playwright()
    engine = make_engine(sqlite_url)
    with Session(engine, expire_on_commit=False) as session:
        build_report_world(session, plan=False)
    runtime = Runtime(
        settings=Settings(data_dir=tmp_path / "data"), engine=engine,
        clock=Clock(fixed_today=TODAY), organisation_key="jammerbugt",
    )  # fmt: skip
    site, folder, port = Site(runtime), artifacts(), free_port()
    token = site.client(PLANNER).cookies[SESSION_COOKIE]
    try:
        with served(site.app, port) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
            context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": url}])
            page = context.new_page()
            page.goto(f"{url}{SECTION}")
            page.fill(
                "#body", "Ny klimapolitik vedtaget i marts.\n\n- Klimaplan 2030\n- Naturpolitik"
            )
            page.click("button:has-text('Gem')")
            page.wait_for_url(f"{url}{PAGE}#section-policies")
            assert "Ny klimapolitik vedtaget i marts." in page.inner_text("#section-policies + p")
            charts = page.locator("figure img")
            assert charts.count() == 3
            assert all(charts.nth(i).evaluate("i => i.naturalWidth") > 0 for i in range(3))
            page.screenshot(path=str(folder / "page-planning-report-da.png"), full_page=True)
            page.set_viewport_size({"width": 390, "height": 844})
            page.goto(f"{url}{PAGE}")
            page.screenshot(path=str(folder / "page-planning-report-da-narrow.png"))
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(f"{url}{SECTION}")
            page.screenshot(path=str(folder / "page-section-editor-da.png"), full_page=True)
            browser.close()
    finally:
        engine.dispose()
