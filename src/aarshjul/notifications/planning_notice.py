"""Telling the ``planning`` role that next year's cycle was planned (or why it was not).

The notice goes through the outbox like every other message: one row per planning member and
day (kind ``planning_notice``), so a retried or repeated planning run never tells anyone twice,
and a mail server that is down delays the notice instead of losing it.

>>> from aarshjul.engine.next_year import PlanOutcome
>>> outcome = PlanOutcome("jammerbugt", 1, date(2027, 12, 1), 2028, "helhedsplan",
...                       cycle_key="helhedsplan-2028", summary="Tilføjet 412")
>>> subject, text = planning_notice(outcome, "da")
>>> subject
'Årshjul 2028 er planlagt (helhedsplan-2028)'
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from sqlmodel import Session

from aarshjul.models import digest_queries as q
from aarshjul.models.base import Role
from aarshjul.models.outbox import OutboxKind
from aarshjul.notifications.board_mail import RenderedMessage
from aarshjul.notifications.formatting import locale_of
from aarshjul.notifications.queue import insert_messages

PLANNING = Role.planning.value


class PlanSummary(Protocol):
    """What a notice needs from a planning outcome (see ``aarshjul.engine.next_year.PlanOutcome``)."""

    organisation_id: int
    today: date
    year: int
    template: str
    cycle_key: str | None
    summary: str
    notices: list[str]
    error: str | None


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


def queue_planning_notice(session: Session, outcome: PlanSummary) -> list[str]:
    """Queue the notice for every active ``planning`` member; returns who was newly queued.

    Once per person and day: queuing again the same day adds nothing (the caller commits).
    """
    people = q.people(session, outcome.organisation_id)
    messages = [
        RenderedMessage(pid, *planning_notice(outcome, people[pid].locale), html="")
        for pid in q.people_with_role(session, outcome.organisation_id, PLANNING)
    ]
    added = insert_messages(
        session, outcome.organisation_id, outcome.today, OutboxKind.planning_notice, messages
    )
    return sorted(people[m.person_id].email for m in added)
