"""Goal status follow-up (målopfølgning) in the browser: my goals, a goal's page and report form,
the status task's "done" leading to the form (my tasks and a digest's action link), permissions
and hostile input."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from aarshjul.access.tokens import action_token
from aarshjul.models import AccessEvent, GoalReport, Task, TaskEvent, TaskStatus
from tests import factories as f
from tests.web_support import XSS, GoalWorld, add_goals, build_world, csrf_of, form_token

ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"


@pytest.fixture
def gw(db_url: str, tmp_path: Path) -> Iterator[GoalWorld]:
    world = build_world(db_url, tmp_path, base_url="http://testserver")
    yield add_goals(world)
    world.runtime.close()


def _reports(gw: GoalWorld) -> list[GoalReport]:
    with Session(gw.world.runtime.engine) as s:
        return list(s.exec(select(GoalReport).order_by(GoalReport.id)).all())


def _status_task(gw: GoalWorld) -> Task:
    with Session(gw.world.runtime.engine) as s:
        return s.get_one(Task, gw.status_task_id)


def _report(client, key: str = "skole-m1", **fields: str):  # type: ignore[no-untyped-def]
    token = form_token(client, f"/goals/{key}")
    return client.post(f"/goals/{key}/report", data={"csrf_token": token, **fields})


def test_my_goals_lists_my_own_with_their_latest_status_and_open_status_task(
    gw: GoalWorld,
) -> None:
    page = gw.world.client("anne").get("/goals")
    assert page.status_code == 200
    html = page.text
    assert "<h1>Mine mål</h1>" in html
    assert "Elevernes trivsel skal stige" in html and "Bobs økonomimål" not in html
    assert "Ikke rapporteret" in html
    assert 'href="/goals/skole-m1?year=2026#report">Rapportér status for 2026</a>' in html
    assert "torsdag den 14. oktober 2027" in html
    assert 'href="/goals" aria-current="page"' in html


def test_report_from_the_goal_page_completes_the_status_task(gw: GoalWorld) -> None:
    client = gw.world.client("anne")
    page = client.get("/goals/skole-m1")
    assert page.status_code == 200
    assert "Rapportér status for 2026" in page.text  # in October, last year's task is open
    assert 'name="indicator:trivsel"' in page.text and "Målværdi 85 %" in page.text
    assert "Statusopgave for 2026: frist torsdag den 14. oktober 2027" in page.text
    sent = client.post(
        "/goals/skole-m1/report",
        data={
            "csrf_token": csrf_of(page.text), "year": "2026", "status": "at_risk",
            "comment": "Trivslen falder i udskolingen", "indicator:trivsel": "81,5",
            "indicator:fravær": "",
        },
    )  # fmt: skip
    assert sent.status_code == 303
    target = sent.headers["location"]
    assert target == f"/goals/skole-m1?year=2026&saved=created&task={gw.status_task_id}"
    shown = client.get(target).text
    assert (
        "Målstatus for 2026 er gemt." in shown and "Statusopgaven er markeret som udført." in shown
    )
    assert "2026: risiko" in shown and "Trivslen falder i udskolingen" in shown
    assert "trivsel: 81,5&nbsp;%" in shown and "Statusopgaven for 2026 er udført." in shown
    [report] = _reports(gw)
    assert (report.year, report.status, report.reported_by_id) == (
        2026, "at_risk", gw.world.people["anne"].id,
    )  # fmt: skip
    assert report.indicators == [{"name": "trivsel", "unit": "%", "target": 85.0, "value": 81.5}]
    task = _status_task(gw)
    assert task.status == TaskStatus.done and task.completed_by_id == gw.world.people["anne"].id
    assert report.task_id == task.id
    again = client.post(
        "/goals/skole-m1/report",
        data={
            "csrf_token": csrf_of(shown), "year": "2026", "status": "at_risk",
            "comment": "Trivslen falder i udskolingen", "indicator:trivsel": "81.5",
        },
    )  # fmt: skip
    assert again.headers["location"] == "/goals/skole-m1?year=2026&saved=unchanged"
    assert "Uændret" in client.get(again.headers["location"]).text
    assert len(_reports(gw)) == 1


def test_history_per_year_newest_first_and_the_form_starts_from_the_years_status(
    gw: GoalWorld,
) -> None:
    client = gw.world.client("anne")
    for year, status, comment in (
        ("2026", "på sporet", "Godt i gang"),
        ("2026", "risiko", "Det går trægere"),
        ("2027", "off_track", "Ikke på sporet i år"),
    ):
        assert _report(client, year=year, status=status, comment=comment).status_code == 303
    page = client.get("/goals/skole-m1?year=2026").text
    assert page.index("2027: ikke på sporet") < page.index("2026: risiko")
    section_2026 = page[page.index("2026: risiko") :]
    assert section_2026.index("Det går trægere") < section_2026.index("Godt i gang")
    assert page.count("(gældende)") == 2 and page.count("(tidligere)") == 1
    assert 'value="at_risk" required checked' in page  # the form starts from 2026's status
    assert ">Det går trægere</textarea>" in page
    assert "Seneste status" in page and "Ikke på sporet" in page and "for 2027" in page
    listing = client.get("/goals").text
    assert "Ikke på sporet" in listing and "for 2027" in listing


def test_english_for_a_person_with_locale_en(gw: GoalWorld) -> None:
    client = gw.world.client("eric")
    assert "<h1>My goals</h1>" in client.get("/goals").text
    assert (
        _report(client, "eng-m1", year="2027", status="on track", comment="Fine").status_code == 303
    )
    page = client.get("/goals/eng-m1?year=2027").text
    assert "Report the status for 2027" in page and "2027: on track" in page
    assert '<html lang="en">' in page and "History per year" in page


def test_who_may_read_and_report(gw: GoalWorld) -> None:
    w = gw.world
    assert w.client("bob").get("/goals/skole-m1").status_code == 403
    assert _report(w.client("bob"), "oek-m1", year="2027", status="risiko").status_code == 303
    bob = w.client("bob")
    token = form_token(bob, "/goals")
    refused = bob.post(
        "/goals/skole-m1/report", data={"csrf_token": token, "year": "2026", "status": "risiko"}
    )
    assert refused.status_code == 403
    for reader in ("sara", "dorte"):  # the committee's secretary and the direktion read
        client = w.client(reader)
        page = client.get("/goals/skole-m1")
        assert page.status_code == 200 and "Kun målets ansvarlige" in page.text
        assert 'action="/goals/skole-m1/report"' not in page.text
        denied = client.post(
            "/goals/skole-m1/report",
            data={"csrf_token": csrf_of(page.text), "year": "2026", "status": "risiko"},
        )
        assert denied.status_code == 403
    assert w.client("sara").get("/goals/oek-m1").status_code == 403  # another committee
    assert [r.goal_id for r in _reports(gw)] == [gw.goal_ids["oek-m1"]]
    assert _status_task(gw).status == TaskStatus.open
    planner = w.client("palle")  # planning reports for anyone, and ticks off the owner's task
    assert _report(planner, year="2026", status="opfyldt").status_code == 303
    assert _status_task(gw).status == TaskStatus.done
    assert _reports(gw)[-1].reported_by_id == w.people["palle"].id


def test_filters_follow_the_roles(gw: GoalWorld) -> None:
    w = gw.world
    with Session(w.runtime.engine) as s:
        from aarshjul.models import Committee

        ids = {c.name: c.id for c in s.exec(select(Committee)).all()}
    bsu, other = ids["Børne- og Skoleudvalget"], ids["Økonomiudvalget"]
    direktion = w.client("dorte").get(f"/goals?committee={other}")
    assert direktion.status_code == 200 and "Bobs økonomimål" in direktion.text
    assert "Elevernes trivsel" not in direktion.text and "<h1>Mål</h1>" in direktion.text
    secretary = w.client("sara")
    assert "Elevernes trivsel" in secretary.get(f"/goals?committee={bsu}").text
    assert secretary.get(f"/goals?committee={other}").status_code == 403
    anne = w.client("anne")
    assert anne.get(f"/goals?person={w.people['bob'].id}").status_code == 403
    assert anne.get(f"/goals?committee={bsu}").status_code == 403
    assert "<select" not in anne.get("/goals").text  # no filters for a department head


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": "fint"}, "er ikke en status"),
        ({"status": "risiko", "indicator:trivsel": "mange"}, "is not a number"),
        ({"status": "risiko", "indicator:ukendt": "3"}, "has no indicator"),
        ({"status": "risiko", "year": "2031"}, "outside its horizon"),
    ],
)
def test_bad_input_shows_the_form_again_and_writes_nothing(
    gw: GoalWorld, fields: dict[str, str], message: str
) -> None:
    client = gw.world.client("anne")
    answer = _report(client, **{"year": "2026", "comment": "Mit udkast", **fields})
    assert answer.status_code == 400 and message in answer.text
    assert "Målstatus blev ikke gemt" in answer.text and ">Mit udkast</textarea>" in answer.text
    if "indicator:trivsel" in fields:
        assert 'value="mange"' in answer.text
    assert _reports(gw) == [] and _status_task(gw).status == TaskStatus.open


def test_unknown_goal_and_bad_year_parameter(gw: GoalWorld) -> None:
    client = gw.world.client("anne")
    assert client.get("/goals/nope").status_code == 404
    assert client.get("/goals/skole-m1?year=abc").status_code == 400
    assert client.get("/goals").status_code == 200


def test_post_without_csrf_is_refused(gw: GoalWorld) -> None:
    client = gw.world.client("anne")
    good = form_token(client, "/goals/skole-m1")
    fields = {"year": "2026", "status": "risiko"}
    assert client.post("/goals/skole-m1/report", data=fields).status_code == 403
    bad = client.post("/goals/skole-m1/report", data={**fields, "csrf_token": good + "x"})
    assert bad.status_code == 403
    key = client.app.state.web.key  # type: ignore[attr-defined]
    link = f"/a/{action_token(task_id=gw.status_task_id, person_id=gw.world.people['anne'].id or 0, key=key)}"
    assert client.post(link, data=fields).status_code == 403
    assert _reports(gw) == [] and _status_task(gw).status == TaskStatus.open


def test_the_status_task_in_my_tasks_opens_the_report_form(gw: GoalWorld) -> None:
    client = gw.world.client("anne")
    html = client.get("/tasks").text
    card = html[html.index(f'id="task-{gw.status_task_id}"') :]
    card = card[: card.index("</article>")]
    assert 'href="/goals/skole-m1?year=2026#report"' in card and "Rapportér status for 2026" in card
    assert "/done" not in card
    token = csrf_of(html)
    plain = client.post(f"/tasks/{gw.status_task_id}/done", data={"csrf_token": token})
    assert plain.status_code == 303
    assert plain.headers["location"] == "/goals/skole-m1?year=2026#report"
    htmx = client.post(
        f"/tasks/{gw.status_task_id}/done", data={"csrf_token": token},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert htmx.headers["hx-redirect"] == "/goals/skole-m1?year=2026#report"
    assert _status_task(gw).status == TaskStatus.open  # "done" alone does not complete it
    other = client.post(f"/tasks/{gw.world.id('week')}/done", data={"csrf_token": token})
    assert other.status_code == 303 and gw.world.task("week").status == TaskStatus.done


def test_the_digest_link_of_a_status_task_opens_the_form_and_reporting_completes_it(
    gw: GoalWorld,
) -> None:
    visitor = gw.world.client()
    key = visitor.app.state.web.key  # type: ignore[attr-defined]
    anne = gw.world.people["anne"].id or 0
    path = f"/a/{action_token(task_id=gw.status_task_id, person_id=anne, key=key)}"
    for _ in range(2):
        page = visitor.get(path)
        assert page.status_code == 200 and "Rapportér målstatus" in page.text
        assert "Du rapporterer status for 2026 på målet som Anne Kjær" in page.text
    assert _status_task(gw).status == TaskStatus.open and _reports(gw) == []
    missing = visitor.post(path, data={"csrf_token": csrf_of(page.text), "note": "x"})
    assert missing.status_code == 400 and "er ikke en status" in missing.text
    assert _status_task(gw).status == TaskStatus.open
    done = visitor.post(
        path,
        data={
            "csrf_token": csrf_of(page.text), "status": "on_track", "comment": "Fra mailen",
            "indicator:fravær": "4,2",
        },
    )  # fmt: skip
    assert done.status_code == 200 and "Målstatus er gemt, og opgaven er udført." in done.text
    [report] = _reports(gw)
    assert (report.year, report.status, report.comment, report.reported_by_id) == (
        2026, "on_track", "Fra mailen", anne,
    )  # fmt: skip
    assert report.indicators[0]["value"] == 4.2
    task = _status_task(gw)
    assert task.status == TaskStatus.done and task.completed_by_id == anne
    with Session(gw.world.runtime.engine) as s:
        access = s.exec(select(AccessEvent)).one()
        events = s.exec(select(TaskEvent).where(TaskEvent.task_id == gw.status_task_id)).all()
    assert (access.kind, access.person_id, access.data) == (
        "action_link_used", anne, {"task": gw.status_task_id, "goal": "skole-m1", "year": 2026},
    )  # fmt: skip
    assert [(e.to_status, e.actor_id) for e in events] == [("done", anne)]
    assert "allerede udført" in visitor.get(path).text
    assert "/login" in done.text  # the link did not sign in


def test_script_in_a_goal_title_comment_or_indicator_is_escaped(gw: GoalWorld) -> None:
    client = gw.world.client("anne")
    assert (
        _report(client, "skole-xss", year="2026", status="risiko", comment=XSS).status_code == 303
    )
    visitor = gw.world.client()
    key = visitor.app.state.web.key  # type: ignore[attr-defined]
    with Session(gw.world.runtime.engine) as s:
        task = s.get_one(Task, gw.status_task_id)
        task.subject, task.goal_id = "goal:skole-xss", gw.goal_ids["skole-xss"]
        s.add(task)
        s.commit()
    link = f"/a/{action_token(task_id=gw.status_task_id, person_id=gw.world.people['anne'].id or 0, key=key)}"
    pages = {
        "goals": client.get("/goals").text,
        "goal": client.get("/goals/skole-xss?year=2026").text,
        "tasks": client.get("/tasks").text,
        "action": visitor.get(link).text,
        "direktion": gw.world.client("dorte").get("/goals/skole-xss").text,
    }
    for name, html in pages.items():
        assert XSS not in html, name
        assert ESCAPED in html, name
    bad = _report(client, "skole-xss", year="2026", status=XSS)
    assert bad.status_code == 400 and XSS not in bad.text


def _queries(gw: GoalWorld, client: Any, path: str) -> int:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    engine = gw.world.runtime.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def test_a_page_makes_the_same_few_queries_whatever_the_number_of_goals(gw: GoalWorld) -> None:
    client = gw.world.client("anne")
    before = {path: _queries(gw, client, path) for path in ("/goals", "/goals/skole-m1")}
    for year in ("2026", "2027"):
        assert _report(client, year=year, status="risiko").status_code == 303
    with Session(gw.world.runtime.engine) as s:
        from aarshjul.models import PolicyArea

        area = s.exec(select(PolicyArea).where(PolicyArea.name == "Skole")).one()
        for n in range(40):
            goal = f.goal(s, area, key=f"ekstra-{n}", title=f"Ekstra mål {n}")
            s.add(GoalReport(goal_id=goal.id or 0, year=2026, status="on_track",
                             reported_by_id=gw.world.people["anne"].id or 0))  # fmt: skip
        s.commit()
    after = {path: _queries(gw, client, path) for path in ("/goals", "/goals/skole-m1")}
    assert "Ekstra mål 39" in client.get("/goals").text
    assert after == before and max(after.values()) <= 8, after
