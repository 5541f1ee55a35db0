"""A public text's *Ændret* day is the organisation's local day, not the UTC day of the instant.

Saved at 00:30 in Copenhagen (23:30 UTC the evening before), the goal page said the day before;
the route test that saves a text failed every night between midnight and 01:00 (02:00 in summer).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlmodel import Session

from aarshjul.clock import as_utc, local_date
from aarshjul.models import Organisation, PlanText
from aarshjul.participation.plan_texts import history, text_states
from tests.participation_support import build_plan_world

AFTER_MIDNIGHT = datetime(2027, 3, 14, 23, 30, tzinfo=UTC)  # 15 March 00:30 in Copenhagen


def test_local_date_reads_an_instant_on_the_local_clock() -> None:
    assert local_date(AFTER_MIDNIGHT, "Europe/Copenhagen") == date(2027, 3, 15)
    assert local_date(AFTER_MIDNIGHT.replace(tzinfo=None), "Europe/Copenhagen") == date(2027, 3, 15)
    summer = datetime(2027, 6, 30, 22, 30, tzinfo=UTC)  # 1 July 00:30 (CEST, UTC+2)
    assert local_date(summer, "Europe/Copenhagen") == date(2027, 7, 1)
    assert as_utc(AFTER_MIDNIGHT.replace(tzinfo=None)) == AFTER_MIDNIGHT


def test_a_text_saved_after_local_midnight_is_in_force_that_local_day(
    db_url: str, tmp_path: Path
) -> None:
    world = build_plan_world(db_url, tmp_path, today=date(2027, 3, 15))
    goal = world.goals["trivsel"]
    with Session(world.runtime.engine) as s:
        s.add(PlanText(organisation_id=world.org.id, goal_id=goal.id, body="Ny tekst",
                       author_id=world.people["anne"].id, created_at=AFTER_MIDNIGHT))  # fmt: skip
        s.commit()
        org = s.get_one(Organisation, world.org.id)
        _, [version] = history(s, organisation=org, subject="goal", key=goal.key, items=[],
                               today=date(2027, 3, 15))  # fmt: skip
        goals, _ = text_states(s, organisation=org, items=[], today=date(2027, 3, 15))
    assert version.in_force == date(2027, 3, 15)
    current = goals[goal.id or 0].current
    assert current is not None and current.in_force == date(2027, 3, 15)
    world.runtime.close()
