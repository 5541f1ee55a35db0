"""Reporting a goal's status for a year (*målopfølgning*), its history, and the latest status.

Promise: a report is one appended :class:`GoalReport` row (who, when, status, comment, indicator
values), written in the caller's transaction together with the completion of the goal's status
task, so both happen or neither does. The row itself is the audit record: reports are never
updated or deleted. An identical repeated report (same goal, year, status, comment and values as
the latest report of that year) writes nothing.

The status task: the built-in ``helhedsplan`` template plans one task ``goal_status`` per goal in
the first quarter, reporting on *last year's* goals (``goals: previous``). So a report on year Y
completes the open task ``goal_status`` with subject ``goal:KEY`` in the organisation's annual
cycle of year Y + 1, through :func:`~aarshjul.engine.task_status.set_task_status` (its own audit
row, its own permission rule).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from aarshjul.engine.task_status import STEWARD_ROLES, set_task_status
from aarshjul.errors import InputError, NotFound, PermissionDenied
from aarshjul.goals.indicators import indicators_by_goal
from aarshjul.models.base import OPEN_TASK_STATUSES, CycleKind, TaskStatus
from aarshjul.models.cycle import Cycle, Phase, Task
from aarshjul.models.goal_tracking import STATUS_LABELS, GoalIndicator, GoalReport, ReportStatus
from aarshjul.models.organisation import Goal, Organisation, Person
from aarshjul.models.queries import person_by_email, roles_of

#: The template task a report completes, and how many years after the reported year it is planned.
STATUS_TASK_KEY = "goal_status"
STATUS_TASK_YEAR_OFFSET = 1
COMMENT_MAX = 4000


@dataclass(frozen=True)
class ReportOutcome:
    """What :func:`report_goal_status` did: the report (new, or the identical latest one)."""

    goal_key: str
    year: int
    report: GoalReport
    created: bool
    completed_task_id: int | None = None


def parse_status(text: str | ReportStatus) -> ReportStatus:
    """A status from its English value (``at_risk``, ``at risk``) or Danish label (``risiko``).

    >>> parse_status("Ikke på sporet")
    <ReportStatus.off_track: 'off_track'>
    """
    if isinstance(text, ReportStatus):
        return text
    wanted = " ".join(text.strip().lower().replace("_", " ").split())
    for status, labels in STATUS_LABELS.items():
        if wanted in (labels["da"], labels["en"]):
            return status
    accepted = ", ".join(f"{v['da']} ({s.value})" for s, v in STATUS_LABELS.items())
    raise InputError(
        f"status: {text!r} er ikke en status / is not a status; use one of: {accepted}"
    )


def parse_indicator_args(items: Sequence[str]) -> dict[str, str]:
    """``["sygefravær=5,1", "trivsel=82"]`` -> ``{"sygefravær": "5,1", "trivsel": "82"}``."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name or not value.strip():
            raise InputError(f"--indicator: {item!r} is not NAME=VALUE")
        if name in out:
            raise InputError(f"--indicator: {name!r} is given more than once")
        out[name] = value.strip()
    return out


def report_goal_status(
    session: Session,
    *,
    organisation: Organisation,
    goal_key: str,
    status: str | ReportStatus,
    by_email: str,
    now: datetime,
    today: date,
    year: int | None = None,
    comment: str = "",
    indicators: Mapping[str, str | float] | None = None,
) -> ReportOutcome:
    """Record ``by_email``'s status report on goal ``goal_key`` for ``year``; complete its task.

    ``year`` defaults to :func:`default_report_year`. ``indicators`` maps the goal's indicator
    names to numbers (``"5,1"`` and ``"5.1"`` both read as 5.1); indicators left out are simply
    not reported. Only the goal's owner or a person with the role ``planning`` may report.

    Raises :class:`NotFound` (goal, person), :class:`PermissionDenied`, :class:`InputError`
    (status, year outside the goal's horizon, unknown indicator, not a number, comment too long).

    >>> report_goal_status(session, organisation=org, goal_key="skole-m1", status="risiko",
    ...                    by_email="birgitte.thygesen@jammerbugt.example", now=now, today=today,
    ...                    indicators={"trivsel": "81,5"})                       # doctest: +SKIP
    """
    goal = _goal(session, organisation, goal_key, lock=True)
    actor = person_by_email(session, organisation, by_email)
    _check_may_report(session, goal, actor)
    wanted = parse_status(status)
    if year is None:
        year = default_report_year(session, organisation=organisation, goal=goal, today=today)
    _check_year(goal, year)
    values = _indicator_values(session, goal, indicators or {})
    comment = _checked_comment(comment)
    latest = _latest_report(session, goal, year)
    if latest is not None and (latest.status, latest.comment, latest.indicators) == (
        wanted, comment, values,
    ):  # fmt: skip
        done = _complete_status_task(session, organisation, goal, actor, year, wanted, now)
        return ReportOutcome(goal.key, year, latest, created=False, completed_task_id=done)
    assert goal.id is not None and actor.id is not None
    report = GoalReport(
        goal_id=goal.id, year=year, status=wanted, comment=comment, indicators=values,
        reported_by_id=actor.id, reported_at=now,
    )  # fmt: skip
    session.add(report)
    session.flush()
    report.task_id = _complete_status_task(session, organisation, goal, actor, year, wanted, now)
    session.flush()
    return ReportOutcome(goal.key, year, report, created=True, completed_task_id=report.task_id)


