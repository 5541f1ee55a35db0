"""The budget remarks (*budgetbemærkninger*): each policy area's texts and goals, in the budget's
order and format, so what the seed calls "information about the policy areas reused as budget
remarks" is one command.

The budget's order: committee by committee (*udvalg*, the level the council appropriates to), in
the organisation file's order, and within a committee its policy areas in the file's order. One
section per policy area: the committee and owner, the area's vision(s), its goals (*mål*, with
horizon, description and indicators with their targets) and its service goals and actions for
the budget year, and the goals' latest status. Amounts are not here: they come from the finance
system. ``year`` is the budget year (the remarks for 2028 are written in 2027).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from aarshjul.documents.model import Document, DocumentBuilder
from aarshjul.goals.indicators import indicators_by_goal
from aarshjul.models.base import GoalLevel
from aarshjul.models.goal_tracking import GoalIndicator
from aarshjul.models.organisation import Organisation
from aarshjul.reports.planning_data import AreaGoals, GoalLine, areas_with_goals
from aarshjul.reports.texts import horizon, label, number, short_date, status_label


@dataclass(frozen=True)
class BudgetRemarksData:
    """The areas of the budget year in the budget's order, with each goal's indicators."""

    organisation_name: str
    year: int
    today: date
    areas: tuple[AreaGoals, ...]
    indicators: dict[int, list[GoalIndicator]]


def budget_remarks_data(
    session: Session, *, organisation: Organisation, year: int, today: date
) -> BudgetRemarksData:
    """Read the budget remarks for budget year ``year`` (four queries)."""
    assert organisation.id is not None
    areas = areas_with_goals(session, organisation_id=organisation.id, year=year)
    ordered = tuple(sorted(areas, key=lambda a: (a.committee_id, a.id)))
    goal_ids = [g.id for a in areas for g in a.goals]
    return BudgetRemarksData(
        organisation.name, year, today, ordered, indicators_by_goal(session, goal_ids)
    )


def budget_remarks_document(data: BudgetRemarksData, *, lang: str = "da") -> Document:
    """The budget remarks of ``data`` in ``lang`` (``da`` or ``en``)."""
    day = short_date(data.today, lang)
    org = data.organisation_name
    doc = DocumentBuilder(
        label("remarks_title", lang, year=data.year), lang=lang,
        subtitle=label("draft_subtitle", lang, org=org, day=day), author=org,
        footer=label("remarks_footer", lang, org=org, year=data.year, day=day), issued=data.today,
    )  # fmt: skip
    doc.contents(label("contents", lang))
    doc.paragraph(label("remarks_intro", lang))
    committee: int | None = None
    for area in data.areas:
        if area.committee_id != committee:
            committee = area.committee_id
            doc.heading(area.committee)
        _area(doc, area, data, lang)
    return doc.build()


def _area(doc: DocumentBuilder, area: AreaGoals, data: BudgetRemarksData, lang: str) -> None:
    doc.heading(area.name, 2)
    owner = area.head_title or area.head_name
    doc.note(label("remarks_area_line", lang, committee=area.committee, owner=owner))
    if not area.goals:
        doc.note(label("area_no_goals", lang, year=data.year))
        return
    visions = [g for g in area.goals if g.level is GoalLevel.vision]
    goals = [g for g in area.goals if g.level is GoalLevel.goal]
    yearly = [g for g in area.goals if g.level in (GoalLevel.service_goal, GoalLevel.action)]
    if visions:
        doc.heading(label("vision", lang), 3)
        for vision in visions:
            doc.paragraph(vision.title)
            if vision.description:
                doc.text(vision.description)
    if goals:
        doc.heading(label("goals_for", lang), 3)
        doc.bullets(_item(g, data, lang) for g in goals)
    if yearly:
        doc.heading(label("service_for", lang, year=data.year), 3)
        doc.bullets(_item(g, data, lang) for g in yearly)
    statuses = Counter(status_label(g.report.status, lang) for g in area.goals if g.report)
    if statuses:
        text = ", ".join(f"{n} {status}" for status, n in statuses.most_common())
        doc.note(label("latest_status_line", lang, statuses=text))


def _item(goal: GoalLine, data: BudgetRemarksData, lang: str) -> str:
    lines = [f"{goal.title} ({horizon(goal.horizon_start, goal.horizon_end)})"]
    if goal.description:
        lines.append(goal.description)
    indicators = data.indicators.get(goal.id, [])
    if indicators:
        items = ", ".join(_indicator(i, lang) for i in indicators)
        lines.append(label("indicator_line", lang, items=items))
    return "\n".join(lines)


def _indicator(indicator: GoalIndicator, lang: str) -> str:
    unit = f" {indicator.unit}" if indicator.unit else ""
    if indicator.target is None:
        return indicator.name
    target = label("target", lang, target=number(indicator.target, lang) + unit)
    return f"{indicator.name} ({target})"
