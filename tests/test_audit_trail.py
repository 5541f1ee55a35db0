"""The audit trail covers organisation imports, overrides and waivers, not only tasks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.cli_helpers import run, run_json


@pytest.fixture
def sample_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path}/audit.db"
    assert run(url, "init", "--sample").exit_code == 0
    return url


def _audit(url: str, *args: str) -> list[dict[str, str]]:
    return list(run_json(url, "audit", "--limit", "10000", *args))


def test_the_sample_import_is_recorded_as_additions(sample_db: str) -> None:
    trail = _audit(sample_db)
    people = [e for e in trail if e["entity"] == "person"]
    assert len(people) == 29 and {e["action"] for e in people} == {"added"}
    anne = next(e for e in people if e["key"] == "anne.kjaer@jammerbugt.example")
    assert anne["source"] == "init --sample" and anne["actor"].startswith("cli")
    assert "name: → 'Anne Kjær'" in anne["change"] and "roles: → ['direktion']" in anne["change"]
    assert {e["entity"] for e in trail} == {
        "organisation",
        "person",
        "committee",
        "policy_area",
        "goal",
    }


def test_an_import_records_who_changed_what_from_what_to_what(
    sample_db: str, tmp_path: Path
) -> None:
    exported = tmp_path / "org.yaml"
    assert run(sample_db, "org", "export", "-o", str(exported)).exit_code == 0
    data = yaml.safe_load(exported.read_text(encoding="utf-8"))
    birgitte = next(
        p for p in data["people"] if p["email"] == "birgitte.thygesen@jammerbugt.example"
    )
    birgitte["roles"] = ["department_head", "planning"]
    birgitte["title"] = "Børne- og skolechef"
    goal = next(g for g in data["goals"] if g["key"] == "skole-m1")
    old_title, goal["title"] = goal["title"], "Flere elever trives"
    exported.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = len(_audit(sample_db))
    assert run(sample_db, "org", "import", str(exported)).exit_code == 0

    trail = _audit(sample_db)
    assert len(trail) == before + 2  # one row per changed person or goal, none for the rest
    person = next(e for e in trail[before:] if e["entity"] == "person")
    assert person["action"] == "updated" and person["source"] == "org import org.yaml"
    assert "roles: ['department_head'] → ['department_head', 'planning']" in person["change"]
    assert "title: 'Skolechef' → 'Børne- og skolechef'" in person["change"]
    [changed] = [e for e in _audit(sample_db, "--goal", "skole-m1") if e["action"] == "updated"]
    assert changed["change"] == f"title: {old_title!r} → 'Flere elever trives'"
    assert run(sample_db, "org", "import", str(exported)).exit_code == 0
    assert len(_audit(sample_db)) == len(trail)  # importing again changes nothing


def test_overrides_and_waivers_are_recorded_with_their_reason(sample_db: str) -> None:
    result = run(sample_db, "plan", "2027", "--set", "budget_2nd_reading=2027-11-05",
                 "--waive", "dk.B2", "--reason", "Økonomiaftalen 2027")  # fmt: skip
    assert result.exit_code == 0, result.output
    decisions = [e for e in _audit(sample_db) if e["entity"] in ("override", "waiver")]
    assert [(e["entity"], e["key"], e["action"]) for e in decisions] == [
        ("override", "helhedsplan-2027/budget_2nd_reading", "added"),
        ("waiver", "helhedsplan-2027/dk.B2", "added"),
    ]
    assert all(e["note"] == "Økonomiaftalen 2027" and e["actor"].startswith("cli")
               for e in decisions)  # fmt: skip
    assert "value: → '2027-11-05'" in decisions[0]["change"]
    again = run(sample_db, "plan", "2027", "--set", "budget_2nd_reading=2027-11-04",
                "--reason", "Flyttet")  # fmt: skip
    assert again.exit_code == 0, again.output
    moved = [e for e in _audit(sample_db) if e["entity"] == "override"][-1]
    assert moved["action"] == "updated"
    assert "value: '2027-11-05' → '2027-11-04'" in moved["change"]


def test_task_since_and_unknown_filters(sample_db: str) -> None:
    assert run(sample_db, "plan", "2027").exit_code == 0
    task = run_json(sample_db, "tasks", "--year", "2027")[0]
    done = run(sample_db, "done", str(task["id"]), "--by", task["owner_email"])
    assert done.exit_code == 0, done.output
    mine = _audit(sample_db, "--task", str(task["id"]))
    assert [e["action"] for e in mine] == ["planned", "status"]
    assert mine[-1]["actor"] == task["owner_email"] and mine[-1]["change"] == "status: open → done"
    assert _audit(sample_db, "--since", "2199-01-01") == []
    table = run(sample_db, "audit", "--task", str(task["id"]))
    assert "open → done" in table.stdout
    assert "no goal 'rumfart'" in run(sample_db, "audit", "--goal", "rumfart").stderr
    assert "no task with id 999999" in run(sample_db, "audit", "--task", "999999").stderr
    assert json.loads(run(sample_db, "audit", "--format", "json", "--limit", "1").stdout)
