"""The digital plan (*den digitale plan*) as anyone may read it, without signing in.

:func:`digital_plan` reads, whatever the organisation's size, seven queries: policy areas
with their committee and head's title, goals with their owner's title and committee, the latest
statuses (:func:`~aarshjul.models.goal_statuses.latest_goal_statuses`), the public texts, the
public phases (two) and the year's phases. People appear only by their title (*stilling*),
never by name or address. :func:`search_plan` searches the loaded plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from aarshjul.errors import NotFound
from aarshjul.models import Committee, Cycle, Goal, Organisation, Person, Phase, PolicyArea
from aarshjul.models.goal_statuses import latest_goal_statuses
from aarshjul.participation.plan_state import Addendum, PlanState, addenda, plan_state
from aarshjul.participation.plan_texts import TextState, text_states
from aarshjul.participation.public_phases import PublicPhase, public_phases

_LEVEL_ORDER = {"vision": 0, "goal": 1, "service_goal": 2, "action": 3}


@dataclass
class GoalView:
    """A goal as the public sees it; ``children`` are the goals under it."""

    id: int
    key: str
    area_key: str
    level: str
    title: str
    horizon: tuple[int, int]
    owner_title: str
    committee: str
    status: str
    description: str
    text: TextState
    children: list[GoalView] = field(default_factory=list)

    @property
    def shown_text(self) -> str:
        return self.text.current.body if self.text.current else self.description


@dataclass
class AreaView:
    """A policy area (*politikområde*) with its goals as a tree (visions first)."""

    id: int
    key: str
    name: str
    committee: str
    head_title: str
    text: TextState
    goals: list[GoalView] = field(default_factory=list)
    all_goals: list[GoalView] = field(default_factory=list)


@dataclass(frozen=True)
class PhaseNow:
    """A phase of the year as the plan page lists it: running now or coming."""

    name_da: str
    name_en: str
    start: date
    end: date
    public: PublicPhase | None

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_da


@dataclass
class DigitalPlan:
    organisation: str
    today: date
    state: PlanState
    addenda: list[Addendum]
    areas: list[AreaView]
    current: list[PhaseNow]
    coming: list[PhaseNow]
    public: list[PublicPhase]

    def area(self, key: str) -> AreaView:
        found = next((a for a in self.areas if a.key == key), None)
        if found is None:
            raise NotFound(f"no policy area {key!r} (intet politikområde {key!r})")
        return found

    def goal(self, area_key: str, goal_key: str) -> GoalView:
        found = next((g for g in self.area(area_key).all_goals if g.key == goal_key), None)
        if found is None:
            raise NotFound(f"no goal {goal_key!r} in {area_key!r} (intet mål {goal_key!r})")
        return found


def digital_plan(
    session: Session, *, organisation: Organisation, today: date, coming: int = 4
) -> DigitalPlan:
    """The whole public plan on ``today``; ``coming`` phases after the running ones."""
    org_id = organisation.id or 0
    public = public_phases(session, organisation=organisation)
    items = addenda(public, today)
    goal_texts, area_texts = text_states(
        session, organisation_id=org_id, items=items, today=today, timezone=organisation.timezone
    )
    areas = _areas(session, org_id, area_texts)
    statuses = latest_goal_statuses(session, organisation_id=org_id, year=today.year)
    _goals(session, org_id, areas, statuses, goal_texts)
    running, next_ones = _phases(session, org_id, today, public, coming)
    return DigitalPlan(
        organisation=organisation.name, today=today, state=plan_state(items, today),
        addenda=items, areas=areas, current=running, coming=next_ones, public=public,
    )  # fmt: skip


def _areas(session: Session, org_id: int, texts: dict[int, TextState]) -> list[AreaView]:
    query = (
        select(PolicyArea, Committee.name, Person.title)
        .join(Committee, col(Committee.id) == col(PolicyArea.committee_id))
        .join(Person, col(Person.id) == col(PolicyArea.head_id))
        .where(PolicyArea.organisation_id == org_id)
        .order_by(col(PolicyArea.name))
    )
    return [
        AreaView(
            id=area.id or 0,
            key=area.key,
            name=area.name,
            committee=committee,
            head_title=title,
            text=texts.get(area.id or 0, TextState()),
        )
        for area, committee, title in session.exec(query).all()
    ]


def _goals(
    session: Session,
    org_id: int,
    areas: list[AreaView],
    statuses: dict[int, str],
    texts: dict[int, TextState],
) -> None:
    query = (
        select(Goal, Person.title, Committee.name)
        .join(Person, col(Person.id) == col(Goal.owner_id))
        .join(Committee, col(Committee.id) == col(Goal.committee_id))
        .where(Goal.organisation_id == org_id)
    )
    by_area = {a.id: a for a in areas}
    views: dict[int, tuple[GoalView, int | None]] = {}
    for goal, title, committee in session.exec(query).all():
        area = by_area.get(goal.policy_area_id)
        if area is None:
            continue
        view = GoalView(
            id=goal.id or 0, key=goal.key, area_key=area.key, level=goal.level.value,
            title=goal.title, horizon=(goal.horizon_start, goal.horizon_end),
            owner_title=title, committee=committee, status=statuses.get(goal.id or 0, ""),
            description=goal.description, text=texts.get(goal.id or 0, TextState()),
        )  # fmt: skip
        views[view.id] = (view, goal.parent_id)
        area.all_goals.append(view)
    _tree(views, by_area)


def _tree(views: dict[int, tuple[GoalView, int | None]], by_area: dict[int, AreaView]) -> None:
    """Hang each goal under its parent (in the same policy area), else at the area's top."""
    areas_by_key = {a.key: a for a in by_area.values()}
    for view, parent_id in views.values():
        parent = views.get(parent_id or 0)
        if parent is not None and parent[0].area_key == view.area_key:
            parent[0].children.append(view)
        else:
            areas_by_key[view.area_key].goals.append(view)
    order = _goal_order
    for area in by_area.values():
        area.goals.sort(key=order)
        area.all_goals.sort(key=order)
        for view, _ in views.values():
            view.children.sort(key=order)


