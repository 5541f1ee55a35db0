"""``aarshjul-plan-next-cycle``: plan next year's cycle (default 1 December, 06:00).

Plans ``today.year + 1`` from the organisation's template (re-planning changes nothing), tells
the ``planning`` role the summary and any rule notices, and publishes the summary as a markdown
artifact. When a rule is broken nothing is written, the planners are told why, and the run
fails so the Prefect UI shows it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from aarshjul import jobs
from aarshjul.clock import utcnow
from aarshjul.errors import AarshjulError
from aarshjul.flows import common
from aarshjul.notifications.planning_notice import NoticeReport, notify_planning


@task(name="plan-cycle", cache_policy=NO_CACHE)
def plan(organisation: str | None, day: date, template: str | None) -> jobs.PlanOutcome:
    """Plan next year in one transaction (idempotent, so no retries are needed)."""
    with common.database() as engine:
        return jobs.plan_next_year(
            engine, organisation_key=organisation, today=day, now=utcnow(), template=template
        )


@task(name="notify-planning", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=60)
def notify(outcome: jobs.PlanOutcome) -> NoticeReport:
    """Tell the planning staff; retried when a channel fails."""
    with common.database() as engine:
        report = notify_planning(engine, outcome)
    if report.failed:
        raise AarshjulError("could not notify: " + "; ".join(report.failed))
    return report


@flow(name="aarshjul-plan-next-cycle")
def plan_next_cycle(
    organisation: str | None = None, today: str | None = None, template: str | None = None
) -> dict[str, Any]:
    """Plan the year after ``today``'s (ISO date; default today in the org's time zone)."""
    with common.database() as engine:
        org = common.organisation(engine, organisation)
    day = common.resolve_day(org, today)
    outcome = plan(org.key, day, template)
    notice = notify(outcome)
    text = outcome.error or f"{outcome.summary}\n\n" + "\n".join(outcome.notices)
    create_markdown_artifact(
        key=common.artifact_key("aarshjul-plan", org.key),
        markdown=f"# Årshjul {outcome.year} ({outcome.template})\n\n```\n{text}\n```\n",
        description=f"Planlægning af {outcome.year} / planning {outcome.year}",
    )
    get_run_logger().info("%s: planned %s; told %s", org.key, outcome.cycle_key, notice.sent)
    if outcome.error is not None:
        raise AarshjulError(outcome.error)
    return {"year": outcome.year, "cycle": outcome.cycle_key, "summary": outcome.summary,
            "notices": outcome.notices, "notified": notice.sent, "no_channel": notice.no_channel}  # fmt: skip
