"""Goal status follow-up (målopfølgning) on both backends: reports, permissions, history, latest
status, the status task it completes, errors that name what is wrong, idempotence and audit."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml
from sqlmodel import Session, col, func, select

from aarshjul.engine.board_report import board_report
from aarshjul.engine.progress import year_progress
from aarshjul.errors import InputError, NotFound, OrgDataError, PermissionDenied
from aarshjul.goals import goal_history, latest_goal_statuses, report_goal_status
from aarshjul.goals.reporting import default_report_year
from aarshjul.models import (
    CycleKind,
    Goal,
    GoalIndicator,
    GoalReport,
    GoalStatus,
    Organisation,
    Person,
    ReportStatus,
    Task,
    TaskEvent,
    TaskStatus,
)
from aarshjul.models.queries import get_organisation
from aarshjul.org.exporting import dump_org_yaml, export_org
from aarshjul.org.importing import import_org
from aarshjul.org.org_files import load_org_file, load_sample_org
from aarshjul.planning.plan import plan_cycle
from aarshjul.planning.template_files import load_builtin_template
from tests import factories as f

NOW = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
TODAY = date(2027, 2, 1)
HEAD = "birgitte.thygesen@jammerbugt.example"  # department head of skole in the sample
PLANNER = "marianne.skovbo@jammerbugt.example"  # role planning in the sample
OTHER = "anne.kjaer@jammerbugt.example"  # direktion: reads all, reports nothing


@pytest.fixture
def org(session: Session) -> Organisation:
    import_org(session, load_sample_org())
    session.commit()
    return get_organisation(session, "jammerbugt")


def _report(session: Session, org: Organisation, **kw: object) -> object:
    values: dict[str, object] = {
        "goal_key": "skole-m3", "status": "risiko", "by_email": HEAD, "now": NOW,
        "today": TODAY, "year": 2026,
    } | kw  # fmt: skip
    outcome = report_goal_status(session, organisation=org, **values)  # type: ignore[arg-type]
    session.commit()
    return outcome


def _reports(session: Session) -> list[GoalReport]:
    return list(session.exec(select(GoalReport).order_by(col(GoalReport.id))))


def test_owner_reports_and_the_row_is_the_audit_record(session: Session, org: Organisation) -> None:
    outcome = report_goal_status(
        session, organisation=org, goal_key="skole-m3", status="ikke på sporet", by_email=HEAD,
        now=NOW, today=TODAY, year=2026, comment="  Faldende trivsel i udskolingen ",
        indicators={"trivsel": "81,5"},
    )  # fmt: skip
    session.commit()
    assert outcome.created and outcome.year == 2026
    (row,) = _reports(session)
    head = session.exec(select(Goal.owner_id).where(Goal.key == "skole-m3")).one()
    assert (row.status, row.comment, row.year) == (
        ReportStatus.off_track, "Faldende trivsel i udskolingen", 2026,
    )  # fmt: skip
    assert row.reported_by_id == head and row.reported_at == NOW
    assert row.indicators == [{"name": "trivsel", "unit": "%", "target": 90.0, "value": 81.5}]


def test_planning_may_report_anyone_else_may_not_and_nothing_is_written(
    session: Session, org: Organisation
) -> None:
    with pytest.raises(
        PermissionDenied, match=r"anne\.kjaer@jammerbugt\.example may not report .*skole-m3"
    ):
        _report(session, org, by_email=OTHER)
    session.rollback()
    assert _reports(session) == []
    assert _report(session, org, by_email=PLANNER).created  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("kw", "error", "message"),
    [
        ({"goal_key": "skole-m99"}, NotFound, r"no goal 'skole-m99'"),
        ({"by_email": "nobody@example.dk"}, NotFound, r"nobody@example\.dk"),
        ({"status": "nogenlunde"}, InputError, r"'nogenlunde' .* på sporet \(on_track\)"),
        ({"indicators": {"elevtal": "3"}}, InputError, r"no indicator 'elevtal' .*'trivsel'"),
        ({"indicators": {"trivsel": "høj"}}, InputError, r"indicator 'trivsel': 'høj' is not a number"),
        ({"indicators": {"trivsel": "nan"}}, InputError, r"'nan' is not a number"),
        ({"year": 2031}, InputError, r"runs 2026-2029; 2031 is outside its horizon"),
        ({"comment": "x" * 4001}, InputError, r"comment: 4001 characters"),
    ],
)  # fmt: skip
def test_bad_input_names_what_is_wrong_and_writes_nothing(
    session: Session, org: Organisation, kw: dict[str, object], error: type, message: str
) -> None:
    with pytest.raises(error, match=message):
        _report(session, org, **kw)
    session.rollback()
    assert _reports(session) == []


def test_statuses_in_danish_and_english(session: Session, org: Organisation) -> None:
    words = ["på sporet", "AT_RISK", "Ikke  på sporet", "achieved", "opgivet"]
    for word in words:
        _report(session, org, status=word)
    assert [r.status.value for r in _reports(session)] == [
        "on_track", "at_risk", "off_track", "achieved", "abandoned",
    ]  # fmt: skip


def test_identical_report_is_idempotent_and_a_changed_one_becomes_the_latest(
    session: Session, org: Organisation
) -> None:
    first = _report(session, org, comment="ok", indicators={"trivsel": 85})
    again = _report(session, org, comment="ok", indicators={"trivsel": "85.0"})
    assert first.created and not again.created  # type: ignore[attr-defined]
    assert again.report.id == first.report.id  # type: ignore[attr-defined]
    _report(session, org, status="på sporet", comment="bedre")
    _report(session, org, status="på sporet", comment="bedre", year=2027)
    history = goal_history(session, organisation=org, goal_key="skole-m3")
    assert [(h["year"], h["status"], h["latest"]) for h in history] == [
        (2026, "at_risk", False), (2026, "on_track", True), (2027, "on_track", True),
    ]  # fmt: skip
    assert history[0]["indicators"][0]["value"] == 85.0 and history[1]["indicators"] == []
    assert history[0]["reported_by"] == HEAD and history[0]["status_da"] == "risiko"
    assert [h["year"] for h in goal_history(session, organisation=org, goal_key="skole-m3",
                                            year=2027)] == [2027]  # fmt: skip


def test_history_of_an_unknown_goal_is_not_found(session: Session, org: Organisation) -> None:
    with pytest.raises(NotFound, match="no goal 'nope'"):
        goal_history(session, organisation=org, goal_key="nope")


def _plan(session: Session, org: Organisation, year: int = 2027) -> None:
    plan_cycle(
        session, organisation=org, template=load_builtin_template("helhedsplan"), year=year,
        now=NOW,
    )  # fmt: skip
    session.commit()


def _status_task(session: Session, goal_key: str) -> Task:
    return session.exec(
        select(Task).where(Task.key == "goal_status", Task.subject == f"goal:{goal_key}")
    ).one()


def test_report_completes_the_templates_status_task_through_the_audited_service(
    session: Session, org: Organisation
) -> None:
    _plan(session, org)  # helhedsplan-2027: Q1 status on the 2026 goals
    task = _status_task(session, "skole-m3")
    assert task.status == TaskStatus.open
    outcome = _report(session, org, year=2026)
    session.expire_all()
    task = _status_task(session, "skole-m3")
    assert outcome.completed_task_id == task.id  # type: ignore[attr-defined]
    assert outcome.report.task_id == task.id  # type: ignore[attr-defined]
    assert task.status == TaskStatus.done and task.completed_by_id == task.owner_id
    event = session.exec(
        select(TaskEvent).where(TaskEvent.task_id == task.id, TaskEvent.kind == "status")
    ).one()
    assert (event.to_status, event.actor_id) == ("done", task.owner_id)
    assert event.note == "Målstatus 2026: risiko (rapporteret / reported)"
    # A report on 2027 is not what the 2027 wheel's Q1 task is about: no other task is touched.
    done = select(func.count()).select_from(Task).where(Task.status == TaskStatus.done)
    _report(session, org, year=2027)
    assert session.exec(done).one() == 1


def test_without_a_planned_cycle_a_report_completes_nothing(
    session: Session, org: Organisation
) -> None:
    assert _report(session, org).completed_task_id is None  # type: ignore[attr-defined]


def test_default_year_is_last_year_during_the_status_phase(
    session: Session, org: Organisation
) -> None:
    _plan(session, org)
    goal = session.exec(select(Goal).where(Goal.key == "skole-m3")).one()
    default = lambda day: default_report_year(session, organisation=org, goal=goal, today=day)  # noqa: E731
    assert default(date(2027, 2, 1)) == 2026  # the task is open
    outcome = _report(session, org, year=None)
    assert outcome.year == 2026  # type: ignore[attr-defined]
    # Done, but the status phase still runs: a repeated report is still about 2026.
    assert not _report(session, org, year=None).created  # type: ignore[attr-defined]
    assert default(date(2027, 4, 5)) == 2027  # the phase (ends 26 March) is over


def test_latest_status_per_goal_from_reports_else_the_file(
    session: Session, org: Organisation
) -> None:
    assert org.id is not None
    keys = dict(session.exec(select(Goal.id, Goal.key)).all())
    statuses = lambda year=None: {  # noqa: E731
        keys[i]: s
        for i, s in latest_goal_statuses(session, organisation_id=org.id, year=year).items()  # type: ignore[arg-type]
    }
    before = statuses()
    assert before["skole-m1"] == "on_track" and before["skole-m3"] == "not_reported"
    _report(session, org, goal_key="skole-m1", status="opgivet", year=2026)
    _report(session, org, goal_key="skole-m1", status="opfyldt", year=2027)
    _report(session, org, goal_key="skole-m3", status="risiko", year=2027)
    assert statuses()["skole-m1"] == "achieved"
    assert statuses(2026)["skole-m1"] == "abandoned"
    assert statuses(2026)["skole-m3"] == "not_reported"  # its only report is on 2027
    assert statuses(2025)["skole-m1"] == "on_track"  # before any report: the file's
    assert len(statuses()) == session.exec(select(func.count()).select_from(Goal)).one()


def test_file_status_done_reads_as_achieved(session: Session) -> None:
    org = f.organisation(session)
    head = f.person(session, org)
    area = f.policy_area(session, org, f.committee(session, org), head)
    goal = f.goal(session, area, status=GoalStatus.done)
    assert org.id is not None
    assert latest_goal_statuses(session, organisation_id=org.id) == {goal.id: "achieved"}


def test_status_and_board_report_count_the_latest_status(
    session: Session, org: Organisation
) -> None:
    before = year_progress(session, organisation=org, year=2027, today=TODAY).goals
    _report(session, org, goal_key="skole-m1", status="risiko", year=2027)  # was on_track
    after = year_progress(session, organisation=org, year=2027, today=TODAY).goals
    assert after["on_track"] == before["on_track"] - 1
    assert after["at_risk"] == before["at_risk"] + 1
    assert board_report(session, organisation=org, today=TODAY).goals == after
    assert sum(after.values()) == session.exec(select(func.count()).select_from(Goal)).one()


def test_report_rows_keep_indicator_values_after_the_indicator_is_removed(
    session: Session, org: Organisation, tmp_path: Path
) -> None:
    _report(session, org, indicators={"trivsel": "80"})
    data = load_sample_org().model_dump(mode="json")
    goal = next(g for g in data["goals"] if g["key"] == "skole-m3")
    goal["indicators"] = []
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    summary = import_org(session, load_org_file(path))
    session.commit()
    assert summary.counts["indicators"]["removed"] == 1
    assert session.exec(select(func.count()).select_from(GoalIndicator)).one() == 2
    (row,) = _reports(session)
    assert row.indicators[0]["name"] == "trivsel" and row.indicators[0]["value"] == 80.0
    with pytest.raises(InputError, match="its indicators: none"):
        _report(session, org, indicators={"trivsel": "81"})


def test_indicators_round_trip_through_the_organisation_file(
    session: Session, org: Organisation, tmp_path: Path
) -> None:
    text = dump_org_yaml(export_org(session, org))
    exported = yaml.safe_load(text)
    by_key = {g["key"]: g for g in exported["goals"]}
    assert by_key["oekonomi-m3"]["indicators"] == [
        {"name": "sygefravær", "unit": "%", "target": 4.8},
        {"name": "langtidssygefravær", "unit": "%"},
    ]
    assert "indicators" not in by_key["skole-m1"]
    assert "public_calendar" not in exported["organisation"]
    path = tmp_path / "export.yaml"
    path.write_text(text, encoding="utf-8")
    assert not import_org(session, load_org_file(path)).changed


def test_an_indicator_named_twice_is_a_file_error(tmp_path: Path) -> None:
    data = load_sample_org().model_dump(mode="json")
    data["goals"][0]["indicators"] = [{"name": "a"}, {"name": "a"}]
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(OrgDataError, match="indicator named more than once: a"):
        load_org_file(path)


def test_only_annual_cycles_hold_the_status_task(session: Session, org: Organisation) -> None:
    """A process cycle (tillæg) of the same year with a task of the same key is left alone."""
    process = f.cycle(session, org, 2027, key="tillaeg-2027-x", kind=CycleKind.process)
    head = session.exec(select(Person).where(Person.email == HEAD)).one()
    task = f.task(
        session, process, head, date(2027, 3, 1), key="goal_status", subject="goal:skole-m3"
    )
    session.commit()
    _report(session, org, year=2026)
    session.refresh(task)
    assert task.status == TaskStatus.open
