"""A phase's progress status: done, on track, at risk, late or not started.

The one rule the wheel colours its arcs by (and the board's dashboard can show): a phase's task
counts set against the share of the phase's time that has passed.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

AT_RISK_LAG = 0.25
"""A running phase is at risk when its done share trails the time passed by more than this."""


class ProgressStatus(StrEnum):
    """How a phase is doing (*status*: færdig, følger planen, i risiko, forsinket, ikke startet)."""

    done = "done"
    on_track = "on_track"
    at_risk = "at_risk"
    late = "late"
    not_started = "not_started"


def progress_status(
    *, relevant: int, done: int, overdue: int, elapsed: float, start: date, end: date, today: date
) -> ProgressStatus:
    """The status of a phase from ``start`` to ``end`` (both inclusive) as of ``today``.

    ``relevant`` counts the phase's tasks that are not waived, ``done`` those done, ``overdue``
    the open ones past their due date; ``elapsed`` is the share of the phase's days passed (0 to 1,
    today counted), as :class:`~aarshjul.engine.progress.PhaseProgress` gives it. In this order:

    - a phase without tasks is *not started* before its start, *done* after its end, else *on track*;
    - every task done: *done* (even early);
    - an overdue task, or the phase has ended with tasks open: *late*;
    - before the phase's start: *not started*;
    - the done share trails ``elapsed`` by more than :data:`AT_RISK_LAG`: *at risk*
      (e.g. three quarters of the time gone and under half of the tasks done);
    - otherwise *on track*.

    >>> progress_status(relevant=10, done=3, overdue=0, elapsed=0.8,
    ...                 start=date(2027, 3, 1), end=date(2027, 4, 12), today=date(2027, 4, 3))
    <ProgressStatus.at_risk: 'at_risk'>
    """
    if relevant <= 0:
        if today < start:
            return ProgressStatus.not_started
        return ProgressStatus.done if today > end else ProgressStatus.on_track
    if done >= relevant:
        return ProgressStatus.done
    if overdue > 0 or today > end:
        return ProgressStatus.late
    if today < start:
        return ProgressStatus.not_started
    if done / relevant < elapsed - AT_RISK_LAG:
        return ProgressStatus.at_risk
    return ProgressStatus.on_track
