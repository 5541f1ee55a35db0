"""Gathering the wheel's values from the database for one organisation and year.

:func:`wheel_data` reads, whatever the organisation's size: per cycle year the progress query of
:func:`~aarshjul.engine.progress.year_progress` (cycles, task counts per phase, goals), then one
query for the phases with their owners and one for the milestones. Rings, meeting series and
closed days come from the cycles' templates (built in, or the organisation's own file) and the
organisation's calendar, not from the database. Each phase's status is
:func:`~aarshjul.engine.progress_status.progress_status`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from aarshjul.calendar.meetings import MeetingPlan
from aarshjul.calendar.workdays import WorkCalendar
from aarshjul.engine.progress import PhaseProgress, year_progress
from aarshjul.engine.progress_status import ProgressStatus, progress_status
from aarshjul.errors import NotFound
from aarshjul.models import Cycle, CycleKind, Milestone, Organisation, Person, Phase
from aarshjul.planning.date_plan import meeting_plan, work_calendar
from aarshjul.planning.template_files import builtin_keys, load_builtin_template, load_template
from aarshjul.planning.template_schema import PhaseSpec, Template
from aarshjul.wheel import wheel_texts as tx
from aarshjul.wheel.wheel_data import (
    Ring,
    WheelClosedDay,
    WheelData,
    WheelMeetingSeries,
    WheelMilestone,
    WheelPhase,
    year_span,
)

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class _Span:
    start: date
    end: date  # exclusive

    @property
    def years(self) -> list[int]:
        return sorted({self.start.year, (self.end - ONE_DAY).year})

    def holds(self, first: date, last: date) -> bool:
        return last >= self.start and first < self.end


@dataclass(frozen=True)
class _PhaseRow:
    cycle: Cycle
    phase: Phase
    owner: str | None


def wheel_data(
    session: Session,
    *,
    organisation: Organisation,
    year: int,
    today: date,
    start_month: int = 1,
    public: bool = False,
    locale: str | None = None,
) -> WheelData:
    """The picture's values for the year from the 1st of ``start_month`` in ``year``.

    January gives the calendar year; August a school year (Aug ``year`` to Jul ``year + 1``),
    which reads the cycles of both years. ``public`` leaves out owners and task counts. The
    language is ``locale`` (``da``/``en``), else the organisation's. Raises :class:`NotFound`
    when no cycle is planned in the span, :class:`~aarshjul.errors.InputError` for a month
    outside 1 to 12.
    """
    loc = _locale(locale or organisation.locale)
    span = _Span(*year_span(year, start_month))
    progress = _progress(session, organisation, span, today)
    rows = [
        r
        for r in _phase_rows(session, organisation, span)
        if span.holds(r.phase.start_date, r.phase.end_date)
    ]
    cycles = _cycles(session, organisation, span)
    if not cycles:
        raise NotFound(_nothing_planned(year, start_month))
    templates = {c.template_key: _template(organisation, c.template_key) for c in cycles}
    main = _main_template(cycles, templates)
    calendar = _calendar(organisation, main)
    phases = tuple(
        _phase(row, progress.get((row.cycle.key, row.phase.key)), templates, loc, public, today)
        for row in rows
    )
    return WheelData(
        title=f"{tx.word('wheel', loc)} {_span_title(span)}",
        organisation=organisation.name,
        span_start=span.start,
        span_end=span.end,
        today=today,
        locale=loc,
        public=public,
        phases=phases,
        milestones=_milestones(session, organisation, span, loc),
        meetings=_meetings(main, calendar, span, loc),
        closed_days=_closed_days(calendar, span),
        totals={}
        if public
        else _totals(progress, {(r.cycle.key, r.phase.key) for r in rows}, whole=start_month == 1),
    )


def _locale(value: str) -> str:
    short = value.replace("-", "_").split("_")[0].lower()
    return short if short in tx.WORDS else "da"


def _span_title(span: _Span) -> str:
    last = span.end - ONE_DAY
    if last.year == span.start.year:
        return str(span.start.year)
    return f"{span.start.year}/{last.year % 100:02d}"


def _nothing_planned(year: int, start_month: int) -> str:
    span = _span_title(_Span(*year_span(year, start_month)))
    return (
        f"no cycle is planned for {span} (ingen årshjul planlagt for {span}): "
        f"plan it first with `aarshjul plan {year}`"
    )


# -- queries ------------------------------------------------------------------------------------


def _progress(
    session: Session, org: Organisation, span: _Span, today: date
) -> dict[tuple[str, str | None], PhaseProgress]:
    """Task counts per (cycle key, phase key): the shared progress query, once per cycle year.

    The *outside phases* rows (tasks without a phase, key ``(cycle, None)``) have no arc on the
    wheel; they count in the centre when the wheel shows a whole cycle year.
    """
    return {
        (p.cycle, p.phase): p
        for y in span.years
        for p in year_progress(session, organisation=org, year=y, today=today).phases
    }


def _cycles(session: Session, org: Organisation, span: _Span) -> list[Cycle]:
    query = (
        select(Cycle)
        .where(Cycle.organisation_id == org.id, col(Cycle.year).in_(span.years))
        .order_by(col(Cycle.year), col(Cycle.id))
    )
    return list(session.exec(query).all())


def _phase_rows(session: Session, org: Organisation, span: _Span) -> list[_PhaseRow]:
    """Every phase of the span's cycle years with its cycle and its owner's name (one query)."""
    query = (
        select(Phase, Cycle, Person.name)
        .join(Cycle, col(Phase.cycle_id) == Cycle.id)
        .outerjoin(Person, col(Phase.owner_id) == Person.id)
        .where(Cycle.organisation_id == org.id, col(Cycle.year).in_(span.years))
        .order_by(col(Phase.start_date), col(Phase.end_date), col(Cycle.key), col(Phase.key))
    )
    return [_PhaseRow(cycle, phase, owner) for phase, cycle, owner in session.exec(query).all()]


def _milestones(
    session: Session, org: Organisation, span: _Span, loc: str
) -> tuple[WheelMilestone, ...]:
    query = (
        select(Milestone, Cycle)
        .join(Cycle, col(Milestone.cycle_id) == Cycle.id)
        .where(Cycle.organisation_id == org.id, col(Cycle.year).in_(span.years))
        .order_by(col(Milestone.date), col(Cycle.key), col(Milestone.key))
    )
    return tuple(
        WheelMilestone(
            key=f"{cycle.key}--{m.key}",
            name=_in_cycle(_name(m.name_da, m.name_en, loc), cycle),
            context=_context(cycle),
            day=m.date,
            kind=m.kind,
            statutory=m.statutory,
        )
        for m, cycle in session.exec(query).all()
        if span.holds(m.date, m.date)
    )


# -- phases -------------------------------------------------------------------------------------


def _phase(
    row: _PhaseRow,
    progress: PhaseProgress | None,
    templates: dict[str, Template | None],
    loc: str,
    public: bool,
    today: date,
) -> WheelPhase:
    phase = row.phase
    counts = progress or PhaseProgress(
        cycle=row.cycle.key, phase=phase.key, name=phase.name_da, start=phase.start_date,
        end=phase.end_date, status=phase.status.value,
    )  # fmt: skip
    status = _status(counts, today)
    return WheelPhase(
        key=f"{row.cycle.key}--{phase.key}",
        name=_in_cycle(_name(phase.name_da, phase.name_en, loc), row.cycle),
        context=_context(row.cycle),
        start=phase.start_date,
        end=phase.end_date,
        ring=phase_ring(_spec(templates.get(row.cycle.template_key), phase.key)),
        status=status,
        done=None if public else counts.done,
        total=None if public else counts.relevant,
        overdue=None if public else counts.overdue,
        owner=None if public else row.owner,
    )


def _status(counts: PhaseProgress, today: date) -> ProgressStatus:
    assert counts.start is not None and counts.end is not None and counts.elapsed is not None
    return progress_status(
        relevant=counts.relevant, done=counts.done, overdue=counts.overdue,
        elapsed=counts.elapsed, start=counts.start, end=counts.end, today=today,
    )  # fmt: skip


def phase_ring(spec: PhaseSpec | None) -> Ring:
    """The ring a phase is drawn on: the template's ``ring``; else by owner (see the field).

    A phase whose template is not at hand goes on the administration ring.
    """
    if spec is None:
        return Ring.administration
    if spec.ring:
        return Ring(spec.ring)
    return Ring.budget if spec.owner == "role:finance" else Ring.administration


def _spec(template: Template | None, key: str) -> PhaseSpec | None:
    if template is None:
        return None
    return next((p for p in template.phases if p.key == key), None)


def _name(name_da: str, name_en: str, loc: str) -> str:
    return name_en if loc == "en" and name_en else name_da


def _in_cycle(name: str, cycle: Cycle) -> str:
    """A process's phases and milestones begin with the process's short name (``Tillæg 3:
    Offentlig høring`` for "Tillæg 3: Solceller ved Fjerritslev"); the annual cycle's need not."""
    context = _context(cycle)
    if context is None:
        return name
    short = context.split(":")[0].strip() if ":" in context else context
    return f"{short}: {name}"


