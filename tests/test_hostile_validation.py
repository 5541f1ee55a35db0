"""Issue 13, kinds 1, 3 and 12: what the engine relies on later is validated at the door.

An organisation file or a template that imports or checks fine must never make `plan`, `remind`
or a tick fail afterwards; each case below failed that way (or with a traceback) before.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from sqlmodel import Session, SQLModel
from typer.testing import CliRunner

from aarshjul.calendar.expressions import ExpressionError, parse_expression
from aarshjul.calendar.workdays import WorkCalendar
from aarshjul.cli import app
from aarshjul.config import get_settings
from aarshjul.errors import OrgDataError, TemplateError
from aarshjul.models import Organisation
from aarshjul.models.queries import get_organisation
from aarshjul.org import org_schema
from aarshjul.org.importing import import_org
from aarshjul.org.org_files import load_org_file, load_sample_org
from aarshjul.planning import template_schema
from aarshjul.planning.plan import plan_cycle
from aarshjul.planning.template_files import load_template
from tests.test_org_import import MINIMAL, broken, write
from tests.test_template_errors import GOOD

NOW = datetime(2027, 1, 2, 9, 0, tzinfo=UTC)


def _org_problems(tmp_path: Path, data: object) -> str:
    with pytest.raises(OrgDataError) as info:
        load_org_file(write(tmp_path, data))
    return str(info.value)


def _template_problems(tmp_path: Path, old: str, new: str) -> str:
    assert old in GOOD, old
    path = tmp_path / "t.yaml"
    path.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        load_template(path)
    assert str(path) in str(info.value)
    return str(info.value)


# -- kind 1: the organisation file ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("closure", "reason"),
    [
        ("2027-02-30", "Ugyldig lukkedag '2027-02-30'"),
        ("13-45", "13-45 er ikke en dag"),
        ("every friday", "Ugyldig lukkedag 'every friday'"),
        ("open:12-25", "helligdag"),
        ("half:2027-12-25", "helligdag"),
    ],
)
def test_closures_are_parsed_at_the_door(tmp_path: Path, closure: str, reason: str) -> None:
    problems = _org_problems(tmp_path, broken(organisation__closures=["optional", closure]))
    assert "organisation.closures" in problems and reason in problems


def test_a_yearly_open_day_on_a_moveable_feast_keeps_the_feast() -> None:
    """``open:05-13`` is Kristi himmelfartsdag in 2021: the holiday wins; planning never fails."""
    calendar = WorkCalendar(closures=("optional", "open:05-13", "half:05-01"))
    assert not calendar.is_workday(date(2021, 5, 13))
    assert calendar.is_workday(date(2026, 5, 13))
    assert calendar.half_days(2008) == []  # 1 May 2008 was Kristi himmelfartsdag


def test_closures_that_open_working_days_still_import(tmp_path: Path) -> None:
    data = broken(organisation__closures=["optional", "open:05-01", "half:12-31", "12-27"])
    assert load_org_file(write(tmp_path, data)).organisation.closures[1] == "open:05-01"


@pytest.mark.parametrize("country", ["XX", "dk", "", "D K"])
def test_an_unknown_holiday_country_is_refused(tmp_path: Path, country: str) -> None:
    problems = _org_problems(tmp_path, broken(organisation__holiday_country=country))
    assert "organisation.holiday_country" in problems and "holidays" in problems


def test_another_supported_country_is_accepted(tmp_path: Path) -> None:
    data = broken(organisation__holiday_country="SE")
    assert load_org_file(write(tmp_path, data)).organisation.holiday_country == "SE"


@pytest.mark.parametrize(
    "horizon", [[-5, 2029], [0, 2029], [2026, 99999], [2026, 10**30], [1899, 1900]]
)
def test_goal_horizons_are_years_in_a_sane_range(tmp_path: Path, horizon: list[int]) -> None:
    problems = _org_problems(tmp_path, broken(goals__0__horizon=horizon))
    assert "goals[0].horizon" in problems and "1900" in problems and "2200" in problems


def test_election_years_in_a_sane_range(tmp_path: Path) -> None:
    data = broken(organisation__elections={"year": 10**30, "every": 4})
    assert "organisation.elections.year" in _org_problems(tmp_path, data)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("people__0__title", "x" * 201),
        ("people__0__name", "x" * 201),
        ("people__0__roles", ["r" * 41]),
        ("committees__0__name", "x" * 201),
        ("goals__0__title", "x" * 301),
    ],
)
def test_texts_longer_than_the_database_allows_are_refused(
    tmp_path: Path, field: str, value: Any
) -> None:
    problems = _org_problems(tmp_path, broken(**{field: value}))
    assert "at most" in problems


def test_a_long_person_title_on_postgresql_is_refused_before_the_database(
    session: Session, tmp_path: Path
) -> None:
    """It reached the database and failed there (PostgreSQL: value too long) with a traceback."""
    with pytest.raises(OrgDataError, match=r"people\[0\]\.title"):
        import_org(session, load_org_file(write(tmp_path, broken(people__0__title="x" * 500))))


def _max_length(model: type[SQLModel], column: str) -> int:
    col = model.__table__.c[column]  # type: ignore[attr-defined]
    length = getattr(col.type, "length", None)
    assert length, (model, column)
    return int(length)


def _schema_max(spec: type[Any], field: str) -> int | None:
    schema = spec.model_json_schema()["properties"][field]
    options = [schema, schema.get("items", {}), *schema.get("anyOf", [])]
    lengths = [option["maxLength"] for option in options if "maxLength" in option]
    return min(lengths) if lengths else None


@pytest.mark.parametrize(
    ("spec", "field", "table", "column"),
    [
        ("OrganisationSpec", "key", "Organisation", "key"),
        ("OrganisationSpec", "name", "Organisation", "name"),
        ("OrganisationSpec", "timezone", "Organisation", "timezone"),
        ("OrganisationSpec", "holiday_country", "Organisation", "holiday_country"),
        ("PersonSpec", "name", "Person", "name"),
        ("PersonSpec", "title", "Person", "title"),
        ("PersonSpec", "roles", "PersonRole", "role"),
        ("CommitteeSpec", "key", "Committee", "key"),
        ("CommitteeSpec", "name", "Committee", "name"),
        ("PolicyAreaSpec", "key", "PolicyArea", "key"),
        ("PolicyAreaSpec", "name", "PolicyArea", "name"),
        ("GoalSpec", "key", "Goal", "key"),
        ("GoalSpec", "title", "Goal", "title"),
    ],
)
def test_the_file_schema_and_the_tables_agree_on_every_length(
    spec: str, field: str, table: str, column: str
) -> None:
    import aarshjul.models as models

    limit = _schema_max(getattr(org_schema, spec), field)
    assert limit is not None, f"{spec}.{field} has no length limit"
    assert limit <= _max_length(getattr(models, table), column)


def test_template_names_fit_their_columns() -> None:
    import aarshjul.models as models

    name_limit = template_schema.Name.model_fields["da"].metadata
    limit = next(m.max_length for m in name_limit if getattr(m, "max_length", None))
    assert limit <= _max_length(models.Phase, "name_da")
    assert limit <= _max_length(models.Milestone, "name_da")
    assert limit <= _max_length(models.Cycle, "title")


# -- kind 1: the template -------------------------------------------------------------------------


def test_a_phase_that_ends_before_it_starts_fails_check_not_plan(tmp_path: Path) -> None:
    text = GOOD.replace("end: start + 6 weeks", "end: start - 6 weeks")
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["template", "check", str(path), "--year", "2027"])
    assert result.exit_code == 1, result.output
    assert "phases[0]" in result.stderr and "idea" in result.stderr
    assert "ends 2027-01-18, before it starts 2027-03-01" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_plan_reports_the_phase_order_not_a_check_constraint(
    session: Session, tmp_path: Path
) -> None:
    import_org(session, load_sample_org())
    session.commit()
    org = get_organisation(session, "jammerbugt")
    path = tmp_path / "t.yaml"
    path.write_text(GOOD.replace("end: start + 6 weeks", "end: start - 6 weeks"), "utf-8")
    with pytest.raises(TemplateError, match=r"ends .* before it starts"):
        plan_cycle(session, organisation=org, template=load_template(path), year=2027, now=NOW)


@pytest.mark.parametrize(
    "title",
    [
        "Status: {goal:>999999999}",
        "Status: {goal!r}",
        "Status: {goal:{year}}",
        "Status: {goal.__class__}",
        "Status: {goal[0]}",
        "Status: {0}",
        "Status: {}",
    ],
)
def test_title_placeholders_are_plain_documented_names(tmp_path: Path, title: str) -> None:
    problems = _template_problems(tmp_path, 'title: "Status: {goal}"', f'title: "{title}"')
    assert "tasks[0].title.da" in problems


def test_escaped_braces_in_titles_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(GOOD.replace('"Status: {goal}"', '"Status {{x}}: {goal} {year}"'), "utf-8")
    assert load_template(path).tasks[0].title.da == "Status {{x}}: {goal} {year}"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("end: start + 6 weeks", "end: start + 99999999 workdays", "at most 2600 workdays"),
        ("end: start + 6 weeks", "end: start + 9999999999999 days", "at most 3660 days"),
        ("end: start + 6 weeks", "end: start + 100000 months", "at most 120 months"),
        ("start: 1st mon of mar", "start: 0001-01-01 - 5 days", "1900"),
        ("start: 1st mon of mar", "start: 9999-12-31 + 1 day", "2200"),
        ("start: 1st mon of mar", "start: " + "(" * 500 + "03-01" + ")" * 500, "200 characters"),
        ("start: 1st mon of mar", "start: " + "(" * 30 + "03-01" + ")" * 30, "nested"),
        ("title: Mini", "title: Mini\nversion: 99999999999", "version"),
        ("title: Mini", "title: " + "M" * 201, "at most 200"),
        ("name: Idéfase", "name: " + "I" * 201, "at most 200"),
        ("rule: last thu}", "rule: last thu, dates: {99999: [2027-01-01]}}", "1900"),
        ("title: Mini", "title: Mini\ndefaults: {remind: [99999999 workdays]}", "at most 2600"),
    ],
)
def test_numbers_and_years_in_templates_are_bounded(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert expected in _template_problems(tmp_path, old, new)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(" * 500 + "03-01" + ")" * 500, "200"),
        ("(" * 12 + "03-01" + ")" * 12, "nested"),
        ("+ 99999999 workdays", "2600"),
        ("0001-01-01 - 5 days", "1900"),
        ("10-15 + " + "9" * 5000 + " days", "200"),
        ("mon of week " + "9" * 100, "uge"),
    ],
)
def test_date_expressions_are_bounded(text: str, expected: str) -> None:
    with pytest.raises(ExpressionError, match=expected):
        parse_expression(text)


def test_nested_meeting_anchors_are_bounded() -> None:
    text = "meeting kb after " * 11 + "10-15"
    with pytest.raises(ExpressionError, match="nested"):
        parse_expression(text)
    assert parse_expression("meeting kb after " * 3 + "10-15").references() == set()


# -- through the CLI: each case is a clean error at the door (exit 1 or 2) ------------------------


@pytest.fixture
def sample_db(sqlite_url: str) -> str:
    result = CliRunner().invoke(app, ["--db", sqlite_url, "init", "--sample"])
    assert result.exit_code == 0, result.output
    return sqlite_url


def _cli(db: str, *args: str) -> Any:
    return CliRunner().invoke(app, ["--db", db, *args])


def _clean(result: Any, code: int, *expected: str) -> None:
    output = result.output + result.stderr
    assert result.exit_code == code, output
    assert "Traceback" not in output
    for text in expected:
        assert text in result.stderr, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["calendar", "holidays", "0"],
        ["calendar", "holidays", "--", "-5"],
        ["calendar", "holidays", "99999"],
        ["plan", "0", "--dry-run"],
        ["plan", "99999", "--dry-run"],
        ["timeline", "99999"],
        ["status", "0"],
        ["tasks", "--year", "99999999999999999999"],
        ["simulate", "99999"],
        ["calendar", "eval", "10-15", "--year", "99999"],
        ["template", "check", "helhedsplan.yaml", "--year", "0"],
    ],
)
def test_years_out_of_range_are_usage_errors(sample_db: str, args: list[str]) -> None:
    result = _cli(sample_db, *args)
    _clean(result, 2, "Invalid value for")
    assert "1900" in result.stderr or "2200" in result.stderr


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["tasks", "--today", "9999-12-31"], "--today"),
        (["status", "--today", "0001-01-01"], "--today"),
        (["remind", "--today", "9999-12-31", "--dry-run"], "--today"),
        (["start", "tillaeg", "--title", "T", "--start", "9999-12-31"], "--start"),
        (["calendar", "workdays", "0001-01-01", "9999-12-31"], "FROM"),
        (["plan", "2027", "--set", "idea.end=9999-12-31", "--reason", "x"], "--set idea.end"),
    ],
)
def test_dates_out_of_range_are_refused(sample_db: str, args: list[str], option: str) -> None:
    _clean(_cli(sample_db, *args), 1, option, "1900", "2200")


def test_the_today_setting_is_checked_like_the_option(
    sample_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AARSHJUL_TODAY", "9999-12-31")
    get_settings.cache_clear()  # the settings are read (and checked) once per process
    _clean(_cli(sample_db, "tasks"), 1, "AARSHJUL_TODAY")


@pytest.mark.parametrize("task_id", [str(2**64), str(2**63), "99999999999999999999999", "0"])
def test_a_task_id_beyond_the_database_is_not_found(sample_db: str, task_id: str) -> None:
    result = _cli(sample_db, "done", task_id, "--by", "anne.kjaer@jammerbugt.example")
    _clean(result, 1, f"no task with id {task_id}")


def test_an_expression_that_would_loop_for_ever_is_refused(sample_db: str) -> None:
    _clean(_cli(sample_db, "calendar", "eval", "10-15 + 99999999 workdays"), 1, "2600")


@pytest.mark.parametrize(
    "args",
    [
        ["org", "export", "-o", "{dir}"],
        ["org", "export", "-o", "{dir}/no/such/dir/org.yaml"],
        ["org", "export", "-o", "{dir}/no/such/dir/org.xlsx"],
        ["template", "export", "helhedsplan", "-o", "{dir}/no/such/dir/t.yaml"],
    ],
)
def test_an_output_path_that_cannot_be_written_is_a_message(
    sample_db: str, tmp_path: Path, args: list[str]
) -> None:
    args = [a.format(dir=tmp_path) for a in args]
    _clean(_cli(sample_db, *args), 1, args[-1], "cannot write")


def test_calendar_holidays_of_a_year_prints_them(sample_db: str) -> None:
    result = _cli(sample_db, "calendar", "holidays", "2027")
    assert result.exit_code == 0 and "Juledag" in result.stdout


def test_an_imported_file_with_a_bad_country_never_reaches_the_database(
    sample_db: str, tmp_path: Path
) -> None:
    data = yaml.safe_load(yaml.safe_dump(MINIMAL))
    data["organisation"]["holiday_country"] = "XX"
    result = _cli(sample_db, "org", "import", str(write(tmp_path, data)))
    _clean(result, 1, "holiday_country")
    engine = sa.create_engine(sample_db)
    with Session(engine) as s:
        assert s.exec(sa.select(Organisation.key)).all() == [("jammerbugt",)]  # type: ignore[call-overload]
    engine.dispose()


def test_the_today_setting_is_validated() -> None:
    from pydantic import ValidationError

    from aarshjul.config import Settings

    with pytest.raises(ValidationError, match="between 1900 and 2200"):
        Settings(today=date(9999, 12, 31))
