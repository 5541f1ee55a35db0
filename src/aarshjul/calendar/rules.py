"""Statutory and local rules (*regler*) checked against a plan's resolved dates.

A :class:`RuleSpec` names the dates it reads by key (``budget_2nd_reading``, ``hearing`` for the
phase ``hearing.start``/``hearing.end``). :func:`check_rules` returns one :class:`Violation` per
broken rule, with the dates involved, the legal source and an explanation in Danish and English. A
rule is an error unless its severity is ``"warning"`` (a soft rule); a :class:`Waiver` keeps the
violation on the list, marked waived with its reason, so the plan shows it.

Kinds and their fields:

=============== ====================================== ============================================
kind            fields                                 broken when
=============== ====================================== ============================================
min_duration    phase, length, unit                    phase.end < phase.start + length
max_duration    phase, length, unit                    phase.end > phase.start + length
not_before      date, limit (expression), strict       date < limit (<= when strict)
not_after       date, limit (expression), strict       date > limit (>= when strict)
min_gap         first, second, length, unit            second < first + length
order           first, second, strict                  first > second (>= when strict)
on_workday      date                                   date is a weekend, holiday or closure
holiday_season  phase, length, unit                    the phase is at (about) its minimum length
                                                       and lies mostly in July or over Christmas
                                                       and New Year (24 Dec-1 Jan): a warning
agenda_notice   series, length, unit                   a meeting of ``series`` in the cycle year
                                                       whose agenda (the series' ``agenda`` lead
                                                       before it) goes out less than length before
full_day        series (optional: every series)        a meeting on a half day (open until 12:00)
=============== ====================================== ============================================

``unit`` is ``days``, ``workdays``, ``weeks`` or ``months``; ``limit`` is a date expression,
evaluated for the cycle year without shifting (``"10-15"``, ``"meeting kb in sep"``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from aarshjul.calendar.date_math import add_months
from aarshjul.calendar.expressions import parse_expression
from aarshjul.calendar.meetings import MeetingPlan
from aarshjul.calendar.names import did_you_mean
from aarshjul.calendar.resolve import Context, evaluate
from aarshjul.calendar.workdays import WorkCalendar
from aarshjul.errors import CalendarError

RuleKind = Literal[
    "min_duration", "max_duration", "not_before", "not_after", "min_gap", "order", "on_workday",
    "holiday_season", "agenda_notice", "full_day",
]  # fmt: skip
Severity = Literal["error", "warning"]
LengthUnit = Literal["days", "workdays", "weeks", "months"]

_REQUIRED: dict[str, tuple[str, ...]] = {
    "min_duration": ("phase", "length"),
    "max_duration": ("phase", "length"),
    "not_before": ("date", "limit"),
    "not_after": ("date", "limit"),
    "min_gap": ("first", "second", "length"),
    "order": ("first", "second"),
    "on_workday": ("date",),
    "holiday_season": ("phase", "length"),
    "agenda_notice": ("series", "length"),
    "full_day": (),
}
# A period at most this much longer than its minimum is "at the minimum" for holiday_season.
SEASON_SLACK = timedelta(days=7)
CHRISTMAS = ((12, 24), (1, 1))  # the Christmas and New Year days, inclusive


class RuleSpec(BaseModel):
    """One rule, bound to the keys of the dates it checks."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    kind: RuleKind
    severity: Severity = "error"
    source: str = ""
    explanation_da: str
    explanation_en: str
    phase: str | None = None
    date: str | None = None
    limit: str | None = None
    first: str | None = None
    second: str | None = None
    length: int | None = Field(default=None, ge=0, le=3660)
    unit: LengthUnit = "days"
    strict: bool = False
    series: str | None = None

    @model_validator(mode="after")
    def _fields_for_kind(self) -> RuleSpec:
        missing = [name for name in _REQUIRED[self.kind] if getattr(self, name) is None]
        if missing:
            raise ValueError(f"regel {self.id} ({self.kind}) mangler {', '.join(missing)}")
        if self.limit is not None:
            parse_expression(self.limit)
        return self

    def date_keys(self) -> list[str]:
        """The date keys this rule reads (a phase contributes its start and end)."""
        if self.kind in ("agenda_notice", "full_day"):
            return []
        if self.phase is not None:
            return [f"{self.phase}.start", f"{self.phase}.end"]
        return [key for key in (self.date, self.first, self.second) if key is not None]


