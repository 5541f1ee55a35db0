"""Delivery benchmark: ``deliver_pending`` beside a raw ``smtplib`` loop, to a local SMTP server.

One organisation with ``--messages`` digests waiting in the outbox (Danish subject, a text body
of about 2 kB and an HTML body of about 4 kB each, as a department head's digest). An aiosmtpd
server that accepts and discards every message runs in a process of its own on 127.0.0.1. Each
round measures, on the same rows:

* **aarshjul**: ``deliver_pending`` as ``aarshjul deliver`` runs it — claims, channel lookups,
  one SMTP connection for the run, an ``outbox_delivery`` row and a mark per message, each in its
  own transaction;
* **floor**: the same messages read in one query and sent over one ``smtplib`` connection, each
  built as a ``multipart/alternative`` message (text and HTML) — no claims, no records.

It prints both rates, their ratio (target: aarshjul ≤ 2x the floor's time) and the number of
SMTP connections aarshjul opened. Between rounds the rows are set back to ``pending``.

    python benchmarks/bench_delivery.py                       # SQLite in a temporary folder
    python benchmarks/bench_delivery.py --db postgresql+psycopg://postgres@127.0.0.1/aarshjul_bench
    python benchmarks/bench_delivery.py --messages 5000 --repeat 5
"""

from __future__ import annotations

import argparse
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import formataddr
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from aarshjul.config import Settings
from aarshjul.db import make_engine, upgrade
from aarshjul.models import (
    Organisation,
    OutboxDelivery,
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    Person,
)
from aarshjul.notifications import deliver_pending
from aarshjul.notifications.queue import insert_messages
from aarshjul.notifications.sending import ChannelSender

NOW = datetime(2027, 10, 15, 5, tzinfo=UTC)
DAY = date(2027, 10, 15)
SENDER = ("Årshjul Fjordby", "aarshjul@fjordby.example")
LINE = (
    "  - Budgetbidrag til økonomiudvalget (fase: Idéfase)\n    Frist: fredag den 22. oktober 2027\n"
)


def main() -> None:
    args = _args()
    with tempfile.TemporaryDirectory(prefix="aarshjul-bench-delivery-") as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'delivery.db'}"
        engine = make_engine(url)
        server, port = _smtp_server()
        try:
            org_id = _build(engine, args.messages)
            _measure(engine, org_id, port, args.messages, args.repeat)
        finally:
            server.terminate()
            server.wait(timeout=10)
            engine.dispose()


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="a database URL (default: SQLite in a temporary folder)")
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds to take the median of")
    return parser.parse_args()


def _smtp_server() -> tuple[subprocess.Popen[bytes], int]:
    """aiosmtpd with the discarding ``Sink`` handler in its own process, once it answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    command = [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
               "-c", "aiosmtpd.handlers.Sink"]  # fmt: skip
    server = subprocess.Popen(command)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=1) as probe:
                probe.noop()
            return server, port
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("the SMTP server did not start")


def _build(engine: Engine, messages: int) -> int:
    """One organisation, ``messages`` people and one waiting digest each."""
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        org = Organisation(key=f"bench{time.monotonic_ns()}", name="Fjordby Kommune")
        session.add(org)
        session.flush()
        assert org.id is not None
        people = [
            Person(organisation_id=org.id, email=f"p{n:05d}@fjordby.example", name=f"Person {n}")
            for n in range(messages)
        ]
        session.add_all(people)
        session.flush()
        digests = [_digest(p) for p in people]
        insert_messages(session, org.id, DAY, OutboxKind.digest, digests)
        session.commit()
        return org.id


class _Digest:
    def __init__(self, person: Person) -> None:
        assert person.id is not None
        self.person_id, self.task_ids = person.id, [1, 2, 3]
        self.subject = "Årshjul: dit overblik fredag den 15. oktober 2027 (12 punkter)"
        self.text = f"Hej {person.name}\n\n" + LINE * 24
        self.html = f"<p>Hej {person.name}</p><ul>" + f"<li>{LINE}</li>" * 24 + "</ul>"


def _digest(person: Person) -> Any:
    return _Digest(person)


def _measure(engine: Engine, org_id: int, port: int, messages: int, repeat: int) -> None:
    mail_url = f"mailto://127.0.0.1:{port}?from={SENDER[1]}&name={SENDER[0]}"
    cfg = Settings(mail_url=mail_url)
    ours: list[float] = []
    floors: list[float] = []
    connections = 0
    for _ in range(repeat):
        _reset(engine, org_id)
        started = time.perf_counter()
        sender = ChannelSender()
        report = deliver_pending(engine, organisation_id=org_id, now=NOW, settings=cfg,
                                 sender=sender)  # fmt: skip
        ours.append(time.perf_counter() - started)
        connections = sum(c.connections for c in sender._mail.values() if c is not None)
        sender.close()
        assert report.sent == messages, report.as_dict()
        floors.append(_floor(engine, org_id, port))
    mine, floor = statistics.median(ours), statistics.median(floors)
    print(f"{engine.url.get_backend_name()}, {messages:,} messages, median of {repeat} rounds")
    print(f"  aarshjul deliver   {mine:6.2f} s   {messages / mine:7.0f} messages/s   "
          f"({connections} SMTP connection(s))")  # fmt: skip
    print(f"  raw smtplib loop   {floor:6.2f} s   {messages / floor:7.0f} messages/s")
    print(f"  ratio              {mine / floor:6.2f} x   (target ≤ 2 x)")


def _reset(engine: Engine, org_id: int) -> None:
    ids = sa.select(col(OutboxMessage.id)).where(col(OutboxMessage.organisation_id) == org_id)
    with engine.begin() as conn:
        conn.execute(sa.delete(OutboxDelivery).where(col(OutboxDelivery.message_id).in_(ids)))
        conn.execute(
            sa.update(OutboxMessage)
            .where(col(OutboxMessage.organisation_id) == org_id)
            .values(
                status=OutboxStatus.pending,
                attempts=0,
                claim_token=None,
                claimed_at=None,
                sent_at=None,
                next_attempt_at=None,
                last_error="",
            )
        )


def _floor(engine: Engine, org_id: int, port: int) -> float:
    """The same messages over one plain ``smtplib`` connection: read, build, send."""
    started = time.perf_counter()
    query = (
        sa.select(col(Person.email), col(OutboxMessage.subject), col(OutboxMessage.body_text),
                  col(OutboxMessage.body_html))
        .join(Person, col(Person.id) == col(OutboxMessage.person_id))
        .where(col(OutboxMessage.organisation_id) == org_id)
        .order_by(col(OutboxMessage.id))
    )  # fmt: skip
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    policy = compat32.clone(linesep="\r\n")
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for email, subject, text, html in rows:
            msg = MIMEMultipart("alternative")
            msg.attach(MIMEText(text, "plain", "utf-8"))
            msg.attach(MIMEText(html, "html", "utf-8"))
            msg["Subject"] = Header(subject, "utf-8")  # type: ignore[assignment]
            msg["From"] = formataddr(SENDER, charset="utf-8")
            msg["To"] = email
            smtp.sendmail(SENDER[1], [email], msg.as_bytes(policy=policy))
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
