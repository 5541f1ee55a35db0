"""``aarshjul report planning|budget-remarks`` and ``aarshjul report`` alone (the board report,
as before)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from sqlmodel import Session

from aarshjul.config import get_settings
from aarshjul.db import make_engine
from tests.cli_helpers import run
from tests.report_scenario import build_report_world


@pytest.fixture(scope="module")
def report_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from aarshjul.db import upgrade

    url = f"sqlite:///{tmp_path_factory.mktemp('cli')}/aarshjul.db"
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        build_report_world(session, plan=False)
    engine.dispose()
    yield url


def test_planning_report_to_a_docx_file(report_db: str, tmp_path: Path) -> None:
    out = tmp_path / "planredegoerelse-2027.docx"
    result = run(report_db, "report", "planning", "2027", "-o", str(out), "--today", "2027-05-03")
    assert result.exit_code == 0, result.output + result.stderr
    assert result.stdout.startswith(f"Wrote {out} (DOCX, ")
    word = docx.Document(io.BytesIO(out.read_bytes()))
    assert word.paragraphs[0].text == "Planredegørelse 2027"
    assert "udkast dannet 3. maj 2027" in word.paragraphs[1].text


def test_without_output_html_goes_to_stdout_and_english_on_request(report_db: str) -> None:
    result = run(report_db, "report", "planning", "2027", "--lang", "en", "--today", "2027-05-03")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert "<h1>Planning report 2027</h1>" in result.stdout


def test_budget_remarks_to_pdf(report_db: str, tmp_path: Path) -> None:
    out = tmp_path / "remarks.pdf"
    result = run(report_db, "report", "budget-remarks", "2028", "-o", str(out))
    assert result.exit_code == 0, result.output + result.stderr
    assert out.read_bytes().startswith(b"%PDF-")


def test_bad_input_is_a_clear_message_and_writes_nothing(report_db: str, tmp_path: Path) -> None:
    out = tmp_path / "report.odt"
    result = run(report_db, "report", "planning", "2027", "-o", str(out))
    assert result.exit_code == 1 and not out.exists()
    assert "unknown document format '.odt': use .docx, .pdf or .html" in result.stderr
    assert run(report_db, "report", "planning", "1999").exit_code == 2  # outside 2000-2100
    missing = run(report_db, "report", "planning", "2027", "-o", str(tmp_path / "no" / "x.pdf"))
    assert missing.exit_code == 1 and "cannot write here" in missing.stderr


def test_report_help_lists_the_documents_and_keeps_the_board_report_options() -> None:
    result = run("sqlite://", "report", "--help")
    assert result.exit_code == 0
    for text in ("--today", "--deliver", "--json", "planning", "budget-remarks",
                 "weekly board report"):  # fmt: skip
        assert text in result.stdout


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_report_alone_is_still_the_weekly_board_report(
    report_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AARSHJUL_DATABASE_URL", report_db)
    get_settings.cache_clear()
    # a day other than today is a preview; --deliver runs it for real (queued, not sent: no mail)
    result = run(report_db, "report", "--today", "2027-05-03", "--deliver", "--json")
    assert result.exit_code == 0, result.output + result.stderr
    report = json.loads(result.stdout)
    assert report["today"] == "2027-05-03" and report["queued"] == 4  # the four direktion members
    assert report["report_inputs"]["goals_reported"] == 50
    assert report["report_inputs"]["sections_written"] == 2