def _context(cycle: Cycle) -> str | None:
    return None if cycle.kind == CycleKind.annual or not cycle.title else cycle.title


def _totals(
    progress: dict[tuple[str, str | None], PhaseProgress],
    shown: set[tuple[str, str]],
    *,
    whole: bool,
) -> dict[str, int]:
    """The centre's counts: the phases shown and, on a calendar-year wheel (``whole``), the
    tasks outside every phase too, so it counts the year's tasks as ``aarshjul status`` does.
    A school year's wheel holds half of two cycle years: its phases' tasks only."""
    rows = [p for key, p in progress.items() if key in shown or (whole and p.phase is None)]
    return {
        "done": sum(p.done for p in rows),
        "total": sum(p.relevant for p in rows),
        "overdue": sum(p.overdue for p in rows),
    }


# -- templates, calendar, meetings --------------------------------------------------------------


def _template(org: Organisation, key: str) -> Template | None:
    """The template a cycle was planned from: the organisation's own file, or a built-in one."""
    own = Path(org.template_key).expanduser()
    if own.suffix in {".yaml", ".yml"} and own.is_file():
        found = _file_template(str(own.resolve()), own.stat().st_mtime_ns)
        if found.template == key:
            return found
    return _builtin_template(key) if key in builtin_keys() else None


