"""Cross-reference checks of an organisation file: every problem, with its YAML path."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from aarshjul.models.base import HORIZON_YEARS, GoalLevel
from aarshjul.org.org_schema import OrgFile

_RANK = {GoalLevel.vision: 0, GoalLevel.goal: 1, GoalLevel.service_goal: 2, GoalLevel.action: 2}


def reference_problems(data: OrgFile) -> list[str]:
    """Duplicates, unknown references and a goal hierarchy that goes the wrong way."""
    emails = {p.email for p in data.people}
    committees = {c.key for c in data.committees}
    areas = {a.key for a in data.policy_areas}
    goals = {g.key: g for g in data.goals}
    return [
        *_duplicates("people", "email", [p.email for p in data.people]),
        *_duplicates("committees", "key", [c.key for c in data.committees]),
        *_duplicates("policy_areas", "key", [a.key for a in data.policy_areas]),
        *_duplicates("goals", "key", [g.key for g in data.goals]),
        *_unknown("people", "superior", [p.superior for p in data.people], emails, "person"),
        *_unknown("committees", "chair", [c.chair for c in data.committees], emails, "person"),
        *_unknown(
            "committees", "secretary", [c.secretary for c in data.committees], emails, "person"
        ),
        *_unknown(
            "policy_areas",
            "committee",
            [a.committee for a in data.policy_areas],
            committees,
            "committee",
        ),
        *_unknown("policy_areas", "head", [a.head for a in data.policy_areas], emails, "person"),
        *_unknown(
            "goals", "policy_area", [g.policy_area for g in data.goals], areas, "policy area"
        ),
        *_unknown("goals", "owner", [g.owner for g in data.goals], emails, "person"),
        *_unknown("goals", "committee", [g.committee for g in data.goals], committees, "committee"),
        *_unknown("goals", "parent", [g.parent for g in data.goals], set(goals), "goal"),
        *_hierarchy_problems(data),
        *_superior_loops(data),
    ]


def _duplicates(section: str, field: str, values: list[str]) -> Iterable[str]:
    counts = Counter(values)
    seen: set[str] = set()
    for index, value in enumerate(values):
        if counts[value] > 1 and value in seen:
            yield f"{section}[{index}].{field}: value {value!r}: duplicate {field} (already used above)"
        seen.add(value)


def _unknown(
    section: str, field: str, values: list[str | None], known: set[str], what: str
) -> Iterable[str]:
    for index, value in enumerate(values):
        if value is not None and value not in known:
            yield f"{section}[{index}].{field}: value {value!r}: no {what} with that key in this file"


def _hierarchy_problems(data: OrgFile) -> Iterable[str]:
    goals = {g.key: g for g in data.goals}
    for index, goal in enumerate(data.goals):
        parent = goals.get(goal.parent) if goal.parent else None
        if parent is not None and _RANK[parent.level] >= _RANK[goal.level]:
            yield (
                f"goals[{index}].parent: value {goal.parent!r}: a {goal.level.value} cannot sit "
                f"under a {parent.level.value} (vision > goal > service_goal/action)"
            )


def _superior_loops(data: OrgFile) -> Iterable[str]:
    superior = {p.email: p.superior for p in data.people if p.superior}
    reported: set[str] = set()
    for index, person in enumerate(data.people):
        chain = [person.email]
        while (nxt := superior.get(chain[-1])) is not None and nxt not in chain:
            chain.append(nxt)
        if nxt is not None and nxt == person.email and person.email not in reported:
            reported.update(chain)
            loop = " -> ".join([*chain, person.email])
            yield f"people[{index}].superior: superiors form a loop: {loop}"


_LEVEL_DA = {
    GoalLevel.vision: "en vision",
    GoalLevel.goal: "et mål",
    GoalLevel.service_goal: "et servicemål",
    GoalLevel.action: "en handling",
}


def horizon_warnings(data: OrgFile) -> list[str]:
    """Goals whose horizon does not fit their level (Helhedsplanen: visions 12 years, goals 4,
    service goals and actions 1), one line each naming the goal; empty when all fit."""
    found = []
    for index, goal in enumerate(data.goals):
        start, end = goal.horizon
        years, wanted = end - start + 1, HORIZON_YEARS[goal.level]
        if years != wanted:
            found.append(
                f"goals[{index}].horizon: goal {goal.key!r} ({goal.title}): "
                f"{_LEVEL_DA[goal.level]} har et sigte på {wanted} år, dette løber {start}-{end} "
                f"({years} år) / a {goal.level.value} has a {wanted}-year horizon, this one runs "
                f"{start}-{end} ({years} years)"
            )
    return found
