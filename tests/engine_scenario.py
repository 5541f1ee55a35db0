"""A hand-built organisation for the board report and the tick, as of Monday 15 March 2027.

Phases: ``status`` (4 Jan - 26 Feb, over), ``idea`` (1 Mar - 9 Apr, running), ``budget``
(2 Aug - 14 Oct, ahead). Tasks ``t1``-``t7`` cover done, waived, overdue and in-progress rows in
two committees and one task without a committee; ``budget_2nd`` (statutory) depends, through
``t6``, on the late ``t4``. The expected numbers are worked out by hand in the tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from aarshjul.models import (
    GoalStatus,
    Milestone,
    Organisation,
    Person,
    Phase,
    Task,
    TaskDependency,
    TaskStatus,
)
from tests import factories as f

TODAY = date(2027, 3, 15)


@dataclass
class Board:
    org: Organisation
    people: dict[str, Person]
    phases: dict[str, Phase]
    milestones: dict[str, Milestone]
    tasks: dict[str, Task]

    def id(self, name: str) -> int:
        task_id = self.tasks[name].id
        assert task_id is not None
        return task_id


def build(session: Session) -> Board:
    org = f.organisation(session, key="testkommune", name="Testkommune")
    boss = f.person(session, org, name="Bent Boss", email="bent@example.dk")
    people = {
        "boss": boss,
        "dir": f.person(session, org, name="Dorte Direktør", email="dorte@example.dk",
                        roles=("direktion",)),
        "plan": f.person(session, org, name="Palle Plan", email="palle@example.dk",
                         roles=("planning",)),
        "anne": f.person(session, org, name="Anne Kjær", email="anne@example.dk",
                         superior_id=boss.id),
        "eric": f.person(session, org, name="Eric Smith", email="eric@example.dk", locale="en"),
    }  # fmt: skip
    bsu = f.committee(session, org, key="bsu", name="Børne- og Skoleudvalget")
    oeu = f.committee(session, org, key="oeu", name="Økonomiudvalget")
    skole = f.policy_area(session, org, bsu, people["anne"], key="skole", name="Skole")
    oek = f.policy_area(session, org, oeu, people["eric"], key="oek", name="Økonomi")
    f.goal(session, skole, status=GoalStatus.at_risk)
    f.goal(session, oek, status=GoalStatus.on_track)
    cycle = f.cycle(session, org, 2027)
    phases = {
        "status": f.phase(session, cycle, date(2027, 1, 4), date(2027, 2, 26), key="status",
                          name_da="Status på mål"),
        "idea": f.phase(session, cycle, date(2027, 3, 1), date(2027, 4, 9), key="idea",
                        name_da="Idéfase"),
        "budget": f.phase(session, cycle, date(2027, 8, 2), date(2027, 10, 14), key="budget",
                          name_da="Budget"),
    }  # fmt: skip
    milestones = {
        "budget_2nd": f.milestone(session, cycle, date(2027, 10, 12), key="budget_2nd",
                                  name_da="2. behandling", statutory=True),
        "minor": f.milestone(session, cycle, date(2027, 3, 31), key="minor", name_da="Lille"),
    }  # fmt: skip
    anne, eric = people["anne"], people["eric"]
    school = {"committee_id": bsu.id, "policy_area_id": skole.id}
    econ = {"committee_id": oeu.id, "policy_area_id": oek.id}
    st, idea, bud = (phases[k].id for k in ("status", "idea", "budget"))
    tasks = {
        "t1": f.task(session, cycle, anne, date(2027, 2, 1), phase_id=st, status=TaskStatus.done,
                     **school),
        "t2": f.task(session, cycle, anne, date(2027, 2, 15), phase_id=st, title_da="Målstatus",
                     **school),
        "t3": f.task(session, cycle, anne, date(2027, 2, 20), phase_id=st,
                     status=TaskStatus.waived, **school),
        "t4": f.task(session, cycle, eric, date(2027, 3, 10), phase_id=idea, title_da="Idéoplæg",
                     **econ),
        "t5": f.task(session, cycle, eric, date(2027, 4, 1), phase_id=idea,
                     status=TaskStatus.in_progress, **econ),
        "t6": f.task(session, cycle, eric, date(2027, 10, 1), phase_id=bud,
                     milestone_id=milestones["budget_2nd"].id, **econ),
        "t7": f.task(session, cycle, anne, date(2027, 3, 12), phase_id=bud,
                     milestone_id=milestones["minor"].id),
    }  # fmt: skip
    session.add(TaskDependency(task_id=tasks["t6"].id, depends_on_id=tasks["t4"].id))
    session.commit()
    return Board(org, people, phases, milestones, tasks)
