"""The CLI through typer's runner: init, org data, listings, completion, status, errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from aarshjul.db import make_engine
from aarshjul.models import Organisation, Person, Task, TaskEvent
from tests import factories as f
from tests.cli_helpers import run, run_json

TASK_FIELDS = {"id", "key", "title", "phase", "owner_email", "due", "status"}


@pytest.fixture
def sample_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path}/cli.db"
    result = run(url, "init", "--sample")
    assert result.exit_code == 0, result.output
    return url


def add_tasks(url: str) -> dict[str, int]:
    """Two tasks for the sample's skolechef, one done-able by planning."""
    engine = make_engine(url)
    with Session(engine) as s:
        org = s.exec(select(Organisation)).one()
        head = s.exec(
            select(Person).where(Person.email == "birgitte.thygesen@jammerbugt.example")
        ).one()
        cycle = f.cycle(s, org, 2027)
        phase = f.phase(s, cycle, date(2027, 1, 4), date(2027, 3, 31), key="status")
        late = f.task(
            s, cycle, head, date(2027, 2, 1), phase_id=phase.id, title_da="Statusrapport: Læsning"
        )
        later = f.task(s, cycle, head, date(2027, 3, 20), phase_id=phase.id)
        s.commit()
        ids = {"late": late.id, "later": later.id, "head": head.id}
    engine.dispose()
    return ids


def test_init_twice_changes_nothing(sample_db: str) -> None:
    again = run(sample_db, "init", "--sample")
    assert again.exit_code == 0
    assert "│ people       │ 0     │ 0       │ 29" in again.stdout


def test_people_json_has_roles_and_superiors(sample_db: str) -> None:
    people = run_json(sample_db, "people")
    director = next(p for p in people if p["title"] == "Kommunaldirektør")
    assert director["roles"] == ["direktion"] and director["superior_email"] is None
    assert sum(1 for p in people if "department_head" in p["roles"]) >= 10


def test_people_csv(sample_db: str) -> None:
    result = run(sample_db, "people", "--format", "csv")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("email,name,title,roles,superior_email")
    assert any("Økonomichef" in line for line in lines)


def test_goals_filtered_by_policy_area(sample_db: str) -> None:
    goals = run_json(sample_db, "goals", "--policy-area", "skole")
    assert goals and {g["policy_area"] for g in goals} == {"skole"}
    assert goals[0]["level"] == "vision"


def test_unknown_policy_area_is_an_error(sample_db: str) -> None:
    result = run(sample_db, "goals", "--policy-area", "rumfart")
    assert result.exit_code == 1
    assert "no policy area 'rumfart'" in result.stderr and "Traceback" not in result.output


def test_tasks_json_fields_and_filters(sample_db: str) -> None:
    ids = add_tasks(sample_db)
    tasks = run_json(sample_db, "tasks", "--year", "2027")
    assert set(tasks[0]) >= TASK_FIELDS and tasks[0]["due"] == "2027-02-01"
    assert tasks[0]["title"] == "Statusrapport: Læsning" and tasks[0]["phase"] == "status"
    overdue = run_json(sample_db, "tasks", "--overdue", "--today", "2027-03-01")
    assert [t["id"] for t in overdue] == [ids["late"]]
    mine = run_json(sample_db, "tasks", "--owner", "BIRGITTE.thygesen@jammerbugt.example")
    assert len(mine) == 2
    assert run_json(sample_db, "tasks", "--owner", "anne.kjaer@jammerbugt.example") == []


def test_done_by_owner_records_an_audit_row(sample_db: str) -> None:
    ids = add_tasks(sample_db)
    result = run(sample_db, "done", str(ids["late"]), "--by", "birgitte.thygesen@jammerbugt.example",
                 "--note", "Sendt til udvalget")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    engine = make_engine(sample_db)
    with Session(engine) as s:
        task = s.get(Task, ids["late"])
        events = s.exec(select(TaskEvent).where(TaskEvent.task_id == ids["late"])).all()
    engine.dispose()
    assert task is not None and task.status == "done" and task.completed_by_id == ids["head"]
    assert [(e.to_status, e.note) for e in events] == [("done", "Sendt til udvalget")]
    assert run_json(sample_db, "tasks", "--status", "done")[0]["id"] == ids["late"]


def test_done_by_someone_else_is_refused(sample_db: str) -> None:
    ids = add_tasks(sample_db)
    result = run(sample_db, "done", str(ids["late"]), "--by", "anne.kjaer@jammerbugt.example")
    assert result.exit_code == 1
    assert "may not change task" in result.stderr
    assert run_json(sample_db, "tasks", "--status", "done") == []


def test_done_by_planning_is_allowed(sample_db: str) -> None:
    ids = add_tasks(sample_db)
    planners = [p for p in run_json(sample_db, "people") if "planning" in p["roles"]]
    result = run(sample_db, "done", str(ids["later"]), "--by", planners[0]["email"])
    assert result.exit_code == 0, result.stderr


def test_done_by_unknown_person(sample_db: str) -> None:
    ids = add_tasks(sample_db)
    result = run(sample_db, "done", str(ids["late"]), "--by", "ghost@example.dk")
    assert result.exit_code == 1 and "no person with e-mail 'ghost@example.dk'" in result.stderr


