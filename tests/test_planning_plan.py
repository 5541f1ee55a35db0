"""Planning a year on both backends: idempotent, safe for done tasks, rules, overrides, processes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, col, func, select

from aarshjul.calendar.rules import Waiver
from aarshjul.engine.task_status import set_task_status
from aarshjul.errors import InputError, RuleViolation
from aarshjul.models import (
    Cycle,
    CycleOverride,
    Goal,
    Organisation,
    RuleWaiver,
    Task,
    TaskDependency,
    TaskEvent,
    TaskReminder,
    TaskStatus,
)
from aarshjul.models.queries import get_organisation
from aarshjul.org.importing import import_org
from aarshjul.org.org_files import load_sample_org
from aarshjul.planning.cycles import Override
from aarshjul.planning.plan import plan_cycle, start_process
from aarshjul.planning.template_files import BUILTIN, load_builtin_template, load_template
from aarshjul.planning.template_schema import Template

NOW = datetime(2027, 1, 2, 9, 0, tzinfo=UTC)
PLANNER = "marianne.skovbo@jammerbugt.example"


@pytest.fixture
def org(session: Session) -> Organisation:
    import_org(session, load_sample_org())
    session.commit()
    return get_organisation(session, "jammerbugt")


def _builtin_text(key: str) -> str:
    from importlib.resources import files

    return files(BUILTIN).joinpath(f"{key}.yaml").read_text(encoding="utf-8")


def _changed(tmp_path: Path, *pairs: tuple[str, str]) -> Template:
    text = _builtin_text("helhedsplan")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "helhedsplan.yaml"
    path.write_text(text, encoding="utf-8")
    return load_template(path)


def _plan(session: Session, org: Organisation, template: Template | None = None, **kw: object):  # type: ignore[no-untyped-def]
    result = plan_cycle(
        session, organisation=org, template=template or load_builtin_template("helhedsplan"),
        year=2027, now=NOW, **kw,  # type: ignore[arg-type]
    )  # fmt: skip
    session.commit()
    return result


def _count(session: Session, model: type, *where: object) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()  # type: ignore[arg-type]


def test_plan_writes_the_year_and_replanning_changes_nothing(
    session: Session, org: Organisation
) -> None:
    first = _plan(session, org)
    tasks = _count(session, Task)
    assert first.diff.added == tasks > 300 and first.diff.new_cycle
    assert _count(session, TaskEvent, col(TaskEvent.kind) == "planned") == tasks
    assert _count(session, TaskReminder) > tasks  # two lead times, a few collapse into one day
    assert _count(session, TaskDependency) > 0
    cycle = session.exec(select(Cycle)).one()
    assert (cycle.key, cycle.template_hash) == (
        "helhedsplan-2027",
        load_builtin_template("helhedsplan").content_hash,
    )
    snapshot = {t.id: (t.due, t.title_da, t.updated_at) for t in session.exec(select(Task))}
    second = _plan(session, org)
    assert (second.diff.added, second.diff.moved, second.diff.waived) == (0, 0, 0)
    assert second.diff.unchanged == tasks and not second.diff.changed
    session.expire_all()
    assert {t.id: (t.due, t.title_da, t.updated_at) for t in session.exec(select(Task))} == snapshot
    assert _count(session, TaskEvent) == tasks


def test_owners_subjects_and_milestones(session: Session, org: Organisation) -> None:
    _plan(session, org)
    status = session.exec(select(Task).where(Task.key == "goal_status")).all()
    goals = {g.id: g for g in session.exec(select(Goal))}
    assert status and all(t.owner_id == goals[t.goal_id].owner_id for t in status if t.goal_id)
    assert all(
        t.subject.startswith("goal:") and t.title_da.startswith("Statusrapport: ") for t in status
    )
    remarks = session.exec(select(Task).where(Task.key == "budget_remarks")).all()
    assert len(remarks) == 14 and all(
        t.milestone_id is not None and t.escalate_after == 5 for t in remarks
    )
    review = session.exec(select(Task).where(Task.key == "committee_review")).all()
    assert len(review) == 7


def test_dependencies_follow_the_subject_scope(session: Session, org: Organisation) -> None:
    _plan(session, org)
    tasks = {t.id: t for t in session.exec(select(Task))}
    pairs = session.exec(select(TaskDependency.task_id, TaskDependency.depends_on_id)).all()
    by_task: dict[str, set[tuple[str, str]]] = {}
    for task_id, other_id in pairs:
        task, other = tasks[task_id], tasks[other_id]
        by_task.setdefault(f"{task.key} {task.subject}", set()).add((other.key, other.subject))
    # a policy area's dialogue waits for the dialogues of its own goals only
    skole = by_task["area_dialogue policy_area:skole"]
    assert skole and all(key == "goal_dialogue" for key, _ in skole)
    area = next(t.policy_area_id for t in tasks.values() if t.subject == "policy_area:skole")
    goal_ids = {
        t.subject for t in tasks.values() if t.key == "goal_dialogue" and t.policy_area_id == area
    }
    assert {subject for _, subject in skole} == goal_ids
    # the same for_each: the same subject; a task planned once: every task of the key
    assert by_task["budget_remarks policy_area:skole"] == {
        ("budget_contribution", "policy_area:skole")
    }
    summary = by_task["status_summary "]
    assert len(summary) == sum(1 for t in tasks.values() if t.key == "goal_status")


def test_changed_template_moves_open_tasks_and_leaves_done_ones_alone(
    session: Session, org: Organisation, tmp_path: Path
) -> None:
    _plan(session, org)
    done = session.exec(select(Task).where(Task.key == "goal_status").order_by(Task.id)).first()
    assert done is not None and done.id is not None
    set_task_status(
        session,
        org=org,
        task_id=done.id,
        by_email=PLANNER,
        status=TaskStatus.done,
        now=NOW,
        note="Afleveret",
    )
    session.commit()
    before = [
        (e.kind, e.at, e.note)
        for e in session.exec(select(TaskEvent).where(TaskEvent.task_id == done.id))
    ]
    changed = _changed(
        tmp_path,
        (
            "    due: phase.end - 5 workdays\n  - key: status_summary",
            "    due: phase.end - 10 workdays\n  - key: status_summary",
        ),
        (
            'title: {da: "Budgetbidrag {budget_year}: {policy_area}"',
            'title: {da: "Budgetbidrag til budget {budget_year}: {policy_area}"',
        ),
    )
    result = _plan(session, org, changed)
    open_status = _count(session, Task, Task.key == "goal_status") - 1
    assert result.diff.moved == open_status and result.diff.updated == 14 and result.diff.kept == 1
    assert {(m.old_due, m.new_due) for m in result.diff.moved_tasks} == {
        (date(2027, 3, 17), date(2027, 3, 10))
    }
    session.expire_all()
    kept = session.get(Task, done.id)
    assert kept is not None and (kept.due, kept.status) == (date(2027, 3, 17), TaskStatus.done)
    after = [
        (e.kind, e.at, e.note)
        for e in session.exec(select(TaskEvent).where(TaskEvent.task_id == done.id))
    ]
    assert after == before
    moved = session.exec(select(TaskEvent).where(TaskEvent.kind == "moved")).all()
    assert len(moved) == open_status and moved[0].data == {"from": "2027-03-17", "to": "2027-03-10"}
    assert moved[0].actor_id is None
    reminders = session.exec(
        select(TaskReminder.remind_on).where(TaskReminder.task_id == moved[0].task_id)
    ).all()
    assert sorted(reminders) == [date(2027, 2, 24), date(2027, 3, 8)]


def test_vanished_subject_is_waived_never_deleted(session: Session, org: Organisation) -> None:
    _plan(session, org)
    goal = session.exec(select(Goal).where(Goal.key == "oekonomi-m2")).one()
    tasks = _count(session, Task)
    goal.horizon_start, goal.horizon_end = 2020, 2021
    session.commit()
    result = _plan(session, org)
    waived = session.exec(select(Task).where(Task.goal_id == goal.id)).all()
    assert result.diff.waived == len(waived) > 0 and _count(session, Task) == tasks
    assert all(t.status == TaskStatus.waived for t in waived)
    assert _count(session, TaskEvent, TaskEvent.kind == "waived") == len(waived)


def test_six_week_hearing_is_rejected_and_accepted_when_waived(
    session: Session, org: Organisation, tmp_path: Path
) -> None:
    short = _changed(
        tmp_path,
        (
            "    end: start + 8 weeks\n    end_rule: forward             # a hearing",
            "    end: start + 6 weeks\n    end_rule: forward             # a hearing",
        ),
    )
    with pytest.raises(RuleViolation) as info:
        _plan(session, org, short)
    message = str(info.value)
    assert "dk.P3" in message and "2027-09-02" in message and "2027-10-14" in message
    assert (
        "Planloven § 24, stk. 3" in message
        and "mindst 8 uger" in message
        and "at least 8 weeks" in message
    )
    session.rollback()
    assert _count(session, Task) == 0 and _count(session, Cycle) == 0
    result = _plan(
        session, org, short, waivers=[Waiver(rule_id="dk.P3", reason="Forlænget høring i 2026")]
    )
    assert [v.rule_id for v in result.notices] == ["dk.P3"] and result.notices[0].waived
    assert session.exec(select(RuleWaiver.rule_id, RuleWaiver.reason)).all() == [
        ("dk.P3", "Forlænget høring i 2026")
    ]
    assert _plan(session, org, short).diff.changed is False  # the stored waiver still applies


def test_override_is_stored_with_its_reason(session: Session, org: Organisation) -> None:
    with pytest.raises(RuleViolation, match=r"dk\.B2"):
        _plan(
            session,
            org,
            overrides=[Override("budget_2nd_reading", date(2027, 11, 5), "Ministeriet")],
        )
    session.rollback()
    result = _plan(
        session, org, overrides=[Override("budget_2nd_reading", date(2027, 11, 5), "Ministeriet")],
        waivers=[Waiver(rule_id="dk.B2", reason="Fristen er flyttet til 5. november")],
    )  # fmt: skip
    assert result.dates.named["budget_2nd_reading"] == date(2027, 11, 5)
    row = session.exec(select(CycleOverride)).one()
    assert (row.key, row.value, row.reason) == (
        "budget_2nd_reading",
        date(2027, 11, 5),
        "Ministeriet",
    )
    with pytest.raises(Exception, match="cannot override 'nope'"):
        _plan(session, org, overrides=[Override("nope", date(2027, 1, 1), "x")])


def test_dry_run_writes_nothing(session: Session, org: Organisation) -> None:
    result = _plan(session, org, dry_run=True)
    assert result.diff.added > 0 and result.cycle_id is None
    assert _count(session, Task) == 0 and _count(session, Cycle) == 0


def test_tillaeg_process(session: Session, org: Organisation) -> None:
    template = load_builtin_template("tillaeg")
    result = start_process(
        session, organisation=org, template=template, title="Tillæg 3: Solceller ved Fjerritslev",
        start=date(2027, 3, 1), now=NOW,
    )  # fmt: skip
    session.commit()
    assert result.cycle_key == "tillaeg-2027-tillaeg-3-solceller-ved-fjerritslev"
    named = result.dates.named
    # KB meets on the last Thursday: the first meeting after 29 March is 29 April; the hearing
    # starts 7 days later (6 May is Ascension Day, so Friday 7 May) and lasts 8 weeks to 2 July.
    assert named["proposal_decision"] == date(2027, 4, 29)
    assert (named["hearing.start"], named["hearing.end"]) == (date(2027, 5, 7), date(2027, 7, 2))
    assert named["adoption"] > named["hearing.end"]
    titles = session.exec(select(Task.title_da).order_by(Task.due)).all()
    assert titles[0] == "Udarbejd forslag: Tillæg 3: Solceller ved Fjerritslev" and len(titles) == 6
    minor = start_process(
        session, organisation=org, template=template, title="Tillæg 4", start=date(2027, 3, 1),
        now=NOW, variant="minor",
    )  # fmt: skip
    assert minor.dates.named["hearing.end"] == date(2027, 6, 4)
    with pytest.raises(InputError, match="process template"):
        plan_cycle(session, organisation=org, template=template, year=2027, now=NOW)
