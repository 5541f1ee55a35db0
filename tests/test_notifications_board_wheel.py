"""The weekly board report mail: the year's wheel inline (one stored PNG per run), the dashboard
link, retries, previews, cleanup and migration 0014 — through a real SMTP server."""

from __future__ import annotations

import email
import email.policy
import io
import os
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from PIL import Image, ImageStat
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from aarshjul.config import Settings
from aarshjul.db import alembic_config, make_engine, upgrade
from aarshjul.engine.report_run import board_wheel_png, prepare_report, run_report
from aarshjul.models import Organisation, OutboxImage, OutboxKind, OutboxMessage, OutboxStatus
from aarshjul.notifications.delivery import deliver_pending
from aarshjul.notifications.inline_images import content_id, delete_unused_images
from aarshjul.runtime import Runtime
from tests import factories as f
from tests.engine_scenario import TODAY, Board, build
from tests.smtp import Mail, SmtpServer

ARTIFACTS = Path(os.environ.get("AARSHJUL_ARTIFACTS") or Path(__file__).parent / "artifacts")
BASE = "https://aarshjul.testkommune.example/"
BOARD = "https://aarshjul.testkommune.example/board"


def _board(engine: Engine) -> Board:
    """The hand-built scenario with a second, English-reading direktion member."""
    with Session(engine, expire_on_commit=False) as session:
        board = build(session)
        board.people["dir2"] = f.person(
            session, board.org, name="Erin Director", email="erin@example.dk", locale="en",
            roles=("direktion",),
        )  # fmt: skip
        session.commit()
    return board


def _runtime(engine: Engine, board: Board, mail: SmtpServer, **settings: object) -> Runtime:
    values = {"mail_url": mail.mail_url, "base_url": BASE} | settings
    cfg = Settings(**values)  # type: ignore[arg-type]
    return Runtime(settings=cfg, engine=engine, organisation_key=board.org.key)


def _parsed(mail: Mail) -> EmailMessage:
    message = email.message_from_bytes(mail.raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _inline_png(mail: Mail) -> tuple[EmailMessage, str, bytes]:
    """The mail's structure checked: related(alternative(text, html), image/png); returns the
    message, the picture's Content-ID (without brackets) and its bytes."""
    message = _parsed(mail)
    assert message.get_content_type() == "multipart/related"
    assert message.get_param("type") == "multipart/alternative"
    alternative, picture = message.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain", "text/html"]
    assert picture.get_content_type() == "image/png"
    assert picture.get_content_disposition() == "inline"
    assert picture.get_filename() == "aarshjul-2027.png"
    cid = str(picture["Content-ID"]).strip("<>")
    data = picture.get_payload(decode=True)
    assert isinstance(data, bytes)
    return message, cid, data


def _assert_not_blank(png: bytes) -> Image.Image:
    with Image.open(io.BytesIO(png)) as opened:
        assert opened.format == "PNG" and opened.mode == "P"  # 256 colours: a third of the size
        image = opened.convert("L")
    spread = ImageStat.Stat(image).stddev[0]
    assert spread > 25, f"the wheel looks blank (pixel spread {spread:.1f})"
    ink = sum(image.histogram()[:245]) / (image.width * image.height)
    assert ink > 0.1, f"only {ink:.1%} of the wheel's pixels are drawn"
    return image


def _keep(name: str, content: bytes | str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    (ARTIFACTS / name).write_bytes(data)


def _images(engine: Engine) -> list[OutboxImage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxImage)).all())


def _reports(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        query = select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.board_report)
        return list(session.exec(query.order_by(col(OutboxMessage.id))).all())


