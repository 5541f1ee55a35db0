"""Template tasks x subjects -> the rows a cycle should have (no database writes here)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from aarshjul.planning.date_plan import DatePlan
from aarshjul.planning.subjects import (
    OrgIndex,
    Subject,
    owner_of,
    owner_problem,
    raise_owner_problems,
    subjects_for,
)
from aarshjul.planning.template_schema import Link, TaskSpec, Template, Text

TITLE_MAX = 300


@dataclass(frozen=True)
class WantedTask:
    """One task as the template wants it in this cycle."""

    key: str
    subject: str
    for_each: str
    title_da: str
    title_en: str
    description: str
    owner_id: int
    committee_id: int | None
    policy_area_id: int | None
    goal_id: int | None
    due: date
    phase: str | None
    milestone: str | None
    escalate_after: int
    reminders: tuple[date, ...]
    depends_on: tuple[str, ...]

    def compared(self) -> tuple[Any, ...]:
        """The values re-planning compares with the stored row (due apart)."""
        return (
            self.title_da, self.title_en, self.description, self.owner_id, self.committee_id,
            self.policy_area_id, self.goal_id, self.phase, self.milestone, self.escalate_after,
        )  # fmt: skip


COMPARED_FIELDS = (
    "title_da", "title_en", "description", "owner_id", "committee_id", "policy_area_id",
    "goal_id", "phase", "milestone", "escalate_after",
)  # fmt: skip


def describe(description: Text | None, links: list[Link]) -> str:
    """The Danish description with the linked documents listed under it."""
    parts = [description.da] if description else []
    if links:
        parts.append("Dokumenter:\n" + "\n".join(f"- {link.title}: {link.url}" for link in links))
    return "\n\n".join(parts)


def expand_tasks(
    template: Template, dates: DatePlan, index: OrgIndex, *, title: str
) -> list[WantedTask]:
    """Every (task, subject) row of the cycle; one error lists every owner that is missing."""
    fields = {"year": str(dates.year), "budget_year": str(dates.year + 1), "title": title}
    wanted: list[WantedTask] = []
    problems: list[str] = []
    for i, spec in enumerate(template.tasks):
        for subject in subjects_for(spec, index, dates.year):
            owner = owner_of(spec.owner, subject, index)
            if isinstance(owner, str):
                problems.append(owner_problem(spec.key, i, owner))
                continue
            wanted.append(_wanted(template, spec, subject, owner, dates, fields))
    raise_owner_problems(template.source or template.template, sorted(set(problems)))
    return wanted


def _wanted(
    template: Template,
    spec: TaskSpec,
    subject: Subject,
    owner_id: int,
    dates: DatePlan,
    fields: Mapping[str, str],
) -> WantedTask:
    values = {**fields, **subject.names}
    escalate = (
        template.defaults.escalate_after if spec.escalate_after is None else spec.escalate_after
    )
    return WantedTask(
        key=spec.key, subject=subject.key, for_each=spec.for_each,
        title_da=_clip(spec.title.da.format_map(values)),
        title_en=_clip(spec.title.en.format_map(values)) if spec.title.en else "",
        description=describe(spec.description, spec.links), owner_id=owner_id,
        committee_id=subject.committee_id, policy_area_id=subject.policy_area_id,
        goal_id=subject.goal_id, due=dates.task_due[spec.key], phase=spec.phase,
        milestone=spec.milestone, escalate_after=escalate,
        reminders=dates.reminders[spec.key], depends_on=tuple(spec.depends_on),
    )  # fmt: skip


def _clip(text: str) -> str:
    return text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1] + "…"