@functools.lru_cache(maxsize=16)
def _file_template(path: str, mtime_ns: int) -> Template:
    """Loaded once per file version (``mtime_ns`` is part of the cache key)."""
    return load_template(Path(path))


@functools.lru_cache(maxsize=8)
def _builtin_template(key: str) -> Template:
    return load_builtin_template(key)


def _main_template(cycles: list[Cycle], templates: dict[str, Template | None]) -> Template | None:
    """The annual cycle's template (its meetings are the year's meeting plan), else any."""
    ordered = sorted(cycles, key=lambda c: (c.kind != CycleKind.annual, c.year, c.id or 0))
    return next((t for c in ordered if (t := templates.get(c.template_key))), None)


def _calendar(org: Organisation, template: Template | None) -> WorkCalendar:
    return work_calendar(org, template)


def _closed_days(calendar: WorkCalendar, span: _Span) -> tuple[WheelClosedDay, ...]:
    return tuple(
        WheelClosedDay(day=c.day, name=c.name_da)
        for y in span.years
        for c in calendar.closed_days(y)
        if span.holds(c.day, c.day)
    )


def _meetings(
    template: Template | None, calendar: WorkCalendar, span: _Span, loc: str
) -> tuple[WheelMeetingSeries, ...]:
    if template is None or not template.meetings:
        return ()
    plan = _meeting_plan(template, calendar)
    out = []
    for key, spec in template.meetings.items():
        days = [d for y in span.years for d in plan.dates(key, y) if span.holds(d, d)]
        out.append(WheelMeetingSeries(key=key, name=spec.name.get(loc), days=tuple(days)))
    return tuple(out)


_PLANS: dict[tuple[str, WorkCalendar], MeetingPlan] = {}


def _meeting_plan(template: Template, calendar: WorkCalendar) -> MeetingPlan:
    """One meeting plan per template version and calendar: it keeps the years it has computed,
    and computing them (parsing every month's rule) was half of :func:`wheel_data`'s time."""
    key = (template.content_hash, calendar)
    if key not in _PLANS:
        if len(_PLANS) >= 32:
            _PLANS.clear()
        _PLANS[key] = meeting_plan(template, calendar)
    return _PLANS[key]
