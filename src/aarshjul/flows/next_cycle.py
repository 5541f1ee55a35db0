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

from aarshjul.engine.day import organisation_of
from aarshjul.engine.next_year import PlanOutcome, plan_next_year
from aarshjul.errors import AarshjulError
from aarshjul.escaping import markdown_code, markdown_text
from aarshjul.flows import flow_context as common
from aarshjul.flows.tick import prefect_steps
from aarshjul.notifications.planning_notice import queue_planning_notice
from aarshjul.runtime import Runtime


@task(name="plan-cycle", cache_policy=NO_CACHE)
def plan(runtime: Runtime, day: date, template: str | None) -> PlanOutcome:
    """Plan next year in one transaction (idempotent, so no retries are needed)."""
    return plan_next_year(runtime, today=day, template=template)


@task(name="queue-planning-notice", cache_policy=NO_CACHE)
def notify(runtime: Runtime, outcome: PlanOutcome) -> list[str]:
    """Queue the notice to the planning staff in the outbox (once per person and day)."""
    with runtime.session() as session:
        return queue_planning_notice(session, outcome)


@flow(name="aarshjul-plan-next-cycle")
def plan_next_cycle(
    organisation: str | None = None, today: str | None = None, template: str | None = None
) -> dict[str, Any]:
    """Plan the year after ``today``'s (ISO date; default today in the org's time zone)."""
    with common.flow_runtime(organisation=organisation, today=today) as runtime:
        key, zone = organisation_of(runtime)
        day = runtime.clock.today(zone)
        outcome = plan(common.passed(runtime), day, template)
        notified = notify(common.passed(runtime), outcome)
        delivery = prefect_steps().deliver(runtime, organisation_id=outcome.organisation_id)
    text = outcome.error or f"{outcome.summary}\n\n" + "\n".join(outcome.notices)
    create_markdown_artifact(
        key=common.artifact_key("aarshjul-plan", key),
        markdown=f"# Årshjul {outcome.year} ({markdown_text(outcome.template)})\n\n{markdown_code(text)}\n",
        description=f"Planlægning af {outcome.year} / planning {outcome.year}",
    )
    get_run_logger().info("%s: planned %s; told %s", key, outcome.cycle_key, notified)
    if outcome.error is not None:
        raise AarshjulError(outcome.error)
    return {"year": outcome.year, "cycle": outcome.cycle_key, "summary": outcome.summary,
            "notices": outcome.notices, "notified": notified, "delivery": delivery.as_dict()}  # fmt: skip
