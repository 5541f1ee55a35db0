"""``aarshjul calendar``: holidays, eval and workdays through typer's test runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aarshjul.calendar.expressions import ExpressionError
from aarshjul.commands.calendar_cli import app
from aarshjul.errors import CalendarError

runner = CliRunner()


def _json(args: list[str]) -> list[dict[str, object]]:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert isinstance(records, list)
    return records


def test_holidays_table_has_danish_names() -> None:
    result = runner.invoke(app, ["holidays", "2026"])
    assert result.exit_code == 0
    for text in ("Lukkedage 2026", "Skærtorsdag", "Juleaftensdag", "optional", "2026-04-06"):
        assert text in result.output
    assert "Store bededag" not in result.output


def test_holidays_json_records() -> None:
    records = _json(["holidays", "2027", "--closure", "12-27", "--closure", "2027-05-07"])
    by_date = {record["date"]: record for record in records}
    assert by_date["2027-03-25"] == {
        "date": "2027-03-25",
        "weekday": "torsdag",
        "name": "Skærtorsdag",
        "kind": "holiday",
    }
    assert by_date["2027-12-24"]["kind"] == "optional"
    assert by_date["2027-12-27"]["name"] == "Lukkedag"
    assert by_date["2027-05-07"]["kind"] == "closure"


def test_holidays_without_optional_days_and_with_weekends() -> None:
    records = _json(["holidays", "2024", "--no-optional"])
    assert len(records) == 10  # no Store bededag from 2024
    assert {record["kind"] for record in records} == {"holiday"}
    with_weekends = _json(["holidays", "2024", "--weekends"])
    assert {record["kind"] for record in with_weekends} == {"holiday", "optional", "weekend"}


def test_eval_prints_the_date_and_the_shift() -> None:
    result = runner.invoke(app, ["eval", "12-24", "--year", "2026"])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "2026-12-23",
        "flyttet: 2026-12-24 er lukket (Juleaftensdag); fristen flyttes til forrige arbejdsdag "
        "2026-12-23.",
    ]


def test_eval_start_role_and_exact() -> None:
    assert runner.invoke(app, ["eval", "12-24", "-y", "2026", "--role", "start"]).output == (
        "2026-12-28\nflyttet: 2026-12-24 er lukket (Juleaftensdag); starten flyttes til næste "
        "arbejdsdag 2026-12-28.\n"
    )
    assert runner.invoke(app, ["eval", "12-24 exact", "-y", "2026"]).output == "2026-12-24\n"


def test_eval_with_meetings_and_references_as_json() -> None:
    [record] = _json(
        [
            "eval",
            "first meeting kb after hearing.end - 5 workdays",
            "--year",
            "2026",
            "--meeting",
            "kb=sidste torsdag",
            "--ref",
            "hearing.end=2026-10-27",
        ]
    )
    assert record == {
        "expression": "first meeting kb after hearing.end - 5 workdays",
        "year": 2026,
        "role": "deadline",
        "unshifted": "2026-10-22",
        "date": "2026-10-22",
        "shift": None,
    }


def test_eval_defaults_to_this_year() -> None:
    result = runner.invoke(app, ["eval", "2027-10-15"])
    assert result.output == "2027-10-15\n"


def test_eval_bad_expression_raises_calendar_error_not_traceback() -> None:
    result = runner.invoke(app, ["eval", "2nd foo of sep", "--year", "2026"])
    assert result.exit_code == 1
    assert isinstance(result.exception, ExpressionError)
    assert str(result.exception).startswith("Ugyldigt datoudtryk '2nd foo of sep' ved position 4")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["eval", "x", "--ref", "x"], "--ref: 'x' skal have formen NAVN=YYYY-MM-DD."),
        (["eval", "x", "--ref", "x=15/10"], "--ref x: '15/10' er ikke en dato (YYYY-MM-DD)."),
        (["eval", "10-15", "--meeting", "kb"], "--meeting: 'kb' skal have formen NØGLE=REGEL."),
        (["eval", "meeting kb in jul", "-y", "2026", "--meeting", "kb=last thu"], "intet møde"),
        (["workdays", "2026-13-01", "2026-12-31"], "FROM: '2026-13-01' er ikke en dato"),
        (["holidays", "2026", "--closure", "27/12"], "Ugyldig lukkedag '27/12'"),
    ],
)
def test_input_errors(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert isinstance(result.exception, CalendarError)
    assert message in str(result.exception)


def test_workdays_counts_from_inclusive_to_exclusive() -> None:
    assert runner.invoke(app, ["workdays", "2026-12-21", "2027-01-04"]).output == "6\n"
    assert runner.invoke(app, ["workdays", "2027-01-04", "2026-12-21"]).output == "-6\n"
    assert runner.invoke(app, ["workdays", "2026-12-21", "2027-01-04", "--no-optional"]).output == (
        "8\n"
    )
    [record] = _json(["workdays", "2026-03-30", "2026-04-13"])
    assert record == {"from": "2026-03-30", "to": "2026-04-13", "workdays": 7}


@pytest.mark.parametrize("command", ["holidays", "eval", "workdays"])
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example: aarshjul calendar " + command in " ".join(result.output.split())


def test_commands_use_the_organisations_closures_and_meetings(tmp_path: Path) -> None:
    """With a database, `meeting kb in oct` is the sample template's council meeting."""
    from tests.cli_helpers import run

    url = f"sqlite:///{tmp_path}/org.db"
    assert run(url, "init", "--sample").exit_code == 0
    meeting = run(url, "calendar", "eval", "meeting kb in oct", "--year", "2027")
    assert meeting.exit_code == 0, meeting.stderr
    assert meeting.stdout.strip() == "2027-10-14"
    days = json.loads(run(url, "calendar", "holidays", "2027", "--format", "json").stdout)
    assert {
        "date": "2027-12-27",
        "weekday": "mandag",
        "name": "Lukkedag",
        "kind": "closure",
    } in days
