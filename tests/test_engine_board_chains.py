"""The board report's milestone chains (followed all the way back, with a forecast), the
escalation step of overdue tasks and what changed since last week."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session, select

from aarshjul.calendar.workdays import WorkCalendar
from aarshjul.engine.board_report import board_report
from aarshjul.models import (
    Cycle,
    Goal,
    GoalReport,
    ReportStatus,
    Task,
    TaskDependency,
    TaskStatus,
)
from aarshjul.models.outbox import TaskEscalation
from tests import factories as f
from tests.engine_scenario import TODAY, Board, build

DK = WorkCalendar(country="DK")


def _chain(session: Session, board: Board) -> dict[str, Task]:
    """``a`` (late) ← ``b`` ← ``c`` → statutory ``hearing``; ``d`` done ends another chain."""
    cycle_id = board.tasks["t1"].cycle_id
    eric = board.people["eric"]
    c = session.get_one(Cycle, cycle_id)
    hearing = f.milestone(session, c, date(2027, 5, 3), key="hearing", name_da="Høring",
                          statutory=True)  # fmt: skip
    sealed = f.milestone(session, c, date(2027, 5, 3), key="sealed", name_da="Lukket",
                         statutory=True)  # fmt: skip
    tasks = {
        "a": f.task(session, c, eric, date(2027, 3, 1)),
        "b": f.task(session, c, eric, date(2027, 3, 19)),
        "c": f.task(session, c, eric, date(2027, 4, 20), milestone_id=hearing.id),
        "d": f.task(session, c, eric, date(2027, 3, 5), status=TaskStatus.done),
        "e": f.task(session, c, eric, date(2027, 4, 20), milestone_id=sealed.id),
    }
    for task, dep in (("b", "a"), ("c", "b"), ("d", "a"), ("e", "d")):
        session.add(TaskDependency(task_id=tasks[task].id, depends_on_id=tasks[dep].id))
    session.commit()
    return tasks


def test_a_late_task_three_steps_back_puts_the_milestone_at_risk_with_a_forecast(
    session: Session,
) -> None:
    board = build(session)
    chain = _chain(session, board)
    report = board_report(session, organisation=board.org, today=TODAY)
    risks = {m.key: m for m in report.milestones_at_risk}
    assert "sealed" not in risks  # the chain ends at the done task d
    hearing = risks["hearing"]
    assert hearing.late_task_ids == (chain["a"].id,)
    # Worked out step by step on the calendar: a can be done on 15 March (today) at the
    # earliest; b keeps its lead time after a, c its lead time after b, the milestone its own.
    a = TODAY
    b = DK.add_workdays(a, DK.workdays_between(date(2027, 3, 1), date(2027, 3, 19)))
    c = DK.add_workdays(b, DK.workdays_between(date(2027, 3, 19), date(2027, 4, 20)))
    expected = DK.add_workdays(c, DK.workdays_between(date(2027, 4, 20), date(2027, 5, 3)))
    assert hearing.forecast == expected and expected > hearing.date
    assert hearing.workdays_behind == DK.workdays_between(hearing.date, expected)
    as_json = next(m for m in report.as_dict()["milestones_at_risk"] if m["key"] == "hearing")
    assert as_json["forecast"] == expected.isoformat()


def test_the_one_step_case_keeps_its_forecast_within_the_plan_s_slack(session: Session) -> None:
    board = build(session)
    report = board_report(session, organisation=board.org, today=TODAY)
    (budget,) = report.milestones_at_risk
    # t4 is 3 workdays late, t6 is due 1 October: the lead time from 10 March keeps the
    # forecast 3 workdays after the plan, past 12 October's second reading.
    t6 = DK.add_workdays(TODAY, DK.workdays_between(date(2027, 3, 10), date(2027, 10, 1)))
    assert budget.forecast == DK.add_workdays(
        t6, DK.workdays_between(date(2027, 10, 1), date(2027, 10, 12))
    )
    assert budget.workdays_behind == 3


def test_a_dependency_cycle_does_not_hang(session: Session) -> None:
    board = build(session)
    session.add(TaskDependency(task_id=board.id("t4"), depends_on_id=board.id("t6")))
    session.commit()
    report = board_report(session, organisation=board.org, today=TODAY)
    assert [m.key for m in report.milestones_at_risk] == ["budget_2nd"]


def test_overdue_tasks_carry_their_highest_escalation_step(session: Session) -> None:
    board = build(session)
    for step in (1, 2):
        session.add(TaskEscalation(task_id=board.id("t2"), step=step, day=date(2027, 3, step)))
    session.commit()
    report = board_report(session, organisation=board.org, today=TODAY)
    steps = {o.id: o.escalation_step for o in report.overdue}
    assert steps == {board.id("t2"): 2, board.id("t4"): 0, board.id("t7"): 0}
    assert {o["id"]: o["escalation_step"] for o in report.as_dict()["overdue"]} == steps


def test_what_changed_since_last_week(session: Session) -> None:
    board = build(session)
    # t1 done on Monday 8 March at 00:30 Copenhagen time (23:30 UTC the day before): this week.
    board.tasks["t1"].completed_at = datetime(2027, 3, 7, 23, 30, tzinfo=UTC)
    session.add(board.tasks["t1"])
    goal_ids = _goal_ids(session, board)
    boss = board.people["plan"]
    assert boss.id is not None
    for at in (datetime(2027, 3, 1, 9, tzinfo=UTC), datetime(2027, 3, 12, 9, tzinfo=UTC)):
        session.add(GoalReport(goal_id=goal_ids[0], year=2027, status=ReportStatus.on_track,
                               reported_by_id=boss.id, reported_at=at))  # fmt: skip
    session.commit()
    changes = board_report(session, organisation=board.org, today=TODAY).changes
    assert changes is not None
    assert changes.since == date(2027, 3, 8)
    assert changes.completed == 1  # t1
    assert changes.became_overdue == 2  # t4 (10 March) and t7 (12 March)
    assert changes.goal_reports == 1  # the report of 12 March
    assert (changes.percent_then, changes.overdue_then) == (0, 2)  # t1 and t2 were late then


def test_a_completion_before_the_week_counts_as_done_then(session: Session) -> None:
    board = build(session)
    board.tasks["t1"].completed_at = datetime(2027, 3, 7, 22, 30, tzinfo=UTC)  # 23:30 on the 7th
    session.add(board.tasks["t1"])
    session.commit()
    changes = board_report(session, organisation=board.org, today=TODAY).changes
    assert changes is not None
    assert (changes.completed, changes.percent_then, changes.overdue_then) == (0, 17, 1)


def _goal_ids(session: Session, board: Board) -> list[int]:
    return [g for g in session.exec(select(Goal.id).where(Goal.organisation_id == board.org.id))
            if g is not None]  # fmt: skip
