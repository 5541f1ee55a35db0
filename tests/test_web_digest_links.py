"""Digests link to the web app: a signed "Markér som udført" link per own task line, the task
page, how to sign in; and a reassigned task is announced in the new owner's next digest."""

from __future__ import annotations

import re
from pathlib import Path

from sqlmodel import Session

from aarshjul.access.permissions import viewer_for
from aarshjul.access.tokens import parse_action_token, signing_key
from aarshjul.config import Settings
from aarshjul.engine.task_actions import reassign_task
from aarshjul.models import Person
from aarshjul.notifications import compose_digests
from aarshjul.notifications.compose import ComposeResult
from tests.notify_scenario import FRIDAY, MONDAY, TUESDAY, Scenario, build

BASE = "https://aarshjul.example.org"


def _compose(session: Session, sc: Scenario, settings: Settings, day=FRIDAY) -> ComposeResult:  # type: ignore[no-untyped-def]
    result = compose_digests(session, organisation=sc.org, today=day, settings=settings)
    session.commit()
    return result


def _digest(result: ComposeResult, sc: Scenario, who: str):  # type: ignore[no-untyped-def]
    [digest] = [d for d in result.digests if d.person_id == sc.people[who].id]
    return digest


def test_own_lines_get_a_signed_done_link_and_the_digest_says_how_to_sign_in(
    session: Session, tmp_path: Path
) -> None:
    sc = build(session)
    settings = Settings(data_dir=tmp_path, base_url=BASE)
    result = _compose(session, sc, settings)
    anne = _digest(result, sc, "anne")
    key = signing_key(settings)
    links = re.findall(rf"Markér som udført: {BASE}/a/(\S+)", anne.text)
    bound = {parse_action_token(token, key) for token in links}
    assert bound == {
        (sc.id(n), sc.people["anne"].id) for n in ("remind", "remind_sat", "due", "late", "esc")
    }
    assert f"{BASE}/tasks/{sc.id('due')}" in anne.text
    assert f"Se og markér alle dine opgaver på {BASE}/tasks" in anne.text
    assert f'<a href="{BASE}/a/' in anne.html and ">Markér som udført</a>" in anne.html
    boss = _digest(result, sc, "boss")  # an escalation: the superior gets no done link
    assert "/a/" not in boss.text and f"{BASE}/tasks/{sc.id('esc')}" in boss.text
    eric = _digest(result, sc, "eric")
    assert (
        f"Mark as done: {BASE}/a/" in eric.text
        and f"See and complete all your tasks at {BASE}/tasks" in eric.text
    )


def test_without_a_base_url_there_are_no_links(session: Session, tmp_path: Path) -> None:
    sc = build(session)
    anne = _digest(_compose(session, sc, Settings(data_dir=tmp_path)), sc, "anne")
    assert "/a/" not in anne.text and "Markér" not in anne.text and "log ind" not in anne.text


def test_a_reassigned_task_is_told_to_the_new_owner_in_the_next_digest(
    session: Session, tmp_path: Path
) -> None:
    sc = build(session)
    settings = Settings(data_dir=tmp_path, base_url=BASE)
    _compose(session, sc, settings, FRIDAY)
    planner = viewer_for(session, session.get_one(Person, sc.people["plan"].id))
    task_id = sc.id("remind_mon")  # due Tuesday 26 October, reminded on Monday 18
    reassign_task(
        session, org=sc.org, viewer=planner, task_id=task_id, new_owner_id=sc.people["eric"].id or 0,
        now=_after_compose(session),
    )  # fmt: skip
    session.commit()
    monday = _compose(session, sc, settings, MONDAY)
    eric = _digest(monday, sc, "eric")
    assert task_id in eric.task_ids
    assert "Newly assigned to you" in eric.text and "newly assigned to you" in eric.html
    assert task_id not in _digest(monday, sc, "anne").task_ids
    tuesday = _compose(session, sc, settings, TUESDAY)
    told_again = [d for d in tuesday.digests if d.person_id == sc.people["eric"].id]
    assert all("Newly assigned" not in d.text for d in told_again)


def _after_compose(session: Session):  # type: ignore[no-untyped-def]
    """An instant after Friday's digests were written (their created_at is the real clock)."""
    from aarshjul.clock import utcnow

    return utcnow()
