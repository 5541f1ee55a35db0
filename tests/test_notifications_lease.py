"""Claims under a slow mail server: four deliverers, a short lease, and not one message twice.

The issue this guards against: a batch claimed under one lease and sent one by one outlived its
lease, so a second deliverer claimed the rest again and sent them a second time. The SMTP server
here takes ``DELAY`` seconds to accept each message and the lease is one second, so a deliverer
that does not stamp, renew and re-check its claims sends duplicates within the first second.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections import Counter
from datetime import date

import pytest
from sqlmodel import Session, select

from aarshjul.models import OutboxMessage, OutboxStatus, TaskReminder
from aarshjul.notifications import compose_digests
from tests import factories as f
from tests.notify_scenario import FRIDAY
from tests.smtp import SmtpServer

PEOPLE = 24
DELAY = 0.25  # seconds the server takes per message: 24 messages are 6 s for one deliverer
LEASE = 1


def _compose(session: Session, people: int) -> None:
    org = f.organisation(session)
    cycle = f.cycle(session, org)
    for n in range(people):
        owner = f.person(session, org, email=f"p{n:02d}@example.org", name=f"Person {n} Ærø")
        task = f.task(session, cycle, owner, date(2027, 10, 29))
        session.add(TaskReminder(task_id=task.id, remind_on=FRIDAY))
    assert compose_digests(session, organisation=org, today=FRIDAY).added == people
    session.commit()


@pytest.mark.slow
def test_four_deliverers_with_a_slow_server_and_a_short_lease_send_each_message_once(
    db_url: str, session: Session, smtp_server: SmtpServer
) -> None:
    _compose(session, PEOPLE)
    smtp_server.delay = DELAY
    env = os.environ | {
        "AARSHJUL_MAIL_URL": smtp_server.mail_url,
        "AARSHJUL_DELIVER_LEASE_SECONDS": str(LEASE),
    }
    command = [sys.executable, "-m", "aarshjul", "--db", db_url, "deliver"]
    procs = []
    for _ in range(4):  # staggered, as cron jobs and workers start
        out, err = subprocess.PIPE, subprocess.PIPE
        procs.append(subprocess.Popen(command, env=env, text=True, stdout=out, stderr=err))
        time.sleep(0.4)
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, outputs
    counts = Counter(a for m in smtp_server.messages for a in m.rcpt_tos)
    assert len(counts) == PEOPLE
    assert sorted(counts.values()) == [1] * PEOPLE, (
        [a for a, n in counts.items() if n > 1],
        outputs,
    )
    sent = [int(re.findall(r"sent (\d+)", out)[0]) for out, _ in outputs]
    assert sum(sent) == PEOPLE
    session.expire_all()
    statuses = {m.status for m in session.exec(select(OutboxMessage))}
    assert statuses == {OutboxStatus.sent}
