"""Parsing date expressions and meeting rules: every form, the Danish aliases, every error path."""

from __future__ import annotations

from datetime import date

import pytest

from aarshjul.calendar.expressions import (
    AbsoluteDate,
    Expr,
    ExpressionError,
    MeetingInMonth,
    MeetingNear,
    MonthDay,
    NthWeekday,
    NthWeekdayRule,
    Offset,
    OwnStart,
    Reference,
    RelativeRule,
    WeekdayOfWeek,
    parse_expression,
    parse_meeting_rule,
)
from aarshjul.errors import CalendarError


def _base(text: str) -> object:
    return parse_expression(text).base


@pytest.mark.parametrize(
    ("text", "base"),
    [
        ("2027-10-15", AbsoluteDate(date(2027, 10, 15))),
        ("10-15", MonthDay(10, 15)),
        ("01-31 next year", MonthDay(1, 31, 1)),
        ("12-01 previous year", MonthDay(12, 1, -1)),
        ("12-01 last year", MonthDay(12, 1, -1)),
        ("2nd tue of sep", NthWeekday(2, 1, 9)),
        ("last thu of jun", NthWeekday(-1, 3, 6)),
        ("1st mon of january next year", NthWeekday(1, 0, 1, 1)),
        ("fourth Friday of December", NthWeekday(4, 4, 12)),
        ("mon of week 33", WeekdayOfWeek(0, 33)),
        ("fri of week 1 next year", WeekdayOfWeek(4, 1, 1)),
        ("hearing.start", Reference("hearing.start")),
        ("hearing.end", Reference("hearing.end")),
        ("budget_2nd_reading", Reference("budget_2nd_reading")),
        ("monday_meeting", Reference("monday_meeting")),
        ("start", OwnStart()),
        ("meeting kb in sep", MeetingInMonth("kb", 9)),
        ("first meeting kb in sep", MeetingInMonth("kb", 9, "first")),
        ("last meeting kb in dec", MeetingInMonth("kb", 12, "last")),
        ("meeting kb in jan next year", MeetingInMonth("kb", 1, "first", 1)),
        (
            "first meeting oeu after hearing.end",
            MeetingNear("oeu", "after", Reference("hearing.end")),
        ),
        ("meeting oeu after hearing.end", MeetingNear("oeu", "after", Reference("hearing.end"))),
        ("last meeting kb before 10-15", MeetingNear("kb", "before", MonthDay(10, 15))),
    ],
)
def test_every_form(text: str, base: object) -> None:
    assert _base(text) == base


@pytest.mark.parametrize(
    ("danish", "english"),
    [
        ("2. tirsdag i september", "2nd tue of sep"),
        ("sidste torsdag i juni", "last thu of jun"),
        ("anden tirsdag i september", "second tuesday of september"),
        ("første mandag i januar næste år", "1st mon of jan next year"),
        ("mandag i uge 33", "mon of week 33"),
        ("møde kb i september", "meeting kb in sep"),
        ("sidste møde kb i december", "last meeting kb in dec"),
        ("første møde oeu efter hearing.end", "first meeting oeu after hearing.end"),
        ("sidste møde kb før 10-15", "last meeting kb before 10-15"),
        ("10-15 forrige år", "10-15 previous year"),
        ("start + 3 uger", "start + 3 weeks"),
        ("start + 3 arbejdsdage - 1 dag + 2 måneder", "start + 3 workdays - 1 day + 2 months"),
        ("10-15 eksakt", "10-15 exact"),
        ("10-15 præcis", "10-15 exact"),
        ("SIDSTE TORSDAG I JUNI", "last thu of jun"),
    ],
)
def test_danish_aliases_mean_the_same(danish: str, english: str) -> None:
    assert parse_expression(danish) == parse_expression(english)


def test_offsets_chain_left_to_right() -> None:
    expr = parse_expression("meeting kb in sep - 5 workdays + 1 month - 2 days + 8 weeks")
    assert expr.offsets == (
        Offset(-5, "workday"),
        Offset(1, "month"),
        Offset(-2, "day"),
        Offset(8, "week"),
    )
    assert not expr.exact
    assert parse_expression("10-15 \u2212 2 days").offsets == (Offset(-2, "day"),)  # typeset minus


def test_leading_offset_means_own_start() -> None:
    expr = parse_expression("+ 1 month - 2 days")
    assert expr.base == OwnStart()
    assert expr.uses_own_start()


def test_exact_and_text_are_kept() -> None:
    expr = parse_expression("  10-15 + 1 day exact ")
    assert expr.exact
    assert expr.text == "  10-15 + 1 day exact "


def test_parenthesised_anchor_and_references() -> None:
    expr = parse_expression("first meeting kb after (hearing.end + 1 week) - 4 workdays")
    assert isinstance(expr.base, MeetingNear)
    assert expr.base.anchor == Expr(Reference("hearing.end"), (Offset(1, "week"),))
    assert expr.references() == {"hearing.end"}
    assert not expr.uses_own_start()
    assert parse_expression("meeting kb after start").uses_own_start()


