"""The three deployments and their schedules, for ``aarshjul serve`` and ``aarshjul deploy``.

Schedules are cron expressions in the organisation's time zone (DST-aware), configurable with
``AARSHJUL_TICK_CRON`` (default ``0 7 * * 1-5``: workdays 07:00; holidays are skipped inside the
flow), ``AARSHJUL_REPORT_CRON`` (``0 8 * * 1``: Mondays 08:00) and ``AARSHJUL_PLAN_CRON``
(``0 6 1 12 *``: 1 December 06:00). Deployments are named after the organisation
(``aarshjul-tick/jammerbugt``) so one Prefect server can run several organisations. They use
module-path entrypoints (``aarshjul.flows.tick.tick``), so a runner or worker only needs aarshjul
installed, whatever its working directory.

>>> [d.name for d in build(organisation="jammerbugt", timezone="Europe/Copenhagen")]  # doctest: +SKIP
['jammerbugt', 'jammerbugt', 'jammerbugt']
"""

from __future__ import annotations

from typing import Any

from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron
from prefect.types.entrypoint import EntrypointType

from aarshjul.config import Settings, get_settings
from aarshjul.flows.next_cycle import plan_next_cycle
from aarshjul.flows.tick import tick
from aarshjul.flows.weekly_report import board_report

TAGS = ["aarshjul"]


def schedules(settings: Settings | None = None) -> dict[str, str]:
    """Cron expression per flow name, from the settings."""
    cfg = settings or get_settings()
    return {
        "aarshjul-tick": cfg.tick_cron,
        "aarshjul-board-report": cfg.report_cron,
        "aarshjul-plan-next-cycle": cfg.plan_cron,
    }


def build(
    *,
    organisation: str,
    timezone: str,
    work_pool: str | None = None,
    settings: Settings | None = None,
) -> list[RunnerDeployment]:
    """One deployment per flow for ``organisation``, scheduled in ``timezone``."""
    crons = schedules(settings)
    out = []
    for flow in (tick, board_report, plan_next_cycle):
        options: dict[str, Any] = {"work_pool_name": work_pool} if work_pool else {}
        deployment = flow.to_deployment(
            name=organisation,
            schedule=Cron(crons[flow.name], timezone=timezone),
            parameters={"organisation": organisation},
            tags=[*TAGS, organisation],
            description=f"{flow.description or flow.name} ({organisation})",
            entrypoint_type=EntrypointType.MODULE_PATH,
            **options,
        )
        assert isinstance(deployment, RunnerDeployment)  # sync call: never a coroutine
        out.append(deployment)
    return out


def apply_to_pool(deployments: list[RunnerDeployment], pool: str) -> list[str]:
    """Create the process work pool if missing, register the deployments; returns their names."""
    ensure_work_pool(pool)
    names = []
    for deployment in deployments:
        deployment.apply(work_pool_name=pool)
        names.append(f"{deployment.flow_name}/{deployment.name}")
    return names


def ensure_work_pool(name: str) -> None:
    """A ``process`` work pool called ``name`` (created when it does not exist)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            client.read_work_pool(name)
        except ObjectNotFound:
            client.create_work_pool(WorkPoolCreate(name=name, type="process"))
