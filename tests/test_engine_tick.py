"""The daily tick without Prefect: catch-up after an outage, a harmless second run, delivery."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from aarshjul.config import Settings
from aarshjul.engine.jobs import TickResult, run_tick
from aarshjul.models import OutboxKind, OutboxMessage, Phase, PhaseStatus, TaskReminder
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


def _tick(engine: Engine, board: Board, day: date, mail: SmtpServer) -> TickResult:
    now = datetime(day.year, day.month, day.day, 6, tzinfo=UTC)
    settings = Settings(mail_url=mail.mail_url)
    return run_tick(engine, organisation_key=board.org.key, today=day, now=now, settings=settings)


def test_catch_up_after_five_missed_workdays(engine: Engine, smtp_server: SmtpServer) -> None:
    board, short = _scenario(engine)
    first = _tick(engine, board, MONDAY, smtp_server)
    assert first.day.phases.as_dict() == {
        "opened": ["helhedsplan-2027/idea"], "closed": ["helhedsplan-2027/status"],
        "flagged": {"helhedsplan-2027/status": 1},
    }  # fmt: skip
    back = _tick(engine, board, CATCH_UP, smtp_server)
    # The phase that began and ended during the outage goes straight to closed.
    assert back.day.phases.as_dict()["closed"] == ["helhedsplan-2027/short"]
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
    assert back.delivery is not None and back.delivery.sent == back.day.compose.added
    assert len(smtp_server.messages) == first.day.compose.added + back.day.compose.added


def test_second_tick_on_the_same_day_sends_nothing(engine: Engine, smtp_server: SmtpServer) -> None:
    board, _ = _scenario(engine)
    first = _tick(engine, board, MONDAY, smtp_server)
    sent = len(smtp_server.messages)
    again = _tick(engine, board, MONDAY, smtp_server)
    assert first.day.compose.added > 0 and sent == first.day.compose.added
    assert again.day.compose.added == 0 and again.day.events == []
    assert again.day.phases.opened == [] and again.day.phases.closed == []
    assert again.delivery is not None and again.delivery.claimed == 0
    assert len(smtp_server.messages) == sent


def test_events_name_the_organisation_cycle_and_task(
    engine: Engine, smtp_server: SmtpServer
) -> None:
    board, _ = _scenario(engine)
    result = _tick(engine, board, date(2027, 3, 15), smtp_server)
    names = sorted({e.event for e in result.day.events})
    assert names == ["aarshjul.escalation", "aarshjul.phase.closed", "aarshjul.phase.opened",
                     "aarshjul.task.overdue"]  # fmt: skip
    overdue = next(
        e for e in result.day.events
        if e.event == "aarshjul.task.overdue" and e.resource["prefect.resource.id"]
        == f"aarshjul.task.{board.id('t4')}"
    )  # fmt: skip
    assert [r["prefect.resource.id"] for r in overdue.related] == [
        "aarshjul.organisation.testkommune", "aarshjul.cycle.helhedsplan-2027",
    ]  # fmt: skip
    assert overdue.payload == {"owner": "eric@example.dk", "due": "2027-03-10"}


def test_nothing_is_composed_on_a_holiday(engine: Engine, smtp_server: SmtpServer) -> None:
    board, _ = _scenario(engine)
    result = _tick(engine, board, date(2027, 3, 26), smtp_server)  # Good Friday
    assert result.day.compose.skipped == "Langfredag" and result.day.compose.added == 0
    with Session(engine) as session:
        kinds = session.exec(select(OutboxMessage.kind)).all()
    assert OutboxKind.digest not in kinds