def test_each_member_gets_the_wheel_inline_and_the_dashboard_link(
    engine: Engine, smtp_server: SmtpServer
) -> None:
    board = _board(engine)
    run = run_report(_runtime(engine, board, smtp_server), today=TODAY, deliver=True)
    assert run.queued == 2 and run.delivery is not None and run.delivery.sent == 2

    [image] = _images(engine)  # two members, one stored picture
    assert [m.image_sha256 for m in _reports(engine)] == [image.sha256, image.sha256]
    for address, alt in (("dorte@example.dk", 'alt="Årshjulet 2027 pr. mandag den 15. marts'),
                         ("erin@example.dk", 'alt="The annual cycle 2027 as of Monday')):  # fmt: skip
        [mail] = smtp_server.to(address)
        _, cid, png = _inline_png(mail)
        assert cid == content_id(image.sha256) and png == image.data
        assert f'src="cid:{cid}"' in mail.html and alt in mail.html
        assert "1 af 6 opgaver er udført" in mail.html or "1 of 6 tasks are done" in mail.html
        assert f'href="{BOARD}"' in mail.html and BOARD in mail.text
        assert "cid:" not in mail.text
    picture = _assert_not_blank(png)
    assert picture.width == 1600
    _keep("board-mail-wheel.png", png)
    _keep("board-mail.html", smtp_server.to("dorte@example.dk")[0].html)


def test_without_a_base_url_the_mail_has_no_link_but_still_the_wheel(
    sqlite_url: str, smtp_server: SmtpServer
) -> None:
    engine = make_engine(sqlite_url)
    board = _board(engine)
    run_report(_runtime(engine, board, smtp_server, base_url=None), today=TODAY, deliver=True)
    engine.dispose()
    [mail] = smtp_server.to("dorte@example.dk")
    _, cid, _ = _inline_png(mail)
    assert f'src="cid:{cid}"' in mail.html
    assert "/board" not in mail.html and "/board" not in mail.text
    assert "<a " not in mail.html  # the picture is not a link either


def test_a_retry_after_a_failed_send_still_carries_the_wheel(
    sqlite_url: str, smtp_server: SmtpServer
) -> None:
    engine = make_engine(sqlite_url)
    board = _board(engine)
    runtime = _runtime(engine, board, smtp_server)
    smtp_server.stop()  # the mail server is down for the weekly run
    run = run_report(runtime, today=TODAY, deliver=True)
    assert run.delivery is not None and run.delivery.failed == 2
    assert {m.status for m in _reports(engine)} == {OutboxStatus.failed}
    smtp_server.start()
    later = datetime.now(UTC) + timedelta(hours=1)
    report = deliver_pending(
        engine, organisation_id=board.org.id, now=later, settings=runtime.settings, retry_now=True
    )
    engine.dispose()
    assert report.sent == 2
    for address in ("dorte@example.dk", "erin@example.dk"):
        [mail] = smtp_server.to(address)
        _, cid, png = _inline_png(mail)
        assert f'src="cid:{cid}"' in mail.html
        _assert_not_blank(png)


def test_delivery_reads_the_pictures_of_a_batch_in_one_query(
    sqlite_url: str, smtp_server: SmtpServer
) -> None:
    engine = make_engine(sqlite_url)
    board = _board(engine)
    runtime = _runtime(engine, board, smtp_server)
    prepare_report(runtime, today=TODAY)
    # Digests too, so the batch mixes messages with and without a picture.
    with Session(engine) as session:
        for who in ("anne", "eric", "boss"):
            session.add(OutboxMessage(
                organisation_id=board.org.id, person_id=board.people[who].id, day=TODAY,
                kind=OutboxKind.digest, subject="Dagens opgaver", body_text="x", body_html="<p>x</p>",
            ))  # fmt: skip
        session.commit()
    statements: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    now = datetime.now(UTC)
    report = deliver_pending(
        engine, organisation_id=board.org.id, now=now, settings=runtime.settings
    )
    engine.dispose()
    assert report.sent == 5
    assert sum("FROM outbox_image" in s for s in statements) == 1
    related = [
        m for m in smtp_server.messages if _parsed(m).get_content_type() == "multipart/related"
    ]
    assert sorted(r for m in related for r in m.rcpt_tos) == ["dorte@example.dk", "erin@example.dk"]


def test_a_preview_queues_and_draws_nothing(sqlite_url: str, smtp_server: SmtpServer) -> None:
    engine = make_engine(sqlite_url)
    board = _board(engine)
    run = prepare_report(_runtime(engine, board, smtp_server), today=TODAY, write=False)
    assert run.queued == 0 and run.report.year == 2027
    assert _reports(engine) == [] and _images(engine) == []
    engine.dispose()


