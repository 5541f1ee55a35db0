"""What the wheel shows, as plain values: the span, phases, milestones, meetings and closed days.

:func:`~aarshjul.wheel.picture.draw_wheel` draws a :class:`WheelData` and reads nothing else; the
service in :mod:`aarshjul.wheel.wheel_service` fills one from the database, and a test or the web
app can build one by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from aarshjul.engine.progress_status import ProgressStatus
from aarshjul.errors import InputError


class Ring(StrEnum):
    """A ring of the wheel (*ring*): what kind of work a phase is. Drawn outside in, in this order."""

    citizens = "citizens"
    political = "political"
    budget = "budget"
    administration = "administration"


@dataclass(frozen=True, kw_only=True)
class WheelPhase:
    """A period drawn as an arc from ``start`` to ``end`` (both inclusive) on its ``ring``.

    ``key`` is unique in the wheel and safe in an element id (``helhedsplan-2027--idea``);
    ``context`` names the process it belongs to in full, if not the year's own cycle.
    ``done``/``total``/``overdue`` count the phase's tasks (waived ones left out) and ``owner`` is
    the responsible person; all four are ``None`` on a public wheel. ``link`` is where the arc leads
    (a drill-down page), if anywhere.
    """

    key: str
    name: str
    start: date
    end: date
    ring: Ring
    status: ProgressStatus
    done: int | None = None
    total: int | None = None
    overdue: int | None = None
    owner: str | None = None
    link: str | None = None
    context: str | None = None


@dataclass(frozen=True, kw_only=True)
class WheelMilestone:
    """A dated event drawn as a tick: a meeting, decision, statutory deadline (*milepæl*)."""

    key: str
    name: str
    day: date
    kind: str = "deadline"
    statutory: bool = False
    link: str | None = None
    context: str | None = None


@dataclass(frozen=True, kw_only=True)
class WheelMeetingSeries:
    """A series of political meetings (``kb`` *Kommunalbestyrelsen*) and its dates in the span."""

    key: str
    name: str
    days: tuple[date, ...]


@dataclass(frozen=True, kw_only=True)
class WheelClosedDay:
    """A weekday the organisation is closed (holiday or closure), shaded on the wheel."""

    day: date
    name: str


@dataclass(frozen=True, kw_only=True)
class WheelData:
    """Everything one picture shows. ``span_end`` is exclusive: a calendar year is 1 Jan to 1 Jan.

    ``locale`` is ``da`` or ``en``; ``public`` says the data leaves out people and task details
    (the picture then says so nowhere else: the service has already left them out).
    """

    title: str
    organisation: str
    span_start: date
    span_end: date
    today: date | None
    locale: str = "da"
    public: bool = False
    phases: tuple[WheelPhase, ...] = ()
    milestones: tuple[WheelMilestone, ...] = ()
    meetings: tuple[WheelMeetingSeries, ...] = ()
    closed_days: tuple[WheelClosedDay, ...] = ()
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def days(self) -> int:
        """Days in the span (365 or 366 for a year)."""
        return (self.span_end - self.span_start).days


def year_span(year: int, start_month: int = 1) -> tuple[date, date]:
    """The wheel's span: from the 1st of ``start_month`` in ``year`` to the same day a year on.

    >>> year_span(2027, 8)
    (datetime.date(2027, 8, 1), datetime.date(2028, 8, 1))
    """
    if not 1 <= start_month <= 12:
        raise InputError(f"start month: {start_month} is not a month (1 to 12)")
    return date(year, start_month, 1), date(year + 1, start_month, 1)
