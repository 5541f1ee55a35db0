"""``aarshjul template check|show``, ``plan``, ``start`` and ``timeline`` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from aarshjul.cli import app
from aarshjul.planning.template_files import BUILTIN

runner = CliRunner()


def _run(url: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", url, *args])
    return result.exit_code, result.stdout, result.stderr


def _builtin_path(key: str) -> str:
    from importlib.resources import files

    return str(files(BUILTIN).joinpath(f"{key}.yaml"))


def test_template_check_prints_the_timeline() -> None:
    code, out, err = _run(
        "sqlite://",
        "template",
        "check",
        _builtin_path("helhedsplan"),
        "--year",
        "2027",
        "-f",
        "json",
    )
    assert code == 0, err
    records = json.loads(out)
    reading = next(r for r in records if r["key"] == "budget_2nd_reading")
    assert (reading["kind"], reading["start"], reading["week"]) == (
        "milestone",
        "2027-10-14",
        "uge 41",
    )
    assert "OK: helhedsplan" in err


def test_template_check_fails_on_a_broken_template_and_a_violation(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "template: x\ntitle: X\nphases:\n  - {key: a, name: A, start: 03-01, end: strat}\n",
        encoding="utf-8",
    )
    code, _, err = _run("sqlite://", "template", "check", str(broken))
    assert code == 1 and "phases[0].end: value 'strat': unknown date 'strat'" in err
    short = tmp_path / "short.yaml"
    text = Path(_builtin_path("tillaeg")).read_text(encoding="utf-8")
    short.write_text(
        text.replace("    end: start + 8 weeks", "    end: start + 6 weeks", 1), encoding="utf-8"
    )
    code, _, err = _run("sqlite://", "template", "check", str(short), "--year", "2027")
    assert code == 1 and "dk.P3" in err and "Planloven § 24" in err


def test_template_show() -> None:
    code, out, _ = _run("sqlite://", "template", "show", "tillaeg")
    assert code == 0 and "tillaeg v1 (process)" in out and "hearing_publish" in out


def test_plan_start_and_timeline(sqlite_url: str) -> None:
    code, _, err = _run(sqlite_url, "init", "--sample")
    assert code == 0, err
    code, out, err = _run(sqlite_url, "plan", "2027", "--dry-run")
    assert code == 0, err
    assert "Prøvekørsel" in out and "Tilføjet 443" in out
    code, out, _ = _run(sqlite_url, "plan", "2027")
    assert code == 0 and "Tilføjet 443" in out
    code, out, _ = _run(sqlite_url, "plan", "2027")
    assert "Ingen ændringer." in out
    code, _, err = _run(sqlite_url, "plan", "2027", "--set", "budget_2nd_reading=2027-11-05")
    assert code == 1 and "--reason" in err
    code, _, err = _run(
        sqlite_url, "plan", "2027", "--set", "budget_2nd_reading=2027-11-05", "--reason", "Aftale"
    )
    assert code == 1 and "dk.B2" in err and "2027-11-05" in err
    args = ["--set", "budget_2nd_reading=2027-11-05", "--waive", "dk.B2", "--reason", "Aftale 2027"]
    code, out, err = _run(sqlite_url, "plan", "2027", *args)
    assert code == 0, err
    assert (
        "budget_2nd_reading: 2027-10-14 -> 2027-11-05" in out
        and "dispensation/waived: Aftale 2027" in out
    )
    code, out, err = _run(
        sqlite_url, "start", "tillaeg", "--title", "Tillæg 3", "--start", "2027-03-01", "--minor"
    )
    assert code == 0 and "tillaeg-2027-tillaeg-3" in out, err
    code, out, _ = _run(sqlite_url, "timeline", "2027", "-f", "json")
    records = json.loads(out)
    assert [r["start"] for r in records] == sorted(r["start"] for r in records)
    assert {r["cycle"] for r in records} == {"helhedsplan-2027", "tillaeg-2027-tillaeg-3"}
