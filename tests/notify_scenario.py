"""A small organisation with one of each kind of digest item around Friday 15 October 2027."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from aarshjul.models import Organisation, Person, Task, TaskReminder, TaskStatus
from tests import factories as f

FRIDAY = date(2027, 10, 15)
SATURDAY = date(2027, 10, 16)
MONDAY = date(2027, 10, 18)
TUESDAY = date(2027, 10, 19)


@dataclass
class Scenario:
    org: Organisation
    people: dict[str, Person]
    tasks: dict[str, Task]

    def id(self, name: str) -> int:
        task_id = self.tasks[name].id
        assert task_id is not None
        return task_id


def build(session: Session) -> Scenario:
    org = f.organisation(session, name="Jammerbugt-ish Kommune")
    boss = f.person(session, org, name="Bent Ørsted", email="bent@example.dk")
    people = {
        "boss": boss,
        "anne": f.person(session, org, name="Anne Kjær", email="anne@example.dk", superior_id=boss.id),
        "eric": f.person(session, org, name="Eric Smith", email="eric@example.dk", locale="en"),
        "dir": f.person(session, org, name="Dorte Åberg", email="dorte@example.dk", roles=("direktion",)),
        "plan": f.person(session, org, name="Palle Plan", email="palle@example.dk", roles=("planning",)),
        "gone": f.person(session, org, name="Gone Away", email="gone@example.dk", active=False),
    }  # fmt: skip
    cycle = f.cycle(session, org)
    hearing = f.phase(
        session, cycle, FRIDAY, date(2027, 12, 10), name_da="Høring af forslag",
        name_en="Hearing", owner_id=people["plan"].id,
    )  # fmt: skip
    anne = people["anne"]
    tasks = {
        "remind": f.task(
            session, cycle, anne, date(2027, 10, 22), title_da="Budgetbidrag til økonomiudvalget"
        ),
        "remind_sat": f.task(session, cycle, anne, date(2027, 10, 25), title_da="Læs høringssvar"),
        "remind_mon": f.task(session, cycle, anne, date(2027, 10, 26), title_da="Skriv hvidbog"),
        "due": f.task(session, cycle, anne, FRIDAY, title_da="Aflever målstatus"),
        "late": f.task(session, cycle, anne, date(2027, 10, 14), title_da="Tjek servicemål"),
        "esc": f.task(
            session,
            cycle,
            anne,
            date(2027, 10, 7),
            title_da="Årsregnskab til revisionen",
            escalate_after=5,
        ),
        "done": f.task(session, cycle, anne, FRIDAY, status=TaskStatus.done),
        "kick": f.task(
            session,
            cycle,
            people["eric"],
            date(2027, 11, 15),
            phase_id=hearing.id,
            title_da="Høringsnotat",
            title_en="Hearing memo",
        ),
        "gone": f.task(session, cycle, people["gone"], FRIDAY),
    }
    for name, day in (("remind", FRIDAY), ("remind_sat", SATURDAY), ("remind_mon", MONDAY)):
        session.add(TaskReminder(task_id=tasks[name].id, remind_on=day))
    session.commit()
    return Scenario(org, people, tasks)
