"""Issue 13, kind 7: output that the data can break. Every format escapes data for itself.

Rich markup in a title or name (``[/x]``) crashed ``tasks``, ``goals``, ``people`` and ``report``
and ``[red]`` was swallowed; terminal escape sequences in a name reached the terminal raw; a goal
title ``=HYPERLINK(…)`` became a live formula in CSV; Markdown went unescaped into the board
artifact.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook
from sqlmodel import Session, select
from typer.testing import CliRunner

from aarshjul.cli import app
from aarshjul.commands import engine_cli
from aarshjul.engine.board_report import board_report
from aarshjul.escaping import csv_text, markdown_code, markdown_text, terminal_text
from aarshjul.models import Person
from aarshjul.notifications.board_mail import board_markdown
from tests.engine_scenario import TODAY, build
from tests.test_org_import import MINIMAL

MARKUP = "Anne [/x] [red]Rød[/red] [bold"
ESCAPES = "Evil\x1b[2J\x1b]0;pwned\x07\x1b]8;;http://evil.example\x1b\\link \u202eevil\x9b31m"
FORMULA = '=HYPERLINK("http://evil.example","klik")'
MARKDOWN = "[klik](http://evil.example) ![x](http://evil.example/x.png) <b>fed</b>"
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def _hostile_org(tmp_path: Path) -> Path:
    data = yaml.safe_load(yaml.safe_dump(MINIMAL))
    data["organisation"]["name"] = "Testby [/x] \x1b[2J Kommune"
    data["people"][0]["name"] = MARKUP
    data["people"][0]["roles"] = ["direktion", "planning", "finance", "secretary"]
    data["people"][1]["name"] = ESCAPES
    data["people"][1]["title"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    data["committees"][0]["name"] = MARKDOWN
    data["goals"][0]["title"] = FORMULA
    data["goals"][1]["title"] = "-2+3 [/x] \x1b[31mrød"
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def db(sqlite_url: str, tmp_path: Path) -> str:
    result = CliRunner().invoke(
        app, ["--db", sqlite_url, "org", "import", str(_hostile_org(tmp_path))]
    )
    assert result.exit_code == 0, result.output + result.stderr
    return sqlite_url


def _run(db: str, *args: str) -> str:
    result = CliRunner().invoke(app, ["--db", db, *args], color=True)
    assert result.exit_code == 0, result.output + result.stderr
    assert "Traceback" not in result.output
    return result.stdout


def _no_raw_controls(text: str) -> None:
    for char in RAW:
        assert char not in text, repr(char)


@pytest.mark.parametrize("command", [["people"], ["goals"], ["tasks"], ["status", "2027"]])
def test_markup_in_data_is_shown_not_obeyed(db: str, command: list[str]) -> None:
    out = _run(db, *command)
    _no_raw_controls(out)
    if command == ["people"]:
        assert "[red]Rød[/red]" in out and "[/x]" in out
    if command == ["goals"]:
        assert "-2+3 [/x] [31mrød" in out


def test_json_keeps_the_value_and_escapes_control_characters(db: str) -> None:
    out = _run(db, "people", "--format", "json")
    _no_raw_controls(out)
    names = {p["name"] for p in json.loads(out)}
    assert ESCAPES in names and MARKUP in names  # the value itself is unchanged


def test_csv_neutralises_formulas(db: str) -> None:
    rows = list(csv.DictReader(io.StringIO(_run(db, "goals", "--format", "csv"))))
    titles = {row["key"]: row["title"] for row in rows}
    assert titles["v1"] == "'" + FORMULA
    assert titles["m1"].startswith("'-2+3")
    people = list(csv.DictReader(io.StringIO(_run(db, "people", "--format", "csv"))))
    assert {p["title"] for p in people} >= {"'@SUM(1+1)*cmd|' /C calc'!A0"}
    _no_raw_controls(_run(db, "people", "--format", "csv"))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised(start: str) -> None:
    assert csv_text(f"{start}1+1").startswith("'")
    assert csv_text("Tillæg 3 - høring") == "Tillæg 3 - høring"


def test_xlsx_export_never_writes_a_formula(db: str, tmp_path: Path) -> None:
    path = tmp_path / "org.xlsx"
    result = CliRunner().invoke(app, ["--db", db, "org", "export", "-o", str(path)])
    assert result.exit_code == 0, result.output + result.stderr
    book = load_workbook(path)
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    values = {c.value for c in cells}
    assert FORMULA in values and "@SUM(1+1)*cmd|' /C calc'!A0" in values
    assert not any(isinstance(v, str) and "\x1b" in v for v in values)


def test_tasks_from_hostile_goal_titles(db: str) -> None:
    result = CliRunner().invoke(app, ["--db", db, "plan", "2027"])
    assert result.exit_code == 0, result.output + result.stderr
    _no_raw_controls(result.stdout)
    table = _run(db, "tasks", "--year", "2027")
    _no_raw_controls(table)
    assert "[/x]" in table
    rows = list(csv.DictReader(io.StringIO(_run(db, "tasks", "--format", "csv"))))
    assert rows and all(not r["title"].startswith(("=", "+", "-", "@")) for r in rows)
    _no_raw_controls(_run(db, "status", "2027", "--today", "2027-06-01"))


def test_the_report_printout_shows_markup_as_text(capsys: pytest.CaptureFixture[str]) -> None:
    result: dict[str, Any] = {
        "organisation": "Org [/x]", "today": "2027-03-15", "completion": 0.5, "percent": 50,
        "written": True,
        "totals": {"overdue": 1},
        "phases": [{"name": "[red]Fase[/red]", "status": "open", "done": 1, "open": 1,
                    "overdue": 1, "elapsed": 0.5, "completion": 0.5, "percent": 50}],
        "overdue": [{"id": 1, "title": ESCAPES, "owner_email": "a@example.dk", "due": "2027-03-01",
                     "workdays_late": 10}],
        "queued": 0,
    }  # fmt: skip
    engine_cli._print_report(result)
    out = capsys.readouterr().out
    assert "Org [/x]" in out and "[red]Fase[/red]" in out
    _no_raw_controls(out)


def test_the_board_markdown_has_no_link_image_or_html(session: Session) -> None:
    board = build(session)
    anne = session.exec(select(Person).where(Person.email == "anne@example.dk")).one()
    anne.name = MARKDOWN
    board.tasks["t2"].title_da = "![x](http://evil.example/x.png) | ny kolonne"
    session.add_all([anne, board.tasks["t2"]])
    session.flush()
    text = board_markdown(board_report(session, organisation=board.org, today=TODAY), "da")
    assert "[klik](" not in text and "![x](" not in text and "<b>" not in text
    assert r"\[klik\](http://evil.example)" in text
    assert r"\!\[x\]" in text and r"\| ny kolonne" in text


def test_markdown_helpers() -> None:
    assert markdown_text("a\nb") == "a b"
    assert markdown_text("*fed* _k_ `x` <i>") == r"\*fed\* \_k\_ \`x\` \<i\>"
    fenced = markdown_code("titel ``` ud af blokken")
    assert fenced.startswith("````\n") and fenced.endswith("\n````")


def test_terminal_text_keeps_letters_and_drops_controls() -> None:
    assert terminal_text("Åse\x1b[31m Ødegård\u202e") == "Åse[31m Ødegård"
    assert terminal_text("a\nb\tc", one_line=True) == "a b c"


def test_error_messages_carry_no_control_characters(db: str) -> None:
    engine_url = db
    args = ["--db", engine_url, "done", "999", "--by", "chef@example.dk"]
    result = CliRunner().invoke(app, args, color=True)  # as on a terminal: click strips nothing
    assert result.exit_code == 1 and "no task with id 999" in result.stderr
    _no_raw_controls(result.stderr)
