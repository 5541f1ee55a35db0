"""The dashboard's numbers are the weekly report's and ``status``'s: on the hand-built scenario,
the lists the board shows (read from its CSV downloads, which are the same tables as its HTML)
equal ``aarshjul report --json`` and ``aarshjul status --format json`` run for real."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from aarshjul.config import get_settings
from tests.board_support import BoardWorld, board_world
from tests.cli_helpers import run
from tests.engine_scenario import TODAY


def _cli_json(db_url: str, *args: str) -> Any:
    result = run(db_url, "--org", "testkommune", *args)
    assert result.exit_code == 0, result.output + result.stderr
    return json.loads(result.stdout)


def _list(world: BoardWorld, name: str) -> list[dict[str, str]]:
    """A dashboard list as the English CSV download gives it."""
    body = world.client("dir").get(f"/board/export/{name}.csv").content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


@pytest.fixture
def world(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> BoardWorld:
    monkeypatch.setenv("AARSHJUL_DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    built = board_world(sqlite_url, tmp_path, extra_groups=2)
    from sqlmodel import Session

    from aarshjul.models import Person

    with Session(built.runtime.engine) as s:  # Dorte reads English: comma-separated CSV
        person = s.get_one(Person, built.board.people["dir"].id)
        person.locale = "en"
        s.add(person)
        s.commit()
    return built


def test_dashboard_equals_report_json_equals_status_json(
    world: BoardWorld, sqlite_url: str
) -> None:
    day = TODAY.isoformat()
    report = _cli_json(sqlite_url, "report", "--today", day, "--no-deliver", "--json")
    status = _cli_json(sqlite_url, "status", "2027", "--today", day, "--format", "json")
    keys = ("done", "open", "overdue", "waived", "total", "percent")

    def counts(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return [tuple(int(r[k]) for k in keys) for r in rows]

    board_phases = _list(world, "phases")
    assert [r["Phase"] for r in board_phases][:3] == ["Status på mål", "Idéfase", "Budget"]
    shown = [{k: r[h] for k, h in zip(keys, ("Done", "Open", "Overdue", "Waived", "Total",
                                             "Done %"), strict=True)} for r in board_phases]  # fmt: skip
    assert counts(shown) == counts(report["phases"]) == counts(status["phases"])
    assert [r["Time passed"] for r in board_phases[:3]] == [
        f"{p['elapsed']:.0%}" for p in status["phases"][:3]
    ]
    assert {k: report["totals"][k] for k in status["totals"]} == status["totals"]
    committees = _list(world, "committees")
    assert [(r["Name"], int(r["Done"]), int(r["Open"]), int(r["Overdue"]), int(r["Done %"]))
            for r in committees] == [
        (g["name"], g["done"], g["open"], g["overdue"], g["percent"]) for g in report["committees"]
    ]  # fmt: skip
    assert [r["Due so far"] for r in committees] == [
        f"{g['expected']:.0%}" for g in report["committees"]
    ]
    areas = _list(world, "policy-areas")
    assert [(r["Name"], int(r["Total"])) for r in areas] == [
        (g["name"], g["total"]) for g in report["policy_areas"]
    ]
    overdue = _list(world, "overdue")
    assert [(int(r["No."]), int(r["Working days late"]), int(r["Escalation step"]))
            for r in overdue] == [
        (o["id"], o["workdays_late"], o["escalation_step"]) for o in report["overdue"]
    ]  # fmt: skip
    assert {r["Status"]: int(r["Goals"]) for r in _list(world, "goals")} == {
        {"at_risk": "At risk", "on_track": "On track"}[k]: v for k, v in status["goals"].items()
    }
    assert report["goals"] == status["goals"]
    milestones = _list(world, "milestones")
    assert [(r["Milestone"], r["Date"], r["Forecast"]) for r in milestones] == [
        (m["name"], m["date"], m["forecast"]) for m in report["milestones_at_risk"]
    ]
    page = world.client("dir").get("/board").text
    totals = report["totals"]
    assert (
        f"{totals['done']} of {totals['total'] - totals['waived']} tasks are done "
        f"({report['percent']}%); {totals['overdue']} are overdue."
    ) in page
    assert report["percent"] == status["percent"]
    changes = report["changes"]
    assert f"<dd>{changes['percent_then']} % → {report['percent']} %</dd>" in page
