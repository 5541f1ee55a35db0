"""Calendar feeds for Outlook and every other calendar (iCalendar, RFC 5545 and RFC 7986).

Two feeds, built with the icalendar library:

- a person's feed: their open tasks (open or in progress), found by their secret token
  (:func:`person_feed_by_token`); a task that is done or waived leaves the feed;
- the organisation's feed: phases, meetings and milestones of its cycles from last year on
  (:func:`organisation_feed`), served without a token only when the organisation's
  ``public_calendar`` flag is set (:func:`public_organisation_feed`).

Outlook-safe by construction: every event is all-day, ``DTSTART;VALUE=DATE`` and
``DTEND;VALUE=DATE`` with an *exclusive* end (a task or milestone ends the next day, a phase the
day after its last day; the same date would make Outlook show a 0-minute event at midnight);
date-only values carry no time zone (there is no ``VTIMEZONE``); each event has a stable ``UID``
(a task's is its id, which re-planning keeps), a ``SEQUENCE`` that goes up when it moves and a
``LAST-MODIFIED``; the calendar has ``X-WR-CALNAME`` and a refresh hint (``REFRESH-INTERVAL`` and
``X-PUBLISHED-TTL``); events are ``TRANSP:TRANSPARENT`` so a deadline never blocks free/busy.
``DTSTAMP`` equals ``LAST-MODIFIED``, so an unchanged feed is byte-for-byte the same.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event, vDuration
from icalendar.enums import TRANSP
from sqlmodel import Session, select

from aarshjul.clock import as_utc
from aarshjul.config import Settings
from aarshjul.feeds.feed_queries import (
    EntryRow,
    Revision,
    TaskRow,
    calendar_entries,
    fingerprint,
    open_tasks_of,
    sync_revisions,
)
from aarshjul.feeds.feed_tokens import person_for_token
from aarshjul.models.organisation import Organisation, Person

#: How often calendars are asked to fetch the feed again.
REFRESH = timedelta(hours=1)
PRODID = "-//aarshjul//aarshjul calendar feed//DA"
MEDIA_TYPE = "text/calendar; charset=utf-8"

_LABELS = {
    "da": {
        "my_tasks": "Årshjul: mine opgaver", "wheel": "årshjul", "phase": "Fase",
        "cycle": "Årshjul", "open": "Åbn opgaven", "statutory": "Lovbestemt frist",
        "meeting": "Møde", "tasks_desc": "Dine åbne opgaver i årshjulet; udførte opgaver forsvinder.",
        "org_desc": "Faser, møder og milepæle i årshjulet.",
    },
    "en": {
        "my_tasks": "Annual cycle: my tasks", "wheel": "annual cycle", "phase": "Phase",
        "cycle": "Cycle", "open": "Open the task", "statutory": "Statutory deadline",
        "meeting": "Meeting", "tasks_desc": "Your open tasks in the annual cycle; done tasks leave.",
        "org_desc": "Phases, meetings and milestones of the annual cycle.",
    },
}  # fmt: skip


@dataclass(frozen=True)
class FeedEvent:
    """One all-day event: ``end`` is exclusive (the day after the last day)."""

    uid: str
    summary: str
    start: date
    end: date
    sequence: int
    modified: datetime
    description: str = ""
    url: str | None = None
    category: str = ""


def person_feed_by_token(
    session: Session, *, token: str, settings: Settings, base_url: str | None = None
) -> bytes | None:
    """The feed of the person whose secret token this is, or None (unknown, revoked, forged).

    Two queries: the token's person and organisation, then their open tasks. Links point at
    ``base_url`` (default ``settings.base_url``). Raises :class:`~aarshjul.errors.ConfigError`
    without ``AARSHJUL_SECRET_KEY``.
    """
    found = person_for_token(session, token=token, settings=settings)
    if found is None:
        return None
    person, organisation = found
    return person_feed(
        session, person=person, organisation=organisation, base_url=base_url or settings.base_url
    )


def organisation_feed_by_token(
    session: Session, *, token: str, settings: Settings, today: date, now: datetime
) -> bytes | None:
    """The organisation feed for the holder of a person's live feed token, or None.

    Staff subscribe to their organisation's year with their own secret token, since a calendar
    cannot sign in; revoking the token stops this feed too. The caller commits (see
    :func:`organisation_feed`).
    """
    found = person_for_token(session, token=token, settings=settings)
    if found is None:
        return None
    return organisation_feed(session, organisation=found[1], today=today, now=now)


def person_feed(
    session: Session, *, person: Person, organisation: Organisation, base_url: str | None = None
) -> bytes:
    """``person``'s open tasks as an iCalendar feed in their language (one query)."""
    assert person.id is not None
    lang = _lang(person.locale)
    labels = _LABELS[lang]
    events = [
        _task_event(row, organisation.key, lang, base_url)
        for row in open_tasks_of(session, person.id)
    ]
    return _calendar(
        name=f"{labels['my_tasks']} ({person.name})", description=labels["tasks_desc"],
        uid=f"person-{person.id}.{organisation.key}@aarshjul", events=events,
    )  # fmt: skip


