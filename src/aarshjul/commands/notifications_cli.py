"""``aarshjul remind|outbox|deliver`` and ``aarshjul person set-channel|channels``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from aarshjul.commands import cli_state as common
from aarshjul.commands.cli_state import FormatOption, TodayOption
from aarshjul.commands.output import OutputFormat, emit
from aarshjul.models import OutboxMessage, OutboxStatus, Person

if TYPE_CHECKING:
    from sqlmodel import Session

    from aarshjul.models.organisation import Organisation
    from aarshjul.notifications.compose import ComposeResult
    from aarshjul.notifications.delivery import DeliveryReport

person_app = typer.Typer(name="person", help="A person's notification channels.")
OUTBOX_COLUMNS = ["id", "day", "kind", "email", "subject", "status", "attempts", "last_error"]


def remind(
    today: TodayOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print today's digests; write and send nothing.")
    ] = False,
    overdue_every: Annotated[
        int | None,
        typer.Option("--overdue-every", min=1, help="Repeat overdue tasks every N workdays."),
    ] = None,
    deliver: Annotated[
        bool | None,
        typer.Option(
            "--deliver/--no-deliver",
            help="Send after composing. Default: yes, except on a previewed day (--today other "
            "than today), which is composed and shown but not written or sent.",
        ),
    ] = None,
) -> None:
    """Compose today's digests into the outbox and deliver them (once per person and day).

    The same day runner as the daily flow: phases open and close too, and nothing is composed
    or delivered on a weekend, holiday or closure.

    Example: `aarshjul remind --today 2027-10-15 --dry-run`
    """
    from aarshjul.engine.day import run_day
    from aarshjul.memory import collector_paused

    with common.runtime(today) as rt, collector_paused():
        if overdue_every is not None:
            rt = rt.with_settings(overdue_every=overdue_every)
        result = run_day(rt, deliver=deliver, dry_run=dry_run)
    if not result.written:
        _print_digests(result.compose, preview=not dry_run)
        return
    _print_compose(result.compose)
    if result.delivery is not None:
        _print_delivery(result.delivery)


def deliver(
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Send at most N.")] = None,
) -> None:
    """Send pending outbox rows and retry failed ones whose backoff has passed.

    Safe to run in several processes at once. Example: `aarshjul deliver`
    """
    from aarshjul.notifications import deliver_pending

    with common.runtime() as rt:  # refuses an uninitialised database with a clear message
        report = deliver_pending(
            rt.bind, now=rt.now(), settings=rt.settings, limit=limit, transport=rt.sender
        )
    _print_delivery(report)


def outbox(
    status: Annotated[
        OutboxStatus | None, typer.Option("--status", "-s", help="Only rows with this status.")
    ] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List the outbox: what was composed, sent, failed or could not be delivered.

    Example: `aarshjul outbox --status failed --format json`
    """
    with common.org_session() as (s, org):
        records = outbox_records(s, org, status)
    emit(records, fmt, columns=OUTBOX_COLUMNS, title="Udbakke / outbox")


def outbox_records(
    session: Session, org: Organisation, status: OutboxStatus | None
) -> list[dict[str, object]]:
    """Outbox rows of ``org``, newest day first (no message bodies)."""
    from sqlmodel import col, select

    query = (
        select(OutboxMessage, Person.email)
        .join(Person, col(Person.id) == col(OutboxMessage.person_id))
        .where(OutboxMessage.organisation_id == org.id)
        .order_by(col(OutboxMessage.day).desc(), col(OutboxMessage.id))
    )
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    return [
        {
            "id": m.id,
            "day": m.day.isoformat(),
            "kind": m.kind.value,
            "email": email,
            "subject": m.subject,
            "status": m.status.value,
            "attempts": m.attempts,
            "last_error": m.last_error,
            "task_ids": m.task_ids,
            "sent_at": m.sent_at.isoformat() if m.sent_at else None,
        }
        for m, email in session.exec(query)
    ]


@person_app.command("set-channel")
def set_channel_command(
    email: Annotated[str, typer.Argument(help="The person's e-mail address.")],
    url: Annotated[str, typer.Argument(help="An apprise URL, or 'email' for the e-mail channel.")],
    label: Annotated[
        str | None, typer.Option("--label", help="Name of the channel (default: its kind).")
    ] = None,
    disable: Annotated[bool, typer.Option("--disable", help="Keep it, but do not use it.")] = False,
) -> None:
    """Add or change a person's channel; the URL is validated and stored encrypted.

    Example: `aarshjul person set-channel anne@kommune.dk "msteams://TOKEN_A/TOKEN_B/TOKEN_C/"`
    """
    from aarshjul.notifications import set_channel

    with common.runtime() as rt, rt.session() as s:
        row = set_channel(
            s, organisation=rt.organisation(s), email=email, url=url, settings=rt.settings,
            label=label, enabled=not disable,
        )  # fmt: skip
        shown = row.url_masked or "(AARSHJUL_MAIL_URL)"
        state = "slået fra / disabled" if disable else "i brug / enabled"
        typer.echo(f"Kanal {row.label} for {email}: {shown} — {state}")


@person_app.command("channels")
def channels(fmt: FormatOption = OutputFormat.table) -> None:
    """List people's own channels, secrets masked. Example: `aarshjul person channels`"""
    from aarshjul.notifications import channel_records

    with common.org_session() as (s, org):
        records = channel_records(s, org)
    emit(records, fmt, columns=["email", "label", "kind", "url", "enabled"], title="Kanaler")


def _print_digests(result: ComposeResult, *, preview: bool) -> None:
    if result.skipped:
        typer.echo(f"{result.day}: ingen påmindelser / no reminders ({result.skipped}).")
        return
    for digest in result.digests:
        typer.echo(
            f"=== Til / to: {digest.email}\nEmne / subject: {digest.subject}\n\n{digest.text}"
        )
    head = "Preview of another day than today" if preview else "Dry run"
    typer.echo(f"{head}: {len(result.digests)} digests, nothing was written or sent.")
    if preview:
        typer.echo("Brug --deliver for at køre dagen for alvor (--deliver runs it for real).")


def _print_compose(result: ComposeResult) -> None:
    if result.skipped:
        typer.echo(f"{result.day}: ikke en arbejdsdag / not a workday ({result.skipped}).")
        return
    typer.echo(
        f"{result.day}: {len(result.digests)} sammendrag / digests, {result.added} nye i udbakken "
        f"/ new in the outbox, {len(result.escalated)} eskaleringer / escalations."
    )


def _print_delivery(report: DeliveryReport) -> None:
    typer.echo(
        f"Sendt / sent {report.sent}, fejlet / failed {report.failed}, døde / dead {report.dead}, "
        f"uden kanal / no channel {report.undeliverable}."
    )
    for error in report.errors:
        typer.echo(f"  {error}", err=True)
