"""Helpers for the web app's tests: a small organisation, an app on it, signed-in clients."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from aarshjul.access.sessions import start_session
from aarshjul.clock import Clock
from aarshjul.config import Settings
from aarshjul.db import make_engine, session_scope
from aarshjul.models import Organisation, Person, Task, TaskStatus
from aarshjul.runtime import Runtime
from aarshjul.web.app import create_app
from aarshjul.web.context import SESSION_COOKIE
from tests import factories as f

WEDNESDAY = date(2027, 10, 13)
XSS = '<script>alert("x")</script>'


@dataclass
class WebWorld:
    """The organisation, its people and tasks, and the runtime the app is built from."""

    runtime: Runtime
    org: Organisation
    people: dict[str, Person]
    tasks: dict[str, Task]
    console: list[str] = field(default_factory=list)

    def id(self, name: str) -> int:
        task_id = self.tasks[name].id
        assert task_id is not None
        return task_id

    def app(self, **kw: Any) -> Any:
        return create_app(self.runtime, console=self.console.append, **kw)

    def client(self, who: str | None = None, **kw: Any) -> TestClient:
        base = kw.pop("base_url", "http://testserver")
        client = TestClient(self.app(**kw), base_url=base, follow_redirects=False)
        if who is not None:
            client.cookies.set(SESSION_COOKIE, self.session_token(who))
        return client

    def session_token(self, who: str) -> str:
        with session_scope(self.runtime.engine) as s:
            person = s.get_one(Person, self.people[who].id)
            return start_session(
                s,
                person=person,
                method="test",
                client="test",
                now=self.runtime.clock.now(),
                hours=1,
            )

    def task(self, name: str) -> Task:
        with Session(self.runtime.engine) as s:
            return s.get_one(Task, self.id(name))


def build_world(
    db_url: str, tmp_path: Path, *, today: date | None = WEDNESDAY, **settings: Any
) -> WebWorld:
    """Anne (department head) with one task in each section, Bob's tasks in and outside the
    committee whose secretary is Sara, Palle (planning), Dorte (direktion), Eric (English)."""
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        org = f.organisation(s, name="Testkommune")
        p = {
            "anne": f.person(s, org, name="Anne Kjær", email="anne@example.dk"),
            "bob": f.person(s, org, name="Bob Berg", email="bob@example.dk"),
            "sara": f.person(s, org, name="Sara Sekretær", email="sara@example.dk", roles=("secretary",)),
            "palle": f.person(s, org, name="Palle Plan", email="palle@example.dk", roles=("planning",)),
            "dorte": f.person(s, org, name="Dorte Åberg", email="dorte@example.dk", roles=("direktion",)),
            "eric": f.person(s, org, name="Eric Smith", email="eric@example.dk", locale="en"),
            "gone": f.person(s, org, name="Gone Away", email="gone@example.dk", active=False),
        }  # fmt: skip
        bsu = f.committee(s, org, name="Børne- og Skoleudvalget", secretary_id=p["sara"].id)
        other = f.committee(s, org, name="Økonomiudvalget")
        area = f.policy_area(s, org, bsu, p["anne"], name="Skole")
        goal = f.goal(s, area, title="Flere elever trives")
        cycle = f.cycle(s, org)
        phase = f.phase(
            s, cycle, date(2027, 9, 1), date(2027, 12, 1), name_da="Høring", name_en="Hearing"
        )
        anne, bob, eric = p["anne"], p["bob"], p["eric"]
        t = {
            "late": f.task(
                s, cycle, anne, date(2027, 10, 8), title_da="Tjek servicemål", phase_id=phase.id
            ),
            "week": f.task(
                s,
                cycle,
                anne,
                date(2027, 10, 15),
                title_da="Aflever målstatus",
                title_en="Hand in goal status",
                description="Skriv status for hvert mål.",
                goal_id=goal.id,
                phase_id=phase.id,
                policy_area_id=area.id,
            ),
            "later": f.task(
                s,
                cycle,
                anne,
                date(2027, 11, 3),
                title_da=f"Budget {XSS}",
                title_en=f"Budget {XSS}",
            ),
            "done": f.task(
                s,
                cycle,
                anne,
                date(2027, 10, 11),
                title_da="Indkald til dialogmøde",
                status=TaskStatus.done,
                completed_at=datetime(2027, 10, 11, 9, tzinfo=UTC),
                completed_by_id=anne.id,
            ),
            "bob_bsu": f.task(
                s, cycle, bob, date(2027, 10, 20), title_da="Bobs skoleopgave", committee_id=bsu.id
            ),
            "bob_other": f.task(
                s,
                cycle,
                bob,
                date(2027, 10, 21),
                title_da="Bobs økonomiopgave",
                committee_id=other.id,
            ),
            "eric": f.task(
                s, cycle, eric, date(2027, 10, 14), title_da="Erics opgave", title_en="Eric's task"
            ),
        }
        s.commit()
    cfg = Settings(data_dir=tmp_path / "data", **settings)
    runtime = Runtime(
        settings=cfg, engine=engine, clock=Clock(fixed_today=today), organisation_key=org.key
    )
    return WebWorld(runtime, org, p, t)


@contextmanager
def served(app: Any, port: int) -> Iterator[str]:
    """``app`` served by uvicorn from a thread on 127.0.0.1:``port``; yields its URL."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = _CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def form_token(client: TestClient, path: str = "/login") -> str:
    """GET ``path`` (which sets the CSRF cookie) and return its form's token."""
    response = client.get(path)
    assert response.status_code == 200, response.text
    return csrf_of(response.text)


