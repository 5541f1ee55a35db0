"""``aarshjul tick|report --today D`` through Prefect: a preview shows the day and sends nothing.

The commands hand their runtime context to the flow they run (not ``os.environ``), so the flow
works on the ``--db`` database although ``AARSHJUL_DATABASE_URL`` is not set.
"""

from __future__ import annotations

import os

import pytest
from sqlmodel import Session, select

from aarshjul.config import get_settings
from aarshjul.db import make_engine
from aarshjul.models import OutboxMessage, Phase, PhaseStatus
from tests.cli_helpers import run
from tests.engine_scenario import build
from tests.smtp import SmtpServer


@pytest.mark.usefixtures("prefect_harness")
def test_tick_and_report_preview_a_day_and_send_only_with_deliver(
    sqlite_url: str, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(sqlite_url)
    with Session(engine, expire_on_commit=False) as session:
        board = build(session)
    monkeypatch.setenv("AARSHJUL_MAIL_URL", smtp_server.mail_url)
    get_settings.cache_clear()
    assert "AARSHJUL_DATABASE_URL" not in os.environ

    tick = run(sqlite_url, "tick", "--today", "2027-03-15")
    report = run(sqlite_url, "report", "--today", "2027-03-15")
    assert tick.exit_code == 0 and report.exit_code == 0, tick.output + report.output
    assert "nothing was written or sent" in tick.stdout and "helhedsplan-2027/idea" in tick.stdout
    assert "nothing was written or sent" in report.stdout and "17 % udført" in report.stdout
    assert smtp_server.messages == []
    with Session(engine) as session:
        assert session.exec(select(OutboxMessage)).all() == []
        assert session.get_one(Phase, board.phases["idea"].id).status == PhaseStatus.planned
    assert "AARSHJUL_DATABASE_URL" not in os.environ  # nothing handed over through it

    sent = run(sqlite_url, "report", "--today", "2027-03-15", "--deliver")
    assert sent.exit_code == 0, sent.output
    assert [m.rcpt_tos for m in smtp_server.messages] == [["dorte@example.dk"]]
    engine.dispose()
