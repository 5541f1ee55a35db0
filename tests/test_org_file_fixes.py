"""Organisation files: e-mail case, unquoted dates, goal horizons, elections, the own template."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from aarshjul.cli import app
from aarshjul.config import Settings
from aarshjul.engine.next_year import plan_next_year
from aarshjul.errors import OrgDataError, TemplateError
from aarshjul.models import Committee, Goal, Organisation, OrganisationTemplate, PolicyArea
from aarshjul.org.exporting import dump_org_yaml, export_org
from aarshjul.org.importing import import_org
from aarshjul.org.org_files import check_horizons, load_org_file
from aarshjul.planning.template_files import builtin_text, load_template
from aarshjul.planning.template_store import organisation_template
from aarshjul.runtime import Runtime
from tests.test_org_import import MINIMAL, write

NOW = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


def _data(**organisation: object) -> dict[str, object]:
    data = yaml.safe_load(yaml.safe_dump(MINIMAL))
    data["organisation"] |= organisation
    return data


def test_email_references_are_case_insensitive(session: Session, tmp_path: Path) -> None:
    data = _data()
    data["committees"][0] |= {"chair": "Chef@Example.DK", "secretary": "CHEF@example.dk"}
    data["policy_areas"][0]["head"] = "FAG@example.dk"
    data["goals"][1]["owner"] = "Chef@example.dk"
    import_org(session, load_org_file(write(tmp_path, data)))
    session.commit()
    committee = session.exec(select(Committee)).one()
    area = session.exec(select(PolicyArea)).one()
    goal = session.exec(select(Goal).where(Goal.key == "m1")).one()
    assert committee.chair_id == committee.secretary_id == goal.owner_id
    assert area.head_id is not None and area.head_id != goal.owner_id


def test_unquoted_yaml_dates_are_accepted_wherever_a_date_is(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    text = yaml.safe_dump(_data(), allow_unicode=True).replace(
        "  key: testby\n", "  key: testby\n  closures: [optional, 2027-05-07, open:05-01]\n"
    )
    path.write_text(text, encoding="utf-8")
    assert load_org_file(path).organisation.closures == ["optional", "2027-05-07", "open:05-01"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("2027-05-07", "2027-13-07"), encoding="utf-8")
    with pytest.raises(OrgDataError, match=r"organisation\.closures\[1\]: value '2027-13-07'"):
        load_org_file(bad)
    template = builtin_text("tillaeg")
    for old, new in [
        ('  closed: [optional, "12-27"]', '  closed: [optional, "12-27", 2027-05-07]'),
        ("    date: adoption + 5 workdays", "    date: 2027-12-01"),
        ("    start: process.start\n", "    start: 2027-01-04\n"),
        ("    due: proposal_decision - 10 workdays", "    due: 2027-02-01"),
    ]:
        assert old in template, old
        template = template.replace(old, new)
    file = tmp_path / "t.yaml"
    file.write_text(template, encoding="utf-8")
    loaded = load_template(file)
    assert loaded.calendar.closed[-1] == "2027-05-07" and loaded.tasks[0].due == "2027-02-01"
    assert loaded.phases[0].start == "2027-01-04" and loaded.milestones[-1].date == "2027-12-01"


def test_goal_horizon_that_does_not_fit_its_level(tmp_path: Path, sqlite_url: str) -> None:
    data = _data()
    data["goals"][1]["horizon"] = [2026, 2031]  # a goal (mål) looks 4 years ahead
    path = write(tmp_path, data)
    org = load_org_file(path)
    [warning] = check_horizons(path, org)
    assert "'m1' (Flere læser)" in warning and "2026-2031 (6 years)" in warning
    with pytest.raises(OrgDataError, match="'m1'"):
        check_horizons(path, org, strict=True)
    runner = CliRunner()
    assert runner.invoke(app, ["--db", sqlite_url, "init"]).exit_code == 0
    strict = runner.invoke(app, ["--db", sqlite_url, "org", "import", str(path), "--strict"])
    assert strict.exit_code == 1 and "'m1'" in strict.stderr
    assert "Organisation" not in strict.stdout  # nothing was imported
    loose = runner.invoke(app, ["--db", sqlite_url, "org", "import", str(path)])
    assert loose.exit_code == 0 and "advarsel/warning" in loose.stderr and "'m1'" in loose.stderr
    listed = runner.invoke(app, ["--db", sqlite_url, "goals", "-f", "json"])
    assert {g["key"]: g["horizon"] for g in json.loads(listed.stdout)} == {
        "v1": "2026-2037", "m1": "2026-2031",
    }  # fmt: skip
    table = runner.invoke(app, ["--db", sqlite_url, "goals"])
    assert "2026-2037" in table.stdout


def test_elections_round_trip(session: Session, tmp_path: Path) -> None:
    import_org(session, load_org_file(write(tmp_path, _data(elections={"year": 2029}))))
    session.commit()
    org = session.exec(select(Organisation)).one()
    assert (org.election_year, org.election_every) == (2029, 4)
    assert "elections:\n    year: 2029" in dump_org_yaml(export_org(session, org))


def test_the_organisations_own_template_is_its_default(engine: Engine, tmp_path: Path) -> None:
    own = builtin_text("helhedsplan").replace("template: helhedsplan", "template: kommunehjul")
    (tmp_path / "wheel").mkdir()
    (tmp_path / "wheel" / "kommunehjul.yaml").write_text(own, encoding="utf-8")
    path = write(tmp_path, _data(template="wheel/kommunehjul.yaml"))
    people = yaml.safe_load(path.read_text(encoding="utf-8"))
    people["people"] += [
        {"email": f"{role}@example.dk", "name": role.title(), "roles": [role]}
        for role in ("planning", "finance", "secretary")
    ]
    path.write_text(yaml.safe_dump(people, allow_unicode=True), encoding="utf-8")
    with Session(engine) as session:
        import_org(session, load_org_file(path))
        session.commit()
        org = session.exec(select(Organisation)).one()
        assert org.template_key == "kommunehjul"
        stored = session.exec(select(OrganisationTemplate)).one()
        assert stored.key == "kommunehjul" and stored.content == own
        assert organisation_template(session, org).source == "stored:kommunehjul"
        # the file may go away: the stored copy is what the planning uses
        (tmp_path / "wheel" / "kommunehjul.yaml").unlink()
    runtime = Runtime(settings=Settings(), engine=engine, organisation_key="testby")
    outcome = plan_next_year(runtime, today=date(2026, 12, 1))
    assert outcome.error is None, outcome.error
    assert outcome.cycle_key == "kommunehjul-2027"
    with Session(engine) as session:
        exported = export_org(session, session.exec(select(Organisation)).one())
    assert exported.organisation.template == "kommunehjul"


def test_a_broken_own_template_is_named_in_the_organisation_file(tmp_path: Path) -> None:
    (tmp_path / "hjul.yaml").write_text("template: x\ntitle: X\nphases: nope\n", encoding="utf-8")
    with pytest.raises(OrgDataError) as info:
        load_org_file(write(tmp_path, _data(template="hjul.yaml")))
    assert "organisation.template: value 'hjul.yaml'" in str(info.value)
    assert "phases" in str(info.value)


def test_an_unknown_template_key_says_where_it_looked(session: Session, tmp_path: Path) -> None:
    import_org(session, load_org_file(write(tmp_path, _data(template="ukendt"))))
    session.commit()
    org = session.exec(select(Organisation)).one()
    with pytest.raises(TemplateError, match=r"not stored .* not built in"):
        organisation_template(session, org)
