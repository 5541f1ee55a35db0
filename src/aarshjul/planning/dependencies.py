"""Which task must be done before which: the template's ``depends_on`` turned into task pairs.

A task depends on the tasks of the named key *in its own scope*. Subjects nest: a goal belongs to
a policy area and a committee, a policy area to a committee, and everything to the cycle. The
coarser ``for_each`` of the two tasks sets the scope:

- same ``for_each``: the same subject's task (a goal's summary waits for that goal's status);
- a policy area's task on a goal task: the goal tasks of that policy area;
- a committee's task on goal or policy-area tasks: those of that committee;
- a goal's task on a policy-area or committee task: the one its goal belongs to;
- a task planned once, or depending on one: every task of that key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from aarshjul.planning.expand import WantedTask

TaskKey = tuple[str, str]
_RANK = {"goal": 0, "policy_area": 1, "committee": 2, "once": 3}


def _scope(task: WantedTask, level: str) -> int | None:
    if level == "policy_area":
        return task.policy_area_id
    if level == "committee":
        return task.committee_id
    return None


def dependency_pairs(
    sources: Iterable[WantedTask], targets: Sequence[WantedTask], ids: Mapping[TaskKey, int]
) -> set[tuple[int, int]]:
    """(task id, depends-on id) pairs for every ``sources`` task's ``depends_on``."""
    by_key: dict[str, list[WantedTask]] = {}
    for target in targets:
        by_key.setdefault(target.key, []).append(target)
    pairs: set[tuple[int, int]] = set()
    for task in sources:
        me = ids[(task.key, task.subject)]
        for dep in task.depends_on:
            pairs |= {(me, ids[(t.key, t.subject)]) for t in _matching(task, by_key.get(dep, []))}
    return pairs


def _matching(task: WantedTask, candidates: list[WantedTask]) -> list[WantedTask]:
    if not candidates:
        return []
    other = candidates[0].for_each
    if other == task.for_each:
        return [t for t in candidates if t.subject == task.subject]
    level = task.for_each if _RANK[task.for_each] > _RANK[other] else other
    if level == "once":
        return candidates
    scope = _scope(task, level)
    return [t for t in candidates if _scope(t, level) == scope]
