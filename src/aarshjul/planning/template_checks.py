"""Whole-template checks: references between phases, milestones, tasks, rules and meetings.

Each check returns problems as ``yaml.path: value 'x': reason`` lines, so a broken template is
reported completely in one go (the loader prefixes the file name).
"""

from __future__ import annotations

import graphlib
import string
from collections.abc import Iterator
from typing import Any

from aarshjul.calendar.expressions import MeetingInMonth, MeetingNear, parse_expression
from aarshjul.calendar.names import did_you_mean
from aarshjul.planning.template_rules import rule_spec
from aarshjul.planning.template_schema import RuleEntry, TaskSpec, Template

PROCESS_START = "process.start"
TASK_ALIASES = ("phase.start", "phase.end", "milestone")
PLACEHOLDERS: dict[str, set[str]] = {
    "once": set(),
    "committee": {"committee"},
    "policy_area": {"policy_area", "committee"},
    "goal": {"goal", "policy_area", "committee"},
}
COMMON_PLACEHOLDERS = {"year", "budget_year", "title"}
OWNERS_FOR: dict[str, set[str]] = {
    "owner": {"goal", "policy_area"},
    "head": {"goal", "policy_area"},
    "committee_secretary": {"goal", "policy_area", "committee"},
    "committee_chair": {"goal", "policy_area", "committee"},
}


def _problem(path: str, value: Any, reason: str) -> str:
    return f"{path}: value {value!r}: {reason}"


def template_problems(t: Template) -> list[str]:
    """Every cross-reference problem of ``t`` (empty when the template is sound)."""
    return [
        *_duplicates(t),
        *_date_references(t),
        *_date_loops(t),
        *_task_problems(t),
        *_dependency_loops(t),
        *_rule_problems(t.rules, "rules", t),
        *_variant_problems(t),
    ]


def date_names(t: Template) -> dict[str, str]:
    """Every named date of the plan -> the YAML path that defines it."""
    names = {PROCESS_START: "(start)"} if t.kind == "process" else {}
    for i, p in enumerate(t.phases):
        names |= {f"{p.key}.start": f"phases[{i}].start", f"{p.key}.end": f"phases[{i}].end"}
    for i, m in enumerate(t.milestones):
        names[m.key] = f"milestones[{i}].date"
    return names


def date_definitions(t: Template) -> Iterator[tuple[str, str, str]]:
    """(name, expression, YAML path) for every phase start/end and milestone date."""
    for i, p in enumerate(t.phases):
        yield f"{p.key}.start", p.start, f"phases[{i}].start"
        yield f"{p.key}.end", p.end, f"phases[{i}].end"
    for i, m in enumerate(t.milestones):
        yield m.key, m.date, f"milestones[{i}].date"


def _duplicates(t: Template) -> Iterator[str]:
    seen: dict[str, str] = {}
    keyed = [*(("phases", i, p.key) for i, p in enumerate(t.phases)),
             *(("milestones", i, m.key) for i, m in enumerate(t.milestones))]  # fmt: skip
    for group, i, key in keyed:
        if key in seen:
            yield _problem(f"{group}[{i}].key", key, f"key already used at {seen[key]}")
        seen.setdefault(key, f"{group}[{i}]")
    task_keys: set[str] = set()
    for i, task in enumerate(t.tasks):
        if task.key in task_keys:
            yield _problem(f"tasks[{i}].key", task.key, "task key already used")
        task_keys.add(task.key)


def _series_used(expression: str) -> set[str]:
    found: set[str] = set()
    node: Any = parse_expression(expression)
    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, MeetingInMonth | MeetingNear):
            found.add(node.series)
        for attr in ("base", "anchor"):
            if hasattr(node, attr):
                stack.append(getattr(node, attr))
    return found


def _expression_problems(
    path: str, expression: str, available: set[str], t: Template, own: str | None = None
) -> Iterator[str]:
    expr = parse_expression(expression)
    if expr.uses_own_start() and own is None:
        yield _problem(path, expression, "'start' may only be used in a phase's end")
    for name in sorted(expr.references() - available):
        yield _problem(path, expression, f"unknown date {name!r}.{did_you_mean(name, available)}")
    for series in sorted(_series_used(expression) - t.meetings.keys()):
        hint = did_you_mean(series, t.meetings)
        yield _problem(path, expression, f"unknown meeting series {series!r}.{hint}")


def _date_references(t: Template) -> Iterator[str]:
    available = set(date_names(t))
    for name, expression, path in date_definitions(t):
        own = name if name.endswith(".end") else None
        yield from _expression_problems(path, expression, available, t, own)


