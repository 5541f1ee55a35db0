"""What the outbox says it waits for, exit codes when nothing could be delivered, ``deliver --now``,
one organisation at a time with its own sender, and a deliverer stopped by SIGTERM."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date

import pytest
from sqlmodel import Session, select

from aarshjul.config import get_settings
from aarshjul.models import OutboxMessage, OutboxStatus, TaskReminder
from aarshjul.notifications import compose_digests
from tests import factories as f
from tests.cli_helpers import run
from tests.notify_scenario import FRIDAY, build
from tests.smtp import SmtpServer

KEY = "uN6hOtbr3AQO0dgVgzyEzTu8RqUaPVqYi2bT5HtUN0Y="


def _set(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    for name, value in values.items():
        monkeypatch.setenv(f"AARSHJUL_{name.upper()}", value)
    get_settings.cache_clear()


def test_remind_exits_3_when_nothing_could_be_delivered_and_keeps_the_messages(
    db_url: str, session: Session, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(session)
    _set(monkeypatch, mail_url=smtp_server.mail_url)
    smtp_server.stop()
    result = run(db_url, "remind", "--today", "2027-10-15", "--deliver")
    assert result.exit_code == 3, result.output
    assert "nothing could be delivered" in result.stderr
    assert "Venter / waiting" in result.stdout and "næste forsøg / next attempt" in result.stdout
    rows = json.loads(run(db_url, "outbox", "--format", "json").stdout)
    assert {r["status"] for r in rows} == {"failed"} and len(rows) == 4
    assert all(re.search(r"T\d\d:\d\d\+0[12]:00$", r["next_attempt"]) for r in rows)
    table = run(db_url, "outbox").stdout
    assert "next_attempt" in table and "4 fejlet / failed" in table


def test_deliver_now_retries_at_once_after_the_server_is_fixed(
    db_url: str, session: Session, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(session)
    _set(monkeypatch, mail_url=smtp_server.mail_url)
    smtp_server.stop()
    assert run(db_url, "remind", "--today", "2027-10-15", "--deliver").exit_code == 3
    smtp_server.start()
    waiting = run(db_url, "deliver")  # the backoff (5 minutes) has not passed
    assert waiting.exit_code == 0 and "sent 0" in waiting.stdout
    assert "4 fejlet / failed: næste forsøg / next attempt" in waiting.stdout
    now = run(db_url, "deliver", "--now")
    assert now.exit_code == 0 and "sent 4" in now.stdout and "Venter" not in now.stdout
    assert len(smtp_server.messages) == 4


def _two_organisations(session: Session) -> tuple[int, int]:
    """The sample-like organisation with 3 digests and ``fjordaa`` with 2, composed for Friday."""
    added = []
    for key, people in (("demo", 3), ("fjordaa", 2)):
        org = f.organisation(session, key=key, name=key.title())
        cycle = f.cycle(session, org)
        for n in range(people):
            owner = f.person(session, org, email=f"{key}{n}@{key}.example")
            task = f.task(session, cycle, owner, date(2027, 10, 29))
            session.add(TaskReminder(task_id=task.id, remind_on=FRIDAY))
        added.append(compose_digests(session, organisation=org, today=FRIDAY).added)
    session.commit()
    return added[0], added[1]


def test_each_organisation_delivers_its_own_messages_with_its_own_sender(
    db_url: str, session: Session, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _two_organisations(session) == (3, 2)
    port = smtp_server.port
    default = f"mailto://127.0.0.1:{port}?from=aarshjul@demo.example&name=Demo Kommune"
    _set(monkeypatch, mail_url=default, secret_key=KEY)
    own = f"mailto://127.0.0.1:{port}?from=aarshjul@fjordaa.example&name=Fjordå Kommune"
    assert run(db_url, "--org", "fjordaa", "mail", "set", own).exit_code == 0
    shown = json.loads(run(db_url, "--org", "fjordaa", "mail", "show", "--format", "json").stdout)
    assert shown == [{"organisation": "fjordaa", "source": "organisation",
                      "url": shown[0]["url"]}]  # fmt: skip
    ambiguous = run(db_url, "deliver")
    assert ambiguous.exit_code == 1 and "several organisations" in ambiguous.stderr
    monkeypatch.setenv("AARSHJUL_ORGANISATION", "fjordaa")
    get_settings.cache_clear()
    fjordaa = run(db_url, "deliver")
    assert fjordaa.exit_code == 0 and "sent 2" in fjordaa.stdout
    senders = Counter((m.rcpt_tos[0].split("@")[1], m.sender) for m in smtp_server.messages)
    assert senders == {("fjordaa.example", "Fjordå Kommune <aarshjul@fjordaa.example>"): 2}
    assert run(db_url, "deliver", "--all-organisations").stdout.startswith("Sendt / sent 3")
    senders = Counter((m.rcpt_tos[0].split("@")[1], m.sender) for m in smtp_server.messages)
    assert senders == {
        ("fjordaa.example", "Fjordå Kommune <aarshjul@fjordaa.example>"): 2,
        ("demo.example", "Demo Kommune <aarshjul@demo.example>"): 3,
    }
    assert smtp_server.connections == 2  # one per organisation's channel and run
    listed = json.loads(run(db_url, "outbox", "--all-organisations", "--format", "json").stdout)
    assert Counter(r["organisation"] for r in listed) == {"demo": 3, "fjordaa": 2}
    stored = session.exec(select(OutboxMessage)).all()
    assert {m.status for m in stored} == {OutboxStatus.sent}


def test_the_organisation_mail_url_is_stored_encrypted(
    db_url: str, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_organisations(session)
    url = "mailtos://bot:hemmelig@smtp.fjordaa.example:587?from=aarshjul@fjordaa.example"
    assert run(db_url, "--org", "fjordaa", "mail", "set", url).exit_code == 1  # no key yet
    _set(monkeypatch, secret_key=KEY)
    result = run(db_url, "--org", "fjordaa", "mail", "set", url)
    assert result.exit_code == 0 and "hemmelig" not in result.stdout and "****" in result.stdout
    from aarshjul.models import OrganisationChannel

    session.expire_all()
    (row,) = session.exec(select(OrganisationChannel)).all()
    assert "hemmelig" not in row.secret + row.url_masked
    assert "hemmelig" not in run(db_url, "--org", "fjordaa", "mail", "show").stdout
    assert run(db_url, "--org", "fjordaa", "mail", "unset").exit_code == 0
    assert "none" in run(db_url, "--org", "fjordaa", "mail", "show").stdout


@pytest.mark.slow
def test_sigterm_gives_back_the_claims_not_started(
    db_url: str, session: Session, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = f.organisation(session)
    cycle = f.cycle(session, org)
    for n in range(12):
        owner = f.person(session, org, email=f"p{n:02d}@example.org")
        task = f.task(session, cycle, owner, date(2027, 10, 29))
        session.add(TaskReminder(task_id=task.id, remind_on=FRIDAY))
    compose_digests(session, organisation=org, today=FRIDAY)
    session.commit()
    smtp_server.delay = 0.5
    env = os.environ | {"AARSHJUL_MAIL_URL": smtp_server.mail_url}
    command = [sys.executable, "-m", "aarshjul", "--db", db_url, "deliver"]
    process = subprocess.Popen(command, env=env, text=True, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)  # fmt: skip
    deadline = time.monotonic() + 60
    while not smtp_server.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 128 + signal.SIGTERM, stderr
    assert "stopped" in stderr
    session.expire_all()
    rows = session.exec(select(OutboxMessage)).all()
    by_status = Counter(m.status for m in rows)
    sent = by_status[OutboxStatus.sent]
    assert sent >= 1 and by_status[OutboxStatus.sending] == 0  # the one on its way was finished
    assert by_status[OutboxStatus.pending] == 12 - sent >= 5
    assert all(m.claim_token is None and m.attempts == 0 for m in rows if m.status == "pending")
    smtp_server.delay = 0
    _set(monkeypatch, mail_url=smtp_server.mail_url)
    again = run(db_url, "deliver")
    assert again.exit_code == 0  # the released ones go out at once, without waiting for a lease
    received = Counter(m.rcpt_tos[0] for m in smtp_server.messages)
    assert set(received.values()) == {1} and len(received) == 12
