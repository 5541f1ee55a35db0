"""Telling the ``planning`` role that next year's cycle was planned (or why it was not).

This once-a-year notice is sent straight through each person's channels with the delivery
module's apprise transport, not through the outbox (whose kinds are the daily digest and the
reports): re-running the planning flow re-sends it, which is what a planner asking for it wants.

>>> notice = planning_notice(outcome, "da")                # doctest: +SKIP
>>> notice[0]                                               # doctest: +SKIP
'Årshjul 2028 er planlagt (helhedsplan-2028)'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from sqlalchemy.engine import Engine

from aarshjul.config import Settings, get_settings
from aarshjul.db import session_scope
from aarshjul.models import reminders as q
from aarshjul.models.outbox import OutboxMessage
from aarshjul.notifications.channels import channels_for
from aarshjul.notifications.delivery import Transport, apprise_transport
from aarshjul.notifications.formatting import locale_of

PLANNING = "planning"


class PlanSummary(Protocol):
    """What a notice needs from a planning outcome (see ``aarshjul.jobs.PlanOutcome``)."""

    organisation_id: int
    today: date
    year: int
    template: str
    cycle_key: str | None
    summary: str
    notices: list[str]
    error: str | None


@dataclass
class NoticeReport:
    """Who was told: sent per e-mail, failures with reasons, people without any channel."""

    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    no_channel: list[str] = field(default_factory=list)


def planning_notice(outcome: PlanSummary, locale: str) -> tuple[str, str]:
    """Subject and text of the notice in ``locale`` (Danish unless ``en``)."""
    en = locale_of(locale) == "en"
    if outcome.error is not None:
        subject = (
            f"Annual cycle {outcome.year} could NOT be planned ({outcome.template})"
            if en
            else f"Årshjul {outcome.year} kunne IKKE planlægges ({outcome.template})"
        )
        return subject, outcome.error + "\n"
    subject = (
        f"Annual cycle {outcome.year} is planned ({outcome.cycle_key})"
        if en
        else f"Årshjul {outcome.year} er planlagt ({outcome.cycle_key})"
    )
    lines = [outcome.summary, ""]
    if outcome.notices:
        lines += ["Warnings:" if en else "Advarsler:", *outcome.notices, ""]
    return subject, "\n".join(lines)


def notify_planning(
    engine: Engine,
    outcome: PlanSummary,
    *,
    settings: Settings | None = None,
    transport: Transport = apprise_transport,
) -> NoticeReport:
    """Send the notice to every active ``planning`` member through all their channels."""
    cfg = settings or get_settings()
    report = NoticeReport()
    with session_scope(engine) as session:
        people = q.people(session, outcome.organisation_id)
        ids = q.people_with_role(session, outcome.organisation_id, PLANNING)
        targets = [(people[i], channels_for(session, i, people[i].email, cfg)) for i in ids]
    for person, channels in targets:
        if not channels:
            report.no_channel.append(person.email)
            continue
        subject, text = planning_notice(outcome, person.locale)
        # A transient row for the transport (which reads subject and bodies); never stored.
        message = OutboxMessage.model_construct(
            day=outcome.today, subject=subject, body_text=text, body_html=""
        )
        results = [transport(channel, message) for channel in channels]
        failed = [r.error for r in results if not r.ok]
        if failed:
            report.failed.append(f"{person.email}: {'; '.join(failed)}")
        else:
            report.sent.append(person.email)
    return report
