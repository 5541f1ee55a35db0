"""``aarshjul tick`` when the mail server is down: the flow run fails, the command exits 3, and
the messages stay in the outbox for their next attempt (Prefect's test harness)."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session

from aarshjul.config import get_settings
from aarshjul.db import make_engine
from tests.cli_helpers import run
from tests.engine_scenario import build
from tests.smtp import SmtpServer


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_tick_exits_3_and_keeps_the_messages_when_nothing_could_be_delivered(
    sqlite_url: str, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(sqlite_url)
    with Session(engine, expire_on_commit=False) as session:
        build(session)
    engine.dispose()
    monkeypatch.setenv("AARSHJUL_MAIL_URL", smtp_server.mail_url)
    monkeypatch.setenv("AARSHJUL_DELIVER_BACKOFF_SECONDS", "0")  # Prefect retries after 1, 2, 4 s
    get_settings.cache_clear()
    smtp_server.stop()
    result = run(sqlite_url, "tick", "--today", "2027-03-15", "--deliver")
    assert result.exit_code == 3, result.output + result.stderr
    assert "nothing could be delivered" in result.stderr
    rows = json.loads(run(sqlite_url, "outbox", "--format", "json").stdout)
    assert rows and {r["status"] for r in rows} == {"failed"}
    assert {r["attempts"] for r in rows} == {4}  # the first try and Prefect's three retries