def test_meeting_rules() -> None:
    assert parse_meeting_rule("last thu") == NthWeekdayRule(-1, 3)
    assert parse_meeting_rule("2. tirsdag") == NthWeekdayRule(2, 1)
    assert parse_meeting_rule("mon of week before kb") == RelativeRule(0, -1, "kb")
    assert parse_meeting_rule("mandag i ugen før kb") == RelativeRule(0, -1, "kb")
    assert parse_meeting_rule("tue of week of kb") == RelativeRule(1, 0, "kb")
    assert parse_meeting_rule("wed of week after oeu") == RelativeRule(2, 1, "oeu")


# -- errors: message, position, expected ----------------------------------------------------------


def _error(text: str) -> ExpressionError:
    with pytest.raises(ExpressionError) as info:
        parse_expression(text)
    assert isinstance(info.value, CalendarError)
    assert info.value.expression == text
    return info.value


def test_error_empty_expression() -> None:
    error = _error("   ")
    assert error.position == 0
    assert str(error) == "Ugyldigt datoudtryk '   ' ved position 0: udtrykket er tomt.\n     \n  ^"


def test_error_unexpected_word_shows_caret() -> None:
    error = _error("2nd tue sep")
    assert error.position == 8
    assert error.expected == ["'of'/'in'/'i'"]
    assert str(error) == (
        "Ugyldigt datoudtryk '2nd tue sep' ved position 8: forventede 'of'/'in'/'i', "
        "fandt 'sep'.\n"
        "  2nd tue sep\n"
        "          ^"
    )


def test_error_unknown_weekday() -> None:
    error = _error("2nd foo of sep")
    assert error.position == 4
    assert error.expected == ["en ugedag (mon, tirsdag)"]
    assert "fandt 'foo'" in str(error)


def test_error_unknown_month() -> None:
    error = _error("last thu of sept.")
    assert error.position == 12
    assert error.expected == ["en måned (sep, september)"]


def test_error_end_of_input() -> None:
    error = _error("hearing.start +")
    assert error.position == 15
    assert error.expected == ["et tal"]
    assert str(error).startswith(
        "Ugyldigt datoudtryk 'hearing.start +' ved position 15: udtrykket slutter for tidligt; "
        "forventede et tal."
    )
    assert str(error).endswith("\n  hearing.start +\n                 ^")


def test_error_unknown_unit() -> None:
    error = _error("+ 3 fortnights")
    assert error.position == 4
    assert error.expected == [
        "en enhed (days, workdays, weeks, months, dage, arbejdsdage, uger, måneder)"
    ]
    assert "fandt 'fortnights'" in str(error)


def test_error_unexpected_character() -> None:
    error = _error("10-15 @ 2")
    assert error.position == 6
    assert "'+'/'-'" in error.expected
    assert "'exact'/'eksakt'" in error.expected
    assert "fandt '@'" in str(error)


def test_error_exact_must_be_last() -> None:
    error = _error("10-15 exact + 1 day")
    assert error.position == 12
    assert error.expected == ["slutningen af udtrykket"]
    assert "forventede slutningen af udtrykket, fandt '+'" in str(error)


def test_error_fifth_weekday_is_not_an_ordinal() -> None:
    error = _error("5th tue of sep")
    assert error.position == 0
    assert "et ordenstal (1st, 2nd, 2., last, sidste)" in error.expected
    assert "en dato (2027-10-15)" in error.expected


def test_error_first_meeting_before_is_not_a_form() -> None:
    error = _error("first meeting kb before 10-15")
    assert error.position == 17
    assert error.expected == ["'after'/'efter'", "'of'/'in'/'i'"]


def test_error_missing_closing_parenthesis() -> None:
    error = _error("meeting kb after (10-15 + 1 day")
    assert error.position == len("meeting kb after (10-15 + 1 day")
    assert error.expected == ["')'"]
    assert "udtrykket slutter for tidligt" in str(error)


def test_error_missing_week_number() -> None:
    error = _error("mon of week x")
    assert error.position == 12
    assert error.expected == ["et tal"]


def test_error_invalid_absolute_date() -> None:
    error = _error("2027-02-30")
    assert (error.position, error.expected) == (0, [])
    assert str(error).startswith(
        "Ugyldigt datoudtryk '2027-02-30' ved position 0: 2027-02-30 er ikke en gyldig dato."
    )


def test_error_invalid_month_day() -> None:
    error = _error("13-01 next year")
    assert error.position == 0
    assert "13-01 er ikke en dag (MM-DD)." in str(error)
    assert _error("meeting kb after 02-30").position == 17


def test_error_week_out_of_range_points_at_the_number() -> None:
    error = _error("mon of week 54")
    assert error.position == 12
    assert "uge 54 findes ikke (1-53)." in str(error)
    assert str(error).endswith("\n  mon of week 54\n              ^")
    assert _error("mon of week 0").position == 12


def test_error_in_meeting_rule() -> None:
    with pytest.raises(ExpressionError) as info:
        parse_meeting_rule("mon of week before")
    assert info.value.position == len("mon of week before")
    assert info.value.expected == ["et navn (hearing.start, budget_2nd_reading, kb)"]
    with pytest.raises(ExpressionError, match="forventede en ugedag"):
        parse_meeting_rule("last of jun")
