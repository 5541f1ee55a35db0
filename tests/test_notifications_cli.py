"""``aarshjul remind|outbox|deliver|person``, and two deliverers running at the same time."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from datetime import date

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from aarshjul.cli import app
from aarshjul.models import TaskReminder
from aarshjul.notifications import compose_digests
from tests import factories as f
from tests.notify_scenario import FRIDAY, build
from tests.smtp import SmtpServer

KEY = "uN6hOtbr3AQO0dgVgzyEzTu8RqUaPVqYi2bT5HtUN0Y="


def run(db_url: str, *args: str) -> str:
    result = CliRunner().invoke(app, ["--db", db_url, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_remind_dry_run_prints_and_writes_nothing(db_url: str, session: Session) -> None:
    build(session)
    out = run(db_url, "remind", "--today", "2027-10-15", "--dry-run")
    assert "Årshjul: dit overblik fredag den 15. oktober 2027" in out
    assert "Budgetbidrag til økonomiudvalget" in out and "Dry run: 4 digests" in out
    assert json.loads(run(db_url, "outbox", "--format", "json")) == []


def test_remind_then_outbox_shows_undeliverable_without_channel(
    db_url: str, session: Session
) -> None:
    build(session)
    # A day other than today is replayed for real only with --deliver (fault 4).
    out = run(db_url, "remind", "--today", "2027-10-15", "--deliver")
    assert "4 nye i udbakken" in out and "uden kanal / no channel 4" in out
    rows = json.loads(run(db_url, "outbox", "--status", "undeliverable", "--format", "json"))
    assert len(rows) == 4 and {r["last_error"] for r in rows} == {"undeliverable: no channel"}
    assert "lørdag" in run(db_url, "remind", "--today", "2027-10-16").lower()


def test_remind_delivers_through_smtp(
    db_url: str, session: Session, smtp_server: SmtpServer, monkeypatch: object
) -> None:
    build(session)
    os.environ["AARSHJUL_MAIL_URL"] = smtp_server.mail_url
    try:
        from aarshjul.config import get_settings

        get_settings.cache_clear()
        run(db_url, "remind", "--today", "2027-10-15", "--deliver")
        run(db_url, "remind", "--today", "2027-10-15", "--deliver")
    finally:
        del os.environ["AARSHJUL_MAIL_URL"]
    assert len(smtp_server.messages) == 4
    assert {r["status"] for r in json.loads(run(db_url, "outbox", "--format", "json"))} == {"sent"}


def test_set_channel_validates_encrypts_and_masks(
    db_url: str, session: Session, monkeypatch: object
) -> None:
    build(session)
    os.environ["AARSHJUL_SECRET_KEY"] = KEY
    try:
        from aarshjul.config import get_settings

        get_settings.cache_clear()
        url = "mailto://bot:hemmelig@smtp.example.dk:2525?from=a@example.dk&to=anne.sms@example.dk"
        out = run(db_url, "person", "set-channel", "anne@example.dk", url, "--label", "sms")
        assert "hemmelig" not in out and "****" in out
        bad = CliRunner().invoke(
            app, ["--db", db_url, "person", "set-channel", "anne@example.dk", "nope://x"]
        )
        assert bad.exit_code == 1 and "invalid channel URL" in bad.output
        listed = json.loads(run(db_url, "person", "channels", "--format", "json"))
        assert [(c["email"], c["label"]) for c in listed] == [("anne@example.dk", "sms")]
        assert "hemmelig" not in json.dumps(listed)
    finally:
        del os.environ["AARSHJUL_SECRET_KEY"]


def test_set_channel_without_key_is_refused(db_url: str, session: Session) -> None:
    build(session)
    result = CliRunner().invoke(
        app,
        [
            "--db",
            db_url,
            "person",
            "set-channel",
            "anne@example.dk",
            "mailto://smtp.example.dk?from=a@example.dk&to=x@example.dk",
        ],
    )
    assert result.exit_code == 1 and "AARSHJUL_SECRET_KEY" in result.output


@pytest.mark.slow
def test_two_deliver_processes_send_each_mail_once(
    db_url: str, session: Session, smtp_server: SmtpServer
) -> None:
    org = f.organisation(session)
    cycle = f.cycle(session, org)
    for n in range(60):
        owner = f.person(session, org, email=f"p{n:02d}@example.dk", name=f"Person {n} Ærø")
        task = f.task(session, cycle, owner, date(2027, 10, 29))
        session.add(TaskReminder(task_id=task.id, remind_on=FRIDAY))
    assert compose_digests(session, organisation=org, today=FRIDAY).added == 60
    session.commit()
    env = os.environ | {"AARSHJUL_MAIL_URL": smtp_server.mail_url}
    command = [sys.executable, "-m", "aarshjul", "--db", db_url, "deliver"]
    procs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)
    ]
    outputs = [p.communicate(timeout=60)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    counts = Counter(a for m in smtp_server.messages for a in m.rcpt_tos)
    assert len(counts) == 60 and set(counts.values()) == {1}
    sent = [int(re.findall(r"sent (\d+)", out)[0]) for out in outputs]
    assert sum(sent) == 60
