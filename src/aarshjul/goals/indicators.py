"""Goal indicators (*indikatorer*) from the organisation file: synced on import, read on export.

A goal entry without ``indicators`` leaves the goal's indicators as they are (an older file never
wipes them); ``indicators: []`` removes them. Reports keep their own copy of the values, so a
removed indicator's history stays.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from sqlmodel import Session, col, delete, select

from aarshjul.models.goal_tracking import GoalIndicator
from aarshjul.org.org_schema import IndicatorSpec


def indicators_by_goal(session: Session, goal_ids: Iterable[int]) -> dict[int, list[GoalIndicator]]:
    """The indicators of ``goal_ids`` in their file order, in one query."""
    ids = list(goal_ids)
    out: dict[int, list[GoalIndicator]] = {}
    if not ids:
        return out
    query = (
        select(GoalIndicator)
        .where(col(GoalIndicator.goal_id).in_(ids))
        .order_by(col(GoalIndicator.goal_id), col(GoalIndicator.position), col(GoalIndicator.id))
    )
    for row in session.exec(query):
        out.setdefault(row.goal_id, []).append(row)
    return out


def sync_indicators(
    session: Session, wanted: Mapping[int, Sequence[IndicatorSpec]]
) -> Counter[str]:
    """Make each goal in ``wanted`` (goal id -> the file's indicators) have exactly those.

    Upserts by (goal, name); returns the counts ``added``, ``updated``, ``unchanged``, ``removed``.
    """
    counts: Counter[str] = Counter()
    stored = indicators_by_goal(session, wanted)
    for goal_id, specs in wanted.items():
        existing = {row.name: row for row in stored.get(goal_id, [])}
        for position, spec in enumerate(specs):
            counts[_upsert(session, goal_id, existing.pop(spec.name, None), spec, position)] += 1
        gone = [row.id for row in existing.values()]
        if gone:
            session.exec(delete(GoalIndicator).where(col(GoalIndicator.id).in_(gone)))
            counts["removed"] += len(gone)
    session.flush()
    return counts


def _upsert(
    session: Session, goal_id: int, row: GoalIndicator | None, spec: IndicatorSpec, position: int
) -> str:
    if row is None:
        session.add(
            GoalIndicator(
                goal_id=goal_id, name=spec.name, unit=spec.unit, target=spec.target,
                position=position,
            )
        )  # fmt: skip
        return "added"
    values = {"unit": spec.unit, "target": spec.target, "position": position}
    changed = {k: v for k, v in values.items() if getattr(row, k) != v}
    for name, value in changed.items():
        setattr(row, name, value)
    return "updated" if changed else "unchanged"


def indicator_specs(rows: Sequence[GoalIndicator]) -> list[IndicatorSpec]:
    """Stored indicators as the file's entries (for ``org export``)."""
    return [IndicatorSpec(name=r.name, unit=r.unit, target=r.target) for r in rows]
