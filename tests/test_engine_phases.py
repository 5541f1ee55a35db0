"""Phases open and close as the calendar reaches them: catch-up, idempotence, flagging."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session

from aarshjul.engine.phases import advance_phases
from aarshjul.models import Cycle, CycleStatus, Organisation, Phase, PhaseStatus, TaskStatus
from tests import factories as f

NOW = datetime(2027, 3, 1, 6, tzinfo=UTC)


def _setup(session: Session) -> tuple[Organisation, dict[str, Phase]]:
    org = f.organisation(session)
    owner = f.person(session, org)
    cycle = f.cycle(session, org)
    phases = {
        "past": f.phase(session, cycle, date(2027, 1, 4), date(2027, 2, 12), key="past"),
        "now": f.phase(session, cycle, date(2027, 2, 15), date(2027, 3, 19), key="now"),
        "later": f.phase(session, cycle, date(2027, 4, 1), date(2027, 5, 1), key="later"),
    }
    f.task(session, cycle, owner, date(2027, 2, 1), phase_id=phases["past"].id)
    f.task(session, cycle, owner, date(2027, 2, 5), phase_id=phases["past"].id,
           status=TaskStatus.done)  # fmt: skip
    session.commit()
    return org, phases


def test_catch_up_closes_missed_phases_and_opens_current_ones(session: Session) -> None:
    org, phases = _setup(session)
    changes = advance_phases(session, organisation=org, today=date(2027, 3, 1), now=NOW)
    session.commit()
    assert [c.phase_key for c in changes.opened] == ["now"]
    assert [c.phase_key for c in changes.closed] == ["past"]
    assert [(c.phase_key, c.open_tasks) for c in changes.flagged] == [("past", 1)]
    past = session.get_one(Phase, phases["past"].id)
    session.refresh(past)
    assert past.status == PhaseStatus.closed and past.open_tasks_at_close == 1
    assert past.opened_at is not None and past.closed_at is not None
    assert session.get_one(Phase, phases["later"].id).status == PhaseStatus.planned
    cycle = session.get_one(Cycle, past.cycle_id)
    session.refresh(cycle)
    assert cycle.status == CycleStatus.running


def test_second_run_on_the_same_day_changes_nothing(session: Session) -> None:
    org, _ = _setup(session)
    advance_phases(session, organisation=org, today=date(2027, 3, 1), now=NOW)
    session.commit()
    again = advance_phases(session, organisation=org, today=date(2027, 3, 1), now=NOW)
    assert again.opened == [] and again.closed == []


def test_a_phase_ending_without_open_tasks_is_not_flagged(session: Session) -> None:
    org, _ = _setup(session)
    advance_phases(session, organisation=org, today=date(2027, 3, 1), now=NOW)
    session.commit()
    changes = advance_phases(session, organisation=org, today=date(2027, 3, 22), now=NOW)
    assert [c.phase_key for c in changes.closed] == ["now"] and changes.flagged == []


def test_other_organisations_phases_are_untouched(session: Session) -> None:
    org, _ = _setup(session)
    other = f.organisation(session)
    foreign = f.phase(session, f.cycle(session, other), date(2027, 1, 4), date(2027, 2, 1))
    session.commit()
    advance_phases(session, organisation=org, today=date(2027, 3, 1), now=NOW)
    session.commit()
    session.refresh(foreign)
    assert foreign.status == PhaseStatus.planned