def test_without_a_planned_cycle_the_mail_goes_without_the_wheel(
    sqlite_url: str, smtp_server: SmtpServer
) -> None:
    engine = make_engine(sqlite_url)
    with Session(engine, expire_on_commit=False) as session:
        org = f.organisation(session, key="tomkommune", name="Tom Kommune")
        f.person(
            session, org, name="Dorte Direktør", email="dorte@example.dk", roles=("direktion",)
        )
        session.commit()
        assert board_wheel_png(session, organisation=org, year=2027, today=TODAY) is None
    cfg = Settings(mail_url=smtp_server.mail_url, base_url=BASE)
    runtime = Runtime(settings=cfg, engine=engine, organisation_key=org.key)
    run = run_report(runtime, today=TODAY, deliver=True)
    engine.dispose()
    assert run.delivery is not None and run.delivery.sent == 1
    [mail] = smtp_server.messages
    assert _parsed(mail).get_content_type() == "multipart/alternative"
    assert "cid:" not in mail.html and BOARD in mail.text


def test_pictures_go_with_their_messages(engine: Engine, smtp_server: SmtpServer) -> None:
    board = _board(engine)
    runtime = _runtime(engine, board, smtp_server)
    prepare_report(runtime, today=TODAY)
    prepare_report(runtime, today=TODAY)  # the same day again: nothing new, nothing kept
    assert len(_images(engine)) == 1 and len(_reports(engine)) == 2
    with Session(engine) as session:
        # An outbox purge deletes messages and then the pictures no message refers to.
        session.execute(sa.delete(OutboxMessage).where(col(OutboxMessage.day) < date(2027, 3, 1)))
        assert delete_unused_images(session, organisation_id=board.org.id) == 0  # still in use
        session.execute(sa.delete(OutboxMessage))
        assert delete_unused_images(session, organisation_id=None) == 1
        session.commit()
    assert _images(engine) == []
    prepare_report(runtime, today=TODAY)
    assert len(_images(engine)) == 1
    with Session(engine) as session:  # deleting the organisation deletes its pictures
        session.delete(session.get_one(Organisation, board.org.id))
        session.commit()
    assert _images(engine) == []


def test_migration_0014_down_and_up_keeps_the_messages(db_url: str) -> None:
    engine = make_engine(db_url)
    board = _board(engine)
    with Session(engine) as session:
        session.add(OutboxMessage(
            organisation_id=board.org.id, person_id=board.people["anne"].id, day=TODAY,
            kind=OutboxKind.digest, subject="Dagens opgaver", body_text="x",
        ))  # fmt: skip
        session.commit()
    config = alembic_config(db_url)
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0013")
        inspector = sa.inspect(engine)
        assert "outbox_image" not in inspector.get_table_names()
        assert "image_sha256" not in {c["name"] for c in inspector.get_columns("outbox_message")}
        upgrade(engine)
        inspector = sa.inspect(engine)
        assert "outbox_image" in inspector.get_table_names()
        assert "ix_outbox_message_image" in {
            i["name"] for i in inspector.get_indexes("outbox_message")
        }
        with engine.connect() as conn:
            count = conn.execute(sa.text("SELECT count(*) FROM outbox_message")).scalar()
        assert count == 1
    finally:
        engine.dispose()


def test_through_apprise_the_mail_goes_without_the_picture_but_with_the_link(
    sqlite_url: str, smtp_server: SmtpServer
) -> None:
    engine = make_engine(sqlite_url)
    board = _board(engine)
    # A copy to a second address: a URL the kept-connection channel leaves to apprise.
    cc = f"{smtp_server.mail_url}&cc=kopi@example.dk"
    run = run_report(_runtime(engine, board, smtp_server, mail_url=cc), today=TODAY, deliver=True)
    engine.dispose()
    assert run.delivery is not None and run.delivery.sent == 2
    [mail, *_] = smtp_server.to("dorte@example.dk")
    assert _parsed(mail).get_content_type() != "multipart/related"
    assert not any(p.get_content_maintype() == "image" for p in _parsed(mail).walk())
    assert BOARD in mail.html
