"""The planning report and the budget remarks of the sample municipality (14 policy areas, 100
goals), read back: the DOCX with python-docx, the PDF with pdftotext; pages saved as PNG
(pdftoppm) under ``tests/artifacts/reports/`` (or ``$AARSHJUL_ARTIFACTS/reports/``) to be looked at.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from aarshjul.db import make_engine
from aarshjul.engine.board_report import board_report
from aarshjul.models import Committee, Goal, PolicyArea
from aarshjul.notifications.board_mail import board_markdown
from aarshjul.reports import build_budget_remarks, build_planning_report
from aarshjul.reports.planning_data import planning_report_data
from aarshjul.reports.planning_document import addendum_state
from aarshjul.reports.texts import level_label, status_label
from tests.report_scenario import HOSTILE, TODAY, YEAR, ReportWorld, build_report_world
from tests.test_documents_render import pdf_text

ARTIFACTS = Path(os.environ.get("AARSHJUL_ARTIFACTS") or Path(__file__).parent / "artifacts")


def artifacts() -> Path:
    folder = ARTIFACTS / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def world(session: Session) -> ReportWorld:
    return build_report_world(session, plan=False)


@pytest.fixture(scope="module")
def sqlite_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, ReportWorld]]:
    """One SQLite database for the rendering tests (a PDF takes seconds: made once per module)."""
    from aarshjul.db import upgrade

    path = tmp_path_factory.mktemp("reports") / "aarshjul.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        world = build_report_world(session)
    yield engine, world
    engine.dispose()


def _goals(session: Session, world: ReportWorld) -> list[Goal]:
    query = select(Goal).where(
        Goal.organisation_id == world.org.id, col(Goal.horizon_start) <= YEAR,
        col(Goal.horizon_end) >= YEAR,
    )  # fmt: skip
    return list(session.exec(query.order_by(col(Goal.id))))


def _areas(session: Session, world: ReportWorld) -> list[str]:
    query = select(PolicyArea.name).where(PolicyArea.organisation_id == world.org.id)
    return list(session.exec(query.order_by(col(PolicyArea.id))))


def _rows(word: docx.document.Document) -> list[list[str]]:
    return [[c.text for c in row.cells] for table in word.tables for row in table.rows]


def test_the_data_is_read_in_a_handful_of_queries(
    session: Session, world: ReportWorld, engine: Engine
) -> None:
    from sqlalchemy import event

    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        data = planning_report_data(session, organisation=world.org, year=YEAR, today=TODAY)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(statements) <= 10, statements
    assert len(data.areas) == 14 and len(data.goals) == 100
    assert {g.key for _, g in data.unreported()} == set(world.unreported)
    assert len(data.ending()) == 42  # the sample's service goals and actions run 2027 only
    assert data.inputs.goals_reported == len(world.reported) == 50
    assert (data.inputs.goals_due, data.inputs.sections_written) == (58, 2)
    word = docx.Document(io.BytesIO(build_planning_report(
        session, organisation=world.org, year=YEAR, today=TODAY, fmt="docx").content))  # fmt: skip
    overview = [[c.text for c in row.cells] for row in word.tables[0].rows]
    assert overview == [
        ["Status", "Antal mål"], ["på sporet", "21"], ["risiko", "10"], ["ikke på sporet", "9"],
        ["opfyldt", "10"], ["på sporet (uden rapport)", "3"], ["opfyldt (uden rapport)", "1"],
        ["nyt mål i 2027", "40"], ["ikke rapporteret", "6"],
    ]  # fmt: skip
    states = {a.title: addendum_state(a, TODAY, "da") for a in data.addenda}
    assert states == {
        "Tillæg 3: Solceller ved Fjerritslev": "Hvidbog om høringssvar til 20. maj 2027",
        "Tillæg 4: Mindre justering i Aabybro": "Planlagt, starter 7. juni 2027",
    }


def test_the_docx_has_every_area_and_goal_with_its_status_the_charts_and_a_toc(
    session: Session, world: ReportWorld
) -> None:
    built = build_planning_report(session, organisation=world.org, year=YEAR, today=TODAY,
                                  fmt="docx")  # fmt: skip
    assert built.filename == "planredegoerelse-2027.docx"
    word = docx.Document(io.BytesIO(built.content))
    headings = {p.text for p in word.paragraphs if p.style.name.startswith("Heading")}
    assert set(_areas(session, world)) <= headings
    assert {"Ny lovgivning og reformer", "Statistik", "Tillæg i 2027"} <= headings
    rows = _rows(word)
    data = planning_report_data(session, organisation=world.org, year=YEAR, today=TODAY)
    for _, goal in data.goals:
        head = f"{level_label(goal.level, 'da')}: {goal.title}"
        [row] = [r for r in rows if len(r) == 4 and r[0].split("\n")[0] == head]
        if goal.report is not None:
            assert row[2] == f"{status_label(goal.report.status, 'da')} ({goal.report.year})"
            assert goal.report.comment in row[3]
        else:
            assert row[2] in ("nyt mål i 2027", "ikke rapporteret") or "(uden rapport)" in row[2]
    sick = next(r for r in rows if "Sygefraværet blandt kommunens" in r[0] and len(r) == 4)
    assert "sygefravær: 5 % (mål 4,8 %)" in sick[3]  # indicator value, unit and target
    assert any(HOSTILE in r[-1] for r in rows)  # the text itself, harmless in Word
    assert len(word.inline_shapes) == 3  # population, housing, unemployment
    body = word.element.body.xml
    assert 'TOC \\o "1-2" \\h \\z \\u' in body
    with zipfile.ZipFile(io.BytesIO(built.content)) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
    assert len(media) == 3 and all(n.endswith(".png") for n in media)
    text = "\n".join(p.text for p in word.paragraphs)
    assert (
        "Planloven er ændret pr. 1. juli 2026" in text
        and "Reform af beskæftigelsesindsatsen" in text
    )
    assert "Afsnittet er ikke skrevet endnu" in text  # the third section


def test_the_pdf_says_the_same_and_is_looked_at(
    sqlite_world: tuple[Engine, ReportWorld], tmp_path: Path
) -> None:
    engine, world = sqlite_world
    with Session(engine) as session:
        built = build_planning_report(session, organisation=world.org, year=YEAR, today=TODAY,
                                      fmt="pdf")  # fmt: skip
        areas = _areas(session, world)
        goals = _goals(session, world)
        word = docx.Document(io.BytesIO(build_planning_report(
            session, organisation=world.org, year=YEAR, today=TODAY, fmt="docx").content))  # fmt: skip
    folder = artifacts()
    (folder / built.filename).write_bytes(built.content)
    printed = pdf_text(built.content, tmp_path)
    text = " ".join(printed.split())
    for name in areas:
        assert name in text
    for goal in goals:  # every goal: its level and first words start a line of its cell
        words = " ".join(goal.title.split()[:2])
        assert f"{level_label(goal.level, 'da')}: {words}" in printed, goal.title
    statuses = [c for r in _rows(word) for c in r if c.endswith(("(2026)", "(2027)"))]
    assert len(statuses) == 50  # the reported goals, each with its status and year
    assert text.count("(2026)") == len(statuses)  # the PDF shows as many
    assert HOSTILE in text and "Befolkning pr. 1. januar" in text and "38.636" in text
    _pages_as_png(folder / built.filename, folder / "planredegoerelse-2027")


def _pages_as_png(pdf: Path, prefix: Path) -> None:
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(prefix)], check=True)
    assert list(prefix.parent.glob(f"{prefix.name}-*.png"))


def test_html_escapes_the_texts(sqlite_world: tuple[Engine, ReportWorld]) -> None:
    engine, world = sqlite_world
    with Session(engine) as session:
        html = build_planning_report(session, organisation=world.org, year=YEAR, today=TODAY,
                                     fmt="html").content.decode()  # fmt: skip
    (artifacts() / "planredegoerelse-2027.html").write_text(html, encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert html.count("data:image/svg+xml;base64,") == 3


def test_english_report(sqlite_world: tuple[Engine, ReportWorld]) -> None:
    engine, world = sqlite_world
    with Session(engine) as session:
        word = docx.Document(io.BytesIO(build_planning_report(
            session, organisation=world.org, year=YEAR, today=TODAY, fmt="docx", lang="en",
        ).content))  # fmt: skip
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert "New legislation and reforms" in headings and "Goals ending in 2027" in headings
    assert any(r[2] == "on track (2026)" for r in _rows(word) if len(r) == 4)
    assert word.core_properties.language == "en-GB"


def test_budget_remarks_one_section_per_area_committee_by_committee(
    session: Session, world: ReportWorld
) -> None:
    built = build_budget_remarks(session, organisation=world.org, year=YEAR + 1, today=TODAY,
                                 fmt="docx")  # fmt: skip
    (artifacts() / built.filename).write_bytes(built.content)
    word = docx.Document(io.BytesIO(built.content))
    level1 = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    level2 = [p.text for p in word.paragraphs if p.style.name == "Heading 2"]
    committees = session.exec(
        select(Committee.name).where(Committee.organisation_id == world.org.id)
        .order_by(col(Committee.id))
    ).all()  # fmt: skip
    assert level1 == list(committees)  # every committee has policy areas in the sample
    assert sorted(level2) == sorted(_areas(session, world))
    assert level2.index("Skole") < level2.index("Kultur og fritid")  # bsu before kftu
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Budgetbemærkninger 2028" in text and "sygefravær (mål 4,8 %)" in text
    # goals of 2028 only: the 2027 actions are not in the 2028 remarks
    assert "Kommunens investeringsstrategi og låneportefølje" not in text


def test_budget_remarks_pdf(sqlite_world: tuple[Engine, ReportWorld], tmp_path: Path) -> None:
    engine, world = sqlite_world
    with Session(engine) as session:
        built = build_budget_remarks(session, organisation=world.org, year=YEAR + 1, today=TODAY,
                                     fmt="pdf")  # fmt: skip
    folder = artifacts()
    (folder / built.filename).write_bytes(built.content)
    text = " ".join(pdf_text(built.content, tmp_path).split())
    assert "Budgetbemærkninger 2028" in text and "Børne- og Skoleudvalget" in text
    _pages_as_png(folder / built.filename, folder / "budgetbemaerkninger-2028")


def test_the_board_report_says_how_complete_the_inputs_are(
    session: Session, world: ReportWorld
) -> None:
    report = board_report(session, organisation=world.org, today=TODAY)
    assert report.report_inputs is not None
    assert report.as_dict()["report_inputs"] == {
        "year": 2027, "goals": 100, "goals_due": 58, "goals_reported": 50,
        "sections_written": 2, "sections_total": 3, "complete": False,
    }  # fmt: skip
    markdown = board_markdown(report, "da")
    assert "## Planredegørelse 2027: grundlaget" in markdown
    assert "| 50 af 58 | 2 af 3 |" in markdown
    assert "| 50 of 58 | 2 of 3 |" in board_markdown(report, "en")


def test_an_empty_year_still_makes_every_document(session: Session, tmp_path: Path) -> None:
    from tests import factories as f

    org = f.organisation(session, name="Tom Kommune")
    head = f.person(session, org, title="Skolechef")
    f.policy_area(session, org, f.committee(session, org, name="Børneudvalget"), head, name="Skole")
    session.commit()
    for fmt in ("docx", "html"):
        built = build_planning_report(session, organisation=org, year=2030, today=TODAY, fmt=fmt)
        assert built.content
    word = docx.Document(io.BytesIO(
        build_planning_report(session, organisation=org, year=2030, today=TODAY, fmt="docx").content
    ))  # fmt: skip
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Politikområdet har ingen mål i 2030." in text and "Ingen tillæg i 2030." in text
    assert "Ingen tal for FOLK1A endnu" in text and "Alle mål har en statusrapport." in text
    remarks = build_budget_remarks(session, organisation=org, year=2031, today=TODAY, fmt="docx")
    assert "Skole" in [p.text for p in docx.Document(io.BytesIO(remarks.content)).paragraphs]


def test_the_docx_as_pictures_when_libreoffice_is_here(
    sqlite_world: tuple[Engine, ReportWorld], tmp_path: Path
) -> None:
    """Word's own rendering cannot run here; LibreOffice, when installed, shows the DOCX."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed: the DOCX is checked with python-docx only")
    engine, world = sqlite_world
    with Session(engine) as session:
        built = build_planning_report(session, organisation=world.org, year=YEAR, today=TODAY,
                                      fmt="docx")  # fmt: skip
    source = tmp_path / built.filename
    source.write_bytes(built.content)
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(source)], check=True, timeout=180)  # fmt: skip
    pdf = tmp_path / "planredegoerelse-2027.pdf"
    target = artifacts() / "planredegoerelse-2027-from-docx.pdf"
    target.write_bytes(pdf.read_bytes())
    _pages_as_png(target, artifacts() / "planredegoerelse-2027-from-docx")