def _date_loops(t: Template) -> Iterator[str]:
    names = date_names(t)
    graph: dict[str, set[str]] = {}
    for name, expression, _path in date_definitions(t):
        expr = parse_expression(expression)
        needs = expr.references() & names.keys()
        if expr.uses_own_start() and name.endswith(".end"):
            needs.add(name.removesuffix(".end") + ".start")
        graph[name] = needs
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as exc:
        loop = " -> ".join(reversed(exc.args[1]))
        yield f"{names.get(exc.args[1][0], '(top level)')}: dates refer to each other in a loop: {loop}"


def _task_problems(t: Template) -> Iterator[str]:
    phases = {p.key for p in t.phases}
    milestones = {m.key for m in t.milestones}
    tasks = {task.key for task in t.tasks}
    for i, task in enumerate(t.tasks):
        path = f"tasks[{i}]"
        if task.phase is not None and task.phase not in phases:
            yield _problem(
                f"{path}.phase", task.phase, f"no such phase.{did_you_mean(task.phase, phases)}"
            )
        if task.milestone is not None and task.milestone not in milestones:
            hint = did_you_mean(task.milestone, milestones)
            yield _problem(f"{path}.milestone", task.milestone, f"no such milestone.{hint}")
        yield from _task_due(t, task, path)
        yield from _task_owner_and_title(task, path)
        for j, dep in enumerate(task.depends_on):
            if dep not in tasks or dep == task.key:
                reason = "a task cannot depend on itself" if dep == task.key else "no such task"
                yield _problem(f"{path}.depends_on[{j}]", dep, reason)
        if task.levels and task.for_each != "goal":
            yield _problem(
                f"{path}.levels", [lv.value for lv in task.levels], "only with for_each: goal"
            )


def _task_due(t: Template, task: TaskSpec, path: str) -> Iterator[str]:
    available = set(date_names(t))
    if task.phase is not None:
        available |= {"phase.start", "phase.end"}
    if task.milestone is not None:
        available.add("milestone")
    yield from _expression_problems(f"{path}.due", task.due, available, t)


def _task_owner_and_title(task: TaskSpec, path: str) -> Iterator[str]:
    allowed = OWNERS_FOR.get(task.owner)
    if allowed is not None and task.for_each not in allowed:
        reason = f"owner {task.owner!r} needs for_each {' or '.join(sorted(allowed))}"
        yield _problem(f"{path}.owner", task.owner, reason)
    fields = PLACEHOLDERS[task.for_each] | COMMON_PLACEHOLDERS
    for lang in ("da", "en"):
        text = getattr(task.title, lang)
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError as exc:
            yield _problem(f"{path}.title.{lang}", text, f"broken placeholder: {exc}")
            continue
        for name in sorted(used - fields):
            options = ", ".join("{" + f + "}" for f in sorted(fields))
            yield _problem(
                f"{path}.title.{lang}", text, f"unknown placeholder {{{name}}}; use {options}"
            )


def _dependency_loops(t: Template) -> Iterator[str]:
    graph = {task.key: set(task.depends_on) for task in t.tasks}
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as exc:
        loop = " -> ".join(exc.args[1])
        yield f"tasks: depends_on forms a loop: {loop}"


def _rule_problems(entries: list[RuleEntry], prefix: str, t: Template) -> Iterator[str]:
    available = set(date_names(t))
    phases = {p.key for p in t.phases}
    for i, entry in enumerate(entries):
        path = f"{prefix}[{i}]"
        value = entry.use or entry.id
        try:
            spec = rule_spec(entry)
        except ValueError as exc:
            yield _problem(path, value, str(exc))
            continue
        if spec.phase is not None and spec.phase not in phases:
            yield _problem(
                f"{path}.phase", spec.phase, f"no such phase.{did_you_mean(spec.phase, phases)}"
            )
            continue
        for key in spec.date_keys():
            if key not in available:
                yield _problem(
                    path,
                    value,
                    f"rule reads {key!r}, which the template does not define.{did_you_mean(key, available)}",
                )


def _variant_problems(t: Template) -> Iterator[str]:
    available = set(date_names(t))
    for key, variant in t.variants.items():
        for name, expression in variant.dates.items():
            path = f"variants.{key}.dates.{name}"
            if name not in available:
                yield _problem(path, name, f"no such date.{did_you_mean(name, available)}")
                continue
            own = name if name.endswith(".end") else None
            yield from _expression_problems(path, expression, available, t, own)
        yield from _rule_problems(variant.rules, f"variants.{key}.rules", t)
