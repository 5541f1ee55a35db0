"""My tasks, a task's page, completing, undoing and reassigning through the web app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from aarshjul.db import make_engine
from aarshjul.models import TaskEvent, TaskStatus
from aarshjul.runtime import Runtime
from aarshjul.web.app import create_app
from tests.web_support import WebWorld, build_world, form_token


@pytest.fixture
def world(db_url: str, tmp_path: Path) -> Iterator[WebWorld]:
    w = build_world(db_url, tmp_path)
    yield w
    w.runtime.close()


def test_my_tasks_shows_the_four_sections_in_danish(world: WebWorld) -> None:
    page = world.client("anne").get("/tasks")
    assert page.status_code == 200
    html = page.text
    for heading in ("Over fristen", "Frist i denne uge", "Kommende", "Udført for nylig"):
        assert heading in html
    assert html.index("Tjek servicemål") < html.index("Aflever målstatus") < html.index("Budget")
    assert "fredag den 15. oktober 2027" in html and "om 2 arbejdsdage" in html
    assert "3 arbejdsdage over fristen" in html
    assert "Flere elever trives" in html and "Skriv status for hvert mål." in html
    assert "Høring" in html and "Indkald til dialogmøde" in html
    assert "Bobs skoleopgave" not in html


def test_english_for_a_person_with_locale_en(world: WebWorld) -> None:
    html = world.client("eric").get("/tasks").text
    assert "My tasks" in html and "Due this week" in html and "Eric&#39;s task" in html
    assert "Thursday 14 October 2027" in html and '<html lang="en">' in html


def test_a_previewed_day_is_announced(world: WebWorld) -> None:
    html = world.client("anne").get("/tasks").text
    assert "Visning som den onsdag den 13. oktober 2027, ikke i dag" in html


def test_no_banner_on_the_real_today(db_url: str, tmp_path: Path) -> None:
    w = build_world(db_url, tmp_path, today=None)
    try:
        assert "Visning som den" not in w.client("anne").get("/tasks").text
    finally:
        w.runtime.close()


def test_not_signed_in_goes_to_login(world: WebWorld) -> None:
    response = world.client().get("/tasks")
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/tasks"


def test_mark_done_with_a_note_then_undo(world: WebWorld) -> None:
    client = world.client("anne")
    token = form_token(client, "/tasks")
    done = client.post(
        f"/tasks/{world.id('week')}/done", data={"csrf_token": token, "note": "Sendt"}
    )
    assert done.status_code == 303
    task = world.task("week")
    assert task.status == TaskStatus.done and task.note == "Sendt"
    assert task.completed_by_id == world.people["anne"].id
    undo = client.post(f"/tasks/{world.id('week')}/undo", data={"csrf_token": token})
    assert undo.status_code == 303 and world.task("week").status == TaskStatus.open
    with Session(world.runtime.engine) as s:
        events = s.exec(select(TaskEvent).where(TaskEvent.task_id == world.id("week"))).all()
    assert [(e.from_status, e.to_status, e.actor_id) for e in events] == [
        ("open", "done", world.people["anne"].id),
        ("done", "open", world.people["anne"].id),
    ]


def test_htmx_gets_the_card_fragment(world: WebWorld) -> None:
    client = world.client("anne")
    token = form_token(client, "/tasks")
    response = client.post(
        f"/tasks/{world.id('week')}/done", data={"csrf_token": token},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.text.startswith('<article class="task done"') and "<html" not in response.text
    assert "Fortryd" in response.text


def test_undo_is_refused_on_a_later_day(world: WebWorld) -> None:
    client = world.client("anne")
    token = form_token(client, "/tasks")
    response = client.post(f"/tasks/{world.id('done')}/undo", data={"csrf_token": token})
    assert response.status_code == 403
    assert world.task("done").status == TaskStatus.done


def test_the_task_page_shows_the_audit_trail(world: WebWorld) -> None:
    client = world.client("anne")
    token = form_token(client, "/tasks")
    client.post(f"/tasks/{world.id('late')}/done", data={"csrf_token": token, "note": "Klaret"})
    html = client.get(f"/tasks/{world.id('late')}").text
    assert "Historik" in html and "Anne Kjær" in html and "open → done" in html and "Klaret" in html


@pytest.mark.parametrize(
    ("who", "task", "status"),
    [
        ("bob", "week", 403),  # another owner's task
        ("sara", "bob_bsu", 200),  # secretary reads her committee's
        ("sara", "bob_other", 403),  # … not another committee's
        ("dorte", "bob_other", 200),  # direktion reads all
        ("palle", "bob_other", 200),  # planning reads all
    ],
)
def test_who_may_read_a_task(world: WebWorld, who: str, task: str, status: int) -> None:
    assert world.client(who).get(f"/tasks/{world.id(task)}").status_code == status


@pytest.mark.parametrize(
    ("who", "status"), [("bob", 403), ("sara", 403), ("dorte", 403), ("palle", 303)]
)
def test_who_may_complete_anne_s_task(world: WebWorld, who: str, status: int) -> None:
    client = world.client(who)
    token = form_token(client, "/tasks")
    response = client.post(f"/tasks/{world.id('week')}/done", data={"csrf_token": token})
    assert response.status_code == status
    assert (world.task("week").status == TaskStatus.done) == (status == 303)


def test_planning_filters_by_person_committee_and_policy_area(world: WebWorld) -> None:
    client = world.client("palle")
    bob = world.people["bob"].id
    html = client.get(f"/tasks?person={bob}").text
    assert (
        "Bobs skoleopgave" in html
        and "Bobs økonomiopgave" in html
        and "Aflever målstatus" not in html
    )
    committees = client.get("/tasks").text
    assert "Børne- og Skoleudvalget" in committees and "Politikområde" in committees


def test_secretary_filters_by_her_committee_only(world: WebWorld) -> None:
    client = world.client("sara")
    html = client.get("/tasks").text
    assert "Børne- og Skoleudvalget" in html and "Økonomiudvalget" not in html
    with Session(world.runtime.engine) as s:
        from aarshjul.models import Committee

        ids = {c.name: c.id for c in s.exec(select(Committee)).all()}
    mine = client.get(f"/tasks?committee={ids['Børne- og Skoleudvalget']}")
    assert (
        mine.status_code == 200
        and "Bobs skoleopgave" in mine.text
        and "Bobs økonomiopgave" not in mine.text
    )
    assert client.get(f"/tasks?committee={ids['Økonomiudvalget']}").status_code == 403
    assert client.get(f"/tasks?person={world.people['bob'].id}").status_code == 403


def test_planning_reassigns_and_it_is_audited(world: WebWorld) -> None:
    client = world.client("palle")
    token = form_token(client, "/tasks")
    bob = world.people["bob"].id
    response = client.post(
        f"/tasks/{world.id('week')}/reassign", data={"csrf_token": token, "owner": str(bob)}
    )
    assert response.status_code == 303 and world.task("week").owner_id == bob
    with Session(world.runtime.engine) as s:
        event = s.exec(select(TaskEvent).where(TaskEvent.kind == "reassign")).one()
    assert event.actor_id == world.people["palle"].id
    assert event.data["from"] == world.people["anne"].id and event.data["to"] == bob
    assert "Overdraget" in client.get(f"/tasks/{world.id('week')}").text


def test_an_owner_may_not_reassign(world: WebWorld) -> None:
    client = world.client("anne")
    token = form_token(client, "/tasks")
    response = client.post(
        f"/tasks/{world.id('week')}/reassign",
        data={"csrf_token": token, "owner": str(world.people["bob"].id)},
    )
    assert response.status_code == 403 and world.task("week").owner_id == world.people["anne"].id


def test_unknown_task_is_404(world: WebWorld) -> None:
    assert world.client("anne").get("/tasks/999999").status_code == 404


def test_healthz_is_200_with_the_database_and_503_without(world: WebWorld) -> None:
    assert world.client().get("/healthz").status_code == 200
    down = Runtime(
        settings=world.runtime.settings,
        engine=make_engine("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2"),
    )
    response = TestClient(create_app(down)).get("/healthz")
    assert response.status_code == 503 and response.text == "database unavailable\n"


def test_done_recently_shows_the_ten_most_recent(world: WebWorld) -> None:
    from datetime import UTC, date, datetime, timedelta

    from aarshjul.models import Cycle
    from tests import factories as f

    with Session(world.runtime.engine) as s:
        cycle = s.exec(select(Cycle)).one()
        anne = s.get_one(type(world.people["anne"]), world.people["anne"].id)
        for n in range(12):
            f.task(
                s, cycle, anne, date(2027, 10, 1), title_da=f"Gammel opgave {n:02d}",
                status=TaskStatus.done, completed_at=datetime(2027, 10, 12, tzinfo=UTC) - timedelta(hours=n),
                completed_by_id=anne.id,
            )  # fmt: skip
        s.commit()
    html = world.client("anne").get("/tasks").text
    shown = [n for n in range(12) if f"Gammel opgave {n:02d}" in html]
    assert shown == list(range(10)) and "Indkald til dialogmøde" not in html
