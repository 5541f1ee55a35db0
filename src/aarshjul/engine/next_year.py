"""Planning next year's cycle (default 1 December): the plan, its notices, or why it failed.

>>> outcome = plan_next_year(runtime, today=date(2026, 12, 1))  # doctest: +SKIP
>>> outcome.cycle_key, outcome.ok                               # doctest: +SKIP
('helhedsplan-2027', True)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from aarshjul.errors import AarshjulError
from aarshjul.runtime import Runtime


@dataclass
class PlanOutcome:
    """Planning next year: the summary text, non-blocking notices, or why nothing was written."""

    organisation: str
    organisation_id: int
    today: date
    year: int
    template: str
    cycle_key: str | None = None
    summary: str = ""
    notices: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def plan_next_year(
    runtime: Runtime, *, today: date, template: str | None = None, actor: str = "engine"
) -> PlanOutcome:
    """Plan ``today.year + 1`` from ``template`` (default: the organisation's template).

    A broken rule or template does not raise: nothing is written and :attr:`PlanOutcome.error`
    says why, so the planning staff can be told. Planning again changes nothing.
    """
    from aarshjul.planning.plan import plan_cycle
    from aarshjul.planning.template_rules import describe
    from aarshjul.planning.template_store import organisation_template

    with runtime.session() as session:
        org = runtime.organisation(session)
        assert org.id is not None
        key = template or org.template_key
        outcome = PlanOutcome(org.key, org.id, today, today.year + 1, key)
        try:
            result = plan_cycle(
                session, organisation=org, template=organisation_template(session, org, key),
                year=outcome.year, now=runtime.now(), actor=actor,
            )  # fmt: skip
        except AarshjulError as exc:
            session.rollback()
            outcome.error = str(exc)
            return outcome
        outcome.cycle_key = result.cycle_key
        outcome.summary = result.diff.render(org.locale)
        outcome.notices = [describe(v) for v in result.notices]
    return outcome