def default_report_year(
    session: Session, *, organisation: Organisation, goal: Goal, today: date
) -> int:
    """Last year while this year's status task on the goal is open or its phase runs, else this year.

    In the first quarter department heads report on last year's goals (the ``goal_status``
    task, in the phase *Status på sidste års mål*); after that phase, a report is about the
    running year (e.g. the half-year follow-up). Repeating a report in the phase after the task
    is done still lands on last year, so it stays idempotent.
    """
    previous = today.year - 1
    for task, phase_end in _status_tasks_with_phase_end(session, organisation, goal, previous):
        if task.status in OPEN_TASK_STATUSES or today <= (phase_end or task.due):
            return previous
    return today.year


def _goal(session: Session, organisation: Organisation, key: str, *, lock: bool = False) -> Goal:
    query = select(Goal).where(Goal.organisation_id == organisation.id, Goal.key == key.strip())
    # Locking the goal row serialises two reports on one goal (PostgreSQL; SQLite has one writer).
    goal = session.exec(query.with_for_update() if lock else query).first()
    if goal is None:
        raise NotFound(f"no goal {key!r} in {organisation.name} (see `aarshjul goals`)")
    return goal


def _check_may_report(session: Session, goal: Goal, actor: Person) -> None:
    assert actor.id is not None
    if goal.owner_id == actor.id or roles_of(session, actor.id) & STEWARD_ROLES:
        return
    raise PermissionDenied(
        f"{actor.email} may not report the status of goal {goal.key}: only its owner or a person "
        f"with the role 'planning' may"
    )


def _check_year(goal: Goal, year: int) -> None:
    if not goal.horizon_start <= year <= goal.horizon_end:
        raise InputError(
            f"year: goal {goal.key} runs {goal.horizon_start}-{goal.horizon_end}; "
            f"{year} is outside its horizon (give --year)"
        )


def _checked_comment(comment: str) -> str:
    text = comment.strip()
    if len(text) > COMMENT_MAX:
        raise InputError(f"comment: {len(text)} characters; at most {COMMENT_MAX}")
    return text


def _indicator_values(
    session: Session, goal: Goal, given: Mapping[str, str | float]
) -> list[dict[str, Any]]:
    """The reported values in the goal's indicator order, each with its name, unit and target."""
    assert goal.id is not None
    defined = indicators_by_goal(session, [goal.id]).get(goal.id, [])
    known = {i.name: i for i in defined}
    unknown = [name for name in given if name not in known]
    if unknown:
        listed = ", ".join(repr(n) for n in known) or "none"
        raise InputError(
            f"indicator: goal {goal.key} has no indicator {unknown[0]!r} (its indicators: {listed})"
        )
    return [_value_row(i, given[i.name]) for i in defined if i.name in given]


def _value_row(indicator: GoalIndicator, raw: str | float) -> dict[str, Any]:
    return {
        "name": indicator.name, "unit": indicator.unit, "target": indicator.target,
        "value": _number(indicator.name, raw),
    }  # fmt: skip


def _number(name: str, raw: str | float) -> float:
    text = str(raw).strip()
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # Danish decimal comma
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise InputError(f"indicator {name!r}: {raw!r} is not a number")
    return value