def _task_event(row: TaskRow, org_key: str, lang: str, base_url: str | None) -> FeedEvent:
    labels = _LABELS[lang]
    url = f"{base_url.rstrip('/')}/tasks/{row.id}" if base_url else None
    phase = (row.phase_en or row.phase_da) if lang == "en" else row.phase_da
    lines = [row.description] if row.description else []
    lines += [f"{labels['phase']}: {phase}"] if phase else []
    lines += [f"{labels['cycle']}: {row.cycle_title}"] if row.cycle_title else []
    lines += [f"{labels['open']}: {url}"] if url else []
    return FeedEvent(
        uid=f"task-{row.id}.{org_key}@aarshjul",
        summary=(row.title_en or row.title_da) if lang == "en" else row.title_da,
        start=row.due, end=row.due + timedelta(days=1), sequence=row.moves,
        modified=as_utc(row.updated_at), description="\n".join(lines), url=url,
    )  # fmt: skip


def organisation_feed(
    session: Session,
    *,
    organisation: Organisation,
    today: date,
    now: datetime,
    base_url: str | None = None,
) -> bytes:
    """Phases, meetings and milestones of ``organisation``'s cycles from last year on.

    One query reads phases and milestones; meetings come from the cycle's built-in template
    (see :func:`_meeting_entries`); one more query (and a write only when something is new or
    moved) keeps each event's ``SEQUENCE`` and ``LAST-MODIFIED``. The caller commits.
    """
    assert organisation.id is not None
    lang = _lang(organisation.locale)
    entries = calendar_entries(session, organisation.id, since_year=today.year - 1)
    drafts = [_entry_draft(e, organisation.key, lang) for e in entries]
    drafts += _meeting_entries(organisation, entries, lang)
    published = [(d.uid, _fingerprint(d)) for d in drafts]
    revisions = sync_revisions(session, organisation.id, published, now)
    events = [_revised(d, revisions[d.uid]) for d in drafts]
    labels = _LABELS[lang]
    return _calendar(
        name=f"{organisation.name}: {labels['wheel']}", description=labels["org_desc"],
        uid=f"organisation.{organisation.key}@aarshjul", events=events,
    )  # fmt: skip


def public_organisation_feed(
    session: Session,
    *,
    organisation_key: str,
    today: date,
    now: datetime,
    base_url: str | None = None,
) -> bytes | None:
    """The organisation feed when the organisation publishes it (``public_calendar``), else None."""
    organisation = session.exec(
        select(Organisation).where(
            Organisation.key == organisation_key,
            Organisation.public_calendar == True,  # noqa: E712
        )
    ).first()
    if organisation is None:
        return None
    return organisation_feed(
        session, organisation=organisation, today=today, now=now, base_url=base_url
    )


def _entry_draft(entry: EntryRow, org_key: str, lang: str) -> FeedEvent:
    labels = _LABELS[lang]
    lines = [entry.description] if entry.description else []
    lines += [labels["statutory"]] if entry.statutory else []
    lines += [f"{labels['cycle']}: {entry.cycle_title}"] if entry.cycle_title else []
    return FeedEvent(
        uid=f"{entry.kind}-{entry.id}.{org_key}@aarshjul",
        summary=(entry.name_en or entry.name_da) if lang == "en" else entry.name_da,
        start=entry.start, end=entry.end + timedelta(days=1), sequence=0,
        modified=datetime.min.replace(tzinfo=UTC), description="\n".join(lines),
        category=entry.kind,
    )  # fmt: skip


