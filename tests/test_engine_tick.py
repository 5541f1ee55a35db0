"""The day runner without Prefect: catch-up after an outage, a harmless second run, delivery.

These drive :func:`aarshjul.engine.day.run_day`, the function the tick flow, ``remind``,
``simulate`` and the demo call.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from aarshjul.config import Settings
from aarshjul.engine.day import DayResult, run_day
from aarshjul.flows.events import day_events
from aarshjul.models import OutboxKind, OutboxMessage, Phase, PhaseStatus, TaskReminder
from aarshjul.runtime import Runtime
from tests.engine_scenario import Board, build
from tests.smtp import SmtpServer

MONDAY = date(2027, 3, 1)
CATCH_UP = date(2027, 3, 9)  # after Tue 2 - Mon 8 March: five workdays without a tick


def _scenario(engine: Engine) -> tuple[Board, Phase]:
    with Session(engine, expire_on_commit=False) as session:
        board = build(session)
        cycle_id = board.phases["idea"].cycle_id
        short = Phase(cycle_id=cycle_id, key="short", name_da="Kort fase",
                      start_date=date(2027, 3, 3), end_date=date(2027, 3, 5))  # fmt: skip
        session.add(short)
        session.add(TaskReminder(task_id=board.id("t5"), remind_on=date(2027, 3, 3)))
        session.add(TaskReminder(task_id=board.id("t4"), remind_on=date(2027, 3, 5)))
        session.commit()
        return board, short


def _tick(engine: Engine, board: Board, day: date, mail: SmtpServer) -> DayResult:
    settings = Settings(mail_url=mail.mail_url)
    runtime = Runtime(settings=settings, engine=engine, organisation_key=board.org.key)
    return run_day(runtime, today=day, deliver=True)


def test_catch_up_after_five_missed_workdays(engine: Engine, smtp_server: SmtpServer) -> None:
    board, short = _scenario(engine)
    first = _tick(engine, board, MONDAY, smtp_server)
    assert first.phases.as_dict() == {
        "opened": ["helhedsplan-2027/idea"], "closed": ["helhedsplan-2027/status"],
        "flagged": {"helhedsplan-2027/status": 1},
    }  # fmt: skip
    back = _tick(engine, board, CATCH_UP, smtp_server)
    # The phase that began and ended during the outage goes straight to closed.
    assert back.phases.as_dict()["closed"] == ["helhedsplan-2027/short"]
    with Session(engine) as session:
        row = session.get_one(Phase, short.id)
        assert row.status == PhaseStatus.closed and row.opened_at is not None
        days = sorted({m.day for m in session.exec(select(OutboxMessage)).all()})
        eric = session.exec(
            select(OutboxMessage).where(
                OutboxMessage.day == CATCH_UP, OutboxMessage.person_id == board.people["eric"].id
            )
        ).one()
    assert days == [MONDAY, CATCH_UP]  # one digest for today, no burst of stale ones
    assert {board.id("t4"), board.id("t5")} <= set(eric.task_ids)  # missed reminders included
    assert back.delivery is not None and back.delivery.sent == back.compose.added
    assert len(smtp_server.messages) == first.compose.added + back.compose.added


def test_second_tick_on_the_same_day_sends_nothing(engine: Engine, smtp_server: SmtpServer) -> None:
    board, _ = _scenario(engine)
    first = _tick(engine, board, MONDAY, smtp_server)
    sent = len(smtp_server.messages)
    again = _tick(engine, board, MONDAY, smtp_server)
    assert first.compose.added > 0 and sent == first.compose.added
    assert again.compose.added == 0 and day_events(again) == []
    assert again.phases.opened == [] and again.phases.closed == []
    assert again.delivery is not None and again.delivery.claimed == 0
    assert len(smtp_server.messages) == sent


def test_events_name_the_organisation_cycle_and_task(
    engine: Engine, smtp_server: SmtpServer
) -> None:
    board, _ = _scenario(engine)
    result = _tick(engine, board, date(2027, 3, 15), smtp_server)
    events = day_events(result)
    names = sorted({e.event for e in events})
    # Fault 6: one summary of the overdue listing instead of one event per overdue task.
    assert names == ["aarshjul.escalation", "aarshjul.phase.closed", "aarshjul.phase.opened",
                     "aarshjul.tasks.overdue"]  # fmt: skip
    [overdue] = [e for e in events if e.event == "aarshjul.tasks.overdue"]
    assert overdue.resource["prefect.resource.id"] == "aarshjul.organisation.testkommune"
    assert [r["prefect.resource.id"] for r in overdue.related] == [
        "aarshjul.organisation.testkommune", "aarshjul.cycle.helhedsplan-2027",
    ]  # fmt: skip
    assert board.id("t4") in overdue.payload["task_ids"]
    assert overdue.payload["owners"]["eric@example.dk"] >= 1


def test_nothing_is_composed_on_a_holiday(engine: Engine, smtp_server: SmtpServer) -> None:
    board, _ = _scenario(engine)
    result = _tick(engine, board, date(2027, 3, 26), smtp_server)  # Good Friday
    assert result.compose.skipped == "Langfredag" and result.compose.added == 0
    with Session(engine) as session:
        kinds = session.exec(select(OutboxMessage.kind)).all()
    assert OutboxKind.digest not in kinds
