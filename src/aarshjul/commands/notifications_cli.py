"""``aarshjul remind|outbox|deliver``, ``aarshjul person set-channel|channels`` and
``aarshjul mail set|show|unset``."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from aarshjul.commands import cli_state as common
from aarshjul.commands.cli_state import FormatOption, TodayOption
from aarshjul.commands.output import OutputFormat, emit
from aarshjul.errors import NothingDelivered
from aarshjul.models.outbox import OutboxStatus

if TYPE_CHECKING:
    from aarshjul.notifications.compose import ComposeResult
    from aarshjul.notifications.delivery import DeliveryReport
    from aarshjul.notifications.outbox_status import Waiting

person_app = typer.Typer(name="person", help="A person's notification channels.")
mail_app = typer.Typer(
    name="mail", help="The organisation's e-mail channel: its mail server and sender."
)
OUTBOX_COLUMNS = [
    "id", "day", "kind", "email", "subject", "status", "attempts", "next_attempt", "last_error",
]  # fmt: skip


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
    or delivered on a weekend, holiday or closure. Exit code 3 when messages were due and none
    could be delivered (they stay in the outbox).

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
        _finish_delivery(result.delivery)


AllOrganisations = Annotated[
    bool,
    typer.Option(
        "--all-organisations", help="Every organisation in the database, not only --org's."
    ),
]


def deliver(
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Send at most N.")] = None,
    now: Annotated[
        bool, typer.Option("--now", help="Retry failed messages at once, not after their backoff.")
    ] = False,
    all_organisations: AllOrganisations = False,
) -> None:
    """Send the organisation's pending outbox rows and retry failed ones whose backoff has passed.

    Safe to run in several processes at once; Ctrl-C or SIGTERM gives back the messages not yet
    started. Prints what still waits and when it is tried next; exit code 3 when messages were
    due and none could be delivered. Example: `aarshjul deliver --now`
    """
    _finish_delivery(
        _deliver(organisation_id=_scope(all_organisations), limit=limit, retry_now=now)
    )


def _scope(all_organisations: bool) -> int | None:
    """The organisation id the command acts on (``None``: every organisation)."""
    if all_organisations:
        with common.session():
            return None  # refuses an uninitialised database with a clear message
    with common.org_session() as (_, org):
        return org.id


def _deliver(
    *, organisation_id: int | None, limit: int | None = None, retry_now: bool = False
) -> DeliveryReport:
    from aarshjul.notifications.delivery import deliver_pending

    with common.runtime() as rt, _sigterm_stops() as stopping:
        report = deliver_pending(
            rt.bind, organisation_id=organisation_id, now=rt.now(), settings=rt.settings,
            sender=rt.sender, limit=limit, retry_now=retry_now, stop=stopping.is_set,
        )  # fmt: skip
    if report.stopped:
        _print_delivery(report)
        typer.echo(f"Stoppet / stopped: {report.released} givet tilbage / given back.", err=True)
        raise typer.Exit(128 + signal.SIGTERM)
    return report


@contextmanager
def _sigterm_stops() -> Iterator[threading.Event]:
    """SIGTERM asks a deliverer to stop after the message on its way; the claims it has not
    started go back to the outbox at once (Ctrl-C stops at once and gives them back too)."""
    stopping = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stopping
        return
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: stopping.set())
    try:
        yield stopping
    finally:
        signal.signal(signal.SIGTERM, previous)


def outbox(
    status: Annotated[
        OutboxStatus | None, typer.Option("--status", "-s", help="Only rows with this status.")
    ] = None,
    all_organisations: AllOrganisations = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List the outbox: what was composed, sent, failed or waits, and when it is tried next.

    Example: `aarshjul outbox --status failed --format json`
    """
    from aarshjul.notifications.outbox_status import outbox_listing, waiting

    organisation_id = _scope(all_organisations)
    with common.runtime() as rt, rt.session() as s:
        lease = timedelta(seconds=rt.settings.deliver_lease_seconds)
        conn = s.connection()
        records = outbox_listing(conn, organisation_id=organisation_id, status=status, lease=lease)
        waits = waiting(conn, organisation_id=organisation_id, lease=lease)
    columns = OUTBOX_COLUMNS if not all_organisations else ["organisation", *OUTBOX_COLUMNS]
    emit(records, fmt, columns=columns, title="Udbakke / outbox")
    if fmt == OutputFormat.table and status is None:
        _print_waiting(waits)


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
    from aarshjul.notifications.channels import set_channel

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
    from aarshjul.notifications.channels import channel_records

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
    if report.lost_claims:
        typer.echo(
            f"Mistede krav / lost claims {report.lost_claims}: en anden afsender overtog dem, da "
            "lejen udløb / another deliverer took them over when the lease ran out (not sent here)."
        )
    _print_waiting(report.waiting)