def test_status_json(sample_db: str) -> None:
    add_tasks(sample_db)
    result = run(sample_db, "status", "2027", "--today", "2027-03-01", "--format", "json")
    report = json.loads(result.stdout)
    assert report["totals"] == {"total": 2, "done": 0, "waived": 0, "open": 2, "overdue": 1}
    assert report["phases"][0]["phase"] == "status"
    assert report["goals"]["not_reported"] > 0


def test_status_table_without_a_cycle(sample_db: str) -> None:
    result = run(sample_db, "status", "2031")
    assert result.exit_code == 0 and "Intet årshjul planlagt for 2031" in result.stdout


def test_bad_today_is_a_clear_error(sample_db: str) -> None:
    result = run(sample_db, "status", "--today", "2027-02-30")
    assert result.exit_code == 1 and "--today: '2027-02-30' is not a date" in result.stderr


def test_commands_refuse_an_uninitialised_database(tmp_path: Path) -> None:
    result = run(f"sqlite:///{tmp_path}/empty.db", "people")
    assert result.exit_code == 1
    assert "not initialised: run `aarshjul init`" in result.stderr


def test_tasks_of_an_unknown_owner_is_an_error_not_an_empty_list(sample_db: str) -> None:
    # `done --by`, `goals -p`, `audit --goal` name an unknown key; `tasks --owner` said nothing.
    result = run(sample_db, "tasks", "--owner", "birgite.thygesen@jammerbugt.example")
    assert result.exit_code == 1
    assert "no person with e-mail 'birgite.thygesen@jammerbugt.example'" in result.stderr
    found = run(sample_db, "tasks", "--owner", "Anne.Kjaer@jammerbugt.example", "-f", "json")
    assert found.exit_code == 0, found.stderr


def test_a_mistyped_database_path_creates_nothing(tmp_path: Path) -> None:
    """`status` on a typo'd --db made the folder and an empty database file, then said
    "run init"; a later command then wrote into that folder as if all were well."""
    path = tmp_path / "typo" / "sub" / "aarshjul.db"
    for command in (["status"], ["people"], ["report", "planning", "2027", "-o", "x.html"]):
        result = run(f"sqlite:///{path}", *command)
        assert result.exit_code == 1, result.output
        assert "not initialised: run `aarshjul init`" in result.stderr
        assert str(path) in result.stderr
    assert not (tmp_path / "typo").exists()
    assert run(f"sqlite:///{path}", "init").exit_code == 0  # init still creates it
    assert path.exists()


def test_broken_org_file_writes_nothing(sample_db: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "organisation: {key: andet, name: Anden}\n"
        "people: [{email: a@example.dk, name: A, superior: b@example.dk}]\n",
        encoding="utf-8",
    )
    result = run(sample_db, "org", "import", str(path))
    assert result.exit_code == 1
    assert "people[0].superior: value 'b@example.dk': no person" in result.stderr
    assert run(sample_db, "--org", "andet", "people").exit_code == 1


def test_org_import_dry_run_writes_nothing(sample_db: str, tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    path.write_text("organisation: {key: andet, name: Anden Kommune}\n", encoding="utf-8")
    result = run(sample_db, "org", "import", str(path), "--dry-run")
    assert result.exit_code == 0 and "Dry run" in result.stdout
    assert "no organisation 'andet'" in run(sample_db, "--org", "andet", "people").stderr


def test_two_organisations_need_org(sample_db: str, tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    path.write_text("organisation: {key: andet, name: Anden Kommune}\n", encoding="utf-8")
    assert run(sample_db, "org", "import", str(path)).exit_code == 0
    assert "several organisations" in run(sample_db, "people").stderr
    assert run_json(sample_db, "--org", "andet", "people") == []


def test_org_export_to_file(sample_db: str, tmp_path: Path) -> None:
    out = tmp_path / "export.yaml"
    assert run(sample_db, "org", "export", "-o", str(out)).exit_code == 0
    assert "Jammerbugt Kommune (eksempel)" in out.read_text(encoding="utf-8")


def test_writing_into_a_missing_folder_is_one_line(sample_db: str, tmp_path: Path) -> None:
    """`participation export -o` and `stats chart -o` into a folder that is not there were
    FileNotFoundError tracebacks; the other commands that write files said one line."""
    import aarshjul

    data = Path(aarshjul.__file__).parent / "data" / "statbank"
    [folk1a] = data.glob("FOLK1A_*.csv")
    assert run(sample_db, "stats", "import", str(folk1a), "--table", "FOLK1A").exit_code == 0
    missing = tmp_path / "no-folder"
    for args in (
        ["participation", "export", "anne.kjaer@jammerbugt.example", "-o", f"{missing}/x.json"],
        ["stats", "chart", "FOLK1A", "-o", f"{missing}/x.png"],
        ["stats", "chart", "FOLK1A", "-o", f"{missing}/x.svg"],
    ):
        result = run(sample_db, *args)
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
        assert f"{missing}/x." in result.stderr and "cannot write here" in result.stderr
    assert not missing.exists()
