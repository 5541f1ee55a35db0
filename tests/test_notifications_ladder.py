"""The escalation ladder, the digest that summarises beyond a screenful, and dead messages told
to the planning role in their next digest (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from aarshjul.config import Settings
from aarshjul.models import DigestReason, OutboxMessage, OutboxStatus, Person
from aarshjul.notifications import compose_digests, deliver_pending
from aarshjul.notifications.compose import SCREENFUL, ComposeResult
from tests import factories as f
from tests.notify_scenario import FRIDAY, Scenario, build

R = DigestReason
NOW = datetime(2027, 10, 15, 5, 0, tzinfo=UTC)


def compose(session: Session, sc: Scenario, day: date, **kw: object) -> ComposeResult:
    result = compose_digests(session, organisation=sc.org, today=day, **kw)  # type: ignore[arg-type]
    session.commit()
    return result


def digest_of(result: ComposeResult, person: Person) -> set[tuple[int, DigestReason]]:
    return next((set(d.items) for d in result.digests if d.person_id == person.id), set())


def test_step_one_goes_to_the_superior_and_the_direktion_hears_from_step_two(
    session: Session,
) -> None:
    sc = build(session)
    friday = compose(session, sc, FRIDAY)  # "esc" is 6 workdays late: step 1
    assert digest_of(friday, sc.people["boss"]) == {(sc.id("esc"), R.escalation)}
    assert digest_of(friday, sc.people["dir"]) == set()
    later = compose(session, sc, date(2027, 10, 22))  # 11 workdays late: step 2
    assert (sc.id("esc"), R.escalation) in digest_of(later, sc.people["boss"])
    assert (sc.id("esc"), R.escalation) in digest_of(later, sc.people["dir"])


def test_the_template_decides_the_step_that_reaches_the_direktion(session: Session) -> None:
    org = f.organisation(session)
    boss = f.person(session, org, name="Bo Chef")
    director = f.person(session, org, name="Dorthe Direktør", roles=("direktion",))
    owner = f.person(session, org, superior_id=boss.id)
    cycle = f.cycle(session, org, escalate_direktion_from=1)
    task = f.task(session, cycle, owner, date(2027, 10, 7), escalate_after=5)
    session.commit()
    result = compose_digests(session, organisation=org, today=FRIDAY, dry_run=True)
    assert digest_of(result, boss) == digest_of(result, director) == {(task.id, R.escalation)}


def test_an_owner_without_a_superior_escalates_to_the_direktion_at_once(session: Session) -> None:
    org = f.organisation(session)
    director = f.person(session, org, roles=("direktion",))
    owner = f.person(session, org)
    task = f.task(session, f.cycle(session, org), owner, date(2027, 10, 7), escalate_after=5)
    session.commit()
    result = compose_digests(session, organisation=org, today=FRIDAY, dry_run=True)
    assert digest_of(result, director) == {(task.id, R.escalation)}


def _backlog(session: Session, late: int) -> tuple[Person, Person]:
    """A superior with ``late`` escalations of one owner's tasks over three policy areas."""
    org = f.organisation(session)
    boss = f.person(session, org, name="Bo Chef")
    owner = f.person(session, org, name="Ole Ejer", superior_id=boss.id)
    committee = f.committee(session, org)
    areas = [f.policy_area(session, org, committee, boss, name=n) for n in ("Skole", "Ældre")]
    cycle = f.cycle(session, org)
    for n in range(late):
        area = areas[0] if n % 3 else (areas[1] if n % 2 else None)
        f.task(session, cycle, owner, date(2027, 10, 1), escalate_after=5,
               policy_area_id=area.id if area else None, title_da=f"Opgave nr. {n}")  # fmt: skip
    session.commit()
    return boss, owner


def test_a_digest_beyond_a_screenful_summarises_the_rest_per_policy_area(
    session: Session,
) -> None:
    boss, owner = _backlog(session, 170)
    cfg = Settings(base_url="https://aarshjul.example.org/")
    org_id = boss.organisation_id
    org = session.get_one(type(f.organisation(session)), org_id)
    result = compose_digests(session, organisation=org, today=FRIDAY, settings=cfg, dry_run=True)
    (digest,) = [d for d in result.digests if d.person_id == boss.id]
    assert len(digest.items) == 170  # every task is still covered (and recorded as escalated)
    assert digest.text.count("Ansvarlig: Ole Ejer") == SCREENFUL
    assert "… og 150 mere: Skole 100, Ældre 25, uden politikområde 25" in digest.text
    assert "https://aarshjul.example.org/board" in digest.text
    assert 'href="https://aarshjul.example.org/board"' in digest.html
    assert digest.html.count("<li>") == SCREENFUL + 1
    assert "(170 punkter)" in digest.subject
    (own,) = [d for d in result.digests if d.person_id == owner.id]
    assert "… og 150 mere" in own.text  # their own overdue list is summarised the same way
    assert len(digest.text) < 8_000


def test_a_short_digest_has_no_summary_and_no_board_link(session: Session) -> None:
    boss, _ = _backlog(session, 3)
    org = session.get_one(type(f.organisation(session)), boss.organisation_id)
    cfg = Settings(base_url="https://aarshjul.example.org")
    result = compose_digests(session, organisation=org, today=FRIDAY, settings=cfg, dry_run=True)
    (digest,) = [d for d in result.digests if d.person_id == boss.id]
    assert "mere" not in digest.text and "/board" not in digest.text + digest.html


def test_a_dead_message_is_told_to_planning_in_their_next_digest_with_the_reason(
    engine: Engine, session: Session
) -> None:
    sc = build(session)
    compose(session, sc, FRIDAY)
    cfg = Settings(
        mail_url="mailto://127.0.0.1:1?from=aarshjul@example.org", deliver_max_attempts=1
    )
    report = deliver_pending(engine, organisation_id=sc.org.id, now=NOW, settings=cfg)
    assert report.dead == 4 and report.nothing_delivered
    monday = compose(session, sc, date(2027, 10, 18))
    (planner,) = [d for d in monday.digests if d.person_id == sc.people["plan"].id]
    assert "BESKEDER DER IKKE KUNNE LEVERES" in planner.text
    assert "Til anne@example.dk" in planner.text and "ConnectionRefusedError" in planner.text
    assert "Fejl: email: mail server 127.0.0.1:1" in planner.text
    assert sorted(monday.dead_reported) == sorted(
        m.id for m in session.exec(select(OutboxMessage).where(OutboxMessage.day == FRIDAY))
    )
    tuesday = compose(session, sc, date(2027, 10, 19))  # reported once
    assert all("IKKE KUNNE LEVERES" not in d.text for d in tuesday.digests)
    assert tuesday.dead_reported == []
    statuses = session.exec(select(OutboxMessage.status).where(OutboxMessage.day == FRIDAY))
    assert set(statuses) == {OutboxStatus.dead}