_WAITS = {
    OutboxStatus.pending: "afventer / pending: næste kørsel / next run",
    OutboxStatus.failed: "fejlet / failed: næste forsøg / next attempt {at}",
    OutboxStatus.sending: "sendes af en anden afsender / being sent by another deliverer "
    "(krav udløber / claim ends {at})",
    OutboxStatus.undeliverable: "uden kanal / no channel: prøves ved hver kørsel / tried every run",
}


def _print_waiting(waits: list[Waiting]) -> None:
    from aarshjul.notifications.outbox_status import local_time

    for w in waits:
        what = _WAITS[w.status].format(at=local_time(w.next_attempt_at, w.timezone) or "-")
        reason = f" — {w.error}" if w.error and w.status != OutboxStatus.pending else ""
        typer.echo(f"Venter / waiting ({w.organisation}): {w.count} {what}{reason}")


def _finish_delivery(report: DeliveryReport) -> None:
    """Print the run; exit code 3 when nothing could be delivered (messages kept)."""
    _print_delivery(report)
    if report.nothing_delivered:
        raise NothingDelivered(
            f"ingen beskeder kunne leveres / nothing could be delivered ({report.failed} "
            f"fejlet / failed, {report.dead} døde / dead); de bliver i udbakken / they stay in "
            "the outbox: `aarshjul outbox`"
        )


@mail_app.command("set")
def mail_set(
    url: Annotated[str, typer.Argument(help="An apprise mail URL (mailto://, mailtos://…).")],
) -> None:
    """Give the organisation its own mail server and sender, stored encrypted.

    It is used instead of AARSHJUL_MAIL_URL for this organisation's messages; each person's
    address becomes the recipient. Needs AARSHJUL_SECRET_KEY.

    Example: `aarshjul --org fjordby mail set
    "mailtos://bot:PASSWORD@smtp.fjordby.example?from=aarshjul@fjordby.example&name=Fjordby"`
    """
    from aarshjul.notifications.channels import set_organisation_mail

    with common.runtime() as rt, rt.session() as s:
        org = rt.organisation(s)
        row = set_organisation_mail(s, organisation=org, url=url, settings=rt.settings)
        typer.echo(f"E-mail for {org.key}: {row.url_masked}")


@mail_app.command("show")
def mail_show(fmt: FormatOption = OutputFormat.table) -> None:
    """Show which mail URL the organisation sends with (masked). Example: `aarshjul mail show`"""
    from aarshjul.notifications.channels import organisation_mail_record

    with common.runtime() as rt, rt.session() as s:
        record = organisation_mail_record(s, organisation=rt.organisation(s), settings=rt.settings)
    emit([record], fmt, columns=["organisation", "source", "url"], title="E-mail")


@mail_app.command("unset")
def mail_unset() -> None:
    """Forget the organisation's own mail URL; AARSHJUL_MAIL_URL applies again.

    Example: `aarshjul --org fjordby mail unset`
    """
    from aarshjul.notifications.channels import unset_organisation_mail

    with common.org_session() as (s, org):
        removed = unset_organisation_mail(s, organisation=org)
    typer.echo(f"E-mail for {org.key}: " + ("fjernet / removed" if removed else "ingen / none"))


def _register_feed_url() -> None:
    from aarshjul.commands.feeds_cli import feed_url_command

    person_app.command("feed-url")(feed_url_command)


_register_feed_url()
