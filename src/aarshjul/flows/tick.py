"""``aarshjul-tick``: the daily heartbeat (workdays, 07:00 in the organisation's time zone).

Opens and closes the phases the calendar has reached, composes the day's digests into the
outbox, records escalations, delivers, and emits the day's events. Catch-up and idempotence come
from the jobs underneath: a tick after an outage brings phases up to date and sends one digest for
today; a second tick on the same day sends nothing. Work is set-based: one Prefect task for the
database work and one for delivery, never a task run per row.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from aarshjul.clock import utcnow
from aarshjul.engine import jobs
from aarshjul.errors import DeliveryError
from aarshjul.escaping import markdown_text
from aarshjul.flows import flow_context as common
from aarshjul.flows.events import emit_all
from aarshjul.notifications.delivery import DeliveryReport


@task(name="advance-phases-and-compose", cache_policy=NO_CACHE)
def prepare(organisation: str | None, day: date) -> jobs.DayResult:
    """The day's database work in one transaction; no retries (repeating it is harmless but a
    failure here is a bug or an outage that a retry seconds later will not fix)."""
    with common.database() as engine:
        return jobs.prepare_day(engine, organisation_key=organisation, today=day, now=utcnow())


@task(name="deliver", cache_policy=NO_CACHE)
def deliver(organisation_id: int) -> DeliveryReport:
    """Send the outbox; a failed message is retried after the outbox's backoff (task retries)."""
    with common.database() as engine:
        report = jobs.deliver_day(engine, organisation_id=organisation_id, now=utcnow())
    if report.failed:
        raise DeliveryError(f"{report.failed} message(s) failed: {'; '.join(report.errors)}")
    return report


@flow(name="aarshjul-tick")
def tick(
    organisation: str | None = None, today: str | None = None, deliver_mail: bool = True
) -> dict[str, Any]:
    """Run the day: ``today`` is an ISO date (default: today in the organisation's time zone)."""
    log = get_run_logger()
    with common.database() as engine:
        org = common.organisation(engine, organisation)
    day = common.resolve_day(org, today)
    result = prepare(org.key, day)
    emitted = emit_all(result.events)
    phases = result.phases.as_dict()
    log.info(
        "%s %s: %d phase(s) opened, %d closed (%d with open tasks), %d digest(s), %d event(s)",
        org.key, day, len(phases["opened"]), len(phases["closed"]), len(phases["flagged"]),
        result.compose.added, emitted,
    )  # fmt: skip
    closed = result.compose.skipped  # the reason when the day is a weekend, holiday or closure
    report = None
    if deliver_mail and closed is None:
        report = deliver.with_options(
            retries=3, retry_delay_seconds=common.delivery_retry_delays()
        )(result.organisation_id)
    summary = jobs.TickResult(result, report)
    _artifact(org.key, day, summary, closed)
    return summary.as_dict()


def _artifact(org_key: str, day: date, result: jobs.TickResult, closed: str | None) -> None:
    digests = result.day.compose
    lines = [f"# Tick {markdown_text(org_key)} {day.isoformat()}", ""]
    if closed:
        lines.append(
            f"Lukket dag / closed day: {markdown_text(closed)}. Ingen sammendrag / no digests."
        )
    phases = result.day.phases.as_dict()
    lines += [
        f"- faser åbnet / phases opened: {markdown_text(', '.join(phases['opened']) or '-')}",
        f"- faser lukket / phases closed: {markdown_text(', '.join(phases['closed']) or '-')}",
        f"- lukket med åbne opgaver / closed with open tasks: {markdown_text(phases['flagged'] or '-')}",
        f"- sammendrag / digests: {digests.added} (punkter / items: {digests.items})",
        f"- eskaleringer / escalations: {len(digests.escalated)}",
    ]
    if result.delivery is not None:
        lines.append(f"- levering / delivery: {result.delivery.as_dict()}")
    create_markdown_artifact(
        key=common.artifact_key("aarshjul-tick", org_key), markdown="\n".join(lines),
        description=f"aarshjul tick {day.isoformat()}",
    )  # fmt: skip
