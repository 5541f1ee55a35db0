"""The cycle template file's schema (YAML, validated by pydantic; unknown fields are errors).

Field-level checks live here (a date expression parses, a lead time reads ``10 workdays``); checks
that need the whole template (a task names a phase that exists) live in
:mod:`aarshjul.planning.template_checks`. See ``docs/templates.md`` for every field with examples.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
)

from aarshjul.calendar.expressions import ExpressionError, parse_expression, parse_meeting_rule
from aarshjul.calendar.names import MONTHS, UNITS, amount_problem, year_problem
from aarshjul.models.base import GoalLevel

_ROLE_OF = {"forward": "period_end", "back": "deadline", "exact": "exact"}
Key = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]
ForEach = Literal["once", "policy_area", "committee", "goal"]
OWNER_WORDS = ("owner", "head", "committee_secretary", "committee_chair")
_DURATION = re.compile(r"^\s*(\d+)\s+(\w+)\s*$")


def _date_text(value: Any) -> Any:
    # YAML reads an unquoted 2027-05-07 as a date: accept it wherever a date is written.
    return value.isoformat() if isinstance(value, date) else value


def _expression(value: str) -> str:
    try:
        parse_expression(value)
    except ExpressionError as exc:
        raise ValueError(f"not a date expression ({exc.reason}, position {exc.position})") from None
    return value


def parse_duration(value: str) -> tuple[int, str]:
    """``"10 workdays"`` -> ``(10, "workday")``; units as in date expressions (da/en).

    >>> parse_duration("8 uger")
    (8, 'week')
    """
    match = _DURATION.match(value) if len(value) <= 40 else None
    unit = UNITS.get(match[2].lower()) if match else None
    if match is None or unit is None:
        raise ValueError("not a duration: write e.g. '10 workdays', '8 weeks', '21 days'")
    if (problem := amount_problem(int(match[1]), unit)) is not None:
        raise ValueError(problem)
    return int(match[1]), unit


def _duration(value: str) -> str:
    parse_duration(value)
    return value


def _text(value: Any) -> Any:
    return {"da": value} if isinstance(value, str) else value


def _owner(value: str) -> str:
    if value in OWNER_WORDS or re.match(r"^(role:[a-z_]+|person:\S+@\S+)$", value):
        return value
    words = ", ".join(OWNER_WORDS)
    raise ValueError(f"unknown owner: use {words}, role:NAME or person:EMAIL")


def _month(value: Any) -> int:
    if isinstance(value, int) and 1 <= value <= 12:
        return value
    if isinstance(value, str) and value.lower() in MONTHS:
        return MONTHS[value.lower()]
    raise ValueError("not a month: write jan … dec (or januar … december)")


DateText = Annotated[str, BeforeValidator(_date_text)]
Expression = Annotated[str, BeforeValidator(_date_text), AfterValidator(_expression)]
EndRule = Literal["forward", "back", "exact"]
"""How a date leaves a closed day: ``forward`` (the last day of a period others have: a hearing,
an appeal window, the idea phase — never shorter than its length), ``back`` (our own deadline,
e.g. one before a meeting), ``exact`` (never moved)."""
TermYear = Annotated[int, Field(ge=1, le=4)]


def _year(value: int) -> int:
    if (problem := year_problem(value)) is not None:
        raise ValueError(problem)
    return value


Year = Annotated[int, AfterValidator(_year)]
Duration = Annotated[str, AfterValidator(_duration)]
Owner = Annotated[str, AfterValidator(_owner)]
Month = Annotated[int, BeforeValidator(_month)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Text(_Strict):
    """A text in Danish and (optionally) English; a plain string is the Danish text."""

    da: str = Field(min_length=1)
    en: str = ""

    def get(self, locale: str) -> str:
        return self.en if locale == "en" and self.en else self.da


LocalText = Annotated[Text, BeforeValidator(_text)]


class Name(Text):
    """A name stored in a column (a phase, a milestone, the cycle's title): at most 200 characters."""

    da: str = Field(min_length=1, max_length=200)
    en: str = Field(default="", max_length=200)


LocalName = Annotated[Name, BeforeValidator(_text)]


class Link(_Strict):
    """A document or page a task or phase points to."""

    title: str = Field(min_length=1)
    url: str = Field(min_length=1)


class CalendarSpec(_Strict):
    """Extra closed days for this template, added to the organisation's own closures."""

    closed: list[DateText] = Field(default_factory=list)

    @field_validator("closed")
    @classmethod
    def _closures_parse(cls, value: list[str]) -> list[str]:
        from aarshjul.calendar.workdays import Closure
        from aarshjul.errors import CalendarError

        for spec in value:
            try:
                Closure.parse(spec)
            except CalendarError as exc:
                raise ValueError(str(exc)) from None
        return value


class MeetingSpec(_Strict):
    """A meeting series: ``kb: {name: Kommunalbestyrelsen, rule: last thu, skip: [jul]}``."""

    name: LocalName
    rule: str | None = None
    months: dict[Month, str] = Field(default_factory=dict)
    skip: list[Month] = Field(default_factory=lambda: [7])
    dates: dict[Year, list[date]] = Field(default_factory=dict)
    agenda: Duration | None = None

    @field_validator("rule")
    @classmethod
    def _rule_parses(cls, value: str | None) -> str | None:
        if value is not None:
            _meeting_rule(value)
        return value

    @field_validator("months")
    @classmethod
    def _month_rules_parse(cls, value: dict[int, str]) -> dict[int, str]:
        for text in value.values():
            _meeting_rule(text)
        return value


def _meeting_rule(text: str) -> None:
    try:
        parse_meeting_rule(text)
    except ExpressionError as exc:
        raise ValueError(f"not a meeting rule ({exc.reason}); write e.g. 'last thu'") from None


class PhaseSpec(_Strict):
    """A period of the cycle (*fase*), from ``start`` to ``end`` (both date expressions).

    ``ring`` is the ring of the årshjul picture the phase is drawn on (citizens, political,
    budget, administration); without it, a phase owned by ``role:finance`` goes on the budget ring
    and any other on the administration ring.

    ``public`` marks a phase open to the public: ``ideas`` (the idea phase, *idéfase*: the web
    app's ``/ideas`` takes ideas while it runs) or ``hearing`` (a public hearing or debate,
    *høring*: ``/hearings/{cycle}.{phase}`` takes responses). See docs/participation.md.
    """

    key: Key
    name: LocalName
    description: LocalText | None = None
    start: Expression
    end: Expression
    end_rule: EndRule | None = None
    owner: Owner | None = None
    links: list[Link] = Field(default_factory=list)
    ring: Literal["citizens", "political", "budget", "administration"] | None = None
    term_years: list[TermYear] | None = None
    public: Literal["ideas", "hearing"] | None = None

    @property
    def end_role(self) -> str:
        """The calendar role of the end: ``period_end``, ``deadline`` (the default) or ``exact``."""
        return _ROLE_OF[self.end_rule or "back"]


class MilestoneSpec(_Strict):
    """A dated event: a meeting, a decision, a statutory deadline."""

    key: Key
    name: LocalName
    description: LocalText | None = None
    date: Expression
    date_rule: EndRule | None = None
    kind: Literal["meeting", "decision", "deadline", "event"] = "deadline"
    statutory: bool = False
    term_years: list[TermYear] | None = None

    @property
    def date_role(self) -> str:
        """The calendar role of the date: ``deadline`` unless ``date_rule`` says otherwise."""
        return _ROLE_OF[self.date_rule or "back"]


class RuleEntry(_Strict):
    """A rule: ``{use: dk.B2, milestone: …}`` (the shipped Danish set) or a local rule.

    A local rule has ``kind`` and ``id``; its fields read naturally in YAML: ``min: 8 weeks``,
    ``from``/``to`` for a gap or an order, ``date: 10-15`` as the limit of ``not_after``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    use: str | None = None
    kind: str | None = None
    id: str | None = None
    severity: Literal["error", "warning"] | None = None
    source: str | None = None
    explanation: LocalText | None = None
    phase: str | None = None
    milestone: str | None = None
    date: DateText | None = None
    limit: DateText | None = None
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None
    min: Duration | None = None
    max: Duration | None = None
    length: int | None = Field(default=None, ge=0, le=3660)
    unit: Literal["days", "workdays", "weeks", "months"] | None = None
    strict: bool | None = None
    series: str | None = None
    replaces: str | None = None


class TaskSpec(_Strict):
    """A task planned once or once per subject (``for_each``), with an owner and a due date."""

    key: Key
    title: LocalText
    description: LocalText | None = None
    phase: Key | None = None
    milestone: Key | None = None
    for_each: ForEach = "once"
    levels: list[GoalLevel] = Field(default_factory=list)
    goals: Literal["current", "previous"] = "current"
    owner: Owner
    due: Expression
    remind: list[Duration] | None = None
    depends_on: list[Key] = Field(default_factory=list)
    escalate_after: int | None = Field(default=None, ge=0, le=60)
    links: list[Link] = Field(default_factory=list)
    term_years: list[TermYear] | None = None


class Defaults(_Strict):
    """Values every task gets unless it says otherwise."""

    escalate_after: int = Field(default=5, ge=0, le=60)
    # Escalation step 1 goes to the owner's superior; the direktion is told from this step on.
    escalate_direktion_from: int = Field(default=2, ge=1, le=10)
    remind: list[Duration] = Field(default_factory=list)


class VariantSpec(_Strict):
    """A named variant of a process, e.g. ``minor`` (a minor change: a 4-week hearing)."""

    description: LocalText
    dates: dict[str, Expression] = Field(default_factory=dict)
    rules: list[RuleEntry] = Field(default_factory=list)


class Template(_Strict):
    """A whole cycle template: the file ``aarshjul template check`` reads."""

    template: Key
    version: int = Field(default=1, ge=1, le=1_000_000)
    kind: Literal["annual", "process"] = "annual"
    title: LocalName
    description: LocalText | None = None
    calendar: CalendarSpec = Field(default_factory=CalendarSpec)
    meetings: dict[Key, MeetingSpec] = Field(default_factory=dict)
    defaults: Defaults = Field(default_factory=Defaults)
    phases: list[PhaseSpec] = Field(default_factory=list)
    milestones: list[MilestoneSpec] = Field(default_factory=list)
    rules: list[RuleEntry] = Field(default_factory=list)
    tasks: list[TaskSpec] = Field(default_factory=list)
    variants: dict[Key, VariantSpec] = Field(default_factory=dict)
    _source: str = PrivateAttr(default="")
    _hash: str = PrivateAttr(default="")

    @property
    def source(self) -> str:
        """Where the template was read from (a path, or ``builtin:KEY``)."""
        return self._source

    @property
    def content_hash(self) -> str:
        """sha256 of the normalised template (stored as ``Cycle.template_hash``)."""
        return self._hash

    def phase(self, key: str) -> PhaseSpec:
        return next(p for p in self.phases if p.key == key)

    def milestone(self, key: str) -> MilestoneSpec:
        return next(m for m in self.milestones if m.key == key)

    def task(self, key: str) -> TaskSpec:
        return next(t for t in self.tasks if t.key == key)
