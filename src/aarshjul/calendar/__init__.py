"""The calendar: working days, date expressions, the meeting plan and statutory rules.

Pure code, dates in and dates out: no database, no clock, no Prefect. See ``docs/calendar.md``.

- :mod:`~aarshjul.calendar.workdays`: :class:`WorkCalendar` (holidays, closures, workdays)
- :mod:`~aarshjul.calendar.expressions`: :func:`parse_expression` -> :class:`Expr`
- :mod:`~aarshjul.calendar.resolve`: :func:`resolve_all`, :func:`resolve_expression`
- :mod:`~aarshjul.calendar.meetings`: :class:`MeetingSeries`, :class:`MeetingPlan`
- :mod:`~aarshjul.calendar.rules`: :class:`RuleSpec`, :class:`Waiver`, :func:`check_rules`
- :mod:`~aarshjul.calendar.danish_rules`: ``DANISH_RULES``, :func:`bind_rule`
"""

from aarshjul.calendar.danish_rules import DANISH_RULES, bind_rule, danish_rule
from aarshjul.calendar.expressions import Expr, ExpressionError, parse_expression
from aarshjul.calendar.meetings import Meeting, MeetingPlan, MeetingSeries
from aarshjul.calendar.resolve import (
    Context,
    Definition,
    ResolvedDate,
    ResolveError,
    Role,
    dates_of,
    resolve_all,
    resolve_expression,
)
from aarshjul.calendar.rules import (
    RuleSpec,
    Violation,
    Waiver,
    check_rules,
)
from aarshjul.calendar.workdays import ClosedDay, WorkCalendar

__all__ = [
    "DANISH_RULES",
    "ClosedDay",
    "Context",
    "Definition",
    "Expr",
    "ExpressionError",
    "Meeting",
    "MeetingPlan",
    "MeetingSeries",
    "ResolveError",
    "ResolvedDate",
    "Role",
    "RuleSpec",
    "Violation",
    "Waiver",
    "WorkCalendar",
    "bind_rule",
    "check_rules",
    "danish_rule",
    "dates_of",
    "parse_expression",
    "resolve_all",
    "resolve_expression",
]
