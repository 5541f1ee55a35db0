"""``aarshjul-tick``: the daily heartbeat (workdays, 07:00 in the organisation's time zone).

The flow runs the day runner (:func:`aarshjul.engine.day.run_day`) — the same function
``aarshjul remind``, ``simulate``, the demo and the tests call — with its two steps as Prefect
tasks: ``advance-phases-and-compose`` (one transaction, no retries) and ``deliver`` (retried after
the outbox's backoff when a channel fails). Never a task run per row. Afterwards it emits the
day's events (bounded, see :mod:`aarshjul.flows.events`) and a markdown artifact.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from aarshjul.engine.day import DayResult, DaySteps, deliver_day, prepare_day, run_day
from aarshjul.errors import DeliveryError, NothingDelivered
from aarshjul.escaping import markdown_text
from aarshjul.flows import flow_context as common
from aarshjul.flows.events import day_events, emit_all
from aarshjul.memory import collector_paused
from aarshjul.notifications.delivery import DeliveryReport
from aarshjul.runtime import Runtime


@task(name="advance-phases-and-compose", cache_policy=NO_CACHE)
def prepare(runtime: Runtime, today: date, write: bool) -> DayResult:
    """The day's database work in one transaction; no retries (repeating it is harmless but a
    failure here is a bug or an outage that a retry seconds later will not fix)."""
    with collector_paused():
        return prepare_day(runtime, today=today, write=write)


@task(name="deliver", cache_policy=NO_CACHE)
def deliver(runtime: Runtime, organisation_id: int) -> DeliveryReport:
    """Send the outbox; a failed message is retried after the outbox's backoff (task retries)."""
    report = deliver_day(runtime, organisation_id=organisation_id)
    if report.nothing_delivered:  # the run fails (exit code 3); the messages stay queued
        raise NothingDelivered(f"nothing could be delivered: {'; '.join(report.errors)}")
    if report.failed:
        raise DeliveryError(f"{report.failed} message(s) failed: {'; '.join(report.errors)}")
    return report


def prefect_steps() -> DaySteps:
    """The runner's steps as Prefect tasks (the runtime is passed as is, not inspected)."""

    def prepare_step(rt: Runtime, *, today: date, write: bool) -> DayResult:
        return prepare(common.passed(rt), today, write)

    def deliver_step(rt: Runtime, *, organisation_id: int) -> DeliveryReport:
        retried = deliver.with_options(
            retries=3, retry_delay_seconds=common.delivery_retry_delays(rt)
        )
        return retried(common.passed(rt), organisation_id)

    return DaySteps(prepare=prepare_step, deliver=deliver_step)


@flow(name="aarshjul-tick")
def tick(
    organisation: str | None = None, today: str | None = None, deliver_mail: bool | None = True
) -> dict[str, Any]:
    """Run the day: ``today`` is an ISO date (default: today in the organisation's time zone).

    ``deliver_mail`` None means "deliver unless ``today`` previews another day".
    """
    log = get_run_logger()
    with common.flow_runtime(organisation=organisation, today=today) as runtime:
        result = run_day(runtime, deliver=deliver_mail, steps=prefect_steps())
    emitted = emit_all(day_events(result))
    phases = result.phases.as_dict()
    log.info(
        "%s %s: %d phase(s) opened, %d closed (%d with open tasks), %d digest(s), %d event(s)%s",
        result.organisation, result.day, len(phases["opened"]), len(phases["closed"]),
        len(phases["flagged"]), result.compose.added, emitted,
        "" if result.written else " (preview: nothing written)",
    )  # fmt: skip
    if result.written:  # a preview leaves no trace in Prefect either
        _artifact(result)
    return result.as_dict() | {"events": emitted}


def _artifact(result: DayResult) -> None:
    digests = result.compose
    lines = [f"# Tick {markdown_text(result.organisation)} {result.day.isoformat()}", ""]
    if result.closed:
        lines.append(
            f"Lukket dag / closed day: {markdown_text(result.closed)}. Ingen sammendrag / no digests."
        )
    phases = result.phases.as_dict()
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
        key=common.artifact_key("aarshjul-tick", result.organisation),
        markdown="\n".join(lines), description=f"aarshjul tick {result.day.isoformat()}",
    )  # fmt: skip
