"""Date expressions: parse the short text a template uses to say *when* into a small AST.

The AST is a tree of frozen dataclasses; :mod:`aarshjul.calendar.resolve` evaluates it for a cycle
year. Every parse problem raises :class:`ExpressionError` with the expression, the 0-based position,
what was expected there and a message with a caret under the position::

    >>> parse_expression("hearing.start + 8 weeks")
    Expr(base=Reference(name='hearing.start'), offsets=(Offset(amount=8, unit='week'),), ...)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Literal

from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken, VisitError

from aarshjul.calendar.grammar import GRAMMAR, describe_terminals
from aarshjul.calendar.names import (
    MONTHS,
    ORDINALS,
    UNITS,
    WEEKDAYS,
    amount_problem,
    year_problem,
)
from aarshjul.errors import CalendarError

Unit = Literal["day", "workday", "week", "month"]
# Bounds that keep parsing and resolving cheap whatever the input (issue 13): the longest
# expression in the built-in templates has 56 characters and two levels of nesting.
MAX_LENGTH = 200
MAX_NESTING = 10
Selector = Literal["first", "last"]
_UNIT_KINDS: dict[str, Unit] = {
    "day": "day",
    "workday": "workday",
    "week": "week",
    "month": "month",
}


class ExpressionError(CalendarError):
    """A date expression that does not parse: where, what was expected, what was found."""

    def __init__(self, expression: str, position: int, reason: str, expected: list[str]) -> None:
        self.expression = expression
        self.position = position
        self.expected = expected
        super().__init__(reason, value=expression)

    def message(self, locale: str = "en") -> str:
        """The expression, the position and what was expected, with a caret under the spot."""
        return _format_error(self.expression, self.position, self.reason)


def _format_error(expression: str, position: int, reason: str) -> str:
    caret = " " * (position + 2) + "^"
    head = f"Ugyldigt datoudtryk {expression!r} ved position {position}: {reason}"
    return f"{head}\n  {expression}\n{caret}"


# -- the AST ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AbsoluteDate:
    """``2027-10-15``: that day, whatever the cycle year."""

    day: date


@dataclass(frozen=True)
class MonthDay:
    """``10-15`` (``01-31 next year``): a day in the cycle year, shifted by ``year_offset``."""

    month: int
    day: int
    year_offset: int = 0


@dataclass(frozen=True)
class NthWeekday:
    """``2nd tue of sep``, ``last thu of jun``: ``ordinal`` 1-4 or -1 (last); weekday 0 = Monday."""

    ordinal: int
    weekday: int
    month: int
    year_offset: int = 0


@dataclass(frozen=True)
class WeekdayOfWeek:
    """``mon of week 33``: a weekday of an ISO week of the cycle year."""

    weekday: int
    week: int
    year_offset: int = 0


@dataclass(frozen=True)
class Reference:
    """``hearing.start``, ``budget_2nd_reading``: another named date of the plan."""

    name: str


@dataclass(frozen=True)
class OwnStart:
    """``start`` inside a phase's end: that phase's own start."""


@dataclass(frozen=True)
class MeetingInMonth:
    """``meeting kb in sep`` (``last meeting kb in sep``): a meeting from the year's plan."""

    series: str
    month: int
    which: Selector = "first"
    year_offset: int = 0


@dataclass(frozen=True)
class MeetingNear:
    """``first meeting oeu after hearing.end``, ``last meeting kb before 10-15`` (strictly)."""

    series: str
    direction: Literal["after", "before"]
    anchor: Base


@dataclass(frozen=True)
class Offset:
    """``+ 5 workdays``, ``- 2 dage``: ``amount`` is signed."""

    amount: int
    unit: Unit


@dataclass(frozen=True)
class Expr:
    """A base date, offsets applied left to right, and whether a closed day may stand (exact)."""

    base: Base
    offsets: tuple[Offset, ...] = ()
    exact: bool = False
    text: str = field(default="", compare=False)

    def references(self) -> set[str]:
        """Names of other dates this expression needs (``start`` is not included)."""
        return _references(self.base)

    def uses_own_start(self) -> bool:
        """True if ``start`` appears anywhere (also implied by a leading offset)."""
        return _uses_own_start(self.base)


Base = (
    AbsoluteDate
    | MonthDay
    | NthWeekday
    | WeekdayOfWeek
    | Reference
    | OwnStart
    | MeetingInMonth
    | MeetingNear
    | Expr
)


def _references(base: Base) -> set[str]:
    if isinstance(base, Reference):
        return {base.name}
    if isinstance(base, MeetingNear):
        return _references(base.anchor)
    if isinstance(base, Expr):
        return base.references()
    return set()