def _meeting_entries(
    organisation: Organisation, entries: Iterable[EntryRow], lang: str
) -> list[FeedEvent]:
    """The meeting plan of each annual cycle planned from a built-in template, unchanged since.

    Meetings are not stored: the template's meeting series are resolved on the organisation's
    work calendar (no query; cached per template, year and calendar). A cycle planned from a
    template file of the organisation's own shows its meetings only where they are milestones
    (budget readings and the like).
    """
    cycles = {
        (e.cycle_key, e.cycle_year, e.template_key, e.template_hash)
        for e in entries
        if e.cycle_kind == "annual"
    }
    calendar = (organisation.holiday_country, organisation.timezone, tuple(organisation.closures))
    seen: set[tuple[str, date]] = set()
    out: list[FeedEvent] = []
    for cycle_key, year, template_key, template_hash in sorted(cycles):
        series = _meetings(template_key, template_hash, year, calendar)
        for series_key, name_da, name_en, days in series:
            name = (name_en or name_da) if lang == "en" else name_da
            for day in days:
                if (series_key, day) in seen:
                    continue
                seen.add((series_key, day))
                out.append(
                    FeedEvent(
                        uid=_meeting_uid(cycle_key, series_key, day, days, organisation.key),
                        summary=name, start=day, end=day + timedelta(days=1), sequence=0,
                        modified=datetime.min.replace(tzinfo=UTC),
                        description=_LABELS[lang]["meeting"], category="meeting",
                    )
                )  # fmt: skip
    return out


@functools.lru_cache(maxsize=64)
def _meetings(
    template_key: str, template_hash: str, year: int, calendar: tuple[str, str, tuple[str, ...]]
) -> tuple[tuple[str, str, str, tuple[date, ...]], ...]:
    """(series, Danish name, English name, dates) of a built-in template's meetings in ``year``."""
    from aarshjul.calendar.workdays import WorkCalendar
    from aarshjul.planning.date_plan import meeting_plan
    from aarshjul.planning.template_files import builtin_keys, load_builtin_template

    if template_key not in builtin_keys():
        return ()
    template = load_builtin_template(template_key)
    if template.content_hash != template_hash:
        return ()
    country, timezone, closures = calendar
    closed = closures + tuple(c for c in template.calendar.closed if c not in closures)
    plan = meeting_plan(template, WorkCalendar(country=country, timezone=timezone, closures=closed))
    out = []
    for key, meetings in plan.for_year(year).items():
        series = plan.get(key)
        out.append((key, series.name_da, series.name_en, tuple(m.day for m in meetings)))
    return tuple(out)


def _meeting_uid(cycle_key: str, series: str, day: date, days: Iterable[date], org: str) -> str:
    """Stable while a meeting moves within its month: the series and its n-th meeting that month."""
    same_month = sorted(d for d in days if d.month == day.month)
    n = same_month.index(day) + 1
    return f"meeting-{cycle_key}-{series}-{day.year}-{day.month:02d}-{n}.{org}@aarshjul"


def _fingerprint(event: FeedEvent) -> str:
    return fingerprint(event.start, event.end, event.summary, event.description, event.url)


def _revised(event: FeedEvent, revision: Revision) -> FeedEvent:
    return FeedEvent(
        uid=event.uid, summary=event.summary, start=event.start, end=event.end,
        sequence=revision.sequence, modified=revision.modified, description=event.description,
        url=event.url, category=event.category,
    )  # fmt: skip


def _calendar(*, name: str, description: str, uid: str, events: Iterable[FeedEvent]) -> bytes:
    calendar = Calendar.new(
        name=name, description=description, prodid=PRODID, method="PUBLISH", uid=uid,
        calscale="GREGORIAN", refresh_interval=REFRESH,
    )  # fmt: skip
    calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"  # required by RFC 7986
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    head: bytes = calendar.to_ical()
    assert head.endswith(_END)
    body = b"".join(_vevent_ical(e) for e in sorted(events, key=lambda e: (e.start, e.uid)))
    return head[: -len(_END)] + body + _END


_END = b"END:VCALENDAR\r\n"


@functools.lru_cache(maxsize=20_000)
def _vevent_ical(event: FeedEvent) -> bytes:
    """One event's lines as icalendar writes them; cached, since feeds are fetched again and
    again while their events rarely change (the key is every field, so a change is a new entry)."""
    ical: bytes = _vevent(event).to_ical()
    return ical


def _vevent(event: FeedEvent) -> Event:
    vevent = Event.new(
        uid=event.uid, summary=event.summary, start=event.start, end=event.end,
        sequence=event.sequence, last_modified=event.modified, stamp=event.modified,
        description=event.description or None, url=event.url,
        categories=[event.category] if event.category else (),
        transparency=TRANSP.TRANSPARENT,
    )  # fmt: skip
    vevent.add("X-MICROSOFT-CDO-BUSYSTATUS", "FREE")
    return vevent


def _lang(locale: str) -> str:
    return "en" if locale == "en" else "da"
