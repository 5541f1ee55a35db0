"""A small municipality with the year's idea phase, hvidbog and plan hearing, for the tests of
the digital plan, the public forms and the hvidbog.

The 2027 cycle is planned from the built-in ``helhedsplan`` template's keys (``idea``,
``hvidbog_ideas``, ``plan_hearing``, ``plan_adoption``), so the template's ``public`` marker
applies: the idea phase runs 1 March - 12 April 2027, the hearing 2 September - 28 October.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from aarshjul.access.sessions import start_session
from aarshjul.clock import Clock
from aarshjul.config import Settings
from aarshjul.db import make_engine, session_scope
from aarshjul.models import Goal, GoalLevel, Organisation, Person
from aarshjul.runtime import Runtime
from aarshjul.web.app import create_app
from aarshjul.web.context import SESSION_COOKIE
from tests import factories as f
from tests.web_support import csrf_of

IDEA_OPEN = date(2027, 3, 15)
IDEA_START, IDEA_END = date(2027, 3, 1), date(2027, 4, 12)
HEARING_START, HEARING_END = date(2027, 9, 2), date(2027, 10, 28)
ADOPTION = date(2027, 11, 25)
XSS = '<script>alert("x")</script><b>fed</b>'
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@dataclass
class PlanWorld:
    runtime: Runtime
    org: Organisation
    people: dict[str, Person]
    goals: dict[str, Goal]
    ids: dict[str, int] = field(default_factory=dict)

    def app(self, **kw: Any) -> Any:
        return create_app(self.runtime, **kw)

    def client(self, who: str | None = None, **kw: Any) -> TestClient:
        client = TestClient(self.app(**kw), base_url="http://testserver", follow_redirects=False)
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

    def on(self, day: date) -> PlanWorld:
        """The same world seen on another day."""
        runtime = Runtime(
            settings=self.runtime.settings, engine=self.runtime.engine,
            clock=Clock(fixed_today=day), organisation_key=self.org.key,
        )  # fmt: skip
        return PlanWorld(runtime, self.org, self.people, self.goals, self.ids)


def build_plan_world(
    db_url: str, tmp_path: Path, *, today: date = IDEA_OPEN, **settings: Any
) -> PlanWorld:
    """Anne heads Skole (a vision and a goal under it), Bob heads Natur; Palle plans."""
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        org = f.organisation(s, name="Testkommune", key="testkommune")
        p = {
            "anne": f.person(s, org, name="Anne Kjær", email="anne@example.dk", title="Skolechef"),
            "bob": f.person(s, org, name="Bob Berg", email="bob@example.dk", title="Naturchef"),
            "palle": f.person(s, org, name="Palle Plan", email="palle@example.dk",
                              title="Planchef", roles=("planning",)),
            "dorte": f.person(s, org, name="Dorte Åberg", email="dorte@example.dk",
                              title="Direktør", roles=("direktion",)),
        }  # fmt: skip
        bsu = f.committee(s, org, name="Børne- og Skoleudvalget")
        tmu = f.committee(s, org, name="Teknik- og Miljøudvalget")
        skole = f.policy_area(s, org, bsu, p["anne"], key="skole", name="Skole")
        natur = f.policy_area(s, org, tmu, p["bob"], key="natur", name="Natur og miljø")
        vision = f.goal(
            s, skole, key="skole-v1", level=GoalLevel.vision, title="Alle børn lærer mere",
            horizon_start=2026, horizon_end=2037, description="Visionen for skolerne.",
        )  # fmt: skip
        goals = {
            "vision": vision,
            "trivsel": f.goal(
                s,
                skole,
                key="skole-m1",
                title="Flere elever trives",
                parent_id=vision.id,
                description="Trivslen måles hvert år i den nationale trivselsmåling.",
            ),
            "natur": f.goal(s, natur, key="natur-m1", title="Mere biodiversitet i kommunens skove"),
        }
        cycle = f.cycle(s, org, 2027)
        f.phase(s, cycle, IDEA_START, IDEA_END, key="idea", owner_id=p["palle"].id,
                name_da="Idéfase for borgere og foreninger",
                name_en="Idea phase for citizens and associations")  # fmt: skip
        f.phase(s, cycle, date(2027, 4, 13), date(2027, 5, 28), key="hvidbog_ideas",
                name_da="Hvidbog om idéer", name_en="White paper on ideas")  # fmt: skip
        f.phase(s, cycle, HEARING_START, HEARING_END, key="plan_hearing", owner_id=p["palle"].id,
                name_da="Offentlig høring af forslag til tillæg",
                name_en="Public hearing of the proposed addendum")  # fmt: skip
        f.phase(s, cycle, date(2027, 10, 29), date(2027, 11, 18), key="hvidbog_responses",
                name_da="Hvidbog om høringssvar")  # fmt: skip
        f.milestone(s, cycle, ADOPTION, key="plan_adoption", kind="decision",
                    name_da="Endelig vedtagelse af tillæg til Helhedsplanen")  # fmt: skip
        s.commit()
    cfg = Settings(data_dir=tmp_path / "data", **settings)
    runtime = Runtime(
        settings=cfg, engine=engine, clock=Clock(fixed_today=today), organisation_key=org.key
    )
    return PlanWorld(runtime, org, p, goals)


def idea_form(client: TestClient, path: str = "/ideas", **fields: Any) -> dict[str, Any]:
    """The form's hidden values from a GET of ``path`` and ``fields`` on top."""
    page = client.get(path)
    assert page.status_code == 200, page.text
    import re

    key = re.search(r'name="form_key" value="([^"]+)"', page.text)
    assert key, "no form key on the page"
    values = {"csrf_token": csrf_of(page.text), "form_key": key.group(1),
              "name": "Karen Borger", "email": "karen@example.org",
              "body": "Byg en ny legeplads ved skolen.", "concerns": "goal:skole-m1"}  # fmt: skip
    return values | fields