def _latest_report(session: Session, goal: Goal, year: int) -> GoalReport | None:
    query = (
        select(GoalReport)
        .where(GoalReport.goal_id == goal.id, GoalReport.year == year)
        .order_by(col(GoalReport.id).desc())
        .limit(1)
    )
    return session.exec(query).first()


def status_task_year(*, task_key: str, cycle_kind: str, cycle_year: int) -> int | None:
    """The year a goal's status task reports on (the cycle's year - 1), or None for other tasks.

    The status task (``goal_status``, planned in the annual cycle) is completed by reporting the
    goal's status for that year, so the web app opens the report form instead of a bare "done".

    >>> status_task_year(task_key="goal_status", cycle_kind="annual", cycle_year=2027)
    2026
    """
    if task_key != STATUS_TASK_KEY or cycle_kind != CycleKind.annual:
        return None
    return cycle_year - STATUS_TASK_YEAR_OFFSET


def status_tasks(
    session: Session, *, organisation: Organisation, goal: Goal, year: int
) -> list[Task]:
    """The status tasks on ``goal`` that a report on ``year`` completes (usually one, or none)."""
    return _status_tasks(session, organisation, goal, year)


def _status_tasks(
    session: Session, organisation: Organisation, goal: Goal, year: int
) -> list[Task]:
    """The status tasks on ``goal`` for reported year ``year`` (usually one, or none)."""
    return [task for task, _ in _status_tasks_with_phase_end(session, organisation, goal, year)]


def _status_tasks_with_phase_end(
    session: Session, organisation: Organisation, goal: Goal, year: int
) -> list[tuple[Task, date | None]]:
    query = (
        select(Task, col(Phase.end_date))
        .join(Cycle, col(Cycle.id) == col(Task.cycle_id))
        .join(Phase, col(Phase.id) == col(Task.phase_id), isouter=True)
        .where(
            Cycle.organisation_id == organisation.id,
            Cycle.kind == CycleKind.annual,
            Cycle.year == year + STATUS_TASK_YEAR_OFFSET,
            Task.key == STATUS_TASK_KEY,
            Task.subject == f"goal:{goal.key}",
        )
        .order_by(col(Task.id))
    )
    return [(task, end) for task, end in session.exec(query)]


def _complete_status_task(
    session: Session,
    organisation: Organisation,
    goal: Goal,
    actor: Person,
    year: int,
    status: ReportStatus,
    now: datetime,
) -> int | None:
    """Complete the open status task(s) the actor may complete; the first one's id, if any."""
    assert actor.id is not None
    steward = bool(roles_of(session, actor.id) & STEWARD_ROLES)
    note = f"Målstatus {year}: {STATUS_LABELS[status]['da']} (rapporteret / reported)"
    done: list[int] = []
    for task in _status_tasks(session, organisation, goal, year):
        if task.status not in OPEN_TASK_STATUSES or not (steward or task.owner_id == actor.id):
            continue
        assert task.id is not None
        set_task_status(
            session, org=organisation, task_id=task.id, by_email=actor.email,
            status=TaskStatus.done, now=now, note=note,
        )  # fmt: skip
        done.append(task.id)
    return done[0] if done else None


def goal_history(
    session: Session, *, organisation: Organisation, goal_key: str, year: int | None = None
) -> list[dict[str, Any]]:
    """Every report on ``goal_key`` (optionally of one ``year``), oldest first, in one query.

    Each record: ``goal``, ``year``, ``status``, ``status_da``, ``comment``, ``indicators`` (list
    of ``{name, unit, target, value}``), ``reported_by``, ``reported_at`` (ISO instant),
    ``latest`` (this is the goal's status for that year) and ``task_id``.
    """
    goal = _goal(session, organisation, goal_key)
    query = (
        select(GoalReport, Person.email)
        .join(Person, col(Person.id) == col(GoalReport.reported_by_id))
        .where(GoalReport.goal_id == goal.id)
        .order_by(col(GoalReport.year), col(GoalReport.id))
    )
    if year is not None:
        query = query.where(GoalReport.year == year)
    rows = list(session.exec(query))
    last = {report.year: report.id for report, _ in rows}
    return [
        {
            "goal": goal.key, "year": r.year, "status": r.status.value,
            "status_da": STATUS_LABELS[r.status]["da"], "comment": r.comment,
            "indicators": r.indicators, "reported_by": email,
            "reported_at": r.reported_at.isoformat(), "latest": last[r.year] == r.id,
            "task_id": r.task_id,
        }
        for r, email in rows
    ]  # fmt: skip
