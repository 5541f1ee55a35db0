"""The grammar of date expressions and meeting rules (lark, LALR), plus how to describe its tokens.

Keyword terminals get priority 2 and a word boundary, so ``monday_meeting`` is still a reference
name while ``monday`` is a weekday. The word lists come from :mod:`aarshjul.calendar.names`.
"""

from __future__ import annotations

from collections.abc import Iterable

from aarshjul.calendar.names import MONTHS, ORDINALS, UNITS, WEEKDAYS

SELECTOR_WORDS = {"first": "first", "første": "first", "last": "last", "sidste": "last"}


def _words(words: Iterable[str]) -> str:
    # Longest first, because a regex alternation takes the first branch that matches.
    escaped = (word.replace(".", r"\.") for word in sorted(words, key=len, reverse=True))
    return "(" + "|".join(escaped) + r")(?![\w.])"


_ORDINAL_WORDS = [word for word in ORDINALS if word not in SELECTOR_WORDS]
_FIRST_WORDS = [word for word, kind in SELECTOR_WORDS.items() if kind == "first"]
_LAST_WORDS = [word for word, kind in SELECTOR_WORDS.items() if kind == "last"]

GRAMMAR = rf"""
expr: chain EXACT?

chain: base offset*                                  -> chain
     | offset+                                       -> implicit_chain

?base: ABS_DATE                                      -> absolute
     | MONTH_DAY year_shift?                         -> month_day
     | ordinal WEEKDAY IN MONTH year_shift?          -> nth_weekday
     | WEEKDAY IN WEEK INT year_shift?               -> week_day
     | FIRST? MEETING NAME IN MONTH year_shift?      -> meeting_in
     | LAST MEETING NAME IN MONTH year_shift?        -> meeting_in
     | FIRST? MEETING NAME AFTER base                -> meeting_after
     | LAST? MEETING NAME BEFORE base                -> meeting_before
     | START                                         -> own_start
     | NAME                                          -> reference
     | "(" chain ")"

ordinal: ORDINAL | FIRST | LAST
year_shift: NEXT_YEAR | PREV_YEAR
offset: SIGN INT UNIT

meeting_rule: ordinal WEEKDAY                        -> rule_nth
            | WEEKDAY IN WEEK RELATION NAME          -> rule_relative

ABS_DATE.3: /\d{{4}}-\d{{2}}-\d{{2}}(?![\w-])/
MONTH_DAY.3: /\d{{2}}-\d{{2}}(?![\w-])/
INT: /\d+/
SIGN: /[+\-\u2212]/
ORDINAL.2: /{_words(_ORDINAL_WORDS)}/i
FIRST.2: /{_words(_FIRST_WORDS)}/i
LAST.2: /{_words(_LAST_WORDS)}/i
WEEKDAY.2: /{_words(WEEKDAYS)}/i
MONTH.2: /{_words(MONTHS)}/i
UNIT.2: /{_words(UNITS)}/i
IN.2: /(of|in|i)\b/i
WEEK.2: /(week|ugen|uge)\b/i
MEETING.2: /(meeting|møde)\b/i
AFTER.2: /(after|efter)\b/i
BEFORE.2: /(before|inden|før)(?!\w)/i
RELATION.2: /(before|after|of|inden|før|efter|i)(?!\w)/i
NEXT_YEAR.2: /(next\s+year|næste\s+år)(?!\w)/i
PREV_YEAR.2: /(previous\s+year|last\s+year|forrige\s+år|sidste\s+år)(?!\w)/i
EXACT.2: /(exact|eksakt|præcis)(?!\w)/i
START.2: /start(?![\w.])/i
NAME: /[^\W\d]\w*(\.[^\W\d]\w*)*/

%import common.WS
%ignore WS
"""

# What a planner reads in "expected ..." for each terminal (Danish, with examples).
TERMINAL_HINTS: dict[str, str] = {
    "ABS_DATE": "en dato (2027-10-15)",
    "MONTH_DAY": "en dag i året (10-15)",
    "ORDINAL": "et ordenstal (1st, 2nd, 2., last, sidste)",
    "FIRST": "et ordenstal (1st, 2nd, 2., last, sidste)",
    "LAST": "et ordenstal (1st, 2nd, 2., last, sidste)",
    "WEEKDAY": "en ugedag (mon, tirsdag)",
    "MONTH": "en måned (sep, september)",
    "UNIT": "en enhed (days, workdays, weeks, months, dage, arbejdsdage, uger, måneder)",
    "INT": "et tal",
    "SIGN": "'+'/'-'",
    "IN": "'of'/'in'/'i'",
    "WEEK": "'week'/'uge'",
    "MEETING": "'meeting'/'møde'",
    "AFTER": "'after'/'efter'",
    "BEFORE": "'before'/'før'",
    "RELATION": "'before'/'after'/'of' ('før'/'efter'/'i')",
    "NEXT_YEAR": "'next year'/'næste år'",
    "PREV_YEAR": "'previous year'/'forrige år'",
    "EXACT": "'exact'/'eksakt'",
    "START": "'start'",
    "NAME": "et navn (hearing.start, budget_2nd_reading, kb)",
    "LPAR": "'('",
    "RPAR": "')'",
    "$END": "slutningen af udtrykket",
}


def describe_terminals(names: Iterable[str]) -> list[str]:
    """Readable, de-duplicated, sorted descriptions of lark terminal names."""
    return sorted({TERMINAL_HINTS.get(name, name) for name in names})