@dataclass
class GoalWorld:
    """Goals on top of a :class:`WebWorld`: Anne's ``skole-m1`` (indicators, a status task in the
    2027 cycle that reports on 2026, committee BSU whose secretary is Sara), Anne's ``skole-xss``
    (a hostile title), Bob's ``oek-m1`` (another committee) and Eric's ``eng-m1``."""

    world: WebWorld
    status_task_id: int
    goal_ids: dict[str, int]


def add_goals(world: WebWorld, *, status_due: date = date(2027, 10, 14)) -> GoalWorld:
    from sqlmodel import select

    from aarshjul.models import Committee, Cycle, GoalIndicator, PolicyArea

    with Session(world.runtime.engine, expire_on_commit=False) as s:
        other = s.exec(select(Committee).where(Committee.name == "Økonomiudvalget")).one()
        area = s.exec(select(PolicyArea).where(PolicyArea.name == "Skole")).one()
        cycle = s.exec(select(Cycle)).one()
        p = world.people
        econ = f.policy_area(s, world.org, other, p["bob"], name="Økonomi")
        goals = {
            "skole-m1": f.goal(s, area, key="skole-m1", title="Elevernes trivsel skal stige"),
            "skole-xss": f.goal(s, area, key="skole-xss", title=f"Trivsel {XSS}"),
            "oek-m1": f.goal(s, econ, key="oek-m1", title="Bobs økonomimål"),
            "eng-m1": f.goal(
                s, econ, key="eng-m1", title="Shorter case handling", owner_id=p["eric"].id
            ),
        }
        s.add(GoalIndicator(goal_id=goals["skole-m1"].id, name="trivsel", unit="%", target=85))
        s.add(GoalIndicator(goal_id=goals["skole-m1"].id, name="fravær", unit="%", position=1))
        task = f.task(
            s, cycle, p["anne"], status_due, key="goal_status", subject="goal:skole-m1",
            goal_id=goals["skole-m1"].id, policy_area_id=area.id,
            title_da="Statusrapport: Elevernes trivsel skal stige",
            title_en="Status report: Elevernes trivsel skal stige",
            description="Afrapportér status med en kort kommentar.",
        )  # fmt: skip
        s.commit()
        assert task.id is not None
        return GoalWorld(world, task.id, {k: g.id for k, g in goals.items()})