def _uses_own_start(base: Base) -> bool:
    if isinstance(base, OwnStart):
        return True
    if isinstance(base, MeetingNear):
        return _uses_own_start(base.anchor)
    return isinstance(base, Expr) and base.uses_own_start()


# -- meeting rules (used by aarshjul.calendar.meetings) --------------------------------------------


@dataclass(frozen=True)
class NthWeekdayRule:
    """``last thu``, ``2. tirsdag``: the nth weekday of each month."""

    ordinal: int
    weekday: int


@dataclass(frozen=True)
class RelativeRule:
    """``mon of week before kb``: a weekday of the week before/of/after another series' meeting."""

    weekday: int
    week_offset: int
    series: str


MeetingRule = NthWeekdayRule | RelativeRule


# -- parsing ---------------------------------------------------------------------------------------


def parse_expression(text: str) -> Expr:
    """Parse a date expression; raise :class:`ExpressionError` with position and expectations.

    At most :data:`MAX_LENGTH` characters and :data:`MAX_NESTING` levels of parentheses or
    meeting anchors; offsets as large as :data:`~aarshjul.calendar.names.MAX_AMOUNT`.
    """
    tree = _parse(text, "expr")
    expr = _transform(text, tree)
    assert isinstance(expr, Expr)
    if _nesting(expr) > MAX_NESTING:
        raise ExpressionError(text, 0, _too_deep(), [])
    return Expr(expr.base, expr.offsets, expr.exact, text)


def _too_deep() -> str:
    return f"udtrykket er indlejret mere end {MAX_NESTING} niveauer / nested more than {MAX_NESTING} levels."


def _nesting(node: Base) -> int:
    if isinstance(node, Expr):
        return 1 + _nesting(node.base)
    if isinstance(node, MeetingNear):
        return 1 + _nesting(node.anchor)
    return 0


def parse_meeting_rule(text: str) -> MeetingRule:
    """Parse a meeting-plan rule such as ``last thu`` or ``mon of week before kb``."""
    rule = _transform(text, _parse(text, "meeting_rule"))
    assert isinstance(rule, NthWeekdayRule | RelativeRule)
    return rule


@lru_cache(maxsize=1)
def _parser() -> Lark:
    # Built on first use, not at import: importing aarshjul must stay fast.
    return Lark(GRAMMAR, parser="lalr", start=["expr", "meeting_rule"], maybe_placeholders=False)


def _parse(text: str, start: str) -> Tree[Token]:
    if not text.strip():
        raise ExpressionError(text, 0, "udtrykket er tomt.", [])
    if len(text) > MAX_LENGTH:
        reason = (
            f"udtrykket er længere end {MAX_LENGTH} tegn / longer than {MAX_LENGTH} characters."
        )
        raise ExpressionError(text[:MAX_LENGTH] + "…", MAX_LENGTH, reason, [])
    _check_parentheses(text)
    try:
        return _parser().parse(text, start=start)
    except UnexpectedInput as exc:
        raise _syntax_error(text, exc) from None


def _check_parentheses(text: str) -> None:
    depth = 0
    for position, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if depth > MAX_NESTING:
            raise ExpressionError(text, position, _too_deep(), [])


def _syntax_error(text: str, exc: UnexpectedInput) -> ExpressionError:
    if isinstance(exc, UnexpectedToken):
        expected = describe_terminals(exc.accepts or exc.expected)
        if exc.token.type == "$END":
            reason = f"udtrykket slutter for tidligt; forventede {_or(expected)}."
            return ExpressionError(text, len(text), reason, expected)
        position = exc.token.start_pos or 0
        reason = f"forventede {_or(expected)}, fandt {str(exc.token)!r}."
        return ExpressionError(text, position, reason, expected)
    assert isinstance(exc, UnexpectedCharacters)
    position = exc.pos_in_stream or 0
    expected = describe_terminals(exc.allowed or ())
    found = (text[position:].split(maxsplit=1) or [""])[0]
    reason = f"forventede {_or(expected)}, fandt {found!r}."
    return ExpressionError(text, position, reason, expected)


def _or(options: list[str]) -> str:
    if len(options) <= 1:
        return "".join(options) or "intet"
    return ", ".join(options[:-1]) + " eller " + options[-1]


def _transform(text: str, tree: Tree[Token]) -> object:
    try:
        return _ToAst(text).transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, ExpressionError):
            raise exc.orig_exc from None
        raise


def _invalid(text: str, token: Token, reason: str) -> ExpressionError:
    return ExpressionError(text, token.start_pos or 0, reason, [])