def _goal_order(goal: GoalView) -> tuple[int, str]:
    return _LEVEL_ORDER.get(goal.level, 9), goal.title.casefold()


def _phases(
    session: Session, org_id: int, today: date, public: list[PublicPhase], coming: int
) -> tuple[list[PhaseNow], list[PhaseNow]]:
    """Phases running today and the next ``coming`` ones (this year and next)."""
    query = (
        select(Phase)
        .join(Cycle, col(Cycle.id) == col(Phase.cycle_id))
        .where(
            Cycle.organisation_id == org_id,
            col(Cycle.year).in_((today.year - 1, today.year, today.year + 1)),
            col(Phase.end_date) >= today,
        )
        .order_by(col(Phase.start_date), col(Phase.id))
    )
    by_id = {p.phase_id: p for p in public}
    rows = [
        PhaseNow(p.name_da, p.name_en, p.start_date, p.end_date, by_id.get(p.id or 0))
        for p in session.exec(query).all()
    ]
    running = [r for r in rows if r.start <= today]
    return running, [r for r in rows if r.start > today][:coming]


# -- search ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """A policy area or goal that matches every word of a search."""

    area: AreaView
    goal: GoalView | None
    excerpt: str


def search_plan(plan: DigitalPlan, query: str, *, limit: int = 50) -> list[Hit]:
    """Policy areas and goals whose title, texts, committee or owner's title hold every word
    of ``query`` (case-insensitive); areas first, then goals, as they appear in the plan."""
    words = [w.casefold() for w in query.split() if w.strip()][:10]
    if not words:
        return []
    hits: list[Hit] = []
    for area in plan.areas:
        area_text = area.text.current.body if area.text.current else ""
        if _matches(words, area.name, area.committee, area_text):
            hits.append(Hit(area, None, _excerpt(area_text, words)))
    for area in plan.areas:
        for goal in area.all_goals:
            fields = (goal.title, goal.shown_text, goal.committee, goal.owner_title, area.name)
            if _matches(words, *fields):
                hits.append(Hit(area, goal, _excerpt(goal.shown_text, words)))
    return hits[:limit]


def _matches(words: list[str], *fields: str) -> bool:
    haystack = " ".join(fields).casefold()
    return all(word in haystack for word in words)


def _excerpt(text: str, words: list[str], width: int = 160) -> str:
    folded = text.casefold()
    first = min((i for w in words if (i := folded.find(w)) >= 0), default=0)
    start = max(0, first - width // 3)
    piece = " ".join(text[start : start + width].split())
    return ("… " if start else "") + piece + (" …" if start + width < len(text) else "")