class Waiver(BaseModel):
    """A decision to accept a broken rule this time (*dispensation*), always with a reason."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule_id: str
    reason: str = Field(min_length=1)
    by: str = ""  # where it was decided: "template", "2026", a case number


@dataclass(frozen=True)
class Violation:
    """A broken rule: which, how serious, the dates, the source, why, and any waiver."""

    rule_id: str
    severity: Severity
    dates: dict[str, date]
    source: str
    explanation_da: str
    explanation_en: str
    waived: bool = False
    waiver_reason: str | None = None

    @property
    def blocking(self) -> bool:
        """True for an error that nobody waived: the plan may not be adopted like this."""
        return self.severity == "error" and not self.waived


@dataclass(frozen=True)
class _Finding:
    dates: dict[str, date]
    detail_da: str
    detail_en: str


@dataclass(frozen=True)
class _Input:
    dates: Mapping[str, date]
    ctx: Context


# -- checking --------------------------------------------------------------------------------------


def check_rules(
    rules: Sequence[RuleSpec],
    dates: Mapping[str, date],
    *,
    year: int,
    calendar: WorkCalendar,
    waivers: Iterable[Waiver] = (),
    meetings: MeetingPlan | None = None,
) -> list[Violation]:
    """Check every rule against ``dates`` (key -> resolved date) for cycle ``year``.

    Raises :class:`CalendarError` when a rule names a date the plan does not have or a waiver
    names a rule not in ``rules``: both are mistakes in the template, not in the plan.
    """
    by_rule = _waivers_by_rule(waivers, rules)
    _check_keys(rules, dates)
    _check_series(rules, meetings)
    data = _Input(dates, Context(year, calendar, meetings, dates))
    violations = []
    for spec in rules:
        finding = _CHECKS[spec.kind](spec, data)
        if finding is not None:
            violations.append(_violation(spec, finding, by_rule.get(spec.id)))
    return violations


def _waivers_by_rule(waivers: Iterable[Waiver], rules: Sequence[RuleSpec]) -> dict[str, Waiver]:
    known = {spec.id for spec in rules}
    by_rule: dict[str, Waiver] = {}
    for waiver in waivers:
        if waiver.rule_id not in known:
            hint = did_you_mean(waiver.rule_id, known)
            raise CalendarError(f"Dispensation for ukendt regel {waiver.rule_id!r}.{hint}")
        by_rule[waiver.rule_id] = waiver
    return by_rule


def _check_keys(rules: Sequence[RuleSpec], dates: Mapping[str, date]) -> None:
    problems = [
        f"regel {spec.id} bruger {key!r}, som planen ikke har.{did_you_mean(key, dates)}"
        for spec in rules
        for key in spec.date_keys()
        if key not in dates
    ]
    if problems:
        raise CalendarError("Reglerne passer ikke til planen:\n" + "\n".join(problems))


def _check_series(rules: Sequence[RuleSpec], meetings: MeetingPlan | None) -> None:
    known = meetings.series if meetings is not None else {}
    problems = []
    for spec in rules:
        if spec.series is None:
            continue
        if spec.series not in known:
            hint = did_you_mean(spec.series, known)
            problems.append(
                f"regel {spec.id} bruger mødeserien {spec.series!r}, som planen ikke har.{hint}"
            )
        elif spec.kind == "agenda_notice" and known[spec.series].agenda is None:
            problems.append(
                f"regel {spec.id}: mødeserien {spec.series!r} har ingen dagsordensfrist (agenda)."
            )
    if problems:
        raise CalendarError("Reglerne passer ikke til planen:\n" + "\n".join(problems))


def _violation(spec: RuleSpec, finding: _Finding, waiver: Waiver | None) -> Violation:
    return Violation(
        rule_id=spec.id,
        severity=spec.severity,
        dates=finding.dates,
        source=spec.source,
        explanation_da=f"{spec.explanation_da} {finding.detail_da}".strip(),
        explanation_en=f"{spec.explanation_en} {finding.detail_en}".strip(),
        waived=waiver is not None,
        waiver_reason=waiver.reason if waiver else None,
    )


def reach(start: date, length: int, unit: LengthUnit, calendar: WorkCalendar) -> date:
    """``start`` plus ``length`` units: the earliest end of a minimum, the latest of a maximum."""
    if unit == "workdays":
        return calendar.add_workdays(start, length)
    if unit == "months":
        return add_months(start, length)
    return start + timedelta(days=length * (7 if unit == "weeks" else 1))


# -- one function per kind -------------------------------------------------------------------------


def _duration(spec: RuleSpec, data: _Input, *, minimum: bool) -> _Finding | None:
    start, end = (data.dates[key] for key in spec.date_keys())
    bound = reach(start, spec.length or 0, spec.unit, data.ctx.calendar)
    if (end >= bound) if minimum else (end <= bound):
        return None
    word_da, word_en = ("mindst", "at least") if minimum else ("højst", "at most")
    return _Finding(
        {f"{spec.phase}.start": start, f"{spec.phase}.end": end},
        f"Her: {spec.phase} {start} til {end}; {word_da} {spec.length} {_unit_da(spec)} "
        f"giver slut {'tidligst' if minimum else 'senest'} {bound}.",
        f"Here: {spec.phase} {start} to {end}; {word_en} {spec.length} {spec.unit} "
        f"means ending {'no earlier' if minimum else 'no later'} than {bound}.",
    )


def _limit(spec: RuleSpec, data: _Input, *, after: bool) -> _Finding | None:
    key = spec.date or ""
    day = data.dates[key]
    limit = evaluate(parse_expression(spec.limit or ""), data.ctx)
    if after:  # not_after: on or before the limit (strictly before when strict)
        ok = day < limit if spec.strict else day <= limit
        word_da, word_en = ("før", "before") if spec.strict else ("senest", "by")
    else:
        ok = day > limit if spec.strict else day >= limit
        word_da, word_en = ("efter", "after") if spec.strict else ("tidligst", "on or after")
    if ok:
        return None
    return _Finding(
        {key: day, "limit": limit},
        f"Her: {key} er {day}, men skal være {word_da} {limit}.",
        f"Here: {key} is {day} but must be {word_en} {limit}.",
    )


def _gap(spec: RuleSpec, data: _Input) -> _Finding | None:
    first, second = data.dates[spec.first or ""], data.dates[spec.second or ""]
    bound = reach(first, spec.length or 0, spec.unit, data.ctx.calendar)
    if second >= bound:
        return None
    return _Finding(
        {spec.first or "": first, spec.second or "": second},
        f"Her: {spec.first} {first} og {spec.second} {second}; mindst {spec.length} "
        f"{_unit_da(spec)} imellem kræver {spec.second} tidligst {bound}.",
        f"Here: {spec.first} {first} and {spec.second} {second}; at least {spec.length} "
        f"{spec.unit} between them needs {spec.second} on {bound} or later.",
    )


def _order(spec: RuleSpec, data: _Input) -> _Finding | None:
    first, second = data.dates[spec.first or ""], data.dates[spec.second or ""]
    if first < second or (first == second and not spec.strict):
        return None
    return _Finding(
        {spec.first or "": first, spec.second or "": second},
        f"Her: {spec.first} ({first}) skal ligge før {spec.second} ({second}).",
        f"Here: {spec.first} ({first}) must come before {spec.second} ({second}).",
    )


def _workday(spec: RuleSpec, data: _Input) -> _Finding | None:
    key = spec.date or ""
    day = data.dates[key]
    reason = data.ctx.calendar.closed_reason(day)
    if reason is None:
        return None
    return _Finding(
        {key: day},
        f"Her: {key} er {day}, som er lukket ({reason}).",
        f"Here: {key} is {day}, a closed day ({reason}).",
    )


def _season(spec: RuleSpec, data: _Input) -> _Finding | None:
    start, end = (data.dates[key] for key in spec.date_keys())
    minimum = reach(start, spec.length or 0, spec.unit, data.ctx.calendar)
    if end >= minimum + SEASON_SLACK or end <= start:
        return None
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    july = sum(1 for day in days if day.month == 7)
    christmas = [day for day in days if _is_christmas(day)]
    if july * 2 > len(days):
        what_da, what_en = (
            f"{july} af {len(days)} dage ligger i juli",
            f"{july} of {len(days)} days are in July",
        )
    elif christmas:
        what_da = f"den går hen over jul og nytår ({christmas[0]} til {christmas[-1]})"
        what_en = f"it runs over Christmas and New Year ({christmas[0]} to {christmas[-1]})"
    else:
        return None
    return _Finding(
        {f"{spec.phase}.start": start, f"{spec.phase}.end": end},
        f"Her: {spec.phase} {start} til {end} er på minimumslængden, og {what_da}; "
        "overvej at forlænge perioden.",
        f"Here: {spec.phase} {start} to {end} is at its minimum length and {what_en}; "
        "consider a longer period.",
    )


def _is_christmas(day: date) -> bool:
    (first_month, first_day), _ = CHRISTMAS
    return (day.month, day.day) >= (first_month, first_day) or (day.month, day.day) == (1, 1)


def _meetings_of(spec: RuleSpec, data: _Input) -> list[tuple[str, date]]:
    plan = data.ctx.meetings
    if plan is None:
        return []
    keys = [spec.series] if spec.series is not None else sorted(plan.series)
    return [(key, day) for key in keys for day in plan.dates(key, data.ctx.year)]


def _agenda(spec: RuleSpec, data: _Input) -> _Finding | None:
    plan = data.ctx.meetings
    late: dict[str, date] = {}
    for key, meeting in _meetings_of(spec, data):
        agenda = plan.agenda_day(key, meeting) if plan is not None else None
        if (
            agenda is not None
            and reach(agenda, spec.length or 0, spec.unit, data.ctx.calendar) > meeting
        ):
            late |= {f"{key}@{meeting}": meeting, f"{key}@{meeting}.agenda": agenda}
    if not late:
        return None
    pairs = [(late[k + ".agenda"], day) for k, day in late.items() if not k.endswith(".agenda")]
    listing = ", ".join(f"{meeting} (dagsorden/agenda {agenda})" for agenda, meeting in pairs)
    return _Finding(
        late,
        f"Her: møderne {listing} får dagsordenen mindre end {spec.length} {_unit_da(spec)} før.",
        f"Here: the meetings {listing} get their agenda less than {spec.length} {spec.unit} before.",
    )


def _full_day(spec: RuleSpec, data: _Input) -> _Finding | None:
    calendar = data.ctx.calendar
    found = {
        f"{key}@{day}": day
        for key, day in _meetings_of(spec, data)
        if calendar.half_day_reason(day) is not None
    }
    if not found:
        return None
    listing = ", ".join(f"{key} ({calendar.half_day_reason(day)})" for key, day in found.items())
    return _Finding(
        found,
        f"Her: {listing} ligger på en halv lukkedag.",
        f"Here: {listing} falls on a half day.",
    )


def _unit_da(spec: RuleSpec) -> str:
    return {"days": "dage", "workdays": "arbejdsdage", "weeks": "uger", "months": "måneder"}[
        spec.unit
    ]


_CHECKS: dict[str, Callable[[RuleSpec, _Input], _Finding | None]] = {
    "min_duration": lambda spec, data: _duration(spec, data, minimum=True),
    "max_duration": lambda spec, data: _duration(spec, data, minimum=False),
    "not_before": lambda spec, data: _limit(spec, data, after=False),
    "not_after": lambda spec, data: _limit(spec, data, after=True),
    "min_gap": _gap,
    "order": _order,
    "on_workday": _workday,
    "holiday_season": _season,
    "agenda_notice": _agenda,
    "full_day": _full_day,
}
