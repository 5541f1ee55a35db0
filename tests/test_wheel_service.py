"""The wheel's values from the database: status per phase, rings from the template, meetings and
closed days, the public edition, a school year, and a handful of queries whatever the size."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from aarshjul.engine.progress_status import ProgressStatus
from aarshjul.errors import NotFound
from aarshjul.models import Cycle, CycleKind, Organisation, Person, TaskStatus
from aarshjul.wheel.picture import draw_wheel
from aarshjul.wheel.wheel_data import Ring
from aarshjul.wheel.wheel_service import wheel_data
from tests import factories as f

TODAY = date(2027, 6, 14)
S = ProgressStatus


def build(session: Session, tasks_per_phase: int = 1) -> tuple[Organisation, Person]:
    """Phases named after the built-in template's, so their rings come from helhedsplan.yaml."""
    org = f.organisation(session, key="testkommune", name="Testkommune")
    anne = f.person(session, org, name="Anne Kjær", email="anne@example.dk")
    cycle = f.cycle(session, org, 2027)
    d = date

    def phase(key: str, start: date, end: date, **kw: object) -> int:
        row = f.phase(session, cycle, start, end, key=key, name_da=f"{key} da",
                      name_en=f"{key} en", owner_id=anne.id, **kw)  # fmt: skip
        assert row.id is not None
        return row.id

    done = phase("goal_status", d(2027, 1, 4), d(2027, 3, 24))
    late = phase("idea", d(2027, 3, 1), d(2027, 4, 12))
    risk = phase("committee_review", d(2027, 5, 3), d(2027, 6, 25))
    on_track = phase("budget_contributions", d(2027, 6, 1), d(2027, 7, 30))
    phase("budget", d(2027, 8, 2), d(2027, 10, 14))
    phase("homemade", d(2027, 11, 1), d(2027, 11, 30))
    for _ in range(tasks_per_phase):
        f.task(session, cycle, anne, d(2027, 3, 17), phase_id=done, status=TaskStatus.done)
        f.task(session, cycle, anne, d(2027, 4, 5), phase_id=late)  # overdue on 14 June
        f.task(session, cycle, anne, d(2027, 4, 5), phase_id=late, status=TaskStatus.done)
        f.task(session, cycle, anne, d(2027, 6, 20), phase_id=risk)
        f.task(session, cycle, anne, d(2027, 6, 20), phase_id=risk, status=TaskStatus.waived)
        f.task(session, cycle, anne, d(2027, 6, 10), phase_id=on_track, status=TaskStatus.done)
        f.task(session, cycle, anne, d(2027, 7, 20), phase_id=on_track)
    f.milestone(session, cycle, d(2027, 10, 14), key="budget_2nd_reading",
                name_da="2. behandling", name_en="2nd reading", statutory=True)  # fmt: skip
    session.commit()
    return org, anne


def test_each_phase_gets_its_status_ring_and_numbers(session: Session) -> None:
    org, _ = build(session)
    data = wheel_data(session, organisation=org, year=2027, today=TODAY)
    by_key = {p.key.split("--")[1]: p for p in data.phases}
    assert {k: p.status for k, p in by_key.items()} == {
        "goal_status": S.done, "idea": S.late, "committee_review": S.at_risk,
        "budget_contributions": S.on_track, "budget": S.not_started, "homemade": S.not_started,
    }  # fmt: skip
    assert {k: p.ring for k, p in by_key.items()} == {
        "goal_status": Ring.administration, "idea": Ring.citizens,
        "committee_review": Ring.political, "budget_contributions": Ring.budget,
        "budget": Ring.budget, "homemade": Ring.administration,  # not in the template
    }  # fmt: skip
    idea = by_key["idea"]
    assert (idea.done, idea.total, idea.overdue, idea.owner) == (1, 2, 1, "Anne Kjær")
    assert by_key["committee_review"].total == 1  # the waived task does not count
    assert idea.name == "idea da" and idea.key == "helhedsplan-2027--idea"
    assert data.totals == {"done": 3, "total": 6, "overdue": 1}
    assert [(m.name, m.statutory) for m in data.milestones] == [("2. behandling", True)]


def test_the_centre_counts_the_years_tasks_as_status_does(session: Session) -> None:
    """The centre said 221/252 where `status` said 224 of 255: tasks outside every phase (the
    year's own deadlines) were left out, though the centre reads "the year's tasks"."""
    from aarshjul.engine.progress import year_progress

    org, anne = build(session)
    cycle = session.exec(select(Cycle).where(Cycle.organisation_id == org.id)).one()
    f.task(session, cycle, anne, date(2027, 2, 1), status=TaskStatus.done)  # no phase
    f.task(session, cycle, anne, date(2027, 12, 1))  # no phase, not due yet
    session.commit()
    data = wheel_data(session, organisation=org, year=2027, today=TODAY)
    counts = year_progress(session, organisation=org, year=2027, today=TODAY).counts
    assert data.totals == {"done": counts.done, "total": counts.relevant, "overdue": counts.overdue}
    assert data.totals == {"done": 4, "total": 8, "overdue": 1}
    school_year = wheel_data(session, organisation=org, year=2027, today=TODAY, start_month=8)
    assert school_year.totals["total"] < counts.relevant  # half a cycle year: its phases only


