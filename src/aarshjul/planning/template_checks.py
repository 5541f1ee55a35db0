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
from aarshjul.calendar.rules import RuleSpec
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
        *_end_rule_problems(t),
        *_term_year_problems(t),
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
            parts = [(n, spec, conv) for _, n, spec, conv in string.Formatter().parse(text)]
        except ValueError as exc:
            yield _problem(f"{path}.title.{lang}", text, f"broken placeholder: {exc}")
            continue
        used = {name for name, _, _ in parts if name is not None}
        # A format spec ({goal:>999999999}) or conversion ({goal!r}) would run at plan time:
        # a title only ever names a value.
        for name, spec, conversion in parts:
            if spec or conversion:
                extra = f":{spec}" if spec else f"!{conversion}"
                yield _problem(
                    f"{path}.title.{lang}", text,
                    f"placeholder {{{name}{extra}}}: write the name alone, e.g. {{{name}}}",
                )  # fmt: skip
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
        yield from _series_problems(path, spec, t)
        if entry.replaces is not None and not prefix.startswith("variants."):
            yield _problem(f"{path}.replaces", entry.replaces, "only a variant's rule replaces one")
        elif entry.replaces is not None and entry.replaces not in _rule_ids(t):
            hint = did_you_mean(entry.replaces, _rule_ids(t))
            yield _problem(f"{path}.replaces", entry.replaces, f"no such rule in rules.{hint}")
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


def _rule_ids(t: Template) -> set[str]:
    ids = set()
    for entry in t.rules:
        try:
            ids.add(rule_spec(entry).id)
        except ValueError:
            continue
    return ids


def _series_problems(path: str, spec: RuleSpec, t: Template) -> Iterator[str]:
    if spec.series is None:
        return
    if spec.series not in t.meetings:
        hint = did_you_mean(spec.series, t.meetings)
        yield _problem(f"{path}.series", spec.series, f"unknown meeting series.{hint}")
    elif spec.kind == "agenda_notice" and t.meetings[spec.series].agenda is None:
        yield _problem(
            f"{path}.series",
            spec.series,
            f"rule {spec.id} checks every meeting's agenda: give the series an agenda lead, "
            f"e.g. meetings.{spec.series}.agenda: 5 workdays",
        )


def _min_length_phases(t: Template) -> dict[str, str]:
    """Phase key -> the id of a rule that gives it a minimum length (any variant too)."""
    entries = [*t.rules, *(e for v in t.variants.values() for e in v.rules)]
    found: dict[str, str] = {}
    for entry in entries:
        try:
            spec = rule_spec(entry)
        except ValueError:
            continue
        if spec.kind == "min_duration" and spec.phase is not None:
            found.setdefault(spec.phase, spec.id)
    return found


def _end_rule_problems(t: Template) -> Iterator[str]:
    bound = _min_length_phases(t)
    for i, phase in enumerate(t.phases):
        if phase.key in bound and phase.end_rule is None:
            yield _problem(
                f"phases[{i}].end_rule",
                None,
                f"phase {phase.key!r} has a minimum length (rule {bound[phase.key]}): say how its "
                "end leaves a closed day: 'end_rule: forward' (a period others have, such as a "
                "hearing or an appeal window, never gets shorter) or 'end_rule: back'",
            )


def term_years_of(t: Template) -> dict[str, set[int]]:
    """Named date (and ``task:KEY``) -> the election-term years it is planned in (1-4)."""
    every = {1, 2, 3, 4}
    years: dict[str, set[int]] = {}
    for p in t.phases:
        chosen = set(p.term_years or every)
        years |= {f"{p.key}.start": chosen, f"{p.key}.end": chosen}
    for m in t.milestones:
        years[m.key] = set(m.term_years or every)
    for task in t.tasks:
        years[f"task:{task.key}"] = set(task.term_years or every)
    return years


def _term_year_problems(t: Template) -> Iterator[str]:
    years = term_years_of(t)
    for name, expression, path in date_definitions(t):
        yield from _needs_years(path, expression, years[name], _refs(expression, name), years)
    for i, task in enumerate(t.tasks):
        own = years[f"task:{task.key}"]
        needs = _refs(task.due, None) - set(TASK_ALIASES)
        needs |= {f"{task.phase}.start"} if task.phase else set()
        needs |= {task.milestone} if task.milestone else set()
        yield from _needs_years(f"tasks[{i}]", task.due, own, needs, years)
        for j, dep in enumerate(task.depends_on):
            if not own <= years.get(f"task:{dep}", own):
                yield _problem(
                    f"tasks[{i}].depends_on[{j}]", dep, _years_reason(own, years[f"task:{dep}"])
                )


def _refs(expression: str, name: str | None) -> set[str]:
    expr = parse_expression(expression)
    needs = expr.references()
    if name is not None and expr.uses_own_start() and name.endswith(".end"):
        needs.add(name.removesuffix(".end") + ".start")
    return needs


def _needs_years(
    path: str, value: str, own: set[int], needs: set[str], years: dict[str, set[int]]
) -> Iterator[str]:
    for ref in sorted(needs):
        if ref in years and not own <= years[ref]:
            yield _problem(path, value, f"uses {ref!r}: {_years_reason(own, years[ref])}")


def _years_reason(own: set[int], theirs: set[int]) -> str:
    return (
        f"planned in term year(s) {sorted(own)}, but what it needs only in {sorted(theirs)}; "
        "give it the same term_years"
    )
