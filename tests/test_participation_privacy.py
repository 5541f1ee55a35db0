"""Personal data: after the retention period no trace of the submitter's address or name is
left in any table; before it nothing is erased; a person's export has everything."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from aarshjul.models import Submission, SubmissionEvent
from aarshjul.notifications.channels import Channel
from aarshjul.notifications.delivery import deliver_pending
from aarshjul.notifications.sending import Message, NullSender, Outcome
from aarshjul.participation.receipts import send_receipt
from tests.cli_helpers import run
from tests.participation_support import PDF, PlanWorld, build_plan_world, idea_form
from tests.smtp import SmtpServer

ADDRESS, NAME = "karen@example.org", "Karen Borger"


@pytest.fixture
def world(db_url: str, tmp_path: Path, smtp_server: SmtpServer) -> PlanWorld:
    w = build_plan_world(db_url, tmp_path, mail_url=smtp_server.mail_url)
    yield w
    w.runtime.close()


def _traces(world: PlanWorld, *needles: str) -> list[str]:
    """Every table and column in which any of ``needles`` still appears."""
    found = []
    engine = world.runtime.engine
    with engine.connect() as conn:
        for table in sa.inspect(engine).get_table_names():
            for row in conn.execute(sa.text(f'SELECT * FROM "{table}"')).mappings():
                for column, value in row.items():
                    text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
                    if any(n.lower() in text.lower() for n in needles):
                        found.append(f"{table}.{column}")
    return sorted(set(found))


def _submit(world: PlanWorld, smtp_server: SmtpServer) -> Submission:
    client = world.client()
    form = idea_form(client, name=NAME, email=ADDRESS, association="Skolens Venner",
                     publish_name="true")  # fmt: skip
    answer = client.post(
        "/ideas", data=form, files={"attachment": ("a.pdf", PDF, "application/pdf")}
    )
    assert answer.status_code == 200
    with Session(world.runtime.engine) as s:
        row = s.exec(select(Submission)).one()
    assert smtp_server.to(ADDRESS), "the receipt was sent after the response"
    return row


def test_erasure_after_the_retention_period_leaves_no_trace(
    world: PlanWorld, smtp_server: SmtpServer, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = _submit(world, smtp_server)
    assert _traces(world, ADDRESS)  # the submission, the receipt, its delivery
    before = run(db_url, "participation", "erase", "--today", "2028-11-24")
    assert before.exit_code == 0 and "of 0 submissions" in before.stdout
    dry = run(db_url, "participation", "erase", "--today", "2028-11-25", "--dry-run")
    assert "Would erase the contact details of 1 submissions" in dry.stdout
    assert _traces(world, ADDRESS)
    done = run(db_url, "participation", "erase", "--today", "2028-11-25")
    assert done.exit_code == 0 and row.reference in done.stdout
    assert _traces(world, ADDRESS, NAME, "Skolens Venner") == []
    again = run(db_url, "participation", "erase", "--today", "2028-11-26")
    assert "of 0 submissions" in again.stdout
    with Session(world.runtime.engine) as s:
        kept = s.exec(select(Submission)).one()
        kinds = s.exec(select(SubmissionEvent.kind).order_by(SubmissionEvent.id)).all()
    assert kept.body == "Byg en ny legeplads ved skolen." and kept.erased_at is not None
    assert kinds == ["received", "erased"]
    book = run(db_url, "hvidbog", "helhedsplan-2027.idea", "--today", "2028-11-26")
    assert "Borger" in book.stdout and NAME not in book.stdout


def test_retention_months_is_a_setting(
    world: PlanWorld, smtp_server: SmtpServer, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _submit(world, smtp_server)
    monkeypatch.setenv("AARSHJUL_RETENTION_MONTHS", "1")
    done = run(db_url, "participation", "erase", "--today", "2027-12-27")
    assert "of 1 submissions" in done.stdout and "retention 1 months" in done.stdout


def test_export_of_one_persons_submissions(
    world: PlanWorld, smtp_server: SmtpServer, db_url: str, tmp_path: Path
) -> None:
    row = _submit(world, smtp_server)
    out = tmp_path / "indsigt.json"
    result = run(db_url, "participation", "export", "KAREN@example.org", "-o", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    [record] = data["submissions"]
    assert record["reference"] == row.reference and record["email"] == ADDRESS
    assert record["attachment"]["filename"] == "a.pdf" and record["publish_name"] is True
    assert record["erase_contact_details_on"] == "2028-11-25"
    assert (
        run(db_url, "participation", "export", "nobody@example.org").stdout.count("reference") == 0
    )
    with Session(world.runtime.engine) as s:
        assert "exported" in s.exec(select(SubmissionEvent.kind)).all()


class _Down(NullSender):
    """A mail server that refuses everything."""

    def send(self, channel: Channel, message: Message) -> Outcome:
        return Outcome(False, "mailto://****", "down")


def test_a_failed_receipt_is_retried_by_delivery(world: PlanWorld, smtp_server: SmtpServer) -> None:
    failing = world.app(sender=_Down())
    client = TestClient(failing)
    answer = client.post("/ideas", data=idea_form(client, email="retry@example.org"))
    assert answer.status_code == 200
    assert smtp_server.to("retry@example.org") == []
    with Session(world.runtime.engine) as s:
        row = s.exec(select(Submission)).one()
    later = datetime(2027, 3, 16, 8, tzinfo=UTC)
    assert send_receipt(world.runtime.engine, message_id=row.receipt_message_id or 0, now=later,
                        settings=world.runtime.settings) is None  # failed, not pending  # fmt: skip
    report = deliver_pending(
        world.runtime.engine, organisation_id=None, now=later, settings=world.runtime.settings
    )
    assert report.sent == 1
    [mail] = smtp_server.to("retry@example.org")
    assert row.reference in mail.subject
