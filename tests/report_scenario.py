"""The sample municipality as it stands when the planning report of 2027 is drafted (May 2027).

14 policy areas and 100 goals (the shipped sample), the invented StatBank sample figures, the
2027 wheel planned, status reports on 2026 for most goals that ran in 2026 (some with indicator
values, one with a hostile comment), two addenda (one in hearing, one planned) and two of the
three planning staff sections written. Used by the report tests and ``benchmarks/bench_reports.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib.resources import files

from sqlmodel import Session, col, select

from aarshjul.access.permissions import viewer_for
from aarshjul.goals import report_goal_status
from aarshjul.models import Goal, GoalIndicator, Organisation, Person
from aarshjul.models.queries import get_organisation
from aarshjul.org.importing import import_org
from aarshjul.org.org_files import load_sample_org
from aarshjul.planning.plan import plan_cycle, start_process
from aarshjul.planning.template_files import load_builtin_template
from aarshjul.reports.sections import save_section
from aarshjul.stats.figure_store import import_figures
from aarshjul.stats.table_mappings import load_mapping

YEAR = 2027
TODAY = date(2027, 5, 3)
NOW = datetime(2027, 5, 3, 8, 0, tzinfo=UTC)
PLANNER = "marianne.skovbo@jammerbugt.example"
DIREKTOR = "anne.kjaer@jammerbugt.example"
HEAD = "birgitte.thygesen@jammerbugt.example"
HOSTILE = 'Se <script>alert("x")</script> & <b>fed</b>'
#: Goals left without a report on 2026 (every seventh goal due one), so the report lists some.
SKIP_EVERY = 7
STATUSES = ("på sporet", "risiko", "på sporet", "ikke på sporet", "opfyldt")


@dataclass(frozen=True)
class ReportWorld:
    """What the scenario made: the organisation and the keys of what the report must show."""

    org: Organisation
    reported: list[str]
    unreported: list[str]


def build_report_world(session: Session, *, plan: bool = True) -> ReportWorld:
    """Fill an empty, migrated database (commits)."""
    import_org(session, load_sample_org())
    session.commit()
    org = get_organisation(session, "jammerbugt")
    _statistics(session, org)
    if plan:
        plan_cycle(
            session, organisation=org, template=load_builtin_template("helhedsplan"), year=YEAR,
            now=NOW,
        )  # fmt: skip
    _addenda(session, org)
    reported, unreported = _reports(session, org)
    _sections(session, org)
    session.commit()
    return ReportWorld(org, reported, unreported)


def _statistics(session: Session, org: Organisation) -> None:
    folder = files("aarshjul.data").joinpath("statbank")
    for table in ("FOLK1A", "BYGV33", "AUS08"):
        name = f"{table}_849_opdigtede-tal_invented-numbers.csv"
        import_figures(
            session, organisation=org, data=folder.joinpath(name).read_bytes(), source=name,
            mapping=load_mapping(table), area=None, retrieved_on=date(2027, 4, 6), now=NOW,
        )  # fmt: skip
    session.commit()


def _addenda(session: Session, org: Organisation) -> None:
    template = load_builtin_template("tillaeg")
    start_process(
        session, organisation=org, template=template, title="Tillæg 3: Solceller ved Fjerritslev",
        start=date(2027, 1, 11), now=NOW,
    )  # fmt: skip
    start_process(
        session, organisation=org, template=template, title="Tillæg 4: Mindre justering i Aabybro",
        start=date(2027, 6, 7), now=NOW, variant="minor",
    )  # fmt: skip
    session.commit()


def _reports(session: Session, org: Organisation) -> tuple[list[str], list[str]]:
    goals = session.exec(
        select(Goal).where(Goal.organisation_id == org.id, col(Goal.horizon_start) <= YEAR - 1)
        .order_by(col(Goal.id))
    ).all()  # fmt: skip
    indicators: dict[int, list[GoalIndicator]] = {}
    for row in session.exec(select(GoalIndicator).order_by(col(GoalIndicator.position))):
        indicators.setdefault(row.goal_id, []).append(row)
    planner = session.exec(select(Person).where(Person.email == PLANNER)).one()
    reported, unreported = [], []
    for n, goal in enumerate(goals):
        if n % SKIP_EVERY == SKIP_EVERY - 1:
            unreported.append(goal.key)
            continue
        values = {i.name: f"{(i.target or 80) * 1.05:.1f}".replace(".", ",")
                  for i in indicators.get(goal.id or 0, [])}  # fmt: skip
        comment = (
            HOSTILE if goal.key == "skole-m3" else f"Status for {goal.key}: fulgt op i udvalget."
        )
        report_goal_status(
            session, organisation=org, goal_key=goal.key, status=STATUSES[n % len(STATUSES)],
            by_email=planner.email, now=NOW, today=TODAY, year=YEAR - 1, comment=comment,
            indicators=values,
        )  # fmt: skip
        reported.append(goal.key)
    session.commit()
    return reported, unreported


def _sections(session: Session, org: Organisation) -> None:
    planner = viewer_for(session, session.exec(select(Person).where(Person.email == PLANNER)).one())
    texts = {
        "legislation": (
            "Planloven er ændret pr. 1. juli 2026: kommunerne kan nu udlægge flere sommerhusområder "
            "langs kysten.\n\n- Ny lov om klimatilpasning (kystbeskyttelse)\n- Reform af "
            "beskæftigelsesindsatsen fra 2027\n\nÆndringerne indgår i tillæg 3 og 4."
        ),
        "regional": (
            "Region Nordjyllands regionale udviklingsstrategi 2027-2030 er i høring. "
            f"Nabokommunerne Aalborg og Hjørring reviderer deres kommuneplaner. {HOSTILE}"
        ),
    }
    for key, body in texts.items():
        save_section(
            session, organisation=org, viewer=planner, year=YEAR, key=key, body=body,
            base_id=None, now=NOW,
        )  # fmt: skip
    session.commit()