def test_meetings_and_closed_days_come_from_the_template_and_calendar(session: Session) -> None:
    org, _ = build(session)
    data = wheel_data(session, organisation=org, year=2027, today=TODAY)
    series = {s.key: s for s in data.meetings}
    assert set(series) == {"kb", "oeu", "fu"}
    assert len(series["kb"].days) == 11 and all(day.month != 7 for day in series["kb"].days)
    assert date(2027, 10, 14) in series["kb"].days  # 2nd Thursday of October: the 2nd reading
    closed = {c.day for c in data.closed_days}
    assert {date(2027, 12, 24), date(2027, 6, 5), date(2027, 3, 25)} <= closed


def test_the_public_edition_names_no_one_and_counts_no_task(session: Session) -> None:
    org, anne = build(session)
    data = wheel_data(session, organisation=org, year=2027, today=TODAY, public=True)
    assert all(p.owner is None and p.done is None and p.total is None for p in data.phases)
    assert data.totals == {} and data.public
    svg = draw_wheel(data)
    assert anne.name not in svg and anne.email not in svg and "@" not in svg
    assert "opgaver" not in svg  # no task counts anywhere
    assert "Forsinket" in svg  # the phases' status stays


def test_english_names_by_option_and_by_the_organisation(session: Session) -> None:
    org, _ = build(session)
    data = wheel_data(session, organisation=org, year=2027, today=TODAY, locale="en")
    assert data.locale == "en" and "idea en" in {p.name for p in data.phases}
    assert data.milestones[0].name == "2nd reading" and data.title == "Annual wheel 2027"
    org.locale = "en-GB"
    assert wheel_data(session, organisation=org, year=2027, today=TODAY).locale == "en"


def test_a_school_year_reads_two_cycle_years_and_keeps_the_span(session: Session) -> None:
    org, _ = build(session)
    next_cycle = f.cycle(session, org, 2028)
    f.phase(session, next_cycle, date(2028, 1, 3), date(2028, 3, 24), key="goal_status")
    f.phase(session, next_cycle, date(2028, 8, 7), date(2028, 9, 1), key="goal_followup")
    addendum = f.cycle(session, org, 2027, key="tillaeg-2027-t3", kind=CycleKind.process,
                       title="Tillæg 3: Solceller", template_key="tillaeg")  # fmt: skip
    f.phase(session, addendum, date(2027, 9, 1), date(2027, 10, 27), key="hearing",
            name_da="Offentlig høring")  # fmt: skip
    session.commit()
    data = wheel_data(session, organisation=org, year=2027, today=TODAY, start_month=8)
    assert (data.span_start, data.span_end, data.title) == (
        date(2027, 8, 1),
        date(2028, 8, 1),
        "Årshjul 2027/28",
    )
    keys = [p.key for p in data.phases]
    assert keys == [
        "helhedsplan-2027--budget", "tillaeg-2027-t3--hearing", "helhedsplan-2027--homemade",
        "helhedsplan-2028--goal_status",
    ]  # fmt: skip
    hearing = data.phases[1]
    assert hearing.name == "Tillæg 3: Offentlig høring" and hearing.ring == Ring.citizens
    assert hearing.context == "Tillæg 3: Solceller"
    assert min(d for s in data.meetings for d in s.days) >= date(2027, 8, 1)
    assert max(d for s in data.meetings for d in s.days) < date(2028, 8, 1)


def test_nothing_planned_is_a_clear_error(session: Session) -> None:
    org, _ = build(session)
    with pytest.raises(NotFound, match="plan it first with `aarshjul plan 2031`"):
        wheel_data(session, organisation=org, year=2031, today=TODAY)


@contextmanager
def count_queries(session: Session) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = session.get_bind()

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def test_a_handful_of_queries_whatever_the_size(session: Session) -> None:
    org, _ = build(session, tasks_per_phase=1)
    big, _ = _bigger(session)
    with count_queries(session) as small_run:
        wheel_data(session, organisation=org, year=2027, today=TODAY)
    with count_queries(session) as big_run:
        data = wheel_data(session, organisation=big, year=2027, today=TODAY)
    assert len(data.phases) == 40
    assert len(small_run) == len(big_run) <= 8, big_run


def _bigger(session: Session) -> tuple[Organisation, Person]:
    org = f.organisation(session, key="storkommune", name="Storkommune")
    person = f.person(session, org)
    cycle = f.cycle(session, org, 2027)
    for i in range(40):
        start = date(2027, 1, 4) + timedelta(days=7 * i)
        row = f.phase(session, cycle, start, start + timedelta(days=20), key=f"p{i}")
        for _ in range(5):
            f.task(session, cycle, person, start + timedelta(days=10), phase_id=row.id)
    session.commit()
    return org, person
