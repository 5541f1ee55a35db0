"""``aarshjul-board-report``: the executive board's weekly report (Mondays 08:00).

Runs :func:`aarshjul.engine.report_run.run_report` — compute the report, queue it in the outbox for
every ``direktion`` member (once per person and day), deliver — with its steps as Prefect tasks,
and publishes it in the Prefect UI: a markdown artifact (the report), a table artifact (progress
per phase) and a progress artifact (the year's share of tasks done).
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

from aarshjul.engine.report_run import ReportRun, ReportSteps, prepare_report, run_report
from aarshjul.flows import flow_context as common
from aarshjul.flows.tick import prefect_steps
from aarshjul.runtime import Runtime


@task(name="compute-and-queue-board-report", cache_policy=NO_CACHE)
def prepare(runtime: Runtime, today: date, write: bool) -> ReportRun:
    """Compute the report and queue it for the direktion (no retries: DB work only)."""
    return prepare_report(runtime, today=today, write=write)


def _prepare_step(runtime: Runtime, *, today: date, write: bool) -> ReportRun:
    return prepare(common.passed(runtime), today, write)


@flow(name="aarshjul-board-report")
def board_report(
    organisation: str | None = None, today: str | None = None, deliver_mail: bool | None = True
) -> dict[str, Any]:
    """The weekly board report as of ``today`` (ISO date; default today in the org's zone)."""
    with common.flow_runtime(organisation=organisation, today=today) as runtime:
        steps = ReportSteps(prepare=_prepare_step, deliver=prefect_steps().deliver)
        run = run_report(runtime, deliver=deliver_mail, steps=steps)
    if run.written:  # a preview leaves no trace in Prefect either
        publish(run)
    get_run_logger().info(
        "%s %s: queued %d report(s)", run.report.organisation, run.report.today, run.queued
    )
    return run.report.as_dict() | {
        "queued": run.queued,
        "written": run.written,
        "delivery": run.delivery.as_dict() if run.delivery else None,
    }


def publish(run: ReportRun) -> None:
    """The report as Prefect artifacts: markdown, a per-phase table and the year's progress."""
    report = run.report
    create_markdown_artifact(
        key=common.artifact_key("aarshjul-board", report.organisation), markdown=run.markdown,
        description=f"Direktionens ugerapport {report.today.isoformat()}",
    )  # fmt: skip
    rows = [
        {"cycle": p.cycle, "phase": p.name, "status": p.status, "done": p.done, "open": p.open,
         "overdue": p.overdue,
         "elapsed": f"{p.elapsed:.0%}" if p.elapsed is not None else "—",
         "completion": f"{p.percent}%"}
        for p in report.phases
    ]  # fmt: skip
    create_table_artifact(
        key=common.artifact_key("aarshjul-phases", report.organisation), table=rows,
        description=f"Faser / phases {report.year} pr. {report.today.isoformat()}",
    )  # fmt: skip
    create_progress_artifact(
        progress=round(report.completion * 100, 1),
        description=f"Årshjul {report.year}: andel udførte opgaver / share of tasks done",
    )
