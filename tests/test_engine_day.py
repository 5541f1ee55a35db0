"""The one day runner: every edge runs the same day, previews write nothing, events are bounded.

Each test is one of issue 10's faults, as the case that failed before the runner existed.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from aarshjul.clock import Clock
from aarshjul.config import Settings, get_settings
from aarshjul.db import make_engine
from aarshjul.engine.day import run_day
from aarshjul.flows.events import day_events
from aarshjul.models import (
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    Phase,
    PhaseStatus,
    Task,
    TaskStatus,
)
from aarshjul.runtime import Runtime, null_sender
from tests import factories as f
from tests.cli_helpers import run
from tests.engine_scenario import Board, build
from tests.smtp import SmtpServer

GOOD_FRIDAY = date(2027, 3, 26)
MONDAY = date(2027, 3, 15)


def _runtime(engine: Engine, board: Board, **settings: object) -> Runtime:
    return Runtime(settings=Settings(**settings), engine=engine, organisation_key=board.org.key)


def _board(engine: Engine) -> Board:
    with Session(engine, expire_on_commit=False) as session:
        return build(session)


# -- fault 1: one runner, so a holiday is a holiday for every edge ---------------------------------


def test_nothing_is_delivered_on_a_holiday(engine: Engine, smtp_server: SmtpServer) -> None:
    board = _board(engine)
    with Session(engine) as session:  # a message left over from the day before
        session.add(OutboxMessage(
            organisation_id=board.org.id, person_id=board.people["anne"].id,
            day=GOOD_FRIDAY - timedelta(days=1), kind=OutboxKind.digest, subject="Leftover",
            body_text="x", body_html="",
        ))  # fmt: skip
        session.commit()
    result = run_day(_runtime(engine, board, mail_url=smtp_server.mail_url),
                     today=GOOD_FRIDAY, deliver=True)  # fmt: skip
    assert result.closed == "Langfredag" and result.delivery is None
    assert smtp_server.messages == []
    with Session(engine) as session:
        assert session.exec(select(OutboxMessage.status)).all() == [OutboxStatus.pending]


def test_remind_runs_the_day_phases_included(db_url: str) -> None:
    engine = make_engine(db_url)
    board = _board(engine)
    out = run(db_url, "--org", board.org.key, "remind", "--today", "2027-03-01", "--deliver")
    assert out.exit_code == 0, out.output
    with Session(engine) as session:
        idea = session.get_one(Phase, board.phases["idea"].id)
    engine.dispose()
    assert idea.status == PhaseStatus.open  # remind is the runner: phases open as in the flow


@pytest.mark.slow
def test_simulate_honours_overdue_every(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(sqlite_url)
    _board(engine)
    engine.dispose()
    messages = {}
    for every in ("1", "10"):
        monkeypatch.setenv("AARSHJUL_OVERDUE_EVERY", every)
        get_settings.cache_clear()
        result = run(sqlite_url, "simulate", "2027", "--completion-rate", "0", "--seed", "1",
                     "--json")  # fmt: skip
        assert result.exit_code == 0, result.output
        messages[every] = json.loads(result.stdout)["messages"]
    # Overdue tasks are listed every workday with 1, every tenth with 10: far fewer digests.
    assert messages["1"] > messages["10"] * 2


def test_a_simulated_day_sends_through_the_null_sender(
    engine: Engine, smtp_server: SmtpServer
) -> None:
    board = _board(engine)
    rt = replace(_runtime(engine, board, mail_url=smtp_server.mail_url), sender=null_sender())
    result = run_day(replace(rt, clock=Clock(fixed_today=MONDAY)), deliver=True)
    assert result.delivery is not None and result.delivery.sent == result.compose.added > 0
    assert smtp_server.messages == []


# -- fault 4: a day other than today is a preview unless delivery is asked for ---------------------


def test_a_preview_writes_and_sends_nothing(engine: Engine, smtp_server: SmtpServer) -> None:
    board = _board(engine)
    rt = _runtime(engine, board, mail_url=smtp_server.mail_url)
    preview = run_day(rt, today=MONDAY)
    assert not preview.written and preview.delivery is None
    assert preview.compose.digests and day_events(preview) == []
    with Session(engine) as session:
        assert session.exec(select(OutboxMessage)).all() == []
        assert session.get_one(Phase, board.phases["idea"].id).status == PhaseStatus.planned
    assert smtp_server.messages == []
    replay = run_day(rt, today=MONDAY, deliver=True)
    assert replay.written and replay.delivery is not None and replay.delivery.sent > 0


def test_today_from_the_environment_is_a_preview_too(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(db_url)
    board = _board(engine)
    monkeypatch.setenv("AARSHJUL_TODAY", "2027-03-15")
    get_settings.cache_clear()
    out = run(db_url, "--org", board.org.key, "remind")
    assert out.exit_code == 0 and "nothing was written or sent" in out.output
    with Session(engine) as session:
        assert session.exec(select(OutboxMessage)).all() == []
    engine.dispose()


def test_the_real_today_is_no_preview(engine: Engine) -> None:
    board = _board(engine)
    rt = _runtime(engine, board)
    today = rt.clock.today("Europe/Copenhagen")
    assert run_day(rt, today=today, deliver=False).written


# -- fault 5: one runtime context, never the environment --------------------------------------------


def test_domain_code_reads_no_settings_environment_or_clock() -> None:
    root = Path(__file__).parent.parent / "src" / "aarshjul"
    banned = ("get_settings(", "os.environ", "datetime.now(", "date.today(", "today_in(")
    found = [
        f"{path.relative_to(root)}: {word}"
        for folder in ("engine", "planning", "calendar", "org", "models")
        for path in sorted((root / folder).glob("*.py"))
        for word in banned
        if word in path.read_text(encoding="utf-8")
    ]
    assert found == []


# -- fault 6: events per tick are bounded whatever the organisation's size ---------------------------


def test_events_are_bounded_on_a_large_organisation(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as session:
        org = f.organisation(session, key="stor")
        board = [f.person(session, org, roles=("direktion",)) for _ in range(3)]
        heads = [f.person(session, org, superior_id=board[0].id) for _ in range(4)]
        owners = [f.person(session, org, superior_id=heads[i % 4].id) for i in range(40)]
        cycle = f.cycle(session, org, 2027)
        f.phase(session, cycle, date(2027, 1, 4), date(2027, 2, 26), key="status")
        rows = [
            {"cycle_id": cycle.id, "key": f"t{i}", "subject": "", "title_da": f"Opgave {i}",
             "title_en": "", "description": "", "owner_id": owners[i % 40].id,
             "due": date(2027, 1, 4) + timedelta(days=i % 40), "escalate_after": 5,
             "status": TaskStatus.open, "note": "", "updated_at": datetime(2027, 1, 1, tzinfo=UTC)}
            for i in range(3000)
        ]  # fmt: skip
        session.execute(sa.insert(Task), rows)
        session.commit()
    rt = Runtime(settings=Settings(), engine=engine, organisation_key="stor", sender=null_sender())
    result = run_day(rt, today=MONDAY, deliver=True)
    events = day_events(result)
    names = [e.event for e in events]
    # Before: one aarshjul.task.overdue and one aarshjul.escalation per task (6,000 here).
    assert len(result.overdue.task_ids) == 3000 and len(events) <= 1 + 1 + (3 + 4) * 3
    assert names.count("aarshjul.tasks.overdue") == 1 and "aarshjul.phase.closed" in names
    escalations = [e for e in events if e.event == "aarshjul.escalation"]
    assert {e.resource["prefect.resource.name"] for e in escalations} == {
        p.email for p in (*board, *heads)
    }
    per_director = sum(e.payload["count"] for e in escalations
                       if e.resource["prefect.resource.name"] == board[1].email)  # fmt: skip
    assert per_director == 3000  # every escalated task is still named, in the payload
