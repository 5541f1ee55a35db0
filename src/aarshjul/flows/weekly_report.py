"""``aarshjul-board-report``: the executive board's weekly report (Mondays 08:00).

Computes the report from the database, queues it in the outbox for every ``direktion`` member
(once per person and day), delivers, and publishes it in the Prefect UI: a markdown artifact
(the report), a table artifact (progress per phase) and a progress artifact (the year's share
of tasks done).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
)
from prefect.cache_policies import NO_CACHE

from aarshjul.engine import jobs
from aarshjul.flows import flow_context as common
from aarshjul.flows.tick import deliver


@task(name="compute-and-queue-board-report", cache_policy=NO_CACHE)
def prepare(organisation: str | None, day: date) -> jobs.BoardJob:
    """Compute the report and queue it for the direktion (no retries: DB work only)."""
    with common.database() as engine:
        return jobs.prepare_board_report(engine, organisation_key=organisation, today=day)


@flow(name="aarshjul-board-report")
def board_report(
    organisation: str | None = None, today: str | None = None, deliver_mail: bool = True
) -> dict[str, Any]:
    """The weekly board report as of ``today`` (ISO date; default today in the org's zone)."""
    with common.database() as engine:
        org = common.organisation(engine, organisation)
    day = common.resolve_day(org, today)
    job = prepare(org.key, day)
    publish(org.key, job)
    delivery = None
    if deliver_mail:
        delays = common.delivery_retry_delays()
        delivery = deliver.with_options(retries=3, retry_delay_seconds=delays)(job.organisation_id)
    get_run_logger().info("%s %s: queued %d report(s)", org.key, day, job.queued)
    return job.report.as_dict() | {
        "queued": job.queued,
        "delivery": delivery.as_dict() if delivery else None,
    }


def publish(org_key: str, job: jobs.BoardJob) -> None:
    """The report as Prefect artifacts: markdown, a per-phase table and the year's progress."""
    report = job.report
    create_markdown_artifact(
        key=common.artifact_key("aarshjul-board", org_key), markdown=job.markdown,
        description=f"Direktionens ugerapport {report.today.isoformat()}",
    )  # fmt: skip
    rows = [
        {"cycle": p.cycle, "phase": p.name, "status": p.status, "done": p.done, "open": p.open,
         "overdue": p.overdue, "elapsed": f"{p.elapsed:.0%}", "completion": f"{p.completion:.0%}"}
        for p in report.phases
    ]  # fmt: skip
    create_table_artifact(
        key=common.artifact_key("aarshjul-phases", org_key), table=rows,
        description=f"Faser / phases {report.year} pr. {report.today.isoformat()}",
    )  # fmt: skip
    create_progress_artifact(
        progress=round(report.completion * 100, 1),
        description=f"Årshjul {report.year}: andel udførte opgaver / share of tasks done",
    )
