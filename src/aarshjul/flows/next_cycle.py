"""``aarshjul-plan-next-cycle``: plan next year's cycle (default 1 December, 06:00).

Plans ``today.year + 1`` from the organisation's template (re-planning changes nothing), tells
the ``planning`` role the summary and any rule notices (through the outbox, once per person and
day), and publishes the summary as a markdown
artifact. When a rule is broken nothing is written, the planners are told why, and the run
fails so the Prefect UI shows it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from aarshjul.clock import utcnow
from aarshjul.db import session_scope
from aarshjul.engine import jobs
from aarshjul.errors import AarshjulError
from aarshjul.escaping import markdown_code, markdown_text
from aarshjul.flows import flow_context as common
from aarshjul.flows.tick import deliver
from aarshjul.notifications.planning_notice import queue_planning_notice


@task(name="plan-cycle", cache_policy=NO_CACHE)
def plan(organisation: str | None, day: date, template: str | None) -> jobs.PlanOutcome:
    """Plan next year in one transaction (idempotent, so no retries are needed)."""
    with common.database() as engine:
        return jobs.plan_next_year(
            engine, organisation_key=organisation, today=day, now=utcnow(), template=template
        )


@task(name="queue-planning-notice", cache_policy=NO_CACHE)
def notify(outcome: jobs.PlanOutcome) -> list[str]:
    """Queue the notice to the planning staff in the outbox (once per person and day)."""
    with common.database() as engine, session_scope(engine) as session:
        return queue_planning_notice(session, outcome)


@flow(name="aarshjul-plan-next-cycle")
def plan_next_cycle(
    organisation: str | None = None, today: str | None = None, template: str | None = None
) -> dict[str, Any]:
    """Plan the year after ``today``'s (ISO date; default today in the org's time zone)."""
    with common.database() as engine:
        org = common.organisation(engine, organisation)
    day = common.resolve_day(org, today)
    outcome = plan(org.key, day, template)
    notified = notify(outcome)
    delivery = deliver.with_options(retries=3, retry_delay_seconds=common.delivery_retry_delays())(
        outcome.organisation_id
    )
    text = outcome.error or f"{outcome.summary}\n\n" + "\n".join(outcome.notices)
    create_markdown_artifact(
        key=common.artifact_key("aarshjul-plan", org.key),
        markdown=f"# Årshjul {outcome.year} ({markdown_text(outcome.template)})\n\n{markdown_code(text)}\n",
        description=f"Planlægning af {outcome.year} / planning {outcome.year}",
    )
    get_run_logger().info("%s: planned %s; told %s", org.key, outcome.cycle_key, notified)
    if outcome.error is not None:
        raise AarshjulError(outcome.error)
    return {"year": outcome.year, "cycle": outcome.cycle_key, "summary": outcome.summary,
            "notices": outcome.notices, "notified": notified, "delivery": delivery.as_dict()}  # fmt: skip
