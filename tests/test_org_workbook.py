"""The organisation file as an Excel workbook: same validation, sheet/row/column in every message,
nothing written on an error, and an export that imports back unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from aarshjul.cli import app
from aarshjul.errors import OrgDataError
from aarshjul.models import Goal, Organisation, Person
from aarshjul.org.exporting import export_org, org_payload
from aarshjul.org.importing import import_org
from aarshjul.org.org_files import check_horizons, load_org_file, load_sample_org
from aarshjul.org.workbook import SHEETS, write_workbook


def _book(tmp_path: Path, **rows: list[list[object]]) -> Path:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    base: dict[str, list[list[object]]] = {
        "organisation": [["key", "name", "closures"], ["testby", "Testby Kommune", "optional; 12-27"]],
        "people": [
            ["email", "name", "roles", "superior"],
            ["chef@example.dk", "Chef", "direktion", None],
            ["Fag@Example.dk", "Fagchef", "department_head; planning", "CHEF@example.dk"],
        ],
        "committees": [["key", "name", "secretary"], ["oeu", "Økonomiudvalget", "chef@example.dk"]],
        "policy_areas": [["key", "name", "committee", "head"], ["skole", "Skole", "oeu", "fag@example.dk"]],
        "goals": [
            ["key", "level", "title", "policy_area", "parent", "horizon"],
            ["v1", "vision", "Gode skoler", "skole", None, "2026-2037"],
            ["m1", "goal", "Flere læser", "skole", "v1", "2026-2029"],
        ],
    }  # fmt: skip
    for name, values in (base | rows).items():
        sheet = book.create_sheet(name)
        for row in values:
            sheet.append(row)
    path = tmp_path / "kommune.xlsx"
    book.save(path)
    return path


def _count(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_a_workbook_imports_like_the_yaml_file(session: Session, tmp_path: Path) -> None:
    data = load_org_file(_book(tmp_path))
    assert data.organisation.closures == ["optional", "12-27"]
    assert data.people[1].email == "fag@example.dk" and data.people[1].roles == [
        "department_head", "planning",
    ]  # fmt: skip
    assert data.goals[0].horizon == (2026, 2037)
    summary = import_org(session, data)
    session.commit()
    assert summary.changed and _count(session, Goal) == 2


def test_every_message_names_sheet_row_and_column(tmp_path: Path) -> None:
    path = _book(
        tmp_path,
        goals=[
            ["key", "level", "title", "policy_area", "parent", "horizon", "colour"],
            ["v1", "vision", "Gode skoler", "skole", None, "2026-2037", "red"],
            ["m1", "strategi", "Flere læser", "skole", "nope", "2026-2029"],
        ],
    )
    with pytest.raises(OrgDataError) as info:
        load_org_file(path)
    message = str(info.value)
    assert "sheet 'goals', row 1, column G: value 'colour': unknown column" in message
    path = _book(
        tmp_path,
        goals=[
            ["key", "level", "title", "policy_area", "parent", "horizon"],
            ["v1", "vision", "Gode skoler", "skole", None, "2026-2037"],
            ["m1", "strategi", "Flere læser", "skole", None, "2026-2029"],
        ],
    )
    with pytest.raises(OrgDataError) as info:
        load_org_file(path)
    assert "sheet 'goals', row 3, column B (level): value 'strategi'" in str(info.value)
    path = _book(
        tmp_path,
        committees=[["key", "name", "secretary"], ["oeu", "Økonomiudvalget", "ghost@example.dk"]],
    )
    with pytest.raises(OrgDataError) as info:
        load_org_file(path)
    assert (
        "sheet 'committees', row 2, column C (secretary): value 'ghost@example.dk': no person"
        in str(info.value)
    )


def test_horizon_warnings_name_the_cell(tmp_path: Path) -> None:
    path = _book(
        tmp_path,
        goals=[
            ["key", "level", "title", "policy_area", "horizon"],
            ["v1", "vision", "Gode skoler", "skole", "2026-2030"],
        ],
    )
    [warning] = check_horizons(path, load_org_file(path))
    assert "sheet 'goals', row 2, column E (horizon): goal 'v1'" in warning


def test_nothing_is_written_when_the_workbook_is_broken(sqlite_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["--db", sqlite_url, "init"]).exit_code == 0
    path = _book(tmp_path, people=[["email", "name"], ["not-an-address", "X"]])
    result = runner.invoke(app, ["--db", sqlite_url, "org", "import", str(path)])
    assert result.exit_code == 1 and "sheet 'people', row 2, column A (email)" in result.stderr
    assert "people" not in result.stdout


def test_export_imports_back_unchanged(session: Session, tmp_path: Path) -> None:
    import_org(session, load_sample_org())
    session.commit()
    org = session.exec(select(Organisation)).one()
    exported = export_org(session, org)
    exported.people[0].title = '=HYPERLINK("http://evil.example")'  # text, never a formula
    path = tmp_path / "export.xlsx"
    write_workbook(org_payload(exported), path)
    sheet = load_workbook(path)["people"]
    assert sheet["C2"].data_type == "s"
    assert [c.value for c in sheet[1]] == list(SHEETS["people"])
    reread = load_org_file(path)
    assert org_payload(reread) == org_payload(exported)
    people_before = _count(session, Person)
    exported.people[0].title = session.exec(select(Person.title).order_by(Person.email)).first()
    write_workbook(org_payload(exported), path)
    assert not import_org(session, load_org_file(path)).changed
    assert _count(session, Person) == people_before


def test_org_export_and_import_through_the_cli(sqlite_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["--db", sqlite_url, "init", "--sample"]).exit_code == 0
    before = runner.invoke(app, ["--db", sqlite_url, "org", "export"]).stdout
    path = tmp_path / "kommune.xlsx"
    result = runner.invoke(app, ["--db", sqlite_url, "org", "export", "-o", str(path)])
    assert result.exit_code == 0, result.stderr
    result = runner.invoke(app, ["--db", sqlite_url, "org", "import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.stderr
    rows = [line.split("│") for line in result.stdout.splitlines() if line.count("│") == 5]
    counts = {cells[1].strip(): cells[2:5] for cells in rows}
    assert set(counts) == {"people", "committees", "policy_areas", "goals", "indicators"}
    assert all(c[0].strip() == "0" and c[1].strip() == "0" for c in counts.values()), counts
    assert runner.invoke(app, ["--db", sqlite_url, "org", "export"]).stdout == before


@pytest.mark.parametrize("content", [b"not a workbook\n", b"PK\x03\x04 truncated zip"])
def test_a_file_that_is_no_workbook_is_one_line_naming_it(
    sqlite_url: str, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "organisation.xlsx"
    path.write_bytes(content)
    result = CliRunner().invoke(app, ["--db", sqlite_url, "org", "import", str(path)])
    assert result.exit_code == 1, result.output
    assert f"{path}: cannot read the workbook" in result.stderr
    assert "Traceback" not in result.output
