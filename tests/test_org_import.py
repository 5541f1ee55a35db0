"""Organisation files: every error named with file, entry and field; nothing half-written."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import func
from sqlmodel import Session, select

from aarshjul.errors import OrgDataError
from aarshjul.models import Goal, GoalStatus, Organisation, Person, PersonRole
from aarshjul.org.exporting import dump_org_yaml, export_org
from aarshjul.org.importing import import_org
from aarshjul.org.org_files import load_org_file, load_sample_org

MINIMAL = {
    "organisation": {"key": "testby", "name": "Testby Kommune"},
    "people": [
        {"email": "chef@example.dk", "name": "Chef", "roles": ["direktion"]},
        {"email": "Fag@Example.dk", "name": "Fagchef", "roles": ["department_head"],
         "superior": "chef@example.dk"},
    ],
    "committees": [{"key": "oeu", "name": "Økonomiudvalget", "secretary": "chef@example.dk"}],
    "policy_areas": [
        {"key": "skole", "name": "Skole", "committee": "oeu", "head": "fag@example.dk"}
    ],
    "goals": [
        {"key": "v1", "level": "vision", "title": "Gode skoler", "policy_area": "skole",
         "horizon": [2026, 2037]},
        {"key": "m1", "level": "goal", "title": "Flere læser", "policy_area": "skole",
         "parent": "v1", "horizon": [2026, 2029]},
    ],
}  # fmt: skip


def write(tmp_path: Path, data: object, name: str = "org.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def count(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def broken(**changes: object) -> dict[str, object]:
    data = yaml.safe_load(yaml.safe_dump(MINIMAL))
    for dotted, value in changes.items():
        *path, last = dotted.split("__")
        node = data
        for part in path:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value
    return data


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"people__1__superior": "ghost@example.dk"},
         "people[1].superior: value 'ghost@example.dk': no person with that key in this file"),
        ({"policy_areas__0__committee": "xyz"},
         "policy_areas[0].committee: value 'xyz': no committee with that key in this file"),
        ({"goals__1__parent": "nope"}, "goals[1].parent: value 'nope': no goal with that key"),
        ({"goals__1__key": "v1"}, "goals[1].key: value 'v1': duplicate key"),
        ({"people__1__email": "chef@example.dk"}, "people[1].email: value 'chef@example.dk': duplicate"),
        ({"goals__0__level": "strategi"}, "goals[0].level: value 'strategi': Input should be"),
        ({"goals__0__colour": "red"}, "goals[0].colour: value 'red': unknown field"),
        ({"people__0__email": "not-an-address"}, "people[0].email: value 'not-an-address'"),
        ({"goals__0__horizon": [2030, 2026]}, "goals[0]: value"),
        ({"goals__0__parent": "m1"}, "goals[0].parent: value 'm1': a vision cannot sit under a goal"),
        ({"people__0__superior": "fag@example.dk"}, "superiors form a loop"),
    ],
)  # fmt: skip
def test_every_error_names_file_entry_field_and_reason(tmp_path, changes, expected):  # type: ignore[no-untyped-def]
    path = write(tmp_path, broken(**changes))
    with pytest.raises(OrgDataError) as err:
        load_org_file(path)
    assert str(path) in str(err.value)
    assert any(expected in problem for problem in err.value.problems), err.value.problems


def test_all_errors_are_reported_at_once(tmp_path: Path) -> None:
    data = broken(people__1__superior="ghost@example.dk", goals__1__parent="nope")
    with pytest.raises(OrgDataError) as err:
        load_org_file(write(tmp_path, data))
    assert len(err.value.problems) == 2
    assert "2 error(s)" in str(err.value)


def test_yaml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("organisation:\n  key: [unclosed\n", encoding="utf-8")
    with pytest.raises(OrgDataError, match=r"bad.yaml: line 3, column 1: not valid YAML"):
        load_org_file(path)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OrgDataError, match="cannot read the file"):
        load_org_file(tmp_path / "missing.yaml")


def test_import_then_reimport_changes_nothing(session: Session, tmp_path: Path) -> None:
    data = load_org_file(write(tmp_path, MINIMAL))
    first = import_org(session, data)
    session.commit()
    second = import_org(session, data)
    session.commit()
    assert first.changed and not second.changed
    assert {r["kind"]: r["unchanged"] for r in second.as_records()} == {
        "people": 2, "committees": 1, "policy_areas": 1, "goals": 2,
    }  # fmt: skip
    assert count(session, Person) == 2 and count(session, Goal) == 2


def test_goals_default_to_the_policy_areas_head_and_committee(
    session: Session, tmp_path: Path
) -> None:
    import_org(session, load_org_file(write(tmp_path, MINIMAL)))
    fagchef = session.exec(select(Person).where(Person.email == "fag@example.dk")).one()
    goal = session.exec(select(Goal).where(Goal.key == "m1")).one()
    assert goal.owner_id == fagchef.id
    assert goal.parent_id == session.exec(select(Goal.id).where(Goal.key == "v1")).one()


def test_reimport_updates_changed_fields_and_roles(session: Session, tmp_path: Path) -> None:
    import_org(session, load_org_file(write(tmp_path, MINIMAL)))
    changed = broken(people__0__name="Ny Chef", people__0__roles=["planning"])
    summary = import_org(session, load_org_file(write(tmp_path, changed, "v2.yaml")))
    session.commit()
    assert {r["kind"]: r["updated"] for r in summary.as_records()}["people"] == 1
    chef = session.exec(select(Person).where(Person.email == "chef@example.dk")).one()
    roles = session.exec(select(PersonRole.role).where(PersonRole.person_id == chef.id)).all()
    assert chef.name == "Ny Chef" and roles == ["planning"]


def test_reimport_does_not_wipe_reported_goal_status(session: Session, tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    import_org(session, load_org_file(path))
    goal = session.exec(select(Goal).where(Goal.key == "m1")).one()
    goal.status = GoalStatus.at_risk
    session.commit()
    import_org(session, load_org_file(path))
    session.commit()
    assert session.exec(select(Goal.status).where(Goal.key == "m1")).one() == GoalStatus.at_risk


def test_export_reimports_unchanged(session: Session, tmp_path: Path) -> None:
    import_org(session, load_sample_org())
    session.commit()
    org = session.exec(select(Organisation)).one()
    text = dump_org_yaml(export_org(session, org))
    assert "Økonomiudvalget" in text
    summary = import_org(
        session, load_org_file(write(tmp_path, yaml.safe_load(text), "export.yaml"))
    )
    assert not summary.changed


def test_sample_organisation_covers_the_cycle_roles(session: Session) -> None:
    import_org(session, load_sample_org())
    session.commit()
    roles = set(session.exec(select(PersonRole.role)).all())
    assert {"direktion", "planning", "finance", "secretary", "department_head"} <= roles
    levels = set(session.exec(select(Goal.level)).all())
    assert {level.value for level in levels} == {"vision", "goal", "service_goal", "action"}
    heads = session.exec(select(Person).where(Person.superior_id.is_not(None))).all()  # type: ignore[union-attr]
    assert len(heads) >= 10


def test_an_unknown_role_is_a_clear_error(tmp_path: Path) -> None:
    data = yaml.safe_load(yaml.safe_dump(MINIMAL))
    data["people"][1]["roles"] = ["department_head", "secretray"]
    with pytest.raises(OrgDataError) as caught:
        load_org_file(write(tmp_path, data))
    [problem] = caught.value.problems
    assert "people[1].roles: value ['department_head', 'secretray']: unknown role 'secretray'" in (
        problem
    )
    assert "did you mean 'secretary'?" in problem and "direktion" in problem
