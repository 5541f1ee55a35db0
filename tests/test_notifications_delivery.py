"""Delivering the outbox through apprise to a real SMTP server (aiosmtpd), on both backends."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from aarshjul.config import Settings
from aarshjul.models import OutboxDelivery, OutboxMessage, OutboxStatus
from aarshjul.notifications import compose_digests, deliver_pending, set_channel
from aarshjul.notifications.channels import Channel, with_recipient
from aarshjul.notifications.delivery import DeliveryReport
from aarshjul.notifications.sending import Message, NullSender, Outcome
from tests.notify_scenario import FRIDAY, SATURDAY, Scenario, build
from tests.smtp import SmtpServer

NOW = datetime(2027, 10, 15, 5, 0, tzinfo=UTC)
KEY = "uN6hOtbr3AQO0dgVgzyEzTu8RqUaPVqYi2bT5HtUN0Y="


def remind(session: Session, sc: Scenario, day: date = FRIDAY) -> int:
    added = compose_digests(session, organisation=sc.org, today=day).added
    session.commit()
    return added


def deliver(engine: Engine, sc: Scenario, cfg: Settings, at: datetime = NOW) -> DeliveryReport:
    return deliver_pending(engine, organisation_id=sc.org.id, now=at, settings=cfg)


def statuses(session: Session) -> list[str]:
    session.expire_all()
    return sorted(m.status.value for m in session.exec(select(OutboxMessage)))


def test_each_person_gets_exactly_one_mail_in_danish(
    engine: Engine, session: Session, smtp_server: SmtpServer
) -> None:
    sc = build(session)
    cfg = Settings(mail_url=smtp_server.mail_url)
    remind(session, sc)
    report = deliver(engine, sc, cfg)
    assert (report.sent, report.failed) == (4, 0)
    received = sorted(a for m in smtp_server.messages for a in m.rcpt_tos)
    assert received == sorted(
        [
            "anne@example.dk",
            "bent@example.dk",
            "eric@example.dk",
            "palle@example.dk",
        ]
    )
    (anne,) = smtp_server.to("anne@example.dk")
    assert anne.subject == "Årshjul: dit overblik fredag den 15. oktober 2027 (5 punkter)"
    assert "Budgetbidrag til økonomiudvalget" in anne.html
    assert "Årsregnskab til revisionen" in anne.html and "over fristen" in anne.html
    (bent,) = smtp_server.to("bent@example.dk")
    assert bent.subject.startswith("Eskalering:") and "Anne Kjær" in bent.html
    assert statuses(session) == ["sent"] * 4
    deliveries = session.exec(select(OutboxDelivery)).all()
    assert {d.status for d in deliveries} == {"sent"} and len(deliveries) == 4


def test_second_remind_same_day_sends_nothing(
    engine: Engine, session: Session, smtp_server: SmtpServer
) -> None:
    sc = build(session)
    cfg = Settings(mail_url=smtp_server.mail_url)
    remind(session, sc)
    deliver(engine, sc, cfg)
    assert remind(session, sc) == 0
    assert deliver(engine, sc, cfg, NOW + timedelta(hours=2)).claimed == 0
    assert len(smtp_server.messages) == 4


def test_no_mail_on_saturday(engine: Engine, session: Session, smtp_server: SmtpServer) -> None:
    sc = build(session)
    assert remind(session, sc, SATURDAY) == 0
    deliver(engine, sc, Settings(mail_url=smtp_server.mail_url))
    assert smtp_server.messages == []


def test_server_down_keeps_rows_and_delivers_once_when_back(
    engine: Engine, session: Session, smtp_server: SmtpServer
) -> None:
    sc = build(session)
    cfg = Settings(mail_url=smtp_server.mail_url)
    remind(session, sc)
    smtp_server.stop()
    down = deliver(engine, sc, cfg)
    assert (down.sent, down.failed) == (0, 4)
    assert statuses(session) == ["failed"] * 4
    row = session.exec(select(OutboxMessage)).first()
    assert row is not None and row.attempts == 1 and "email:" in row.last_error
    assert deliver(engine, sc, cfg, NOW + timedelta(seconds=10)).claimed == 0
    smtp_server.start()
    back = deliver(engine, sc, cfg, NOW + timedelta(hours=1))
    assert back.sent == 4 and len(smtp_server.messages) == 4
    assert deliver(engine, sc, cfg, NOW + timedelta(days=1)).claimed == 0
    assert len({tuple(m.rcpt_tos) for m in smtp_server.messages}) == 4


def test_dead_messages_stay_dead_and_the_run_says_nothing_was_delivered(
    engine: Engine, session: Session, smtp_server: SmtpServer
) -> None:
    sc = build(session)
    cfg = Settings(mail_url=smtp_server.mail_url, deliver_max_attempts=2)
    remind(session, sc)
    smtp_server.stop()
    first = deliver(engine, sc, cfg)
    assert first.failed == 4 and first.nothing_delivered
    later = NOW + timedelta(hours=1)
    report = deliver_pending(engine, organisation_id=sc.org.id, now=later, settings=cfg)
    assert (report.dead, report.failed) == (4, 0) and report.nothing_delivered
    smtp_server.start()
    after = deliver_pending(engine, organisation_id=sc.org.id, now=later, settings=cfg)
    assert after.claimed == 0 and not after.nothing_delivered
    assert smtp_server.messages == [] and statuses(session) == ["dead"] * 4


def test_no_channel_means_undeliverable_not_dropped(engine: Engine, session: Session) -> None:
    sc = build(session)
    remind(session, sc)
    report = deliver(engine, sc, Settings())
    assert report.undeliverable == 4
    session.expire_all()
    rows = session.exec(select(OutboxMessage)).all()
    assert {(r.status, r.last_error, r.attempts) for r in rows} == {
        (OutboxStatus.undeliverable, "undeliverable: no channel", 0)
    }


def test_personal_channel_is_encrypted_and_used(
    engine: Engine, session: Session, smtp_server: SmtpServer
) -> None:
    sc = build(session)
    cfg = Settings(mail_url=smtp_server.mail_url, secret_key=KEY)  # type: ignore[arg-type]
    own = f"mailto://127.0.0.1:{smtp_server.port}?from=x@example.dk&to=anne.sms@example.dk"
    row = set_channel(
        session, organisation=sc.org, email="anne@example.dk", url=own, settings=cfg, label="sms"
    )
    set_channel(
        session,
        organisation=sc.org,
        email="bent@example.dk",
        url="email",
        settings=cfg,
        enabled=False,
    )
    session.commit()
    assert "anne.sms" not in row.secret and row.url_masked.startswith("mailto://127.0.0.1")
    remind(session, sc)
    report = deliver(engine, sc, cfg)
    assert report.undeliverable == 1  # Bent turned e-mail off and has no other channel
    assert len(smtp_server.to("anne@example.dk")) == 1
    (sms,) = smtp_server.to("anne.sms@example.dk")
    assert "Budgetbidrag til økonomiudvalget" in sms.text  # plain text outside e-mail
    assert smtp_server.to("bent@example.dk") == []


def test_a_failed_channel_is_retried_without_resending_the_others(
    engine: Engine, session: Session, smtp_server: SmtpServer
) -> None:
    sc = build(session)
    cfg = Settings(mail_url=smtp_server.mail_url, secret_key=KEY)  # type: ignore[arg-type]
    dead_port = "mailto://127.0.0.1:1?from=x@example.dk&to=anne.sms@example.dk"
    set_channel(session, organisation=sc.org, email="anne@example.dk", url=dead_port, settings=cfg)
    session.commit()
    remind(session, sc)
    first = deliver(engine, sc, cfg)
    assert (first.sent, first.failed) == (3, 1)
    deliver(engine, sc, cfg, NOW + timedelta(hours=1))
    assert len(smtp_server.to("anne@example.dk")) == 1
    session.expire_all()
    anne_row = session.exec(
        select(OutboxMessage).where(OutboxMessage.person_id == sc.people["anne"].id)
    ).one()
    assert anne_row.status == OutboxStatus.failed and anne_row.attempts == 2
    tries = session.exec(
        select(OutboxDelivery.channel, OutboxDelivery.status)
        .where(OutboxDelivery.message_id == anne_row.id)
        .order_by(col(OutboxDelivery.id))
    ).all()
    assert tries == [("email", "sent"), ("mailto", "failed"), ("mailto", "failed")]


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("from=aarshjul@fjordby.example&name=Årshjul Fjordby", "Årshjul Fjordby"),
        ("from=Fjordby Kommune <aarshjul@fjordby.example>", "Fjordby Kommune"),
        ("from=aarshjul@fjordby.example&name=Ærø+Æble", "Ærø+Æble"),
    ],
)
def test_the_sender_name_arrives_as_written(
    engine: Engine, session: Session, smtp_server: SmtpServer, query: str, shown: str
) -> None:
    sc = build(session)
    cfg = Settings(mail_url=f"mailto://127.0.0.1:{smtp_server.port}?{query}")
    remind(session, sc)
    assert deliver(engine, sc, cfg).sent == 4
    assert {m.sender for m in smtp_server.messages} == {f"{shown} <aarshjul@fjordby.example>"}


def test_the_recipient_replaces_only_to_and_keeps_every_other_value_byte_for_byte() -> None:
    url = (
        "mailto://u:p%40ss@smtp.example:25?from=Fjordby Kommune <a@b.example>&to=old@x.example"
        "&name=Å+B%20C&TO=x"
    )
    assert with_recipient(url, "anne+ø@fjordby.example") == (
        "mailto://u:p%40ss@smtp.example:25?from=Fjordby Kommune <a@b.example>&name=Å+B%20C"
        "&to=anne%2B%C3%B8@fjordby.example"
    )


def test_the_sender_name_arrives_as_written_through_apprise_too(
    engine: Engine, session: Session, smtp_server: SmtpServer
) -> None:
    sc = build(session)  # a bcc is not something the kept-connection channel does: apprise sends
    query = "from=aarshjul@fjordby.example&name=Årshjul Fjordby&bcc=arkiv@fjordby.example"
    cfg = Settings(mail_url=f"mailto://127.0.0.1:{smtp_server.port}?{query}")
    remind(session, sc)
    assert deliver(engine, sc, cfg).sent == 4
    (anne,) = smtp_server.to("anne@example.dk")
    assert anne.sender == "Årshjul Fjordby <aarshjul@fjordby.example>"
    assert "arkiv@fjordby.example" in anne.rcpt_tos


class _InterruptedOnTheThird(NullSender):
    """Sends nothing; Ctrl-C arrives while the third message is on its way."""

    def send(self, channel: Channel, message: Message) -> Outcome:
        if len(self.sent) == 2:
            raise KeyboardInterrupt
        return super().send(channel, message)


def test_ctrl_c_gives_back_the_claims_not_started(engine: Engine, session: Session) -> None:
    sc = build(session)
    remind(session, sc)
    cfg = Settings(mail_url="mailto://127.0.0.1:1?from=aarshjul@fjordby.example")
    sender = _InterruptedOnTheThird()
    with pytest.raises(KeyboardInterrupt):
        deliver_pending(engine, organisation_id=sc.org.id, now=NOW, settings=cfg, sender=sender)
    assert statuses(session) == ["pending", "sending", "sent", "sent"]  # one was on its way
    later = deliver(engine, sc, cfg.model_copy(update={"mail_url": None}), NOW)
    assert later.claimed == 1  # the given-back row at once; the one on its way waits its lease
