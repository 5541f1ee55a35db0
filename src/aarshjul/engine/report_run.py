"""The weekly board report run (*direktionens ugerapport*): compute, queue for the direktion, send.

The same shape as the day runner (:mod:`aarshjul.engine.day`): :func:`prepare_report` computes
the report and queues one outbox message per ``direktion`` member (once per person and day);
:func:`run_report` adds delivery through the runtime's sender. A report for a day other than the
real today is a preview — computed and shown, nothing queued or sent — unless delivery is asked
for explicitly (:func:`~aarshjul.engine.day.day_mode`).

A run that queues draws the year's wheel as of the report day once (:func:`board_wheel_png`, a
PNG 1,600 pixels wide with 256 colours) and every member's mail shows that one stored picture
inline; a preview draws nothing, and a year with no cycle planned sends the mail without it.

>>> run = run_report(runtime, today=date(2027, 9, 6), deliver=False)  # doctest: +SKIP
>>> run.report.totals["overdue"], run.queued                           # doctest: +SKIP
(3, 0)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from aarshjul.clock import Clock
from aarshjul.engine.board_report import BoardReport, board_report
from aarshjul.engine.day import day_mode, deliver_day, organisation_of
from aarshjul.errors import NotFound
from aarshjul.models import Organisation
from aarshjul.notifications.board_mail import board_markdown, queue_board_report
from aarshjul.notifications.delivery import DeliveryReport
from aarshjul.notifications.inline_images import compact_png
from aarshjul.runtime import Runtime


@dataclass
class ReportRun:
    """The week's board report, its markdown, how many messages were queued, the delivery."""

    report: BoardReport
    organisation_id: int
    markdown: str
    queued: int
    written: bool
    delivery: DeliveryReport | None = None


def prepare_report(runtime: Runtime, *, today: date, write: bool = True) -> ReportRun:
    """Compute the report and queue it for every ``direktion`` member (rolled back unless
    ``write``)."""
    with runtime.session() as session:
        org = runtime.organisation(session)
        assert org.id is not None
        report = board_report(session, organisation=org, today=today)
        png = (
            board_wheel_png(session, organisation=org, year=report.year, today=today)
            if write
            else None
        )
        added = queue_board_report(
            session, organisation_id=org.id, report=report, settings=runtime.settings,
            wheel_png=png,
        )  # fmt: skip
        org_id, locale = org.id, org.locale
        if not write:
            session.rollback()
    markdown = board_markdown(report, locale)
    return ReportRun(report, org_id, markdown, len(added) if write else 0, write)


# The picture's own units: 1,600 pixels wide, sharp at the 800 pixels the mail shows it at on a
# high-density screen; about 0.2 MB for a municipality's year with a 256-colour palette.
MAIL_PNG_SCALE = 1.0


def board_wheel_png(
    session: Session, *, organisation: Organisation, year: int, today: date
) -> bytes | None:
    """The wheel of ``year`` as of ``today`` as PNG bytes for the board's mail (with owners and
    task counts: the board sees them; 1,600 pixels wide, 256 colours), or None when no cycle of
    the year is planned."""
    from aarshjul.wheel.wheel_export import render  # cairo: loaded only when a report is queued
    from aarshjul.wheel.wheel_service import wheel_data

    try:
        data = wheel_data(session, organisation=organisation, year=year, today=today)
    except NotFound:
        return None
    return compact_png(render(data, "png", scale=MAIL_PNG_SCALE))


@dataclass(frozen=True)
class ReportSteps:
    """How the two steps run: directly (the default) or wrapped, e.g. as Prefect tasks."""

    prepare: Callable[..., ReportRun] = prepare_report
    deliver: Callable[..., DeliveryReport] = deliver_day


def run_report(
    runtime: Runtime,
    *,
    today: date | None = None,
    deliver: bool | None = None,
    steps: ReportSteps = ReportSteps(),
) -> ReportRun:
    """The board report as of ``today`` (default: the clock's), queued and, unless told not
    to or previewing, delivered."""
    _, zone = organisation_of(runtime)
    day = today or runtime.clock.today(zone)
    mode = day_mode(preview=Clock.previews(day, zone), deliver=deliver)
    run: ReportRun = steps.prepare(runtime, today=day, write=mode.write)
    if mode.send:
        run.delivery = steps.deliver(runtime, organisation_id=run.organisation_id)
    return run
