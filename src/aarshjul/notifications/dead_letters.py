"""The dead-letter report: messages that died are told to the ``planning`` role.

Dead messages not yet reported are grouped per organisation into one ``dead_letter_report``
per planning person and day. A message is marked reported only when a report that lists it was
added; when today's report exists already, the next day's report lists it. A dead report is
never reported again, so there is no loop.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from aarshjul.config import get_settings
from aarshjul.models import digest_queries as q
from aarshjul.models.base import Role
from aarshjul.models.organisation import Organisation, Person
from aarshjul.models.outbox import OutboxKind, OutboxMessage, OutboxStatus
from aarshjul.notifications.compose import work_calendar
from aarshjul.notifications.formatting import locale_of
from aarshjul.notifications.queue import insert_messages
from aarshjul.notifications.rendering import render

PLANNING = Role.planning.value


@dataclass
class Report:
    """A rendered report for one planning person."""

    person_id: int
    subject: str
    text: str
    html: str
    task_ids: list[int]


def compose_dead_letter_reports(session: Session, *, now: datetime) -> int:
    """Add reports of unreported dead messages; returns how many report rows were added."""
    dead = session.exec(
        select(OutboxMessage, Person.email)
        .join(Person, col(Person.id) == col(OutboxMessage.person_id))
        .where(
            OutboxMessage.status == OutboxStatus.dead,
            col(OutboxMessage.reported_at).is_(None),
            OutboxMessage.kind != OutboxKind.dead_letter_report,
        )
        .order_by(col(OutboxMessage.id))
    ).all()
    by_org: dict[int, list[tuple[OutboxMessage, str]]] = defaultdict(list)
    for message, email in dead:
        by_org[message.organisation_id].append((message, email))
    return sum(_report_org(session, org_id, rows, now) for org_id, rows in by_org.items())


def _report_org(
    session: Session, org_id: int, rows: list[tuple[OutboxMessage, str]], now: datetime
) -> int:
    org = session.get_one(Organisation, org_id)
    day = work_calendar(org).local_date(now)
    people = q.people(session, org_id)
    entries = [_entry(m, email) for m, email in rows]
    reports = [
        _render(people[pid], day, entries) for pid in q.people_with_role(session, org_id, PLANNING)
    ]
    added = insert_messages(session, org_id, day, OutboxKind.dead_letter_report, reports)
    if added:
        ids = [m.id for m, _ in rows]
        session.connection().execute(
            sa.update(OutboxMessage).where(col(OutboxMessage.id).in_(ids)).values(reported_at=now)
        )
    return len(added)


def _entry(message: OutboxMessage, email: str) -> dict[str, Any]:
    return {
        "recipient": email, "subject": message.subject, "day": message.day,
        "attempts": message.attempts, "error": message.last_error,
    }  # fmt: skip


def _render(person: q.PersonRow, day: date, entries: list[dict[str, Any]]) -> Report:
    loc = locale_of(person.locale)
    context = {"person": {"name": person.name}, "today": day, "messages": entries}
    rendered = render("dead_letter_report", loc, context, get_settings().template_dir)
    return Report(person.id, rendered.subject, rendered.text, rendered.html, [])