@v_args(inline=True)
class _ToAst(Transformer[Token, object]):
    """Turn the lark tree into the AST, checking what the grammar cannot (real dates, weeks)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def expr(self, chain: Expr, exact: Token | None = None) -> Expr:
        return Expr(chain.base, chain.offsets, exact is not None)

    def chain(self, base: Base, *offsets: Offset) -> Expr:
        return Expr(base, offsets)

    def implicit_chain(self, *offsets: Offset) -> Expr:
        # "+ 8 weeks" alone means "start + 8 weeks": the phase's own start.
        return Expr(OwnStart(), offsets)

    def absolute(self, token: Token) -> AbsoluteDate:
        try:
            day = date.fromisoformat(str(token))
        except ValueError:
            raise _invalid(self.text, token, f"{token} er ikke en gyldig dato.") from None
        if (problem := year_problem(day.year)) is not None:
            raise _invalid(self.text, token, f"{token}: {problem}.")
        return AbsoluteDate(day)

    def month_day(self, token: Token, year_offset: int = 0) -> MonthDay:
        month, day = (int(part) for part in str(token).split("-"))
        try:
            date(2024, month, day)  # a leap year: 02-29 parses, resolving it in 2027 fails
        except ValueError:
            raise _invalid(self.text, token, f"{token} er ikke en dag (MM-DD).") from None
        return MonthDay(month, day, year_offset)

    def nth_weekday(
        self, ordinal: int, weekday: Token, _in: Token, month: Token, year_offset: int = 0
    ) -> NthWeekday:
        return NthWeekday(ordinal, _weekday(weekday), _month(month), year_offset)

    def week_day(
        self, weekday: Token, _in: Token, _week: Token, week: Token, year_offset: int = 0
    ) -> WeekdayOfWeek:
        if not 1 <= int(week) <= 53:
            raise _invalid(self.text, week, f"uge {week} findes ikke (1-53).")
        return WeekdayOfWeek(_weekday(weekday), int(week), year_offset)

    def meeting_in(self, *parts: Token | int) -> MeetingInMonth:
        tokens = [part for part in parts if isinstance(part, Token)]
        year_offset = next((part for part in parts if isinstance(part, int)), 0)
        which: Selector = "last" if tokens[0].type == "LAST" else "first"
        series, month = tokens[-3], tokens[-1]
        return MeetingInMonth(str(series), _month(month), which, year_offset)

    def meeting_after(self, *parts: Token | Base) -> MeetingNear:
        return MeetingNear(str(parts[-3]), "after", _base(parts[-1]))

    def meeting_before(self, *parts: Token | Base) -> MeetingNear:
        return MeetingNear(str(parts[-3]), "before", _base(parts[-1]))

    def own_start(self, _token: Token) -> OwnStart:
        return OwnStart()

    def reference(self, token: Token) -> Reference:
        return Reference(str(token))

    def ordinal(self, token: Token) -> int:
        return ORDINALS[str(token).lower()]

    def year_shift(self, token: Token) -> int:
        return 1 if token.type == "NEXT_YEAR" else -1

    def offset(self, sign: Token, amount: Token, unit: Token) -> Offset:
        count = int(amount) * (1 if str(sign) == "+" else -1)
        kind = _UNIT_KINDS[UNITS[str(unit).lower()]]
        if (problem := amount_problem(count, kind)) is not None:
            raise _invalid(self.text, amount, f"{amount} {unit}: {problem}.")
        return Offset(count, kind)

    def rule_nth(self, ordinal: int, weekday: Token) -> NthWeekdayRule:
        return NthWeekdayRule(ordinal, _weekday(weekday))

    def rule_relative(
        self, weekday: Token, _in: Token, _week: Token, relation: Token, series: Token
    ) -> RelativeRule:
        offset = {"before": -1, "før": -1, "inden": -1, "after": 1, "efter": 1}
        return RelativeRule(_weekday(weekday), offset.get(str(relation).lower(), 0), str(series))


def _base(value: Token | Base) -> Base:
    assert not isinstance(value, Token)
    return value


def _weekday(token: Token) -> int:
    return WEEKDAYS[str(token).lower()]


def _month(token: Token) -> int:
    return MONTHS[str(token).lower()]


__all__ = [
    "AbsoluteDate",
    "Base",
    "Expr",
    "ExpressionError",
    "MeetingInMonth",
    "MeetingNear",
    "MeetingRule",
    "MonthDay",
    "NthWeekday",
    "NthWeekdayRule",
    "Offset",
    "OwnStart",
    "Reference",
    "RelativeRule",
    "Unit",
    "WeekdayOfWeek",
    "parse_expression",
    "parse_meeting_rule",
]
