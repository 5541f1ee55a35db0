"""The board's tests: the hand-built scenario of :mod:`tests.engine_scenario` served by the web
app as of Monday 15 March 2027, optionally grown by extra committees, people and tasks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from aarshjul.access.sessions import start_session
from aarshjul.clock import Clock
from aarshjul.config import Settings
from aarshjul.db import make_engine, session_scope
from aarshjul.models import Person, TaskStatus
from aarshjul.runtime import Runtime
from aarshjul.web.app import create_app
from aarshjul.web.context import SESSION_COOKIE
from tests import factories as f
from tests.engine_scenario import TODAY, Board, build

HOSTILE = '<script>alert("x")</script>=HYPERLINK("http://evil.example")'


@dataclass
class BoardWorld:
    """The scenario, its runtime and signed-in clients (``dir``, ``plan``, ``anne``, …)."""

    runtime: Runtime
    board: Board

    def app(self) -> Any:
        return create_app(self.runtime, console=lambda _: None)

    def client(self, who: str | None = None) -> TestClient:
        app = self.app()
        client = TestClient(app, base_url="http://testserver", follow_redirects=False)
        if who is not None:
            client.cookies.set(SESSION_COOKIE, self.session_token(who))
        return client

    def session_token(self, who: str) -> str:
        with session_scope(self.runtime.engine) as s:
            person = s.get_one(Person, self.board.people[who].id)
            now = self.runtime.clock.now()
            return start_session(s, person=person, method="test", client="test", now=now, hours=1)


def board_world(
    db_url: str, tmp_path: Path, *, extra_groups: int = 0, hostile: bool = False, **settings: Any
) -> BoardWorld:
    """The scenario plus ``extra_groups`` committees, each with a policy area, a head and four
    tasks (done, open, overdue, waived) over the three phases; ``hostile`` adds a committee whose
    name is markup and a formula; ``settings`` go to the runtime's :class:`Settings`."""
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        board = build(s)
        _grow(s, board, extra_groups)
        if hostile:
            _hostile(s, board)
        s.commit()
    runtime = Runtime(
        settings=Settings(data_dir=tmp_path / "data", **settings), engine=engine,
        clock=Clock(fixed_today=TODAY), organisation_key=board.org.key,
    )  # fmt: skip
    return BoardWorld(runtime, board)


def _grow(s: Session, board: Board, n: int) -> None:
    from aarshjul.models import Cycle

    cycle = s.get_one(Cycle, board.phases["status"].cycle_id)
    phase_ids = [p.id for p in board.phases.values()]
    for i in range(n):
        head = f.person(s, board.org, name=f"Chef {i}", email=f"chef{i}@example.dk")
        committee = f.committee(s, board.org, key=f"u{i}", name=f"Udvalg {i}")
        area = f.policy_area(s, board.org, committee, head, key=f"p{i}", name=f"Område {i}")
        where: dict[str, Any] = {"committee_id": committee.id, "policy_area_id": area.id}
        for j, (due, status) in enumerate((
            (date(2027, 2, 1), TaskStatus.done), (date(2027, 4, 1), TaskStatus.open),
            (date(2027, 3, 1), TaskStatus.open), (date(2027, 3, 2), TaskStatus.waived),
        )):  # fmt: skip
            f.task(s, cycle, head, due, status=status, phase_id=phase_ids[j % 3],
                   title_da=f"Opgave {i}.{j}", **where)  # fmt: skip


def _hostile(s: Session, board: Board) -> None:
    from aarshjul.models import Cycle

    cycle = s.get_one(Cycle, board.phases["status"].cycle_id)
    head = board.people["anne"]
    committee = f.committee(s, board.org, key="evil", name=HOSTILE)
    f.task(s, cycle, head, date(2027, 3, 3), title_da=HOSTILE, committee_id=committee.id)
