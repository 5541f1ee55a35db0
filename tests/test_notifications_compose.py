"""Composing the daily digest on SQLite and PostgreSQL: who gets what, once."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, func, select

from aarshjul.models import DigestItem, DigestReason, OutboxMessage, TaskEscalation, TaskReminder
from aarshjul.notifications import compose_digests
from aarshjul.notifications.compose import ComposeResult
from tests import factories as f
from tests.notify_scenario import FRIDAY, MONDAY, SATURDAY, TUESDAY, Scenario, build

R = DigestReason


def compose(session: Session, sc: Scenario, day: date, **kw: object) -> ComposeResult:
    result = compose_digests(session, organisation=sc.org, today=day, **kw)  # type: ignore[arg-type]
    session.commit()
    return result


def items(result: ComposeResult, sc: Scenario) -> dict[str, set[tuple[int, DigestReason]]]:
    names = {p.id: name for name, p in sc.people.items()}
    return {names[d.person_id]: set(d.items) for d in result.digests}


def test_friday_digest_lists_everything_once_per_person(session: Session) -> None:
    sc = build(session)
    result = compose(session, sc, FRIDAY)
    got = items(result, sc)
    assert got["anne"] == {
        (sc.id("remind"), R.reminder), (sc.id("remind_sat"), R.reminder),
        (sc.id("due"), R.due), (sc.id("late"), R.overdue), (sc.id("esc"), R.overdue),
    }  # fmt: skip
    assert got["boss"] == {(sc.id("esc"), R.escalation)}  # step 1: the superior only
    assert "dir" not in got  # the direktion hears from step 2
    assert got["eric"] == {(sc.id("kick"), R.kickoff)}
    assert got["plan"] == set()  # the phase owner hears of the kickoff
    assert "gone" not in got
    assert result.added == 4 and result.counts == {"digest": 4}
    assert result.escalated == [(sc.id("esc"), 1)]
    assert result.overdue_task_ids == sorted([sc.id("late"), sc.id("esc")])


def test_rendered_in_danish_and_english(session: Session) -> None:
    sc = build(session)
    digests = {d.email: d for d in compose(session, sc, FRIDAY).digests}
    anne = digests["anne@example.dk"]
    assert anne.subject.startswith("Årshjul: dit overblik fredag den 15. oktober 2027")
    assert "Budgetbidrag til økonomiudvalget" in anne.text
    assert "fredag den 22. oktober 2027, om 5 arbejdsdage" in anne.text
    assert "Årsregnskab til revisionen" in anne.text and "6 arbejdsdage over fristen" in anne.text
    assert "<li>" in anne.html and "økonomiudvalget" in anne.html
    boss = digests["bent@example.dk"]
    assert boss.subject.startswith("Eskalering:") and "Ansvarlig: Anne Kjær" in boss.text
    eric = digests["eric@example.dk"]
    assert eric.subject.startswith("Annual cycle: your overview for Friday 15 October 2027")
    assert "Hearing: Friday 15 October 2027" in eric.text and "Hearing memo" in eric.text
    assert "Høring af forslag" in digests["palle@example.dk"].text


def test_second_compose_same_day_adds_nothing(session: Session) -> None:
    sc = build(session)
    assert compose(session, sc, FRIDAY).added == 4
    again = compose(session, sc, FRIDAY)
    assert again.added == 0 and again.escalated == []
    assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 4


def test_outbox_records_overdue_listings_escalation_steps_and_every_task(
    session: Session,
) -> None:
    sc = build(session)
    compose(session, sc, FRIDAY)
    listed = {(i.task_id, i.reason) for i in session.exec(select(DigestItem))}
    assert listed == {(sc.id("late"), R.overdue), (sc.id("esc"), R.overdue)}
    steps = {(e.task_id, e.step) for e in session.exec(select(TaskEscalation))}
    assert steps == {(sc.id("esc"), 1)}
    covered = {m.person_id: set(m.task_ids) for m in session.exec(select(OutboxMessage))}
    assert covered[sc.people["anne"].id] == {
        sc.id("remind"),
        sc.id("remind_sat"),
        sc.id("due"),
        sc.id("late"),
        sc.id("esc"),
    }
    assert covered[sc.people["boss"].id] == {sc.id("esc")}
    assert sc.people["dir"].id not in covered


def test_no_digest_on_weekend_or_holiday(session: Session) -> None:
    sc = build(session)
    saturday = compose(session, sc, SATURDAY)
    christmas_eve = compose(session, sc, date(2027, 12, 24))
    assert (saturday.skipped, saturday.digests) == ("Lørdag", [])
    assert christmas_eve.skipped == "Juleaftensdag"
    assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 0


def test_overdue_every_second_workday_and_escalation_once(session: Session) -> None:
    sc = build(session)
    compose(session, sc, FRIDAY)
    monday = items(compose(session, sc, MONDAY), sc)
    assert monday["anne"] == {(sc.id("due"), R.overdue), (sc.id("remind_mon"), R.reminder)}
    assert "boss" not in monday  # step 1 was sent on Friday
    tuesday = items(compose(session, sc, TUESDAY), sc)
    assert {(sc.id("late"), R.overdue), (sc.id("esc"), R.overdue)} <= tuesday["anne"]


def test_every_n_workdays_is_configurable(session: Session) -> None:
    sc = build(session)
    compose(session, sc, FRIDAY, overdue_every=1)
    monday = items(compose(session, sc, MONDAY, overdue_every=1), sc)
    assert (sc.id("late"), R.overdue) in monday["anne"]


def test_escalation_step_two_after_twice_the_workdays(session: Session) -> None:
    sc = build(session)
    compose(session, sc, FRIDAY)
    later = compose(session, sc, date(2027, 10, 22))  # 11 workdays after 7 October
    assert (sc.id("esc"), 2) in later.escalated
    steps = session.exec(select(TaskEscalation.step).where(TaskEscalation.task_id == sc.id("esc")))
    assert sorted(steps) == [1, 2]


def test_catch_up_after_outage_sends_one_digest(session: Session) -> None:
    sc = build(session)
    tuesday = date(2027, 10, 12)
    session.add(TaskReminder(task_id=sc.id("remind_mon"), remind_on=date(2027, 10, 13)))
    session.commit()
    compose(session, sc, tuesday)
    friday = items(compose(session, sc, FRIDAY), sc)  # nothing ran on Wednesday and Thursday
    assert (sc.id("remind_mon"), R.reminder) in friday["anne"]
    per_person = session.exec(
        select(OutboxMessage.person_id, func.count()).group_by(OutboxMessage.person_id)
    ).all()
    assert all(n <= 2 for _, n in per_person)


def test_dry_run_renders_without_writing(session: Session) -> None:
    sc = build(session)
    result = compose(session, sc, FRIDAY, dry_run=True)
    assert len(result.digests) == 4 and result.added == 0
    assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 0
    assert session.exec(select(func.count()).select_from(TaskEscalation)).one() == 0


def test_base_url_gives_links(session: Session, monkeypatch: object) -> None:
    from aarshjul.config import Settings

    sc = build(session)
    cfg = Settings(base_url="https://aarshjul.example.dk/")
    result = compose_digests(session, organisation=sc.org, today=FRIDAY, settings=cfg, dry_run=True)
    anne = next(d for d in result.digests if d.email == "anne@example.dk")
    assert f"https://aarshjul.example.dk/tasks/{sc.id('due')}" in anne.text


def test_organisation_can_override_templates(session: Session, tmp_path: object) -> None:
    from pathlib import Path

    from aarshjul.config import Settings

    folder = Path(str(tmp_path)) / "da"
    folder.mkdir()
    (folder / "digest.subject.j2").write_text("Kære {{ person.name }}: {{ count }} ting", "utf-8")
    sc = build(session)
    cfg = Settings(template_dir=folder.parent)
    result = compose_digests(session, organisation=sc.org, today=FRIDAY, settings=cfg, dry_run=True)
    assert {d.subject for d in result.digests if d.email == "anne@example.dk"} == {
        "Kære Anne Kjær: 5 ting"
    }


def test_another_organisation_is_untouched(session: Session) -> None:
    sc = build(session)
    other = f.organisation(session)
    session.commit()
    assert compose_digests(session, organisation=other, today=FRIDAY).digests == []
    assert compose(session, sc, FRIDAY).added == 4


def test_escalation_stops_at_the_configured_number_of_steps(
    session: Session, monkeypatch: object
) -> None:
    from aarshjul.config import get_settings

    monkeypatch.setenv("AARSHJUL_MAX_ESCALATION_STEPS", "2")  # type: ignore[attr-defined]
    get_settings.cache_clear()
    sc = build(session)
    compose(session, sc, FRIDAY)  # step 1 (6 workdays late)
    compose(session, sc, date(2027, 10, 22))  # step 2
    much_later = compose(session, sc, date(2027, 12, 1))  # would be step 7
    assert sc.id("esc") not in {task_id for task_id, _ in much_later.escalated}
    assert max(step for _, step in much_later.escalated) == 2  # others jump to the cap once
    steps = session.exec(select(TaskEscalation.step).where(TaskEscalation.task_id == sc.id("esc")))
    assert sorted(steps) == [1, 2]
