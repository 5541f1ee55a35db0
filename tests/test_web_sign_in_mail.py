"""The sign-in mail through the outbox: sent at once by e-mail only, its link never stored; a
failed send is dead at once (a late sign-in link is useless) and reported to planning in their next digest."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from aarshjul.access.sign_in import request_sign_in_link
from aarshjul.clock import utcnow
from aarshjul.config import Settings
from aarshjul.db import make_engine
from aarshjul.models import OutboxDelivery, OutboxKind, OutboxMessage, OutboxStatus, PersonChannel
from aarshjul.models.digest_queries import dead_messages
from aarshjul.notifications.sign_in_mail import send_sign_in_mail
from tests import factories as f
from tests.smtp import SmtpServer, free_port


def _now() -> datetime:
    return utcnow()


def _send(url: str, settings: Settings) -> tuple[OutboxStatus, str]:
    engine = make_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as s:
            org = f.organisation(s)
            anne = f.person(s, org, email="anne@example.dk", name="Anne")
            f.person(s, org, email="palle@example.dk", roles=("planning",))
            s.add(PersonChannel(person_id=anne.id, label="slack", kind="slack", secret="x"))
            link = request_sign_in_link(s, org=org, email="anne@example.dk", now=_now())
            s.commit()
        assert link is not None
        status = send_sign_in_mail(
            engine, organisation=org, person_id=link.person_id, email=link.email, name=link.name,
            locale="da", url=f"http://app.example.org/login/{link.token}", minutes=15,
            now=_now(), settings=settings,
        )  # fmt: skip
        return status, link.token
    finally:
        engine.dispose()


def test_sent_by_e_mail_only_and_the_link_is_not_stored(
    db_url: str, tmp_path: Path, smtp_server: SmtpServer
) -> None:
    status, token = _send(db_url, Settings(data_dir=tmp_path, mail_url=smtp_server.mail_url))
    assert status == OutboxStatus.sent
    [mail] = smtp_server.messages
    assert mail.rcpt_tos == ["anne@example.dk"] and token in mail.html
    engine = make_engine(db_url)
    with Session(engine) as s:
        row = s.exec(select(OutboxMessage)).one()
        deliveries = s.exec(select(OutboxDelivery)).all()
    engine.dispose()
    assert row.kind == OutboxKind.sign_in and row.status == OutboxStatus.sent
    assert token not in row.body_text + row.body_html and "link fjernet" in row.body_text
    assert [d.channel for d in deliveries] == ["email"]  # never the person's Slack


def test_a_failed_send_is_dead_at_once_and_reported(db_url: str, tmp_path: Path) -> None:
    closed = f"mailto://127.0.0.1:{free_port()}?from=aarshjul@example.dk"
    status, token = _send(db_url, Settings(data_dir=tmp_path, mail_url=closed))
    assert status == OutboxStatus.dead
    engine = make_engine(db_url)
    with Session(engine) as s:
        row = s.exec(select(OutboxMessage)).one()
        assert row.last_error and token not in row.body_text
        # the planning role hears of it in their next digest
        assert [d.id for d in dead_messages(s, row.organisation_id)] == [row.id]
    engine.dispose()
