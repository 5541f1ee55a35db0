"""Calendar feeds on both backends, parsed back with icalendar and held to Outlook's rules:
all-day VALUE=DATE events with an exclusive end, no time zones, stable UIDs, SEQUENCE and
LAST-MODIFIED after a re-plan moves a task, a refresh hint, done tasks leaving the feed; secret
tokens that a database dump does not reveal; a fixed number of queries per feed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from icalendar import Calendar
from pydantic import SecretStr
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from aarshjul.config import Settings
from aarshjul.engine.task_status import set_task_status
from aarshjul.errors import ConfigError
from aarshjul.feeds.feed_tokens import feed_token, feed_url, revoke_feed_token
from aarshjul.feeds.ical_feed import (
    organisation_feed,
    person_feed_by_token,
    public_organisation_feed,
)
from aarshjul.models import Organisation, Person, Phase, Task, TaskStatus
from aarshjul.models.base import OPEN_TASK_STATUSES
from aarshjul.models.queries import get_organisation
from aarshjul.org.importing import import_org
from aarshjul.org.org_files import load_sample_org
from aarshjul.planning.cycles import Override
from aarshjul.planning.plan import plan_cycle
from aarshjul.planning.template_files import load_builtin_template

NOW = datetime(2027, 1, 2, 9, 0, tzinfo=UTC)
LATER = datetime(2027, 2, 10, 14, 30, tzinfo=UTC)
TODAY = date(2027, 1, 4)
HEAD = "birgitte.thygesen@jammerbugt.example"
BASE = "https://aarshjul.example.org"


@pytest.fixture
def settings(tmp_path: Any) -> Settings:
    key = SecretStr(Fernet.generate_key().decode())
    return Settings(data_dir=tmp_path, secret_key=key, base_url=BASE)


@pytest.fixture
def org(session: Session) -> Organisation:
    import_org(session, load_sample_org())
    session.commit()
    organisation = get_organisation(session, "jammerbugt")
    _plan(session, organisation, NOW)
    return organisation


def _plan(session: Session, org: Organisation, now: datetime, *overrides: Override) -> None:
    plan_cycle(
        session, organisation=org, template=load_builtin_template("helhedsplan"), year=2027,
        overrides=overrides, now=now,
    )  # fmt: skip
    session.commit()


def _token(session: Session, org: Organisation, settings: Settings, **kw: Any) -> str:
    token = feed_token(session, organisation=org, email=HEAD, settings=settings, now=NOW, **kw)
    session.commit()
    return token


def _feed(session: Session, token: str, settings: Settings) -> bytes:
    feed = person_feed_by_token(session, token=token, settings=settings)
    assert feed is not None
    return feed


def _events(feed: bytes) -> dict[str, Any]:
    calendar = Calendar.from_ical(feed)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def _open_task_ids(session: Session, email: str) -> set[int]:
    person = session.exec(select(Person).where(Person.email == email)).one()
    query = select(Task.id).where(
        Task.owner_id == person.id, col(Task.status).in_(OPEN_TASK_STATUSES)
    )
    return {i for i in session.exec(query) if i is not None}


def _assert_outlook_safe(feed: bytes) -> Calendar:
    """The rules every event of every feed must follow."""
    text = feed.decode()
    lines = text.replace("\r\n ", "").split("\r\n")
    assert "TZID" not in text and "BEGIN:VTIMEZONE" not in text
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines and "X-PUBLISHED-TTL:PT1H" in lines
    starts = [line for line in lines if line.startswith("DTSTART")]
    ends = [line for line in lines if line.startswith("DTEND")]
    assert starts and all(line.startswith("DTSTART;VALUE=DATE:") for line in starts)
    assert len(ends) == len(starts) and all(line.startswith("DTEND;VALUE=DATE:") for line in ends)
    calendar = Calendar.from_ical(feed)
    assert calendar["X-WR-CALNAME"]
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    for event in calendar.walk("VEVENT"):
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert type(start) is date and type(end) is date  # not a datetime
        assert end > start  # exclusive end: never the same day
        assert event["DTSTAMP"].dt.tzinfo is not None and event[
            "LAST-MODIFIED"
        ].dt.utcoffset() == timedelta(0)
        assert int(event["SEQUENCE"]) >= 0 and str(event["TRANSP"]) == "TRANSPARENT"
    return calendar


def test_person_feed_holds_their_open_tasks_and_follows_outlooks_rules(
    session: Session, org: Organisation, settings: Settings
) -> None:
    feed = _feed(session, _token(session, org, settings), settings)
    calendar = _assert_outlook_safe(feed)
    assert str(calendar["X-WR-CALNAME"]) == "Årshjul: mine opgaver (Birgitte Thygesen)"
    events = _events(feed)
    ids = _open_task_ids(session, HEAD)
    assert len(ids) >= 20
    assert set(events) == {f"task-{i}.jammerbugt@aarshjul" for i in ids}
    task = session.exec(select(Task).where(col(Task.id).in_(ids)).order_by(col(Task.id))).first()
    assert task is not None and task.id is not None
    event = events[f"task-{task.id}.jammerbugt@aarshjul"]
    assert event["DTSTART"].dt == task.due and event["DTEND"].dt == task.due + timedelta(days=1)
    assert str(event["SUMMARY"]) == task.title_da
    assert str(event["URL"]) == f"{BASE}/tasks/{task.id}"
    assert int(event["SEQUENCE"]) == 0 and event["LAST-MODIFIED"].dt == NOW
    # Unchanged data, unchanged bytes (DTSTAMP is the last modification, not the request time).
    assert _feed(session, _token(session, org, settings), settings) == feed


def test_replan_that_moves_a_task_updates_it_with_a_higher_sequence(
    session: Session, org: Organisation, settings: Settings
) -> None:
    token = _token(session, org, settings)
    before = _events(_feed(session, token, settings))
    status_task = session.exec(
        select(Task).where(Task.key == "goal_status", Task.subject == "goal:skole-m3")
    ).one()
    uid = f"task-{status_task.id}.jammerbugt@aarshjul"
    old_due = before[uid]["DTSTART"].dt
    _plan(session, org, LATER, Override("goal_status.end", date(2027, 3, 12), "Tidligere frist"))
    after_feed = _feed(session, token, settings)
    _assert_outlook_safe(after_feed)
    after = _events(after_feed)
    assert set(after) == set(before)  # moved, never duplicated
    moved = after[uid]
    assert moved["DTSTART"].dt < old_due and moved["DTEND"].dt == moved["DTSTART"].dt + timedelta(
        days=1
    )
    assert int(moved["SEQUENCE"]) == int(before[uid]["SEQUENCE"]) + 1 == 1
    assert moved["LAST-MODIFIED"].dt == LATER > before[uid]["LAST-MODIFIED"].dt
    unmoved = [u for u in after if after[u]["DTSTART"].dt == before[u]["DTSTART"].dt]
    assert unmoved and all(int(after[u]["SEQUENCE"]) == 0 for u in unmoved)


def test_done_and_waived_tasks_leave_the_feed(
    session: Session, org: Organisation, settings: Settings
) -> None:
    token = _token(session, org, settings)
    first, second, *_ = sorted(_open_task_ids(session, HEAD))
    set_task_status(
        session, org=org, task_id=first, by_email=HEAD, status=TaskStatus.done, now=LATER
    )
    set_task_status(
        session, org=org, task_id=second, by_email="marianne.skovbo@jammerbugt.example",
        status=TaskStatus.waived, now=LATER,
    )  # fmt: skip
    session.commit()
    uids = set(_events(_feed(session, token, settings)))
    assert f"task-{first}.jammerbugt@aarshjul" not in uids
    assert f"task-{second}.jammerbugt@aarshjul" not in uids
    assert len(uids) == len(_open_task_ids(session, HEAD))


def test_tokens_are_revocable_reissuable_and_forgeries_get_nothing(
    session: Session, org: Organisation, settings: Settings
) -> None:
    token = _token(session, org, settings)
    assert _token(session, org, settings) == token  # shown again, same URL
    assert feed_url(BASE + "/", token) == f"{BASE}/calendar/{token}.ics"
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (forged, token[:30], token + "x", "", "ø" * len(token)):
        assert person_feed_by_token(session, token=bad, settings=settings) is None
    other_key = settings.model_copy(
        update={"secret_key": SecretStr(Fernet.generate_key().decode())}
    )
    assert person_feed_by_token(session, token=token, settings=other_key) is None
    assert revoke_feed_token(session, organisation=org, email=HEAD, now=LATER)
    assert not revoke_feed_token(session, organisation=org, email=HEAD, now=LATER)
    session.commit()
    assert person_feed_by_token(session, token=token, settings=settings) is None
    fresh = _token(session, org, settings)  # after a revoke: a new URL
    reissued = _token(session, org, settings, reissue=True)
    assert len({token, fresh, reissued}) == 3
    assert person_feed_by_token(session, token=fresh, settings=settings) is None
    assert person_feed_by_token(session, token=reissued, settings=settings) is not None
    person = session.exec(select(Person).where(Person.email == HEAD)).one()
    person.active = False  # left the organisation
    session.add(person)
    session.commit()
    assert person_feed_by_token(session, token=reissued, settings=settings) is None


def test_a_database_dump_does_not_reveal_a_usable_token(
    session: Session, org: Organisation, settings: Settings
) -> None:
    token = _token(session, org, settings)
    dump = " ".join(
        str(value)
        for row in session.execute(sa.text("SELECT * FROM feed_token")).all()
        for value in row
    )
    assert token[:22] in dump  # the selector, the public half
    assert token not in dump and token[22:] not in dump


def test_tokens_need_the_secret_key(session: Session, org: Organisation, tmp_path: Any) -> None:
    keyless = Settings(data_dir=tmp_path, base_url=BASE)
    with pytest.raises(ConfigError, match="AARSHJUL_SECRET_KEY"):
        feed_token(session, organisation=org, email=HEAD, settings=keyless, now=NOW)
    with pytest.raises(ConfigError, match="AARSHJUL_BASE_URL"):
        feed_url(None, "x")


@contextmanager
def _statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def test_each_feed_takes_a_fixed_number_of_queries(
    engine: Engine, session: Session, org: Organisation, settings: Settings
) -> None:
    many = _token(session, org, settings)
    few = feed_token(
        session, organisation=org, email="anne.kjaer@jammerbugt.example", settings=settings, now=NOW
    )
    session.commit()
    for token in (many, few):
        session.expire_all()
        with _statements(engine) as seen:
            _feed(session, token, settings)
        assert len(seen) == 2, seen
    with _statements(engine) as seen:
        organisation_feed(session, organisation=org, today=TODAY, now=NOW)
    assert len(seen) == 3  # read, read revisions, insert the new ones
    session.commit()
    with _statements(engine) as seen:
        organisation_feed(session, organisation=org, today=TODAY, now=LATER)
    assert len(seen) == 2 and not any(
        s.lstrip().upper().startswith(("INSERT", "UPDATE")) for s in seen
    )


def test_organisation_feed_phases_meetings_milestones_and_their_moves(
    session: Session, org: Organisation
) -> None:
    feed = organisation_feed(session, organisation=org, today=TODAY, now=NOW)
    session.commit()
    calendar = _assert_outlook_safe(feed)
    assert str(calendar["X-WR-CALNAME"]) == "Jammerbugt Kommune (eksempel): årshjul"
    events = _events(feed)
    kinds = {str(e["CATEGORIES"].cats[0]) for e in events.values()}
    assert kinds == {"phase", "milestone", "meeting"}
    idea = session.exec(select(Phase).where(Phase.key == "idea")).one()
    phase = events[f"phase-{idea.id}.jammerbugt@aarshjul"]
    assert (phase["DTSTART"].dt, phase["DTEND"].dt) == (
        idea.start_date,
        idea.end_date + timedelta(days=1),
    )
    assert (phase["DTEND"].dt - phase["DTSTART"].dt).days > 30  # multi-day
    council = sorted(
        e["DTSTART"].dt for e in events.values() if str(e["SUMMARY"]) == "Kommunalbestyrelsen"
    )
    assert date(2027, 9, 9) in council and not any(
        d.month == 7 for d in council
    )  # 2nd thu of sep; no July
    readings = [
        e for e in events.values() if str(e["SUMMARY"]) == "2. behandling og vedtagelse af budget"
    ]
    assert len(readings) == 1 and "Lovbestemt frist" in str(readings[0]["DESCRIPTION"])
    assert organisation_feed(session, organisation=org, today=TODAY, now=LATER) == feed
    status_phase = session.exec(select(Phase).where(Phase.key == "goal_status")).one()
    _plan(session, org, LATER, Override("goal_status.end", date(2027, 3, 12), "Tidligere frist"))
    moved = _events(organisation_feed(session, organisation=org, today=TODAY, now=LATER))
    session.commit()
    event = moved[f"phase-{status_phase.id}.jammerbugt@aarshjul"]
    assert event["DTEND"].dt == date(2027, 3, 13)
    assert int(event["SEQUENCE"]) == 1 and event["LAST-MODIFIED"].dt == LATER
    assert set(moved) == set(events)


def test_the_organisation_feed_is_public_only_when_the_organisation_says_so(
    session: Session, org: Organisation
) -> None:
    public = lambda: public_organisation_feed(  # noqa: E731
        session, organisation_key="jammerbugt", today=TODAY, now=NOW
    )
    assert public() is None
    org.public_calendar = True
    session.add(org)
    session.commit()
    feed = public()
    assert feed is not None and b"BEGIN:VEVENT" in feed
    assert public_organisation_feed(session, organisation_key="nope", today=TODAY, now=NOW) is None
